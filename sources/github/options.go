// Package github syncs pull requests, deployments and Actions runs from
// GitHub (github.com or GitHub Enterprise Server) into a sources.Sink.
// Changes and deployments come through GraphQL (shurcooL/githubv4), runs,
// compares, org repos and team members through REST (go-github v60). API
// types are converted to domain types here; nothing outside this package
// sees them.
package github

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// DefaultBaseURL is github.com's REST API root.
const DefaultBaseURL = "https://api.github.com"

// Options configure a sync or a lookup. The zero value of every field but
// Token has a usable default.
type Options struct {
	// BaseURL is https://api.github.com or, for GitHub Enterprise Server,
	// https://HOST/api/v3. GraphQL is derived from it (/graphql or
	// /api/graphql). http:// is accepted for loopback hosts only.
	BaseURL string
	Token   string
	// HTTPClient is the client whose Transport and Timeout are used (tests
	// inject one); its Timeout bounds each attempt, not a whole call that
	// may wait for a rate-limit reset. nil: a client with dial, TLS and
	// header timeouts.
	HTTPClient *http.Client

	Repos []string // "owner/name"
	Orgs  []string // every non-archived repo of each org is synced too

	// Since is how far back a stream's first sync reaches (and where a Full
	// sync starts). Zero: 90 days before Now.
	Since time.Time
	Full  bool // ignore stored cursors and ETags

	// Workflows are the Actions workflow files (experiment and deployment
	// workflows, e.g. "train.yml") whose runs are synced, each as its own
	// stream "runs:<file>". Empty: no runs are fetched, because pace uses
	// runs only for experiments and deploy workflows and a repo's other CI
	// runs would spend the rate limit for nothing.
	Workflows []string

	// Production selects the environments whose deployments are compared for
	// exact containment of merge SHAs. nil: domain.DefaultSettings().Production.
	Production *regexp.Regexp

	Concurrency int // requests in flight to the host, and repos synced at once; default 4
	MaxRetries  int // attempts after the first for 5xx, timeouts, truncated JSON; default 4

	Now   func() time.Time                                 // default time.Now
	Sleep func(ctx context.Context, d time.Duration) error // default: a timer that honours ctx
}

// withDefaults validates o and fills in its defaults.
func (o Options) withDefaults() (Options, error) {
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	if _, err := apiURL(o.BaseURL); err != nil {
		return o, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = syncx.SleepCtx
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.MaxRetries <= 0 {
		o.MaxRetries = 4
	}
	if o.Since.IsZero() {
		o.Since = o.Now().Add(-90 * 24 * time.Hour)
	}
	o.Since = o.Since.UTC()
	if o.Production == nil {
		o.Production = domain.DefaultSettings().Production
	}
	for _, r := range o.Repos {
		if _, _, err := splitRepo(r); err != nil {
			return o, err
		}
	}
	for _, w := range o.Workflows {
		if w == "" || strings.ContainsAny(w, "/?#") {
			return o, fmt.Errorf("github: workflow %q: want a file name such as train.yml", w)
		}
	}
	return o, nil
}

// apiURL parses a base URL and refuses plain http to anything but
// loopback, so a token never crosses the network in clear text.
func apiURL(base string) (*url.URL, error) {
	return syncx.ParseBaseURL("github", base, "https://api.github.com or https://HOST/api/v3")
}

// graphqlURL derives the GraphQL endpoint from the REST base URL:
// api.github.com → /graphql, GHES https://HOST/api/v3 → /api/graphql, and
// any other root (a local mirror or test server) → <base>/graphql.
func graphqlURL(base string) string {
	u, _ := url.Parse(base)
	switch {
	case u.Host == "api.github.com":
		return "https://api.github.com/graphql"
	case strings.HasSuffix(u.Path, "/api/v3"):
		u.Path = strings.TrimSuffix(u.Path, "/api/v3") + "/api/graphql"
		return u.String()
	default:
		return strings.TrimRight(base, "/") + "/graphql"
	}
}

// splitRepo splits "owner/name".
func splitRepo(full string) (owner, name string, err error) {
	owner, name, ok := strings.Cut(full, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("github: repo %q: want owner/name", full)
	}
	return owner, name, nil
}
