package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources/github/fakegh"
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
	"github.com/pace-dev/pace/store"
)

// TestMain lets a test re-run this binary as `pace` (PACE_AS_CLI=1), so a
// sync can be killed with SIGKILL in a real child process.
func TestMain(m *testing.M) {
	if os.Getenv("PACE_AS_CLI") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// cacheState is what a cache holds, in a form two caches can be compared by.
type cacheState struct {
	changes, deployments, runs []string
}

func readCache(t *testing.T, path string) cacheState {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatalf("integrity check of %s: %v", path, err)
	}
	ds, err := st.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var s cacheState
	for _, c := range ds.Changes {
		s.changes = append(s.changes, fmt.Sprintf("%s upd=%d merged=%d acts=%d deployed=%d",
			c.Key(), c.UpdatedAt.Unix(), c.MergedAt.Unix(), len(c.Activity), c.DeployedAt.Unix()))
	}
	for _, d := range ds.Deployments {
		s.deployments = append(s.deployments, fmt.Sprintf("%s/%s %s %d", d.Repo, d.ID, d.Result, d.FinishedAt.Unix()))
	}
	for _, r := range ds.Runs {
		s.runs = append(s.runs, fmt.Sprintf("%s/%s %s %d", r.Repo, r.ID, r.Result, r.FinishedAt.Unix()))
	}
	for _, l := range [][]string{s.changes, s.deployments, s.runs} {
		slices.Sort(l)
		if d := slices.Compact(slices.Clone(l)); len(d) != len(l) {
			t.Errorf("%s holds duplicates", path)
		}
	}
	return s
}

// sameCache fails unless got holds exactly what want holds.
func sameCache(t *testing.T, what string, got, want cacheState) {
	t.Helper()
	for _, c := range []struct {
		name      string
		got, want []string
	}{{"changes", got.changes, want.changes}, {"deployments", got.deployments, want.deployments}, {"runs", got.runs, want.runs}} {
		if !slices.Equal(c.got, c.want) {
			missing, extra := 0, 0
			for _, w := range c.want {
				if !slices.Contains(c.got, w) {
					missing++
				}
			}
			for _, g := range c.got {
				if !slices.Contains(c.want, g) {
					extra++
				}
			}
			t.Errorf("%s: %s differ from a clean sync: %d missing or different, %d extra (of %d)", what, c.name, missing, extra, len(c.want))
		}
	}
}

// paceApp runs the CLI in-process with sources that never really sleep.
func paceApp(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: os.Getenv, clock: time.Now,
		sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errb)
	code := exitOK
	if err := root.ExecuteContext(context.Background()); err != nil {
		code = exitUsage
		if ee, ok := err.(*exitError); ok {
			code = ee.code
		}
		fmt.Fprintln(&errb, err)
	}
	return code, out.String(), errb.String()
}

// reference syncs the env's fake into a fresh cache and returns what it holds.
func (e *syncEnv) reference(t *testing.T) cacheState {
	t.Helper()
	ref := e.cache + ".reference"
	code, _, errs := paceApp(t, "--config", e.config, "--cache", ref, "--now", testNow, "sync")
	if code != 0 {
		t.Fatalf("reference sync: exit %d: %s", code, errs)
	}
	return readCache(t, ref)
}

// After each fault the cache is intact, the healthy repo is synced, the failed
// stream is reported, and a sync without the fault ends exactly where a clean
// sync does: no cursor had moved past data that was not stored.
func TestSyncFaultsKeepTheCacheConsistent(t *testing.T) {
	faults := []struct {
		name  string
		fault fakegh.Fault
		exit  int
	}{
		{"5xx on every changes page of repo-01", fakegh.Fault{Kind: "graphql:pullRequests", Repo: "acme/repo-01", Status: 502, Body: `{"message":"Bad Gateway"}`}, 1},
		{"truncated JSON, then healthy", fakegh.Fault{Kind: "graphql:pullRequests", Repo: "acme/repo-01", Truncate: true, Times: 2}, 0},
		{"connection dropped on repo-01 runs", fakegh.Fault{Kind: "rest:runs", Repo: "acme/repo-01", Drop: true}, 1},
		{"5xx on the second changes page", fakegh.Fault{Kind: "graphql:pullRequests", Repo: "acme/repo-01", Skip: 1, Status: 500}, 1},
		{"404 on repo-01 deployments", fakegh.Fault{Kind: "graphql:deployments", Repo: "acme/repo-01", Status: 200, Body: `{"data":{"repository":null},"errors":[{"type":"NOT_FOUND","message":"Could not resolve to a Repository"}]}`}, 1},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			e := newSyncEnv(t)
			want := e.reference(t)
			e.srv.AddFault(f.fault)
			code, _, errs := paceApp(t, "--config", e.config, "--cache", e.cache, "--now", testNow, "sync")
			if code != f.exit {
				t.Fatalf("sync with the fault: exit %d, want %d\n%s", code, f.exit, errs)
			}
			if f.exit == 1 && !strings.Contains(errs, "acme/repo-01") {
				t.Errorf("the failed repo is not named: %s", errs)
			}
			got := readCache(t, e.cache) // runs the integrity check
			healthy := func(l []string) int {
				n := 0
				for _, s := range l {
					if strings.Contains(s, "acme/repo-00") {
						n++
					}
				}
				return n
			}
			if healthy(got.changes) != healthy(want.changes) || healthy(got.runs) != healthy(want.runs) {
				t.Errorf("healthy repo-00 not fully synced: %d/%d changes, %d/%d runs",
					healthy(got.changes), healthy(want.changes), healthy(got.runs), healthy(want.runs))
			}
			e.srv.ClearFaults()
			if code, _, errs := paceApp(t, "--config", e.config, "--cache", e.cache, "--now", testNow, "sync"); code != 0 {
				t.Fatalf("sync after the fault: exit %d: %s", code, errs)
			}
			sameCache(t, "after the fault and a resync", readCache(t, e.cache), want)
		})
	}
}

// faker is what the kill and fault tests need of a fake server.
type faker struct {
	name string
	env  func(t *testing.T) *syncEnv
	slow func(e *syncEnv) // slow every answer so a kill lands mid-sync
	// midway reports that the changes stream has committed a page and is
	// fetching more: the moment to kill.
	midway func(e *syncEnv) bool
	total  func(e *syncEnv) int
	clear  func(e *syncEnv)
}

var fakers = []faker{
	{"github", func(t *testing.T) *syncEnv { return newSyncEnv(t) },
		func(e *syncEnv) { e.srv.AddFault(fakegh.Fault{Delay: 15 * time.Millisecond}) },
		// A repo asks for its second page of pull requests only after committing
		// the first; two repos sync at once, so the third request is a second page.
		func(e *syncEnv) bool { return e.srv.Counts()["graphql:pullRequests"] >= 3 },
		func(e *syncEnv) int { return e.srv.Total() },
		func(e *syncEnv) { e.srv.ClearFaults() }},
	{"gitlab", newGitLabSyncEnv,
		func(e *syncEnv) { e.gl.AddFault(fakegl.Fault{Delay: 15 * time.Millisecond}) },
		// Merge requests are committed 25 at a time, each after its notes; of 60
		// notes requests over two projects, one project has passed 25.
		func(e *syncEnv) bool { return e.gl.Counts()["mr:notes"] >= 60 },
		func(e *syncEnv) int { return e.gl.Total() },
		func(e *syncEnv) { e.gl.ClearFaults() }},
}

// A sync killed with SIGKILL part-way leaves an intact cache, and the next
// sync ends exactly where an uninterrupted one does: nothing lost, nothing
// duplicated. For each source.
func TestSyncKilledMidwayResumes(t *testing.T) {
	for _, f := range fakers {
		t.Run(f.name, func(t *testing.T) {
			e := f.env(t)
			want := e.reference(t)
			f.slow(e)
			e.srvReset()
			start := f.total(e)
			cmd := exec.Command(os.Args[0], "--config", e.config, "--cache", e.cache, "--now", testNow, "sync")
			cmd.Env = append(os.Environ(), "PACE_AS_CLI=1")
			cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(20 * time.Second)
			for !f.midway(e) && time.Now().Before(deadline) {
				time.Sleep(2 * time.Millisecond)
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
				t.Fatalf("the child was not killed mid-sync (%v): the sync finished before the kill", err)
			}
			partial := readCache(t, e.cache) // the integrity check of the killed sync's cache
			t.Logf("killed after %d requests holding %d of %d changes", f.total(e)-start, len(partial.changes), len(want.changes))
			if len(partial.changes) == 0 || len(partial.changes) >= len(want.changes) {
				t.Errorf("the kill did not land in the middle of the changes stream (%d of %d stored)", len(partial.changes), len(want.changes))
			}
			f.clear(e)
			if code, _, errs := paceApp(t, "--config", e.config, "--cache", e.cache, "--now", testNow, "sync"); code != 0 {
				t.Fatalf("resumed sync: exit %d: %s", code, errs)
			}
			sameCache(t, "after a SIGKILL and a resumed sync", readCache(t, e.cache), want)
		})
	}
}

// The fault test of GitLab: a failing project is reported, the healthy one
// synced, the cache intact, and a resync ends where a clean sync does.
func TestGitLabSyncFaultsKeepTheCacheConsistent(t *testing.T) {
	faults := []struct {
		name  string
		fault fakegl.Fault
		exit  int
	}{
		{"5xx on every merge request page", fakegl.Fault{Kind: "mrs", Project: "acme/ml/project-01", Status: 502, Body: `{"message":"502 Bad Gateway"}`}, 1},
		{"truncated JSON, then healthy", fakegl.Fault{Kind: "mr:notes", Project: "acme/ml/project-01", Truncate: true, Times: 2}, 0},
		{"connection dropped on pipelines", fakegl.Fault{Kind: "pipelines", Project: "acme/ml/project-01", Drop: true}, 1},
		{"5xx on the second merge request page", fakegl.Fault{Kind: "mrs", Project: "acme/ml/project-01", Skip: 1, Status: 500}, 1},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			e := newGitLabSyncEnv(t)
			want := e.reference(t)
			e.gl.AddFault(f.fault)
			code, _, errs := paceApp(t, "--config", e.config, "--cache", e.cache, "--now", testNow, "sync")
			if code != f.exit {
				t.Fatalf("sync with the fault: exit %d, want %d\n%s", code, f.exit, errs)
			}
			if f.exit == 1 && !strings.Contains(errs, "acme/ml/project-01") {
				t.Errorf("the failed project is not named: %s", errs)
			}
			got := readCache(t, e.cache)
			n := func(l []string) int {
				k := 0
				for _, s := range l {
					if strings.Contains(s, "acme/ml/project-00") {
						k++
					}
				}
				return k
			}
			if n(got.changes) != n(want.changes) || n(got.runs) != n(want.runs) {
				t.Errorf("healthy project-00 not fully synced: %d/%d changes, %d/%d runs", n(got.changes), n(want.changes), n(got.runs), n(want.runs))
			}
			e.gl.ClearFaults()
			if code, _, errs := paceApp(t, "--config", e.config, "--cache", e.cache, "--now", testNow, "sync"); code != 0 {
				t.Fatalf("sync after the fault: exit %d: %s", code, errs)
			}
			sameCache(t, "after the fault and a resync", readCache(t, e.cache), want)
		})
	}
}

// newGitLabSyncEnv is a fake GitLab with two generated projects, and a config
// and cache pointing at it.
func newGitLabSyncEnv(t *testing.T) *syncEnv {
	t.Helper()
	end, _ := time.Parse(time.RFC3339, testNow)
	gl := fakegl.New(fakegl.Options{Token: fakeGitLabToken})
	t.Cleanup(gl.Close)
	for _, p := range fakegl.Generate(fakegl.GenSpec{Group: "acme/ml", Projects: 2, MRs: 150, Deployments: 20,
		Pipelines: 40, End: end.Add(-time.Hour), Seed: 9}) {
		gl.AddProject(p)
	}
	dir := t.TempDir()
	cfg := fmt.Sprintf(`gitlab:
  base_url: %s
  projects: [acme/ml/project-00, acme/ml/project-01]
teams:
  - name: ML
    repos: [acme/ml/project-00, acme/ml/project-01]
experiments:
  pipelines: {ref: '^exp/', name: '(?i)train'}
deployments:
  workflows: [deploy]
`, gl.URL())
	path := filepath.Join(dir, "pace.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITLAB_TOKEN", fakeGitLabToken)
	return &syncEnv{gl: gl, config: path, cache: filepath.Join(dir, "cache", "pace.db")}
}

// srvReset zeroes the fake's request counts (after the reference sync).
func (e *syncEnv) srvReset() {
	if e.srv != nil {
		e.srv.ResetCounts()
	}
	if e.gl != nil {
		e.gl.ResetCounts()
	}
}
