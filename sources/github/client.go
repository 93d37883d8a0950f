package github

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"time"

	gh "github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// client holds the two API clients over one transport, and what a sync
// needs to report and to redact.
type client struct {
	o        Options
	rest     *gh.Client
	gql      *githubv4.Client
	tr       *transport
	red      redactor
	progress sources.ProgressFunc
}

// streamKey carries the repo and stream a request belongs to, so that the
// transport's pauses and retries are reported against them.
type streamKey struct{}

type streamInfo struct {
	repo   string
	stream sources.Stream
}

func withStream(ctx context.Context, repo string, st sources.Stream) context.Context {
	return context.WithValue(ctx, streamKey{}, streamInfo{repo, st})
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
	c := &client{o: o, red: redactor{secret: o.Token}, progress: progress}

	var base http.RoundTripper = defaultTransport(o.Concurrency)
	timeout := 60 * time.Second
	var checkRedirect func(*http.Request, []*http.Request) error
	if hc := o.HTTPClient; hc != nil {
		base = http.DefaultTransport
		if hc.Transport != nil {
			base = hc.Transport
		}
		if hc.Timeout > 0 {
			timeout = hc.Timeout
		}
		checkRedirect = hc.CheckRedirect
	}
	c.tr = &transport{
		base: base, scheme: u.Scheme, host: u.Host, token: o.Token,
		attemptTimeout: timeout, maxRetries: o.MaxRetries,
		sem: make(chan struct{}, o.Concurrency), red: c.red,
		sleep: o.Sleep, now: o.Now, report: c.report,
	}
	c.tr.lim = newLimiter(o, c.report)
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

// defaultTransport is http.DefaultTransport with timeouts on every phase
// before the body, sized for the per-host concurrency.
func defaultTransport(concurrency int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.MaxIdleConnsPerHost = concurrency
	return t
}

// report sends a progress report, tagged with the repo and stream of ctx,
// its text scrubbed of the token.
func (c *client) report(ctx context.Context, p sources.Progress) {
	if c.progress == nil {
		return
	}
	if si, ok := ctx.Value(streamKey{}).(streamInfo); ok {
		if p.Repo == "" {
			p.Repo = si.repo
		}
		if p.Stream == "" {
			p.Stream = si.stream
		}
	}
	if p.Source == "" {
		p.Source = domain.GitHub
	}
	if p.Remaining == 0 && p.Limit == 0 {
		// Not filled in by the caller: the budget the stream spends.
		res := "core"
		if p.Stream == sources.Changes || p.Stream == sources.Deployments {
			res = "graphql"
		}
		p.Remaining, p.Limit = c.budget(res)
	}
	p.Message = c.red.scrub(p.Message)
	if p.Err != nil {
		p.Err = c.red.streamErr(p.Repo, p.Stream, p.Err)
	}
	c.progress(p)
}

// budget returns the known budget of a resource for a progress report.
func (c *client) budget(res string) (remaining, limit int) { return c.tr.lim.snapshot(res) }
