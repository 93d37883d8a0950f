package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/pace-dev/pace/sources/github/fakegh"
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
	"github.com/pace-dev/pace/tui"
)

const fakeGitLabToken = "glpat-paceE2Etoken0123456789"

// One team owns a GitHub repo and a GitLab project: after one `pace sync`
// every snapshot format shows one team holding changes from both.
func TestOneTeamAcrossGitHubAndGitLab(t *testing.T) {
	end, _ := time.Parse(time.RFC3339, testNow)
	gh, err := fakegh.New(fakegh.Options{Token: fakeToken})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(gh.Close)
	for _, r := range fakegh.Generate(fakegh.GenSpec{Repos: 1, Changes: 40, Runs: 20, Deployments: 12,
		Workflows: []string{"train.yml"}, End: end.Add(-time.Hour), Seed: 3}) {
		gh.AddRepo(r)
	}
	gl := fakegl.New(fakegl.Options{Token: fakeGitLabToken})
	t.Cleanup(gl.Close)
	for _, p := range fakegl.Generate(fakegl.GenSpec{Group: "acme/ml", Projects: 1, MRs: 40, Deployments: 12,
		Pipelines: 20, End: end.Add(-time.Hour), Seed: 3}) {
		gl.AddProject(p)
	}
	dir := t.TempDir()
	cfg := fmt.Sprintf(`github:
  base_url: %s
  repos: [acme/repo-00]
gitlab:
  base_url: %s
  projects: [acme/ml/project-00]
teams:
  - name: Fraud ML
    repos: [acme/repo-00, acme/ml/project-00]
experiments:
  workflows: [train.yml]
  pipelines: {ref: '^exp/', name: '(?i)train'}
`, gh.URL(), gl.URL())
	path := filepath.Join(dir, "pace.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_TOKEN", fakeToken)
	t.Setenv("GITLAB_TOKEN", fakeGitLabToken)
	e := &syncEnv{config: path, cache: filepath.Join(dir, "pace.db")}

	code, out, errs := e.pace(t, "sync")
	if code != 0 {
		t.Fatalf("sync: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "github acme/repo-00") || !strings.Contains(out, "gitlab acme/ml/project-00") {
		t.Errorf("sync did not report both sources:\n%s", out)
	}

	// JSON: one team; its changes come from both sources (the CSV below says which).
	_, out, _ = e.pace(t, "snapshot", "--format", "json")
	var doc struct {
		Teams []struct {
			Name    string `json:"name"`
			Changes struct{ Merged, Opened int }
		} `json:"teams"`
		Sources []struct{ Name string } `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Teams) != 1 || doc.Teams[0].Name != "Fraud ML" || doc.Teams[0].Changes.Merged == 0 {
		t.Errorf("json teams: %+v", doc.Teams)
	}
	if len(doc.Sources) != 2 {
		t.Errorf("json sources: %+v, want github and gitlab", doc.Sources)
	}

	// CSV: rows of both sources, all in the one team.
	_, out, _ = e.pace(t, "snapshot", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("csv: %v (%d rows)", err, len(rows))
	}
	bySource := map[string]int{}
	for _, r := range rows[1:] {
		if r[6] != "Fraud ML" {
			t.Errorf("csv row %s/%s#%s in team %q", r[0], r[1], r[2], r[6])
		}
		bySource[r[0]]++
	}
	if bySource["github"] == 0 || bySource["gitlab"] == 0 {
		t.Errorf("csv rows by source: %v, want both", bySource)
	}

	// Text and markdown: one team section, both sources' sync times.
	for _, f := range []string{"text", "markdown"} {
		_, out, _ := e.pace(t, "snapshot", "--format", f)
		if strings.Count(out, "Fraud ML") < 1 || !strings.Contains(out, "github") || !strings.Contains(out, "gitlab") {
			t.Errorf("%s snapshot lacks the team or a source:\n%s", f, out)
		}
	}
	// The dashboard, from the same cache: one team row; its Cycle tab lists
	// changes of the GitHub repo and of the GitLab project.
	a := &app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: os.Getenv,
		clock: time.Now, configPath: e.config, cachePath: e.cache, nowFlag: testNow}
	ws, err := a.loadWorkspace(context.Background(), false, false)
	if err != nil {
		t.Fatal(err)
	}
	m := tui.New(tui.Options{Backend: &workspaceBackend{a: a, ws: ws}, Settings: ws.settings,
		Now: func() time.Time { return ws.now }, NoColor: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 48))
	waitScreen := func(want ...string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
			for _, w := range want {
				if !bytes.Contains(b, []byte(w)) {
					return false
				}
			}
			return true
		}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitScreen("Fraud ML", "All teams")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitScreen("[1 Cycle]")
	// A listed row is "project-00#<number>" (or !<number>); the filter line alone is not.
	row := func(re string) {
		t.Helper()
		rx := regexp.MustCompile(re)
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return rx.Match(b) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	tm.Type("/project-00")
	row(`project-00[#!]\d`)
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Type("/repo-00")
	row(`repo-00[#!]\d`)
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	for _, f := range []string{e.cache, e.cache + "-wal"} {
		if b, err := os.ReadFile(f); err == nil && (strings.Contains(string(b), fakeGitLabToken) || strings.Contains(string(b), fakeToken)) {
			t.Errorf("%s holds a token", f)
		}
	}
}
