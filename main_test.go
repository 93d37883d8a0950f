package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

const testNow = "2026-11-26T09:00:00Z"

// pace runs the CLI in-process and returns its exit code, stdout and stderr.
func pace(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestSnapshotDemoFormats(t *testing.T) {
	for _, format := range []string{"text", "markdown", "json", "csv"} {
		t.Run(format, func(t *testing.T) {
			code, out, errs := pace(t, "snapshot", "--demo", "--now", testNow, "--format", format)
			if code != 0 {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			if strings.Contains(out, "\x1b[") {
				t.Errorf("ANSI escape in %s output to a non-terminal", format)
			}
			if len(out) < 200 {
				t.Errorf("suspiciously short %s output: %q", format, out)
			}
		})
	}
}

func TestSnapshotJSONSchema(t *testing.T) {
	code, out, errs := pace(t, "snapshot", "--demo", "--now", testNow, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Schema      string `json:"schema"`
		GeneratedAt string `json:"generated_at"`
		Teams       []struct {
			Name string `json:"name"`
		} `json:"teams"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.Schema != "pace.snapshot/v1" || doc.GeneratedAt != testNow || len(doc.Teams) < 2 {
		t.Errorf("schema %q generated_at %q teams %d", doc.Schema, doc.GeneratedAt, len(doc.Teams))
	}
}

func TestSnapshotIsDeterministic(t *testing.T) {
	_, a, _ := pace(t, "snapshot", "--demo", "--now", testNow, "--format", "json")
	_, b, _ := pace(t, "snapshot", "--demo", "--now", testNow, "--format", "json")
	if a != b {
		t.Error("two snapshots of the demo at the same --now differ")
	}
}

func TestSnapshotTeamFilterAndUnknownTeam(t *testing.T) {
	code, out, _ := pace(t, "snapshot", "--demo", "--now", testNow, "--format", "json", "--team", "Platform")
	if code != 0 || strings.Count(out, `"name": "`) == 0 {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Teams []struct{ Name string } `json:"teams"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Teams) != 1 || doc.Teams[0].Name != "Platform" {
		t.Errorf("--team Platform gave %+v (%v)", doc.Teams, err)
	}
	code, _, errs := pace(t, "snapshot", "--demo", "--now", testNow, "--team", "Nope")
	if code != 2 || !strings.Contains(errs, "Platform") {
		t.Errorf("unknown team: exit %d, stderr %q (want 2 and the known names)", code, errs)
	}
}

func TestSnapshotCheckExitCode(t *testing.T) {
	// The demo organisation has a team that breaches a guardrail and one that holds all.
	code, _, _ := pace(t, "snapshot", "--demo", "--now", testNow, "--check")
	if code != 1 {
		t.Errorf("--check on the demo: exit %d, want 1 (a demo team breaches)", code)
	}
	var passing string
	_, out, _ := pace(t, "snapshot", "--demo", "--now", testNow, "--format", "json")
	var doc struct {
		Teams []struct {
			Name       string `json:"name"`
			Guardrails []struct {
				OK bool `json:"ok"`
			} `json:"guardrails"`
		} `json:"teams"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	for _, tm := range doc.Teams {
		ok := true
		for _, g := range tm.Guardrails {
			ok = ok && g.OK
		}
		if ok {
			passing = tm.Name
			break
		}
	}
	if passing == "" {
		t.Fatal("no demo team holds all its guardrails")
	}
	if code, _, errs := pace(t, "snapshot", "--demo", "--now", testNow, "--check", "--team", passing); code != 0 {
		t.Errorf("--check --team %q: exit %d (%s), want 0", passing, code, errs)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	cases := [][]string{
		{"snapshot", "--demo", "--format", "xml"},
		{"snapshot", "--demo", "--window", "soon"},
		{"snapshot", "--bogus"},
		{"snapshot", "--demo", "--now", "yesterday"},
		{"frobnicate"},
	}
	for _, args := range cases {
		code, _, errs := pace(t, args...)
		if code != 2 || errs == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errs)
		}
	}
}

func TestNoConfigSaysWhatToDo(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.yaml")
	code, _, errs := pace(t, "snapshot", "--config", missing)
	if code != 2 || !strings.Contains(errs, "pace config init") || !strings.Contains(errs, "--demo") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestConfigInitThenCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pace", "config.yaml")
	if code, _, errs := pace(t, "config", "init", "--config", path); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errs)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("config file: %v, mode %v", err, fi.Mode())
	}
	if code, _, _ := pace(t, "config", "init", "--config", path); code != 2 {
		t.Errorf("second init overwrote without --force: exit %d", code)
	}
	code, out, errs := pace(t, "config", "check", "--config", path)
	if code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("check of the example: exit %d, out %q, err %q", code, out, errs)
	}
}

func TestConfigCheckListsEveryProblem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	bad := "window: 14d\nexperiments:\n  key: commit\nteams:\n  - name: A\n    allocation: {research: 80, engineering: 30}\n    colour: blue\n"
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := pace(t, "config", "check", "--config", path)
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, want := range []string{"bad.yaml:3", "bad.yaml:6", "bad.yaml:7"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

func TestDashboardNeedsATerminal(t *testing.T) {
	code, _, errs := pace(t, "--demo", "--now", testNow)
	if code != 2 || !strings.Contains(errs, "pace snapshot") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := pace(t, "version")
	if code != 0 || !strings.HasPrefix(out, "pace ") {
		t.Errorf("exit %d, out %q", code, out)
	}
}

func TestHelpListsOnlyWorkingCommands(t *testing.T) {
	code, out, _ := pace(t, "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"snapshot", "config", "version"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	if strings.Contains(out, "completion") {
		t.Error("help lists the completion command")
	}
}

// SPEC §2: `--help` with examples on every command.
func TestEveryCommandHasExamples(t *testing.T) {
	a := &app{getenv: os.Getenv}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		if c.Example == "" {
			t.Errorf("%q has no examples in its --help", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(a.rootCmd())
}
