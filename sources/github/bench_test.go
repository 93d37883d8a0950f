package github

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/github/fakegh"
)

// requestBound is the fewest requests a first sync of the fake's data can
// make at the API's largest page sizes: 100 pull requests, 100
// deployments and 100 workflow runs a page, and, for exact deploy
// containment, one compare (100 commits a page) per successful production
// deployment that has a successful predecessor in its environment. It is
// computed from the served data, not from pace's code.
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
		total += pages(prs)
		total += pages(len(r.Deployments))
		byEnv := map[string][]*fakegh.Deployment{}
		for _, d := range r.Deployments {
			if prod.MatchString(d.Environment) && firstTerminal(d) == "SUCCESS" {
				byEnv[d.Environment] = append(byEnv[d.Environment], d)
			}
		}
		for _, ds := range byEnv {
			sort.Slice(ds, func(i, j int) bool { return ds[i].CreatedAt.Before(ds[j].CreatedAt) })
			for i := 1; i < len(ds); i++ {
				total += pages(max(0, indexOf(r.History, ds[i].SHA)-indexOf(r.History, ds[i-1].SHA)))
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

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
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

// budgetWorld is a fake org of the given size and the options to sync it.
func budgetWorld(tb testing.TB, spec fakegh.GenSpec) (*fakegh.Server, Options, []*fakegh.Repo) {
	tb.Helper()
	spec.End = faultEnd
	clk := newClock(faultEnd)
	srv := newFake(tb, clk, fakegh.Options{})
	repos := fakegh.Generate(spec)
	var names []string
	for _, r := range repos {
		srv.AddRepo(r)
		names = append(names, r.FullName())
	}
	o := testOptions(srv, clk, names...)
	o.Workflows = spec.Workflows
	o.Since = faultEnd.Add(-90 * 24 * time.Hour)
	return srv, o, repos
}

// syncBudget runs a first and a second (nothing changed) sync and checks
// the request budget: the first within 1.1x the bound, the second at most
// one request per (repo, stream), REST ones conditional and answered 304.
func syncBudget(tb testing.TB, srv *fakegh.Server, o Options, repos []*fakegh.Repo) (first, bound, second int) {
	tb.Helper()
	srv.ResetCounts()
	sink := sources.NewMemSink()
	sum, err := Sync(context.Background(), o, sink, nil)
	if err != nil || sum.Failed() {
		tb.Fatalf("first sync: %v %v", err, sum.Errors())
	}
	first = srv.Total()
	bound = requestBound(repos, o.Since, o.Workflows, domain.DefaultSettings().Production)
	if ratio := float64(first) / float64(bound); ratio > 1.1 {
		tb.Errorf("first sync: %d requests, bound %d, ratio %.3f > 1.1 (%s)", first, bound, ratio, fakegh.FormatCounts(srv.Counts()))
	}

	srv.ResetCounts()
	sum, err = Sync(context.Background(), o, sink, nil)
	if err != nil || sum.Failed() {
		tb.Fatalf("second sync: %v %v", err, sum.Errors())
	}
	second = srv.Total()
	per := map[string]int{}
	for _, r := range srv.Log() {
		per[streamOf(r)]++
		if strings.HasPrefix(r.Kind, "rest:") && !r.Conditional {
			tb.Errorf("second sync: unconditional %s %s", r.Kind, r.Path)
		}
	}
	streams := len(repos) * (2 + len(o.Workflows))
	if len(per) != streams {
		tb.Errorf("second sync touched %d streams, want %d", len(per), streams)
	}
	for k, n := range per {
		if n > 1 {
			tb.Errorf("second sync: %d requests for %s", n, k)
		}
	}
	if nm := srv.NotModified()["rest:runs"]; nm != len(repos)*len(o.Workflows) {
		tb.Errorf("second sync: %d runs streams answered 304, want %d", nm, len(repos)*len(o.Workflows))
	}
	return first, bound, second
}

// The request budget at a small scale, so every `go test` guards it.
func TestRequestBudget(t *testing.T) {
	srv, o, repos := budgetWorld(t, fakegh.GenSpec{Repos: 3, Changes: 250, Runs: 600, Deployments: 90,
		Workflows: []string{"train.yml", "deploy.yml"}, Seed: 11})
	first, bound, second := syncBudget(t, srv, o, repos)
	t.Logf("first sync %d requests, bound %d, ratio %.3f; second sync %d requests", first, bound, float64(first)/float64(bound), second)
}

// BenchmarkSync: 20 repos of 500 changes, 2,000 runs (two workflows) and
// 300 deployments. Reports the first sync's requests against the lower
// bound and the second (unchanged) sync's requests.
func BenchmarkSync(b *testing.B) {
	srv, o, repos := budgetWorld(b, fakegh.GenSpec{Repos: 20, Changes: 500, Runs: 2000, Deployments: 300,
		Workflows: []string{"train.yml", "deploy.yml"}, Seed: 12})
	b.ResetTimer()
	var first, bound, second int
	for i := 0; i < b.N; i++ {
		first, bound, second = syncBudget(b, srv, o, repos)
	}
	b.ReportMetric(float64(first), "requests/first-sync")
	b.ReportMetric(float64(bound), "bound")
	b.ReportMetric(float64(first)/float64(bound), "ratio")
	b.ReportMetric(float64(second), "requests/second-sync")
	fmt.Printf("first sync: %d requests, lower bound %d, ratio %.3f; second sync: %d requests for %d streams (%s)\n",
		first, bound, float64(first)/float64(bound), second, len(repos)*(2+len(o.Workflows)), fakegh.FormatCounts(srv.Counts()))
}
