package gitlab

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
)

// rateWorld is faultWorld on a fake with the given per-minute budget.
func rateWorld(t *testing.T, limit int) (*fakegl.Server, *fakeClock, Options) {
	t.Helper()
	clk := newClock(faultEnd)
	srv := newFake(t, clk, fakegl.Options{RateLimit: limit})
	for _, p := range fakegl.Generate(fakegl.GenSpec{Projects: 3, MRs: 250, Deployments: 60, Pipelines: 240, End: faultEnd, Seed: 7}) {
		srv.AddProject(p)
	}
	_, _, o := faultWorld(t)
	o.BaseURL, o.Now, o.Sleep = srv.URL(), clk.Now, clk.Sleep
	return srv, clk, o
}

// An exhausted budget (GitLab's plain-text 429 with Retry-After and
// RateLimit-Reset) is waited out until its reset, with a countdown
// reported through progress, and the sync then completes. client-go
// alone would retry a 429 five times within seconds and give up.
func TestExhaustedBudgetIsWaitedOut(t *testing.T) {
	want := cleanSync(t)
	srv, clk, o := rateWorld(t, 0)
	reset := faultEnd.Add(10 * time.Minute)
	srv.SetBudget(0, reset)
	sink := sources.NewMemSink()
	var log progressLog
	sum, err := Sync(context.Background(), o, sink, log.Add)
	if err != nil || sum.Failed() {
		t.Fatalf("sync: %v %v", err, sum.Errors())
	}
	if srv.RateLimited() == 0 {
		t.Fatal("the fake never refused a request")
	}
	if clk.Now().Before(reset) {
		t.Errorf("clock at %v: did not wait for the reset at %v", clk.Now(), reset)
	}
	countdown := 0
	for _, p := range log.All() {
		if !p.WaitUntil.IsZero() {
			countdown++
			if p.WaitUntil.Before(reset) || !strings.Contains(p.Message, "resuming in") {
				t.Errorf("pause report %+v", p)
			}
		}
	}
	if countdown < 2 {
		t.Errorf("%d countdown reports, want several", countdown)
	}
	sameStore(t, sink, want)
}

// Before the budget runs out pace pauses on its own, until the reset the
// headers announce: the fake never has to refuse a request. client-go's
// own limiter (two thirds of RateLimit-Limit, by the wall clock) is off:
// with it this test would take minutes of real time.
func TestPausesBeforeBudgetRunsOut(t *testing.T) {
	srv, clk, o := rateWorld(t, 300)
	sink := sources.NewMemSink()
	var log progressLog
	start := clk.Now()
	sum, err := Sync(context.Background(), o, sink, log.Add)
	if err != nil || sum.Failed() {
		t.Fatalf("sync: %v %v", err, sum.Errors())
	}
	if n := srv.RateLimited(); n != 0 {
		t.Errorf("the fake refused %d requests for an exhausted budget", n)
	}
	minutes := int(sum.Requests / 300)
	if d := clk.Now().Sub(start); d < time.Duration(minutes)*time.Minute {
		t.Errorf("%d requests at 300 a minute took %v of the clock", sum.Requests, d)
	}
	pauses := 0
	for _, p := range log.All() {
		if !p.WaitUntil.IsZero() && p.Remaining >= 0 && p.Limit == 300 {
			pauses++
		}
	}
	if pauses < minutes {
		t.Errorf("%d pause reports with the budget for %d windows", pauses, minutes)
	}
}

// A pause can be cut short: cancelling stops the sync cleanly and keeps
// what was stored.
func TestCancelDuringRateLimitPause(t *testing.T) {
	srv, _, o := faultWorld(t)
	o.Concurrency = 1
	// The first pipelines request finds the budget spent: by then the
	// first project's deployments and merge requests are stored.
	srv.AddFault(fakegl.Fault{Kind: "pipelines", Status: 429, Body: "Retry later\n",
		Header: map[string]string{"Content-Type": "text/plain", "Retry-After": "3600"}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink := sources.NewMemSink()
	_, err := Sync(ctx, o, sink, func(p sources.Progress) {
		if !p.WaitUntil.IsZero() {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(sink.Changes()) == 0 || len(sink.Deployments()) == 0 {
		t.Error("data stored before the pause was lost")
	}
	cursorsCovered(t, srv, sink, o)
}

// A budget that never comes back fails the stream after a bounded number
// of waits, with a message that says so; the other streams go on.
func TestRateLimitGivesUp(t *testing.T) {
	srv, _, o := faultWorld(t)
	srv.AddFault(fakegl.Fault{Kind: "pipelines", Project: faultProjects[2], Status: 429, Body: "Retry later\n",
		Header: map[string]string{"Content-Type": "text/plain", "Retry-After": "30"}})
	sum, err := Sync(context.Background(), o, sources.NewMemSink(), nil)
	if err != nil {
		t.Fatal(err)
	}
	errs := sum.Errors()
	if len(errs) != 1 || !strings.Contains(errs[0], "rate limited") || !strings.Contains(errs[0], faultProjects[2]) {
		t.Errorf("errors %v", errs)
	}
	if hits := srv.FaultHits()[0]; hits != maxRateWaits+1 {
		t.Errorf("%d requests refused, want %d", hits, maxRateWaits+1)
	}
}
