package github

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/github/fakegh"
)

var faultEnd = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// faultWorld is three generated repos on a fake, and the options to sync
// them. Each repo's streams span several pages, so faults can hit a
// pass in its middle.
func faultWorld(t *testing.T) (*fakegh.Server, *fakeClock, Options) {
	t.Helper()
	clk := newClock(faultEnd)
	srv := newFake(t, clk, fakegh.Options{})
	for _, r := range fakegh.Generate(fakegh.GenSpec{Repos: 3, Changes: 250, Runs: 240, Deployments: 60,
		Workflows: []string{"train.yml", "deploy.yml"}, End: faultEnd, Seed: 7}) {
		srv.AddRepo(r)
	}
	o := testOptions(srv, clk, "acme/repo-00", "acme/repo-01", "acme/repo-02")
	o.Workflows = []string{"train.yml", "deploy.yml"}
	o.Since = faultEnd.Add(-90 * 24 * time.Hour)
	o.HTTPClient = &http.Client{Timeout: 300 * time.Millisecond}
	return srv, clk, o
}

// cleanSync is what a sync without faults stores.
func cleanSync(t *testing.T) *sources.MemSink {
	t.Helper()
	_, _, o := faultWorld(t)
	sink := sources.NewMemSink()
	sum, err := Sync(context.Background(), o, sink, nil)
	if err != nil || sum.Failed() {
		t.Fatalf("clean sync: %v %v", err, sum.Errors())
	}
	return sink
}

// sameStore compares what two sinks hold.
func sameStore(t *testing.T, got, want *sources.MemSink) {
	t.Helper()
	if g, w := got.Changes(), want.Changes(); !reflect.DeepEqual(g, w) {
		t.Errorf("changes differ from a clean sync: %d stored, clean %d", len(g), len(w))
	}
	if g, w := got.Deployments(), want.Deployments(); !reflect.DeepEqual(g, w) {
		t.Errorf("deployments differ from a clean sync: %d stored, clean %d", len(g), len(w))
	}
	if g, w := got.Runs(), want.Runs(); !reflect.DeepEqual(g, w) {
		t.Errorf("runs differ from a clean sync: %d stored, clean %d", len(g), len(w))
	}
	if g, w := got.Links(), want.Links(); !reflect.DeepEqual(g, w) {
		t.Errorf("deploy links differ from a clean sync: %d stored, clean %d", len(g), len(w))
	}
}

// cursorsCovered checks that no cursor has moved past data that was not
// stored: every item of the fake between a stream's first-sync floor and
// its committed watermark (Since) is in the sink as it is now.
func cursorsCovered(t *testing.T, srv *fakegh.Server, sink *sources.MemSink, floor time.Time) {
	t.Helper()
	changes := map[string]domain.Change{}
	for _, c := range sink.Changes() {
		changes[c.Key()] = c
	}
	deps := map[string]bool{}
	for _, d := range sink.Deployments() {
		deps[d.Repo+"/"+d.ID] = true
	}
	runs := map[string]bool{}
	for _, r := range sink.Runs() {
		runs[r.Repo+"/"+r.ID] = true
	}
	for k, cur := range sink.Cursors() {
		repo := srv.Repo(k.Repo)
		if repo == nil || cur.Since.IsZero() {
			continue
		}
		switch {
		case k.Stream == sources.Changes:
			for _, pr := range repo.PRs {
				if pr.UpdatedAt.Before(floor) || pr.UpdatedAt.After(cur.Since) {
					continue
				}
				c, ok := changes[(&domain.Change{Source: domain.GitHub, Repo: k.Repo, Number: pr.Number}).Key()]
				if !ok || !c.UpdatedAt.Equal(pr.UpdatedAt) {
					t.Errorf("%s changes cursor at %v but #%d (updated %v) not stored", k.Repo, cur.Since, pr.Number, pr.UpdatedAt)
				}
			}
		case k.Stream == sources.Deployments:
			for _, d := range repo.Deployments {
				if !d.CreatedAt.Before(floor) && !d.CreatedAt.After(cur.Since) && !deps[k.Repo+"/"+itoa(d.DatabaseID)] {
					t.Errorf("%s deployments cursor at %v but %d not stored", k.Repo, cur.Since, d.DatabaseID)
				}
			}
		case strings.HasPrefix(string(k.Stream), "runs:"):
			file := strings.TrimPrefix(string(k.Stream), "runs:")
			for _, r := range repo.Runs {
				if r.File == file && !r.CreatedAt.Before(floor) && !r.CreatedAt.After(cur.Since) && !runs[k.Repo+"/"+itoa(r.ID)] {
					t.Errorf("%s %s cursor at %v but run %d not stored", k.Repo, k.Stream, cur.Since, r.ID)
				}
			}
		}
	}
}

// Transient faults are retried (with backoff or as Retry-After says) and
// the sync ends as if nothing had happened.
func TestTransientFaultsAreRetried(t *testing.T) {
	want := cleanSync(t)
	cases := []struct {
		name     string
		fault    fakegh.Fault
		minSlept time.Duration
	}{
		{"502 twice", fakegh.Fault{Kind: "graphql:pullRequests", Repo: "acme/repo-01", Skip: 1, Times: 2, Status: 502, Body: `{"message":"Bad Gateway"}`}, 3 * time.Second},
		{"503 with Retry-After", fakegh.Fault{Kind: "rest:runs", Repo: "acme/repo-00", Times: 1, Status: 503, Header: map[string]string{"Retry-After": "17"}}, 17 * time.Second},
		{"truncated JSON (REST)", fakegh.Fault{Kind: "rest:runs", Repo: "acme/repo-02", Skip: 1, Times: 1, Truncate: true}, time.Second},
		{"truncated JSON (GraphQL)", fakegh.Fault{Kind: "graphql:deployments", Repo: "acme/repo-01", Times: 1, Truncate: true}, time.Second},
		{"timeout", fakegh.Fault{Kind: "graphql:pullRequests", Repo: "acme/repo-02", Skip: 1, Times: 1, Delay: 2 * time.Second}, time.Second},
		// A POST: net/http does not replay it on a dead connection by itself.
		{"connection dropped", fakegh.Fault{Kind: "graphql:pullRequests", Repo: "acme/repo-00", Skip: 1, Times: 1, Drop: true}, time.Second},
		{"secondary rate limit 403 Retry-After", fakegh.Fault{Kind: "rest:compare", Times: 1, Status: 403,
			Body:   `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`,
			Header: map[string]string{"Retry-After": "60"}}, time.Minute},
		{"GraphQL execution timeout", fakegh.Fault{Kind: "graphql:pullRequests", Repo: "acme/repo-01", Times: 1, Status: 200,
			Body: `{"data":null,"errors":[{"message":"Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug."}]}`}, time.Second},
		{"429 without headers", fakegh.Fault{Kind: "graphql:pullRequests", Repo: "acme/repo-00", Times: 1, Status: 429, Body: `{"message":"Too Many Requests"}`}, time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, clk, o := faultWorld(t)
			srv.AddFault(tc.fault)
			sink := sources.NewMemSink()
			var log progressLog
			sum, err := Sync(context.Background(), o, sink, log.Add)
			if err != nil || sum.Failed() {
				t.Fatalf("sync: %v %v", err, sum.Errors())
			}
			if hits := srv.FaultHits(); hits[0] == 0 {
				t.Fatal("the fault never fired")
			}
			if clk.Slept() < tc.minSlept {
				t.Errorf("waited %v, want at least %v", clk.Slept(), tc.minSlept)
			}
			retried := false
			for _, p := range log.All() {
				if strings.Contains(p.Message, "retrying") || !p.WaitUntil.IsZero() {
					retried = true
				}
			}
			if !retried {
				t.Error("no retry or pause was reported through progress")
			}
			sameStore(t, sink, want)
		})
	}
}

// Persistent faults fail one stream of one repo: the others are synced,
// the failure is reported, the cache stays consistent, no cursor moves
// past unstored data, and the next sync completes it.
func TestPersistentFaultsFailOneStream(t *testing.T) {
	want := cleanSync(t)
	cases := []struct {
		name   string
		fault  fakegh.Fault
		stream sources.Stream
	}{
		{"500 on changes page 2", fakegh.Fault{Kind: "graphql:pullRequests", Repo: "acme/repo-01", Skip: 1, Status: 500, Body: `{"message":"Server Error"}`}, sources.Changes},
		// train.yml's pass takes two requests; deploy.yml's first page is the third.
		{"truncated runs from the 3rd request", fakegh.Fault{Kind: "rest:runs", Repo: "acme/repo-01", Skip: 2, Truncate: true}, RunsStream("deploy.yml")},
		{"timeouts on deployments", fakegh.Fault{Kind: "graphql:deployments", Repo: "acme/repo-01", Delay: 2 * time.Second}, sources.Deployments},
		{"403 no permission on compare", fakegh.Fault{Kind: "rest:compare", Repo: "acme/repo-01", Status: 403, Body: `{"message":"Resource not accessible by personal access token"}`}, sources.Deployments},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, _, o := faultWorld(t)
			o.MaxRetries = 2
			srv.AddFault(tc.fault)
			sink := sources.NewMemSink()
			var log progressLog
			sum, err := Sync(context.Background(), o, sink, log.Add)
			if err != nil {
				t.Fatalf("Sync returned %v; a per-stream failure must not stop the sync", err)
			}
			var failed []StreamResult
			for _, r := range sum.Streams {
				if r.Err != nil {
					failed = append(failed, r)
				}
			}
			if len(failed) != 1 || failed[0].Repo != "acme/repo-01" || failed[0].Stream != tc.stream {
				t.Fatalf("failed streams %+v, want only acme/repo-01 %s", failed, tc.stream)
			}
			reported := false
			for _, p := range log.All() {
				if p.Done && p.Err != nil && p.Repo == "acme/repo-01" && p.Stream == tc.stream {
					reported = true
				}
			}
			if !reported {
				t.Error("the failure was not reported through progress")
			}
			if st, _ := sink.Status("github"); len(st.Errors) != 1 {
				t.Errorf("source status errors %v, want the one failure", st.Errors)
			}
			// Healthy repos are complete.
			for _, repo := range []string{"acme/repo-00", "acme/repo-02"} {
				if n, m := countRepo(sink, repo), countRepo(want, repo); n != m {
					t.Errorf("%s: %d items stored, clean sync %d", repo, n, m)
				}
			}
			cursorsCovered(t, srv, sink, o.Since)

			srv.ClearFaults()
			sum, err = Sync(context.Background(), o, sink, nil)
			if err != nil || sum.Failed() {
				t.Fatalf("second sync: %v %v", err, sum.Errors())
			}
			sameStore(t, sink, want)
		})
	}
}

func countRepo(s *sources.MemSink, repo string) int {
	n := 0
	for _, c := range s.Changes() {
		if c.Repo == repo {
			n++
		}
	}
	for _, d := range s.Deployments() {
		if d.Repo == repo {
			n++
		}
	}
	for _, r := range s.Runs() {
		if r.Repo == repo {
			n++
		}
	}
	return n
}

// A repo that does not exist (or that the token cannot see) is skipped
// with a clear message; the rest is synced; Sync itself succeeds.
func TestMissingRepoIsSkipped(t *testing.T) {
	srv, _, o := faultWorld(t)
	o.Repos = append(o.Repos, "acme/nope")
	sink := sources.NewMemSink()
	var log progressLog
	sum, err := Sync(context.Background(), o, sink, log.Add)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, r := range sum.Streams {
		if r.Err != nil && r.Repo != "acme/nope" {
			t.Errorf("%s %s failed: %v", r.Repo, r.Stream, r.Err)
		}
	}
	for _, p := range log.All() {
		if p.Repo == "acme/nope" && p.Done {
			msgs = append(msgs, p.Message)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "not found or no access") {
		t.Errorf("progress for the missing repo: %q", msgs)
	}
	if !sum.Failed() || len(sum.Errors()) != 1 || !strings.Contains(sum.Errors()[0], "acme/nope") {
		t.Errorf("summary errors %v", sum.Errors())
	}
	if got := srv.Counts()["graphql:deployments"]; got < 4 {
		t.Errorf("deployments queries %d", got)
	}
	cursorsCovered(t, srv, sink, o.Since)
}

// A rejected token stops the sync: nothing can be done, and the error
// says what to set and which scopes are needed.
func TestUnauthorizedStopsSync(t *testing.T) {
	_, _, o := faultWorld(t)
	o.Token = "ghp_wrong_token_0000"
	sink := sources.NewMemSink()
	sum, err := Sync(context.Background(), o, sink, nil)
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *AuthError", err)
	}
	for _, want := range []string{"GITHUB_TOKEN", "GH_TOKEN", "repo", "read:org", "401"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if sum.Items() != 0 || sink.CommitCount() != 0 {
		t.Errorf("stored %d items in %d commits", sum.Items(), sink.CommitCount())
	}
	if st, ok := sink.Status("github"); !ok || len(st.Errors) != 1 {
		t.Errorf("status %+v", st)
	}
	if strings.Contains(err.Error(), o.Token) {
		t.Error("the rejected token is in the error")
	}

	o.Token = ""
	if _, err := Sync(context.Background(), o, sink, nil); !errors.As(err, &ae) || !strings.Contains(err.Error(), "GITHUB_TOKEN") {
		t.Errorf("no token: %v", err)
	}
}

// A sync killed in the middle (here: the store refuses a commit, then the
// context is cancelled) keeps the cache consistent, and the next sync
// resumes and ends where a clean one does.
func TestKilledSyncResumes(t *testing.T) {
	want := cleanSync(t)
	for _, killAt := range []int{1, 5, 17, 24} {
		srv, _, o := faultWorld(t)
		o.Concurrency = 1
		sink := sources.NewMemSink()
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		sink.FailCommit = func(sources.Page) error {
			if n++; n == killAt {
				cancel()
				return errors.New("killed")
			}
			return nil
		}
		_, err := Sync(ctx, o, sink, nil)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("kill at %d: err %v", killAt, err)
		}
		cursorsCovered(t, srv, sink, o.Since)
		sink.FailCommit = nil
		sum, err := Sync(context.Background(), o, sink, nil)
		if err != nil || sum.Failed() {
			t.Fatalf("kill at %d: resume: %v %v", killAt, err, sum.Errors())
		}
		sameStore(t, sink, want)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
