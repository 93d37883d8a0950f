package bench

import (
	"context"
	"net/http"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources/github"
	"github.com/pace-dev/pace/sources/github/fakegh"
	"github.com/pace-dev/pace/store"
)

// syncToken is the token the fake GitHub demands.
const syncToken = "ghp_BENCHTOKENabcdef0123456789"

// syncEnd is the fake organisation's newest instant and the sync's clock.
var syncEnd = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// BenchmarkSyncGitHub syncs a fake GitHub organisation (20 repos, each
// with 500 pull requests, 2,000 runs of two workflows and 300 deployments,
// over 60 days) into a fresh SQLite cache, then syncs again with nothing
// changed. It reports the first sync's requests against the fewest the
// data allows (ratio), and the second sync's requests: in total, per
// (repo, stream), and the most any one stream took.
//
// GitLab's equivalent (BenchmarkSyncGitLab against its fake server) goes
// beside this one when the GitLab source lands; scripts/bench has its slot.
func BenchmarkSyncGitHub(b *testing.B) {
	spec := fakegh.GenSpec{Repos: 20, Changes: 500, Runs: 2000, Deployments: 300,
		Workflows: []string{"train.yml", "deploy.yml"}, End: syncEnd, Seed: 12}
	clk := &fakeClock{t: syncEnd}
	srv, err := fakegh.New(fakegh.Options{Token: syncToken, Now: clk.Now})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	repos := fakegh.Generate(spec)
	var names []string
	for _, r := range repos {
		srv.AddRepo(r)
		names = append(names, r.FullName())
	}
	o := github.Options{BaseURL: srv.URL(), Token: syncToken, HTTPClient: &http.Client{Timeout: 30 * time.Second},
		Repos: names, Workflows: spec.Workflows, Since: syncEnd.Add(-90 * 24 * time.Hour), Now: clk.Now, Sleep: clk.Sleep}
	bound := requestBound(repos, o.Since, o.Workflows, domain.DefaultSettings().Production)
	streams := len(repos) * (2 + len(o.Workflows))

	var first, second, worst int
	var firstWall time.Duration
	for b.Loop() {
		ctx := context.Background()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "pace.db"))
		if err != nil {
			b.Fatal(err)
		}
		srv.ResetCounts()
		t0 := time.Now()
		if sum, err := github.Sync(ctx, o, st, nil); err != nil || sum.Failed() {
			b.Fatalf("first sync: %v %v", err, sum.Errors())
		}
		firstWall = time.Since(t0)
		first = srv.Total()

		srv.ResetCounts()
		if sum, err := github.Sync(ctx, o, st, nil); err != nil || sum.Failed() {
			b.Fatalf("second sync: %v %v", err, sum.Errors())
		}
		second = srv.Total()
		per := map[string]int{}
		for _, r := range srv.Log() {
			per[streamOf(r)]++
		}
		if len(per) != streams {
			b.Errorf("second sync touched %d streams, want %d", len(per), streams)
		}
		worst = 0
		for _, n := range per {
			worst = max(worst, n)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(first), "first-requests")
	b.ReportMetric(float64(bound), "bound")
	b.ReportMetric(float64(first)/float64(bound), "first/bound")
	b.ReportMetric(float64(firstWall)/float64(time.Millisecond), "first-sync-ms")
	b.ReportMetric(float64(second), "second-requests")
	b.ReportMetric(float64(streams), "streams")
	b.ReportMetric(float64(second)/float64(streams), "second/stream")
	b.ReportMetric(float64(worst), "second-max/stream")
}

// requestBound is the fewest requests a first sync of the fake's data can
// make at the API's largest page sizes: 100 pull requests, deployments and
// workflow runs a page, and, for exact deploy containment, one compare
// (100 commits a page) per successful production deployment that has a
// successful predecessor in its environment. It is computed from the
// served data, not from pace's code (the same bound as sources/github's
// request-budget test).
func requestBound(repos []*fakegh.Repo, since time.Time, workflows []string, prod *regexp.Regexp) int {
	pages := func(n int) int { return max(1, (n+99)/100) }
	total := 0
	for _, r := range repos {
		prs := 0
		for _, pr := range r.PRs {
			if !pr.UpdatedAt.Before(since) {
				prs++
			}
		}
		total += pages(prs) + pages(len(r.Deployments))
		byEnv := map[string][]*fakegh.Deployment{}
		for _, d := range r.Deployments {
			if prod.MatchString(d.Environment) && firstTerminal(d) == "SUCCESS" {
				byEnv[d.Environment] = append(byEnv[d.Environment], d)
			}
		}
		for _, ds := range byEnv {
			slices.SortFunc(ds, func(a, b *fakegh.Deployment) int { return a.CreatedAt.Compare(b.CreatedAt) })
			for i := 1; i < len(ds); i++ {
				total += pages(max(0, slices.Index(r.History, ds[i].SHA)-slices.Index(r.History, ds[i-1].SHA)))
			}
		}
		for _, w := range workflows {
			n := 0
			for _, run := range r.Runs {
				if run.File == w && !run.CreatedAt.Before(since) {
					n++
				}
			}
			total += pages(n)
		}
	}
	return total
}

// firstTerminal is a deployment's first terminal status.
func firstTerminal(d *fakegh.Deployment) string {
	state, at := "", time.Time{}
	for _, st := range d.Statuses {
		switch st.State {
		case "SUCCESS", "FAILURE", "ERROR", "INACTIVE":
			if at.IsZero() || st.CreatedAt.Before(at) {
				state, at = st.State, st.CreatedAt
			}
		}
	}
	return state
}

// streamOf names the (repo, stream) a request served.
func streamOf(r fakegh.Request) string {
	switch r.Kind {
	case "graphql:pullRequests", "graphql:pullRequest", "graphql:node":
		return r.Repo + " changes"
	case "graphql:deployments", "rest:compare":
		return r.Repo + " deployments"
	case "rest:runs":
		return r.Repo + " runs:" + path.Base(path.Dir(r.Path))
	}
	return r.Repo + " " + r.Kind
}

// fakeClock is the sync's and the fake server's one clock: Sleep (rate
// limits, retries) advances it instead of waiting.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(max(d, 0))
	return nil
}
