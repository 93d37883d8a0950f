package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// checkOnline runs `config check --online` against the env's fakes.
func (e *syncEnv) checkOnline(t *testing.T) (int, string, string) {
	t.Helper()
	return pace(t, "--config", e.config, "config", "check", "--online")
}

// noToken fails the test when a token is anywhere in the output.
func noToken(t *testing.T, text string, tokens ...string) {
	t.Helper()
	for _, tok := range tokens {
		if strings.Contains(text, tok) {
			t.Errorf("output holds the token %q", tok[:8]+"…")
		}
	}
}

func TestConfigCheckOnlineGitHubOK(t *testing.T) {
	e := newSyncEnv(t)
	code, out, errs := e.checkOnline(t)
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	t.Logf("pace config check --online:\n%s", out)
	for _, re := range []string{
		`pace\.yaml: ok \(`,
		`token:  from GITHUB_TOKEN, belongs to pace-bot\n`,
		`scopes: not reported \(a fine-grained`,
		`rate:   \d+ of 5000 requests left\n`,
		`\n  acme/repo-00  ok\n  acme/repo-01  ok\n`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("stdout lacks %s", re)
		}
	}
	noToken(t, out+errs, fakeToken)
	// Who the token is, then one request per repo: nothing else.
	if got := e.srv.Total(); got != 3 {
		t.Errorf("%d requests, want 3", got)
	}
}

func TestConfigCheckOfflineSendsNothing(t *testing.T) {
	e := newSyncEnv(t)
	code, out, errs := pace(t, "--config", e.config, "config", "check")
	if code != 0 || strings.Contains(out, "token") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if n := e.srv.Total(); n != 0 {
		t.Errorf("check without --online sent %d requests", n)
	}
}

func TestConfigCheckOnlineMissingRepoExit1(t *testing.T) {
	e := newSyncEnv(t, "acme/gone")
	code, out, errs := e.checkOnline(t)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout %s\nstderr %s", code, out, errs)
	}
	if !regexp.MustCompile(`\n  acme/gone     not found or no access \(404 Not Found\)\n`).MatchString(out) {
		t.Errorf("stdout lacks the missing repo's line:\n%s", out)
	}
	if !strings.Contains(out, "acme/repo-00  ok") || !strings.Contains(errs, "1 of 3 repos") {
		t.Errorf("stdout %q\nstderr %q", out, errs)
	}
	noToken(t, out+errs, fakeToken)
}

func TestConfigCheckOnlineRejectedTokenExit2(t *testing.T) {
	e := newSyncEnv(t)
	wrong := "ghp_wrongTOKENwrong0123456789abcdefabcd"
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", wrong)
	code, out, errs := e.checkOnline(t)
	if code != 2 {
		t.Fatalf("exit %d, want 2\nstdout %s\nstderr %s", code, out, errs)
	}
	for _, want := range []string{"token from GH_TOKEN", "401", "read:org"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q: %s", want, errs)
		}
	}
	noToken(t, out+errs, wrong)
	if n := e.srv.Total(); n != 1 {
		t.Errorf("%d requests after a 401, want 1", n)
	}
}

func TestConfigCheckOnlineNoTokenExit2(t *testing.T) {
	e := newSyncEnv(t)
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("PATH", t.TempDir()) // no gh CLI to fall back to
	code, out, errs := e.checkOnline(t)
	if code != 2 || !strings.Contains(errs, "GITHUB_TOKEN") || !strings.Contains(errs, "read:org") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	if n := e.srv.Total(); n != 0 {
		t.Errorf("%d requests without a token", n)
	}
}

// A config error stops before anything is fetched.
func TestConfigCheckOnlineConfigErrorFetchesNothing(t *testing.T) {
	e := newSyncEnv(t)
	b, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.config, append(b, "colour: blue\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := e.checkOnline(t)
	if code != 2 || !strings.Contains(errs, "colour") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if n := e.srv.Total(); n != 0 {
		t.Errorf("%d requests after a config error", n)
	}
}

// github_team is checked like a repo: it needs read:org.
func TestConfigCheckOnlineGitHubTeam(t *testing.T) {
	e := newSyncEnv(t)
	e.srv.AddTeam("acme/core", "alice", "bob", "carol")
	b, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(b), "  - name: Models\n", "  - name: Models\n    github_team: acme/models\n", 1)
	cfg = strings.Replace(cfg, "  - name: Core\n", "  - name: Core\n    github_team: acme/core\n", 1)
	if strings.Count(cfg, "github_team") != 2 {
		t.Fatal("config template changed; update this test")
	}
	if err := os.WriteFile(e.config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := e.checkOnline(t)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (acme/models is no team)\nstdout %s\nstderr %s", code, out, errs)
	}
	if !strings.Contains(out, "team:acme/core    ok (3 members (github_team of Core))") ||
		!strings.Contains(out, "team:acme/models  github team acme/models: not found or no access") {
		t.Errorf("team lines:\n%s", out)
	}
}

func TestConfigCheckOnlineGitLab(t *testing.T) {
	e := newGitLabSyncEnv(t)
	code, out, errs := e.checkOnline(t)
	if code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	for _, re := range []string{
		`gitlab \(http://127\.0\.0\.1:\d+\)\n`,
		`token:  from GITLAB_TOKEN, belongs to pace-bot\n`,
		`scopes: not reported \(GitLab does not send them; pace needs read_api\)`,
		`rate:   \d+ of 2000 requests left\n`,
		`\n  acme/ml/project-00  ok\n  acme/ml/project-01  ok\n`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("stdout lacks %s:\n%s", re, out)
		}
	}
	noToken(t, out+errs, fakeGitLabToken)
}

func TestConfigCheckOnlineGitLabMissingProjectExit1(t *testing.T) {
	e := newGitLabSyncEnv(t)
	b, err := os.ReadFile(e.config)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(b), "projects: [acme/ml/project-00,", "projects: [acme/ml/gone, acme/ml/project-00,", 1)
	if err := os.WriteFile(e.config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := e.checkOnline(t)
	if code != 1 || !strings.Contains(out, "acme/ml/gone        not found or no access (404 Project Not Found)") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
}

func TestConfigCheckOnlineGitLabRejectedExit2(t *testing.T) {
	e := newGitLabSyncEnv(t)
	wrong := "glpat-WRONGwrongWRONG0123456789"
	t.Setenv("GITLAB_TOKEN", wrong)
	code, out, errs := e.checkOnline(t)
	if code != 2 || !strings.Contains(errs, "token from GITLAB_TOKEN") || !strings.Contains(errs, "401") || !strings.Contains(errs, "read_api") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	noToken(t, out+errs, wrong)

	t.Setenv("GITLAB_TOKEN", "")
	code, _, errs = e.checkOnline(t)
	if code != 2 || !strings.Contains(errs, "set GITLAB_TOKEN") {
		t.Errorf("no token: exit %d, stderr %s", code, errs)
	}
}

func TestConfigCheckHelpMentionsOnline(t *testing.T) {
	code, out, _ := pace(t, "config", "check", "--help")
	if code != 0 || !strings.Contains(out, "--online") || !strings.Contains(out, "pace config check --online") {
		t.Errorf("exit %d, help:\n%s", code, out)
	}
}
