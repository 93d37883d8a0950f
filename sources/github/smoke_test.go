package github

import (
	"context"
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
	sum, err := Sync(context.Background(), o, sink, log.add)
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
	sum, err = Sync(context.Background(), o, sink, log.add)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("second: requests=%d counts=%s 304=%s", sum.Requests, fakegh.FormatCounts(srv.Counts()), fakegh.FormatCounts(srv.NotModified()))
}
