package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources/github/fakegh"
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
)

const fakeToken = "ghp_pacee2eTOKENnotReal0123456789abcdef"

// syncEnv is a fake GitHub with two generated repos and a config and cache
// pointing at it.
type syncEnv struct {
	srv    *fakegh.Server
	gl     *fakegl.Server // when the env is GitLab's
	config string
	cache  string
}

func newSyncEnv(t *testing.T, extraRepos ...string) *syncEnv {
	t.Helper()
	end, _ := time.Parse(time.RFC3339, testNow)
	srv, err := fakegh.New(fakegh.Options{Token: fakeToken})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	for _, r := range fakegh.Generate(fakegh.GenSpec{Repos: 2, Changes: 150, Runs: 40, Deployments: 20,
		Workflows: []string{"train.yml", "deploy.yml"}, End: end.Add(-time.Hour), Seed: 7}) {
		srv.AddRepo(r)
	}
	dir := t.TempDir()
	repos := append([]string{"acme/repo-00", "acme/repo-01"}, extraRepos...)
	cfg := fmt.Sprintf(`window: 14d
github:
  base_url: %s
  repos: [%s]
teams:
  - name: Core
    repos: [acme/repo-00]
  - name: Models
    repos: [acme/repo-01]
experiments:
  workflows: [train.yml]
deployments:
  workflows: [deploy.yml]
`, srv.URL(), strings.Join(repos, ", "))
	path := filepath.Join(dir, "pace.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_TOKEN", fakeToken)
	t.Setenv("GH_TOKEN", "")
	return &syncEnv{srv: srv, config: path, cache: filepath.Join(dir, "cache", "pace.db")}
}

func (e *syncEnv) pace(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return pace(t, append([]string{"--config", e.config, "--cache", e.cache, "--now", testNow}, args...)...)
}

func TestSyncThenSnapshotFromCache(t *testing.T) {
	e := newSyncEnv(t)
	code, out, errs := e.pace(t, "sync")
	if code != 0 {
		t.Fatalf("sync: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	t.Logf("pace sync on a pipe:\n%s", out)
	if !strings.Contains(out, "synced ") || strings.Contains(out, "\x1b[") {
		t.Errorf("sync output on a pipe: %q", out)
	}
	fi, err := os.Stat(e.cache)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("cache: %v mode %v", err, fi.Mode())
	}

	code, out, errs = e.pace(t, "snapshot", "--format", "json")
	if code != 0 {
		t.Fatalf("snapshot: exit %d: %s", code, errs)
	}
	var doc struct {
		Teams []struct {
			Name    string `json:"name"`
			Changes struct {
				Merged int `json:"merged"`
			} `json:"changes"`
		} `json:"teams"`
		Sources []struct {
			Name     string `json:"name"`
			LastSync string `json:"last_sync"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Teams) != 2 || doc.Teams[0].Changes.Merged == 0 || doc.Teams[1].Changes.Merged == 0 {
		t.Errorf("teams from the synced cache: %+v", doc.Teams)
	}
	if len(doc.Sources) == 0 || doc.Sources[0].Name != "github" || doc.Sources[0].LastSync == "" {
		t.Errorf("sources: %+v", doc.Sources)
	}

	// An unchanged second sync costs at most one request per (repo, stream):
	// deployments, changes and one runs stream per workflow.
	e.srv.ResetCounts()
	if code, _, errs := e.pace(t, "sync"); code != 0 {
		t.Fatalf("second sync: exit %d: %s", code, errs)
	}
	if got, limit := e.srv.Total(), 2*4; got > limit {
		t.Errorf("unchanged second sync sent %d requests, want <= %d: %s", got, limit, fakegh.FormatCounts(e.srv.Counts()))
	}

	// The token never reaches the cache.
	for _, f := range []string{e.cache, e.cache + "-wal"} {
		b, err := os.ReadFile(f)
		if err == nil && bytes.Contains(b, []byte(fakeToken)) {
			t.Errorf("%s holds the token", f)
		}
	}
}

func TestSyncMissingRepoIsReportedOthersSync(t *testing.T) {
	e := newSyncEnv(t, "acme/gone")
	code, _, errs := e.pace(t, "sync")
	if code != 1 || !strings.Contains(errs, "acme/gone") {
		t.Fatalf("exit %d (want 1), stderr %q", code, errs)
	}
	if strings.Contains(errs, fakeToken) {
		t.Error("stderr holds the token")
	}
	code, out, _ := e.pace(t, "snapshot", "--format", "csv")
	if code != 0 || !strings.Contains(out, "acme/repo-00") || !strings.Contains(out, "acme/repo-01") {
		t.Errorf("healthy repos not in the cache: exit %d", code)
	}
}

func TestSyncWithoutTokenSaysWhatToSet(t *testing.T) {
	e := newSyncEnv(t)
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("PATH", t.TempDir()) // no gh CLI to fall back to
	code, _, errs := e.pace(t, "sync")
	if code != 2 || !strings.Contains(errs, "GITHUB_TOKEN") || !strings.Contains(errs, "read:org") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestSyncRejectedTokenExit2NoLeak(t *testing.T) {
	e := newSyncEnv(t)
	t.Setenv("GITHUB_TOKEN", "ghp_wrongTOKENwrong0123456789abcdefabcd")
	code, out, errs := e.pace(t, "sync")
	if code != 2 || !strings.Contains(errs, "401") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if strings.Contains(out+errs, "ghp_wrongTOKEN") {
		t.Error("output holds the rejected token")
	}
}

func TestSnapshotWithoutCacheSaysSync(t *testing.T) {
	e := newSyncEnv(t)
	code, _, errs := e.pace(t, "snapshot")
	if code != 2 || !strings.Contains(errs, "pace sync") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestSyncNothingConfigured(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.yaml")
	if err := os.WriteFile(path, []byte("teams:\n  - name: A\n    members: [ann]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := pace(t, "--config", path, "sync")
	if code != 2 || !strings.Contains(errs, "nothing to sync") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// A team given only by its github_team gets its members from the API at
// sync time; snapshots read them from the cache, offline.
func TestGitHubTeamMembersFromTheCache(t *testing.T) {
	e := newSyncEnv(t)
	e.srv.AddTeam("acme/core", "alice", "bob", "carol")
	cfg, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	withTeam := strings.Replace(string(cfg), "  - name: Core\n    repos: [acme/repo-00]\n", "  - name: Core\n    github_team: acme/core\n", 1)
	if withTeam == string(cfg) {
		t.Fatal("config template changed; update this test")
	}
	if err := os.WriteFile(e.config, []byte(withTeam), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := e.pace(t, "sync"); code != 0 || !strings.Contains(out, "team:acme/core members") {
		t.Fatalf("sync: exit %d\n%s\n%s", code, out, errs)
	}
	_, out, _ := e.pace(t, "snapshot", "--format", "csv")
	authors := map[string]bool{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, ",")
		if len(f) > 6 && f[6] == "Core" {
			authors[f[5]] = true
		}
	}
	if len(authors) == 0 {
		t.Fatal("no change belongs to Core: its github_team members were not used")
	}
	for a := range authors {
		if a != "alice" && a != "bob" && a != "carol" {
			t.Errorf("Core holds a change by %q, who is not in acme/core", a)
		}
	}

	e.srv.AddTeam("acme/core", "dave")
	if code, _, errs := e.pace(t, "sync"); code != 0 {
		t.Fatalf("second sync: %s", errs)
	}
	_, out, _ = e.pace(t, "snapshot", "--format", "csv")
	if !strings.Contains(out, ",dave,Core,") {
		t.Error("a member added to the GitHub team is not in Core after the next sync")
	}
}
