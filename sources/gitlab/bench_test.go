package gitlab

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
)

// requestBound is the fewest requests a first sync of the fake's data can
// make at the API's largest page size (100): per project, the merge
// requests updated since the floor, and for each its commits and its
// notes (approvals and ready times come with the notes); the deployments
// updated since the floor, the environments (for tiers) when there is any,
// and for each successful production deployment the merge requests it
// shipped; the pipelines updated since the floor, and each wanted one in
// full (the list lacks start and finish). It is computed from the served
// data, not from pace's code.
func requestBound(projects []*fakegl.Project, o Options) int {
	pages := func(n int) int { return max(1, (n+99)/100) }
	prod := o.Production
	if prod == nil {
		prod = domain.DefaultSettings().Production
	}
	total := 0
	for _, p := range projects {
		mrs := 0
		for _, mr := range p.MRs {
			if !mr.UpdatedAt().Before(o.Since) {
				mrs++
				total += pages(len(mr.Commits)) + pages(len(mr.Notes))
			}
		}
		total += pages(mrs)
		tiers := map[string]string{}
		for _, e := range p.Environments {
			tiers[str(e["name"])] = str(e["tier"])
		}
		deps := 0
		for _, d := range p.Deployments {
			if d.UpdatedAt().Before(o.Since) {
				continue
			}
			deps++
			env := str(fakegl.Obj(d.JSON["environment"])["name"])
			isProd := tiers[env] == "production" || tiers[env] == "" && prod.MatchString(env)
			if str(d.JSON["status"]) == "success" && isProd {
				total += pages(len(d.MRs))
			}
		}
		total += pages(deps)
		if deps > 0 {
			total += pages(len(p.Environments))
		}
		if o.pipelinesWanted() {
			pls := 0
			for _, pl := range p.Pipelines {
				if !pl.UpdatedAt().Before(o.Since) {
					pls++
					if o.wantPipeline(str(pl.JSON["ref"]), str(pl.JSON["name"])) {
						total++
					}
				}
			}
			total += pages(pls)
		}
	}
	return total
}

// streamOf names the (project, stream) a request served.
func streamOf(r fakegl.Request) string {
	switch r.Kind {
	case "mrs", "mr:commits", "mr:notes":
		return r.Project + " changes"
	case "deployments", "environments", "deployment:mrs":
		return r.Project + " deployments"
	case "pipelines", "pipeline":
		return r.Project + " runs"
	}
	return r.Project + " " + r.Kind
}

// budgetWorld is a fake group of the given size and the options to sync it.
func budgetWorld(tb testing.TB, spec fakegl.GenSpec) (*fakegl.Server, Options, []*fakegl.Project) {
	tb.Helper()
	spec.End = faultEnd
	clk := newClock(faultEnd)
	srv := newFake(tb, clk, fakegl.Options{})
	projects := fakegl.Generate(spec)
	var paths []string
	for _, p := range projects {
		srv.AddProject(p)
		paths = append(paths, p.Path)
	}
	o := testOptions(srv, clk, paths...)
	o.PipelineRef = regexp.MustCompile(`^exp/`)
	o.DeployPipelines = []string{"deploy"}
	o.Since = faultEnd.Add(-90 * 24 * time.Hour)
	return srv, o, projects
}

// syncBudget runs a first and a second (nothing changed) sync and checks
// the request budget: the first within 1.1x the bound, the second at most
// one request per (project, stream).
func syncBudget(tb testing.TB, srv *fakegl.Server, o Options, projects []*fakegl.Project) (first, bound, second int) {
	tb.Helper()
	srv.ResetCounts()
	sink := sources.NewMemSink()
	sum, err := Sync(context.Background(), o, sink, nil)
	if err != nil || sum.Failed() {
		tb.Fatalf("first sync: %v %v", err, sum.Errors())
	}
	first = srv.Total()
	if int64(first) != sum.Requests {
		tb.Errorf("the fake answered %d requests, pace counted %d", first, sum.Requests)
	}
	bound = requestBound(projects, o)
	if ratio := float64(first) / float64(bound); ratio > 1.1 {
		tb.Errorf("first sync: %d requests, bound %d, ratio %.3f > 1.1 (%s)", first, bound, ratio, fakegl.FormatCounts(srv.Counts()))
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
		if strings.Contains(r.Kind, ":") {
			tb.Errorf("second sync: %s %s", r.Kind, r.Path)
		}
	}
	streams := len(projects) * 3
	if len(per) != streams {
		tb.Errorf("second sync touched %d streams, want %d", len(per), streams)
	}
	for k, n := range per {
		if n > 1 {
			tb.Errorf("second sync: %d requests for %s", n, k)
		}
	}
	return first, bound, second
}

// The request budget at a small scale, so every `go test` guards it.
func TestRequestBudget(t *testing.T) {
	srv, o, projects := budgetWorld(t, fakegl.GenSpec{Projects: 3, MRs: 250, Deployments: 90, Pipelines: 300, Seed: 11})
	first, bound, second := syncBudget(t, srv, o, projects)
	t.Logf("first sync %d requests, bound %d, ratio %.3f; second sync %d requests", first, bound, float64(first)/float64(bound), second)
}

// BenchmarkSync: 20 projects of 500 merge requests, 300 deployments and
// 900 pipelines (600 wanted). Reports the first sync's requests against
// the lower bound and the second (unchanged) sync's requests.
func BenchmarkSync(b *testing.B) {
	srv, o, projects := budgetWorld(b, fakegl.GenSpec{Projects: 20, MRs: 500, Deployments: 300, Pipelines: 900, Seed: 12})
	b.ResetTimer()
	var first, bound, second int
	for i := 0; i < b.N; i++ {
		first, bound, second = syncBudget(b, srv, o, projects)
	}
	b.ReportMetric(float64(first), "requests/first-sync")
	b.ReportMetric(float64(bound), "bound")
	b.ReportMetric(float64(first)/float64(bound), "ratio")
	b.ReportMetric(float64(second), "requests/second-sync")
	fmt.Printf("first sync: %d requests, lower bound %d, ratio %.3f; second sync: %d requests for %d streams\n",
		first, bound, float64(first)/float64(bound), second, len(projects)*3)
}
