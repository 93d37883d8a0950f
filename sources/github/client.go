package github

import (
	"context"
	"net/http"
	"net/url"

	gh "github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// client holds the two API clients over one transport, and what a sync
// needs to report and to redact.
type client struct {
	o        Options
	rest     *gh.Client
	gql      *githubv4.Client
	tr       *syncx.Transport
	lim      *limiter
	red      syncx.Redactor
	progress sources.ProgressFunc
}

// withStream tags ctx with the repo and stream its requests serve.
func withStream(ctx context.Context, repo string, st sources.Stream) context.Context {
	return syncx.WithStream(ctx, repo, st)
}

// newClient validates o and builds the clients.
func newClient(o Options, progress sources.ProgressFunc) (*client, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	u, err := apiURL(o.BaseURL)
	if err != nil {
		return nil, err
	}
	c := &client{o: o, red: newRedactor(o.Token), progress: progress}

	base, timeout, checkRedirect := syncx.HTTPBase(o.HTTPClient, o.Concurrency)
	c.lim = newLimiter(o, c.report)
	c.tr = newTransport(c, base, u, timeout, c.lim)
	httpClient := &http.Client{Transport: c.tr, CheckRedirect: checkRedirect}

	c.rest = gh.NewClient(httpClient)
	c.rest.UserAgent = "pace"
	if u.Host != "api.github.com" {
		// Used as given: GHES roots end in /api/v3 already, and a loopback
		// mirror has none (go-github's WithEnterpriseURLs would add one).
		rest, _ := url.Parse(o.BaseURL + "/")
		c.rest.BaseURL = rest
	}
	c.gql = githubv4.NewEnterpriseClient(graphqlURL(o.BaseURL), httpClient)
	return c, nil
}

// report sends a progress report, tagged with the repo and stream of ctx,
// its text scrubbed of the token.
func (c *client) report(ctx context.Context, p sources.Progress) {
	syncx.Reporter{Source: domain.GitHub, Progress: c.progress, Red: c.red, Budget: c.streamBudget}.Report(ctx, p)
}

// streamBudget is the budget a stream spends: GraphQL for changes and
// deployments, core for runs and the rest.
func (c *client) streamBudget(st sources.Stream) (remaining, limit int) {
	if st == sources.Changes || st == sources.Deployments {
		return c.budget("graphql")
	}
	return c.budget("core")
}

// budget returns the known budget of a resource for a progress report.
func (c *client) budget(res string) (remaining, limit int) { return c.lim.Snapshot(res) }
