package github

import (
	"context"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/github/fakegh"
)

func TestSyncGeneratedRepo(t *testing.T) {
	end := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	clk := newClock(end)
	srv := newFake(t, clk, fakegh.Options{})
	repos := fakegh.Generate(fakegh.GenSpec{Repos: 2, Changes: 130, Runs: 250, Deployments: 40,
		Workflows: []string{"train.yml", "deploy.yml"}, End: end, Seed: 1})
	for _, r := range repos {
		srv.AddRepo(r)
	}
	sink := sources.NewMemSink()
	o := testOptions(srv, clk, "acme/repo-00", "acme/repo-01")
	o.Workflows = []string{"train.yml", "deploy.yml"}
	o.Since = end.Add(-90 * 24 * time.Hour)
	var log progressLog
	sum, err := Sync(context.Background(), o, sink, log.Add)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed() {
		t.Fatalf("failed: %v", sum.Errors())
	}
	t.Logf("requests=%d counts=%s", sum.Requests, fakegh.FormatCounts(srv.Counts()))
	if got := len(sink.Changes()); got != 260 {
		t.Errorf("changes = %d, want 260", got)
	}
	if got := len(sink.Runs()); got != 500 {
		t.Errorf("runs = %d, want 500", got)
	}
	if got := len(sink.Deployments()); got != 80 {
		t.Errorf("deployments = %d, want 80", got)
	}
	exact := 0
	for _, c := range sink.Changes() {
		if c.DeployExact {
			exact++
		}
	}
	t.Logf("exact deploys: %d", exact)

	srv.ResetCounts()
	sum, err = Sync(context.Background(), o, sink, log.Add)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("second: requests=%d counts=%s 304=%s", sum.Requests, fakegh.FormatCounts(srv.Counts()), fakegh.FormatCounts(srv.NotModified()))
}

// Exact containment: a merged change is deployed by the first successful
// production deployment whose commit is at or after its merge commit on
// the default branch, provided an earlier successful one exists to compare
// with (otherwise domain's fallback decides). The expectation is computed
// from the fake's history, not from pace's code.
func TestExactDeployContainment(t *testing.T) {
	end := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	clk := newClock(end)
	srv := newFake(t, clk, fakegh.Options{})
	repo := fakegh.Generate(fakegh.GenSpec{Repos: 1, Changes: 200, Deployments: 60, End: end, Seed: 5})[0]
	srv.AddRepo(repo)
	sink := sources.NewMemSink()
	if sum, err := Sync(context.Background(), testOptions(srv, clk, repo.FullName()), sink, nil); err != nil || sum.Failed() {
		t.Fatalf("%v %v", err, sum.Errors())
	}
	var prod []*fakegh.Deployment
	for _, d := range repo.Deployments {
		if d.Environment == "production" && firstTerminal(d) == "SUCCESS" {
			prod = append(prod, d)
		}
	}
	sort.Slice(prod, func(i, j int) bool { return prod[i].CreatedAt.Before(prod[j].CreatedAt) })
	want := map[int]*fakegh.Deployment{}
	for _, pr := range repo.PRs {
		if pr.MergeCommit == "" {
			continue
		}
		at := indexOf(repo.History, pr.MergeCommit)
		for i, d := range prod {
			if indexOf(repo.History, d.SHA) >= at {
				if i > 0 && indexOf(repo.History, prod[i-1].SHA) < at {
					want[pr.Number] = d
				}
				break
			}
		}
	}
	if len(want) < 50 {
		t.Fatalf("only %d changes to check", len(want))
	}
	for _, c := range sink.Changes() {
		d, ok := want[c.Number]
		switch {
		case !ok && c.DeployExact:
			t.Errorf("#%d exact deploy %s, want none", c.Number, c.DeploymentID)
		case ok && (!c.DeployExact || c.DeploymentID != strconv.FormatInt(d.DatabaseID, 10) || !c.DeployedAt.Equal(d.Statuses[0].CreatedAt)):
			t.Errorf("#%d deployed by %q at %v (exact %v), want %d at %v", c.Number, c.DeploymentID, c.DeployedAt, c.DeployExact, d.DatabaseID, d.Statuses[0].CreatedAt)
		}
	}
}
