package gitlab

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
)

var faultEnd = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

var faultProjects = []string{"acme/ml/project-00", "acme/ml/project-01", "acme/ml/project-02"}

// faultWorld is three generated projects on a fake, and the options to
// sync them. Each project's streams span several pages, so faults can hit
// a pass in its middle.
func faultWorld(t testing.TB) (*fakegl.Server, *fakeClock, Options) {
	t.Helper()
	clk := newClock(faultEnd)
	srv := newFake(t, clk, fakegl.Options{})
	for _, p := range fakegl.Generate(fakegl.GenSpec{Projects: 3, MRs: 250, Deployments: 60, Pipelines: 240, End: faultEnd, Seed: 7}) {
		srv.AddProject(p)
	}
	o := testOptions(srv, clk, faultProjects...)
	o.PipelineRef = regexp.MustCompile(`^exp/`)
	o.DeployPipelines = []string{"deploy"}
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

// Transient faults are retried (with backoff or as Retry-After says) and
// the sync ends as if nothing had happened. client-go's own retries are
// off: the count of requests the fault saw proves pace retried.
func TestTransientFaultsAreRetried(t *testing.T) {
	want := cleanSync(t)
	cases := []struct {
		name     string
		fault    fakegl.Fault
		minSlept time.Duration
	}{
		{"502 twice on page 2", fakegl.Fault{Kind: "mrs", Project: faultProjects[1], Skip: 1, Times: 2, Status: 502, Body: `{"message":"502 Bad Gateway"}`}, 3 * time.Second},
		{"503 with Retry-After", fakegl.Fault{Kind: "pipelines", Project: faultProjects[0], Times: 1, Status: 503, Header: map[string]string{"Retry-After": "17"}}, 17 * time.Second},
		{"truncated notes", fakegl.Fault{Kind: "mr:notes", Project: faultProjects[2], Skip: 3, Times: 1, Truncate: true}, time.Second},
		{"truncated deployments", fakegl.Fault{Kind: "deployments", Project: faultProjects[1], Times: 1, Truncate: true}, time.Second},
		{"timeout", fakegl.Fault{Kind: "mr:commits", Project: faultProjects[2], Skip: 5, Times: 1, Delay: 2 * time.Second}, time.Second},
		{"connection dropped", fakegl.Fault{Kind: "pipeline", Project: faultProjects[0], Skip: 2, Times: 1, Drop: true}, time.Second},
		{"429 Retry-After (plain text)", fakegl.Fault{Kind: "mrs", Times: 1, Status: 429, Body: "Retry later\n",
			Header: map[string]string{"Content-Type": "text/plain", "Retry-After": "60"}}, time.Minute},
		{"429 without headers", fakegl.Fault{Kind: "deployment:mrs", Times: 1, Status: 429, Body: "Retry later\n",
			Header: map[string]string{"Content-Type": "text/plain"}}, time.Minute},
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

// Persistent faults fail one stream of one project: the others are
// synced, the failure is reported, the cache stays consistent, no cursor
// moves past unstored data, and the next sync completes it.
func TestPersistentFaultsFailOneStream(t *testing.T) {
	want := cleanSync(t)
	_, _, o0 := faultWorld(t)
	runs := RunsStream(o0)
	cases := []struct {
		name   string
		fault  fakegl.Fault
		stream sources.Stream
		text   string
	}{
		{"500 on merge requests page 2", fakegl.Fault{Kind: "mrs", Project: faultProjects[1], Skip: 1, Status: 500, Body: `{"message":"500 Internal Server Error"}`}, sources.Changes, "500"},
		{"truncated pipelines from the 2nd request", fakegl.Fault{Kind: "pipeline", Project: faultProjects[1], Skip: 1, Truncate: true}, runs, "truncated"},
		{"timeouts on deployments", fakegl.Fault{Kind: "deployments", Project: faultProjects[1], Delay: 2 * time.Second}, sources.Deployments, "deadline"},
		{"403 on deployment merge requests", fakegl.Fault{Kind: "deployment:mrs", Project: faultProjects[1], Status: 403, Body: `{"message":"403 Forbidden"}`}, sources.Deployments, "403"},
		// client-go would decode a 304's empty body into a bare io.EOF.
		{"304 from a proxy on notes", fakegl.Fault{Kind: "mr:notes", Project: faultProjects[1], Skip: 30, Status: 304}, sources.Changes, "304"},
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
			if len(failed) != 1 || failed[0].Repo != faultProjects[1] || failed[0].Stream != tc.stream {
				t.Fatalf("failed streams %+v, want only %s %s", failed, faultProjects[1], tc.stream)
			}
			if msg := failed[0].Err.Error(); !strings.Contains(msg, tc.text) || strings.HasSuffix(msg, "EOF") {
				t.Errorf("error %q should say %q", msg, tc.text)
			}
			// pace retries a 5xx MaxRetries times; client-go, whose own
			// retries are off, would have added five per attempt.
			if tc.fault.Status >= 500 && srv.FaultHits()[0] != o.MaxRetries+1 {
				t.Errorf("the failing request was sent %d times, want %d", srv.FaultHits()[0], o.MaxRetries+1)
			}
			reported := false
			for _, p := range log.All() {
				if p.Done && p.Err != nil && p.Repo == faultProjects[1] && p.Stream == tc.stream {
					reported = true
				}
			}
			if !reported {
				t.Error("the failure was not reported through progress")
			}
			if st, _ := sink.Status("gitlab"); len(st.Errors) != 1 {
				t.Errorf("source status errors %v, want the one failure", st.Errors)
			}
			for _, p := range []string{faultProjects[0], faultProjects[2]} {
				if n, m := countRepo(sink, p), countRepo(want, p); n != m {
					t.Errorf("%s: %d items stored, clean sync %d", p, n, m)
				}
			}
			cursorsCovered(t, srv, sink, o)

			srv.ClearFaults()
			sum, err = Sync(context.Background(), o, sink, nil)
			if err != nil || sum.Failed() {
				t.Fatalf("second sync: %v %v", err, sum.Errors())
			}
			sameStore(t, sink, want)
		})
	}
}

// A project that does not exist (or that the token cannot see: GitLab
// answers 404 for both) is skipped with a clear message; the rest is
// synced; Sync itself succeeds.
func TestMissingProjectIsSkipped(t *testing.T) {
	srv, _, o := faultWorld(t)
	o.Projects = append(o.Projects, "acme/nope")
	sink := sources.NewMemSink()
	var log progressLog
	sum, err := Sync(context.Background(), o, sink, log.Add)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sum.Streams {
		if r.Err != nil && r.Repo != "acme/nope" {
			t.Errorf("%s %s failed: %v", r.Repo, r.Stream, r.Err)
		}
	}
	var msgs []string
	for _, p := range log.All() {
		if p.Repo == "acme/nope" && p.Done {
			msgs = append(msgs, p.Message)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], "not found or no access") {
		t.Errorf("progress for the missing project: %q", msgs)
	}
	if !sum.Failed() || len(sum.Errors()) != 1 || !strings.Contains(sum.Errors()[0], "acme/nope") {
		t.Errorf("summary errors %v", sum.Errors())
	}
	skipped := 0
	for _, r := range sum.Streams {
		if r.Repo == "acme/nope" && r.Skipped {
			skipped++
		}
	}
	if skipped != 2 {
		t.Errorf("%d streams of the missing project marked skipped, want 2", skipped)
	}
	if n := len(sink.Changes()); n != 750 {
		t.Errorf("%d changes stored, want 750", n)
	}
	cursorsCovered(t, srv, sink, o)
}

// A rejected token stops the sync: nothing can be done, and the error
// says what to set and which scope is needed.
func TestUnauthorizedStopsSync(t *testing.T) {
	_, _, o := faultWorld(t)
	o.Token = "glpat-wrong-token-0000"
	sink := sources.NewMemSink()
	sum, err := Sync(context.Background(), o, sink, nil)
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want *AuthError", err)
	}
	for _, want := range []string{"GITLAB_TOKEN", "read_api", "401"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if sum.Items() != 0 || sink.CommitCount() != 0 {
		t.Errorf("stored %d items in %d commits", sum.Items(), sink.CommitCount())
	}
	if st, ok := sink.Status("gitlab"); !ok || len(st.Errors) != 1 {
		t.Errorf("status %+v", st)
	}
	if strings.Contains(err.Error(), o.Token) {
		t.Error("the rejected token is in the error")
	}

	o.Token = ""
	if _, err := Sync(context.Background(), o, sink, nil); !errors.As(err, &ae) || !strings.Contains(err.Error(), "GITLAB_TOKEN") {
		t.Errorf("no token: %v", err)
	}
}

// A sync killed in the middle (here: the store refuses a commit, then the
// context is cancelled) keeps the cache consistent, and the next sync
// resumes and ends where a clean one does.
func TestKilledSyncResumes(t *testing.T) {
	want := cleanSync(t)
	for _, killAt := range []int{1, 4, 13, 29, 41} {
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
		if killAt > 1 && sink.CommitCount() != killAt-1 {
			t.Errorf("kill at %d: %d commits stored", killAt, sink.CommitCount())
		}
		cursorsCovered(t, srv, sink, o)
		sink.FailCommit = nil
		srv.ResetCounts()
		sum, err := Sync(context.Background(), o, sink, nil)
		if err != nil || sum.Failed() {
			t.Fatalf("kill at %d: resume: %v %v", killAt, err, sum.Errors())
		}
		sameStore(t, sink, want)
	}
}
