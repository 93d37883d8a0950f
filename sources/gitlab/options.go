// Package gitlab syncs merge requests, deployments and pipelines from
// GitLab (gitlab.com or a self-managed instance) into a sources.Sink,
// through gitlab.com/gitlab-org/api/client-go (the maintained continuation
// of xanzy/go-gitlab). API types are converted to domain types here;
// nothing outside this package sees them.
//
// It mirrors sources/github: the same Options shape, Summary, progress
// reports, fault behaviour, cursor semantics and token hygiene. What
// differs is GitLab's protocol: offset paging (x-next-page), one rate-limit
// budget per user (RateLimit-* headers, 429 with Retry-After), no
// documented conditional requests, and `updated_after` filters, which
// every stream here is driven by.
package gitlab

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// DefaultBaseURL is gitlab.com.
const DefaultBaseURL = "https://gitlab.com"

// Options configure a sync. The zero value of every field but Token has a
// usable default.
type Options struct {
	// BaseURL is https://gitlab.com or a self-managed https://HOST (with its
	// relative root, if any); REST is under /api/v4. http:// is accepted for
	// loopback hosts only.
	BaseURL string
	Token   string
	// HTTPClient is the client whose Transport, Timeout and CheckRedirect
	// are used (tests inject one); its Timeout bounds each attempt, not a
	// whole call that may wait for a rate-limit reset. nil: a client with
	// dial, TLS and header timeouts.
	HTTPClient *http.Client

	Projects []string // project paths ("group/sub/project")
	Groups   []string // every non-archived project of each group and its subgroups is synced too

	// Since is how far back a stream's first sync reaches (and where a Full
	// sync starts). Zero: 90 days before Now.
	Since time.Time
	Full  bool // ignore stored cursors

	// PipelineRef and PipelineName select the pipelines that are experiment
	// runs (config experiments.pipelines, matched by
	// domain.ExperimentRules.PipelineSelected: each rule that is set must
	// match, and at least one must be set). DeployPipelines are pipeline names whose pipelines
	// count as deployments (config deployments.workflows). Only pipelines
	// one of them selects are fetched; with none set no pipeline is, because
	// pace uses them for nothing else and every pipeline costs a request.
	PipelineRef     *regexp.Regexp
	PipelineName    *regexp.Regexp
	DeployPipelines []string

	// Production selects, among deployments whose environment GitLab gives
	// no tier, the production ones whose merge requests are fetched for
	// exact deploy times. nil: domain.DefaultSettings().Production.
	Production *regexp.Regexp

	Concurrency int // requests in flight to the host, and projects synced at once; default 4
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
	o.BaseURL = strings.TrimSuffix(o.BaseURL, "/api/v4")
	if _, err := baseURL(o.BaseURL); err != nil {
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
	o.Since = o.Since.UTC().Truncate(time.Second)
	if o.Production == nil {
		o.Production = domain.DefaultSettings().Production
	}
	for _, p := range o.Projects {
		if err := checkPath("project", p); err != nil {
			return o, err
		}
	}
	for _, g := range o.Groups {
		if err := checkPath("group", g); err != nil {
			return o, err
		}
	}
	return o, nil
}

// baseURL parses a base URL and refuses plain http to anything but
// loopback, so a token never crosses the network in clear text.
func baseURL(base string) (*url.URL, error) {
	return syncx.ParseBaseURL("gitlab", base, "https://gitlab.com or https://HOST")
}

// checkPath accepts a project or group path: segments separated by "/",
// none empty, no URL syntax.
func checkPath(what, p string) error {
	if p == "" || strings.ContainsAny(p, "?#% \t\n") || strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.Contains(p, "//") {
		return fmt.Errorf("gitlab: %s %q: want a path such as group/subgroup/name", what, p)
	}
	if what == "project" && !strings.Contains(p, "/") {
		return fmt.Errorf("gitlab: project %q: want its full path, e.g. group/%s", p, p)
	}
	return nil
}

// wantPipeline reports whether a pipeline is one pace needs: an experiment
// run (ref and name rules, as domain applies them) or a deployment
// pipeline (its name listed).
func (o Options) wantPipeline(ref, name string) bool {
	if (domain.ExperimentRules{PipelineRef: o.PipelineRef, PipelineName: o.PipelineName}).PipelineSelected(ref, name) {
		return true
	}
	if name == "" {
		return false
	}
	for _, d := range o.DeployPipelines {
		if d == name || d == path.Base(name) {
			return true
		}
	}
	return false
}

// pipelinesWanted reports whether any pipeline can be wanted.
func (o Options) pipelinesWanted() bool {
	return o.PipelineRef != nil || o.PipelineName != nil || len(o.DeployPipelines) > 0
}

// RunsStream names the pipelines stream of a set of options: "runs:" and a
// digest of the pipeline rules. A change of rules starts a new stream,
// whose first sync reaches back to Since, so pipelines the old rules
// skipped are fetched; the old cursor is left unused.
func RunsStream(o Options) sources.Stream {
	h := sha256.New()
	for _, re := range []*regexp.Regexp{o.PipelineRef, o.PipelineName} {
		if re != nil {
			h.Write([]byte(re.String()))
		}
		h.Write([]byte{0})
	}
	for _, d := range o.DeployPipelines {
		h.Write([]byte(d))
		h.Write([]byte{1})
	}
	return sources.Stream(string(sources.Runs) + ":" + hex.EncodeToString(h.Sum(nil))[:8])
}

// webBase is the instance's web root (base URL without /api/v4).
func (o Options) webBase() string { return o.BaseURL }
