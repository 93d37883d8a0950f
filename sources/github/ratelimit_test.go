package github

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/github/fakegh"
)

// An exhausted primary budget is waited out until its reset, with a
// countdown reported through progress, and the sync then completes. The
// REST case also covers go-github v60's quirks: a 429 is not a
// RateLimitError, and after a response with remaining 0 it would refuse
// requests by the wall clock (the fake's reset is on the test clock).
func TestPrimaryRateLimitIsWaitedOut(t *testing.T) {
	want := cleanSync(t)
	cases := []struct {
		name     string
		resource string
		status   int
		left     int
	}{
		{"REST 403", "core", 403, 0},
		{"REST 429", "core", 429, 0},
		{"REST last request spends it", "core", 403, 1},
		{"GraphQL RATE_LIMITED", "graphql", 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock(faultEnd)
			srv := newFake(t, clk, fakegh.Options{RateLimitStatus: tc.status})
			for _, r := range fakegh.Generate(fakegh.GenSpec{Repos: 3, Changes: 250, Runs: 240, Deployments: 60,
				Workflows: []string{"train.yml", "deploy.yml"}, End: faultEnd, Seed: 7}) {
				srv.AddRepo(r)
			}
			_, _, o := faultWorld(t)
			o.BaseURL, o.Now, o.Sleep = srv.URL(), clk.Now, clk.Sleep
			reset := faultEnd.Add(10 * time.Minute)
			srv.SetBudget(tc.resource, tc.left, reset)
			sink := sources.NewMemSink()
			var log progressLog
			sum, err := Sync(context.Background(), o, sink, log.Add)
			if err != nil || sum.Failed() {
				t.Fatalf("sync: %v %v", err, sum.Errors())
			}
			if clk.Now().Before(reset) {
				t.Errorf("clock at %v: did not wait for the reset at %v", clk.Now(), reset)
			}
			if clk.Slept() > 11*time.Minute+time.Duration(o.MaxRetries+1)*time.Minute {
				t.Errorf("waited %v, far longer than the reset", clk.Slept())
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
		})
	}
}

// Before a budget runs out pace pauses on its own: the fake never has to
// refuse a request.
func TestPausesBeforeBudgetRunsOut(t *testing.T) {
	srv, clk, o := faultWorld(t)
	reset := faultEnd.Add(20 * time.Minute)
	srv.SetBudget("graphql", 40, reset)
	srv.SetBudget("core", 30, reset)
	sink := sources.NewMemSink()
	var log progressLog
	sum, err := Sync(context.Background(), o, sink, log.Add)
	if err != nil || sum.Failed() {
		t.Fatalf("sync: %v %v", err, sum.Errors())
	}
	if n := srv.RateLimited(); n != 0 {
		t.Errorf("the fake refused %d requests for an exhausted budget", n)
	}
	if clk.Now().Before(reset) {
		t.Error("pace did not pause for the reset")
	}
	paused := false
	for _, p := range log.All() {
		if !p.WaitUntil.IsZero() && p.Remaining >= 0 && p.Limit == 5000 {
			paused = true
		}
	}
	if !paused {
		t.Error("no pause with the budget was reported")
	}
}

// A pause can be cut short: cancelling stops the sync cleanly and keeps
// what was stored.
func TestCancelDuringRateLimitPause(t *testing.T) {
	srv, _, o := faultWorld(t)
	o.Concurrency = 1
	// The first runs request finds the budget spent: by then the first
	// repo's deployments and changes are stored.
	srv.AddFault(fakegh.Fault{Kind: "rest:runs", Status: 403, Body: `{"message":"API rate limit exceeded"}`,
		Header: map[string]string{"X-Ratelimit-Remaining": "0", "X-Ratelimit-Limit": "5000",
			"X-Ratelimit-Reset": strconv.FormatInt(faultEnd.Add(time.Hour).Unix(), 10)}})
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
	cursorsCovered(t, srv, sink, o.Since)
}
