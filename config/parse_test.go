package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// problems parses src and returns every problem as the user sees it.
func problems(t *testing.T, src string) []string {
	t.Helper()
	c, err := Parse("pace.yaml", []byte(src))
	if err == nil {
		return nil
	}
	if c != nil {
		t.Errorf("Parse returned a config along with errors")
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Parse error is %T, want Errors: %v", err, err)
	}
	out := make([]string, len(errs))
	for i, p := range errs {
		out[i] = p.String()
		if p.Msg == "" || p.Line < 0 || p.File != "pace.yaml" {
			t.Errorf("malformed problem %+v", p)
		}
	}
	if got := err.Error(); got != strings.Join(out, "\n") {
		t.Errorf("Error() = %q, want the problems one per line", got)
	}
	return out
}

func TestProblems(t *testing.T) {
	const top = "window, refresh, github, gitlab, teams, deployments, experiments, classify, bots, guardrails"
	const windowAllowed = "allowed: 1d to 365d in whole days, e.g. 14d"
	const ghURL = "allowed: https://api.github.com or https://HOST/api/v3 (http only for loopback hosts: 127.0.0.0/8, ::1, localhost)"
	const alloc = "allowed: research and engineering in percent, adding up to 100, e.g. {research: 30, engineering: 70}"
	cases := []struct {
		name string
		src  string
		want []string
	}{
		{"unknown top-level key", "window: 14d\nwindw: 7d\n", []string{
			`pace.yaml:2: windw: unknown key (did you mean "window"?); allowed: ` + top,
		}},
		{"unknown nested key", "github:\n  reops: [acme/x]\n", []string{
			`pace.yaml:2: github.reops: unknown key (did you mean "repos"?); allowed: base_url, repos, orgs, token`,
		}},
		{"unknown key in a team", "teams:\n  - name: A\n    members: [a]\n    lead: a\n", []string{
			`pace.yaml:4: teams[0].lead: unknown key; allowed: name, members, github_team, repos, allocation, guardrails`,
		}},
		{"list where a mapping belongs", "github:\n  - acme/x\n", []string{
			`pace.yaml:2: github: must be a mapping (key: value), got a list`,
		}},
		{"mapping where a list belongs", "teams:\n  name: A\n", []string{
			`pace.yaml:2: teams: must be a list, e.g. [a, b], got a mapping (key: value)`,
		}},
		{"scalar where a list belongs", "bots: renovate\n", []string{
			`pace.yaml:1: bots: must be a list, e.g. [a, b], got a single value`,
		}},
		{"list where a value belongs", "window: [14d]\n", []string{
			`pace.yaml:1: window: must be a single value, got a list`,
		}},
		{"number expected", "teams:\n  - name: A\n    members: [a]\n    allocation: {research: thirty, engineering: 70}\n", []string{
			// The sum is not checked on top: the type error says it all.
			`pace.yaml:4: teams[0].allocation.research: must be a number, got "thirty"`,
		}},
		{"quoted number", "teams:\n  - name: A\n    members: [a]\n    allocation: {research: '30', engineering: 70}\n", []string{
			`pace.yaml:4: teams[0].allocation.research: must be a number, got the string "30"; drop the quotes`,
		}},
		{"not finite", "teams:\n  - name: A\n    members: [a]\n    allocation: {research: .nan, engineering: .inf}\n", []string{
			`pace.yaml:4: teams[0].allocation.research: must be a finite number, got ".nan"`,
			`pace.yaml:4: teams[0].allocation.engineering: must be a finite number, got ".inf"`,
		}},
		{"empty list items", "teams:\n  -\n  - 3\ngithub:\n  repos: [acme/x, ~]\n", []string{
			`pace.yaml:2: teams[0]: is empty; fill it in or remove it`,
			`pace.yaml:3: teams[1]: must be a mapping (key: value), got a single value`,
			`pace.yaml:5: github.repos[1]: is empty; fill it in or remove it`,
		}},
		{"unsupported tag", "window: !!binary aGVsbG8=\n", []string{
			`pace.yaml:1: window: has an unsupported YAML tag "!!binary"`,
		}},
		{"complex key", "? [a, b]\n: c\n", []string{
			`pace.yaml:1: keys must be plain names, got a list`,
		}},
		{"terminal escapes are not printed", "\"\\e[2Jwin\\u202Edow\": 1\ndeployments:\n  production: \"(x\\e\"\n", []string{
			`pace.yaml:1: \x1b[2Jwin\u202edow: unknown key; allowed: ` + top,
			"pace.yaml:3: deployments.production: bad regexp: error parsing regexp: missing closing ): `(x\\x1b`; allowed: a Go (RE2) regexp, e.g. (?i)^prod",
		}},
		{"repeated key", "window: 14d\nrefresh: 5m\nwindow: 7d\n", []string{
			`pace.yaml:3: window: is written twice (first at line 1); keep one`,
		}},
		{"window zero", "window: 0d\n", []string{
			`pace.yaml:1: window: must be more than zero; ` + windowAllowed,
		}},
		{"window negative", "window: -1d\n", []string{
			`pace.yaml:1: window: "-1d" is negative; ` + windowAllowed + ` (` + durationHelp + `)`,
		}},
		{"window not whole days", "window: 36h\n", []string{
			`pace.yaml:1: window: "36h" is not a whole number of days; ` + windowAllowed,
		}},
		{"window too long", "window: 400d\n", []string{
			`pace.yaml:1: window: "400d" is out of range; ` + windowAllowed,
		}},
		{"window garbage", "window: fortnight\n", []string{
			`pace.yaml:1: window: "fortnight" is not a duration; ` + windowAllowed + ` (` + durationHelp + `)`,
		}},
		{"window without unit", "window: 14\n", []string{
			`pace.yaml:1: window: "14" has no unit; ` + windowAllowed + ` (` + durationHelp + `)`,
		}},
		{"experiment durations", "experiments:\n  stale_after: 7x\n  max_run: 0\n  fail_fast: 1.5d\n", []string{
			`pace.yaml:2: experiments.stale_after: "7x" has an unknown unit "x"; allowed: 1h to 365d, e.g. 7d (` + durationHelp + `)`,
			`pace.yaml:3: experiments.max_run: must be more than zero; allowed: 1m to 30d, e.g. 24h`,
			`pace.yaml:4: experiments.fail_fast: "1.5d" has a fraction; use a smaller unit, e.g. 1d12h for 1.5d; allowed: 1h to 365d, e.g. 14d (` + durationHelp + `)`,
		}},
		{"refresh too fast", "refresh: 10s\n", []string{
			`pace.yaml:1: refresh: "10s" is out of range; allowed: 1m to 1d, e.g. 15m; 0 turns it off`,
		}},
		{"bad regexp", "deployments:\n  production: '(prod'\n", []string{
			"pace.yaml:2: deployments.production: bad regexp: error parsing regexp: missing closing ): `(prod`; allowed: a Go (RE2) regexp, e.g. (?i)^prod",
		}},
		{"key_pattern without a group", "experiments:\n  key_pattern: '^exp-'\n", []string{
			`pace.yaml:2: experiments.key_pattern: "^exp-" has no capture group; allowed: a regexp whose first (...) group is the key, e.g. ^exp[-/](\w+)`,
		}},
		{"experiment key", "window: 14d\nwindow2: 1\nrefresh: 15m\nexperiments:\n  key: commit\n", []string{
			`pace.yaml:2: window2: unknown key (did you mean "window"?); allowed: ` + top,
			`pace.yaml:5: experiments.key: "commit" is not allowed; use branch or run_name`,
		}},
		{"experiment workflows", "experiments:\n  workflows: [.github/workflows/train.yml, train, train.yml, train.yml]\n", []string{
			`pace.yaml:2: experiments.workflows[0]: ".github/workflows/train.yml" is a path; write the file name only; allowed: a workflow file name in .github/workflows, e.g. train.yml`,
			`pace.yaml:2: experiments.workflows[1]: "train" is not a .yml or .yaml file name; allowed: a workflow file name in .github/workflows, e.g. train.yml`,
			`pace.yaml:2: experiments.workflows[3]: "train.yml" is listed twice (also experiments.workflows[2]); keep one`,
		}},
		{"allocation sum", `github:
  repos: [acme/a]
teams:
  - name: A
    members: [alice]
    allocation: {research: 30, engineering: 70}
  - name: B
    members: [bob]
    repos:
      - acme/b
      - acme/c
    allocation: {research: 40, engineering: 70}
`, []string{
			`pace.yaml:12: teams[1].allocation: research + engineering must be 100, got 110`,
		}},
		{"allocation negative and half", "teams:\n  - name: A\n    members: [a]\n    allocation: {research: -10, engineering: 110}\n  - name: B\n    members: [b]\n    allocation:\n      research: 30\n", []string{
			`pace.yaml:4: teams[0].allocation.research: must be between 0 and 100, got -10; ` + alloc,
			`pace.yaml:4: teams[0].allocation.engineering: must be between 0 and 100, got 110; ` + alloc,
			`pace.yaml:7: teams[1].allocation: engineering missing; ` + alloc,
		}},
		{"team names", "teams:\n  - name: Fraud ML\n    members: [a]\n  - name: fraud ml\n    members: [b]\n  - members: [c]\n", []string{
			`pace.yaml:4: teams[1].name: "fraud ml" is already the name of teams[0]; team names must be unique`,
			`pace.yaml:6: teams[2].name: is empty; every team needs a name`,
		}},
		{"team with nothing", "teams:\n  - name: Ghosts\n", []string{
			`pace.yaml:2: teams[0]: has no members, github_team or repos, so nothing would count for it; allowed: at least one of them`,
		}},
		{"members", "teams:\n  - name: A\n    members: [alice, 'bitbucket:carol', '@dave', 'gitlab:bob.smith', 'gitlab:bob.smith', 'github:']\n", []string{
			`pace.yaml:3: teams[0].members[1]: "bitbucket:carol" has an unknown source prefix "bitbucket"; allowed: a login, github:LOGIN or gitlab:LOGIN`,
			`pace.yaml:3: teams[0].members[2]: "@dave" starts with @; drop it; allowed: a login, github:LOGIN or gitlab:LOGIN`,
			`pace.yaml:3: teams[0].members[4]: "gitlab:bob.smith" is listed twice (also teams[0].members[3]); keep one`,
			`pace.yaml:3: teams[0].members[5]: "github:" is not a login; allowed: a login, github:LOGIN or gitlab:LOGIN`,
		}},
		{"github_team and repos", "teams:\n  - name: A\n    github_team: acme\n    repos: [acme, https://github.com/acme/x, acme/x.git]\n", []string{
			`pace.yaml:3: teams[0].github_team: "acme" is not org/team-slug; allowed: org/team-slug, e.g. acme/fraud`,
			`pace.yaml:4: teams[0].repos[0]: "acme" has the wrong number of parts; allowed: owner/name or a GitLab project path, e.g. acme/fraud-model`,
			`pace.yaml:4: teams[0].repos[1]: "https://github.com/acme/x" is a URL; write the path without the host; allowed: owner/name or a GitLab project path, e.g. acme/fraud-model`,
			`pace.yaml:4: teams[0].repos[2]: "acme/x.git" ends in .git; drop it; allowed: owner/name or a GitLab project path, e.g. acme/fraud-model`,
		}},
		{"github repos and orgs", "github:\n  repos: [acme/ml/x, acme/ok]\n  orgs: [acme/research]\ngitlab:\n  projects: [acme]\n", []string{
			`pace.yaml:2: github.repos[0]: "acme/ml/x" has the wrong number of parts; allowed: owner/name, e.g. acme/fraud-model`,
			`pace.yaml:3: github.orgs[0]: "acme/research" has the wrong number of parts; allowed: an organisation name, e.g. acme-research`,
			`pace.yaml:5: gitlab.projects[0]: "acme" has the wrong number of parts; allowed: a project path, e.g. acme/ml/feature-store`,
		}},
		{"base urls", "github:\n  base_url: http://ghe.example.com/api/v3\ngitlab:\n  base_url: ftp://gitlab.example.com\n", []string{
			`pace.yaml:2: github.base_url: "http://ghe.example.com/api/v3" uses http to a host that is not loopback; tokens would travel in clear text; ` + ghURL,
			`pace.yaml:4: gitlab.base_url: "ftp://gitlab.example.com" must start with https://; allowed: https://gitlab.com or https://HOST (http only for loopback hosts: 127.0.0.0/8, ::1, localhost)`,
		}},
		{"github web site", "github:\n  base_url: https://github.com\n", []string{
			`pace.yaml:2: github.base_url: "https://github.com" is the web site, not the API; ` + ghURL,
		}},
		{"url credentials are not echoed", "github:\n  base_url: https://me:hunter2@ghe.example.com/api/v3\n", []string{
			`pace.yaml:2: github.base_url: must not hold a user name or password (give the token through the environment); ` + ghURL,
		}},
		{"not a url", "github:\n  base_url: api.github.com\n", []string{
			`pace.yaml:2: github.base_url: "api.github.com" is not a URL; ` + ghURL,
		}},
		{"guardrails", "guardrails:\n  cycle_time.p95: '<= 48h'\n  cycle_time.p50: '48h'\n  pickup.p75: '<= 8'\n  stale_experiments: '<= 2.5'\n  change_failure_rate: '<= 120%'\n  deploys_per_week: '> lots'\n", []string{
			`pace.yaml:2: guardrails.cycle_time.p95: unknown metric (did you mean "cycle_time.p75"?); allowed: ` + AllowedMetrics(),
			`pace.yaml:3: guardrails.cycle_time.p50: "48h" does not start with a comparison; allowed: "<op> <value>" with op <=, >=, < or > and a duration, e.g. "<= 48h"`,
			`pace.yaml:4: guardrails.pickup.p75: "<= 8": "8" has no unit; allowed: "<op> <value>" with op <=, >=, < or > and a duration, e.g. "<= 48h"`,
			`pace.yaml:5: guardrails.stale_experiments: "<= 2.5": "2.5" is not a whole number; allowed: "<op> <value>" with op <=, >=, < or > and a whole number, e.g. "<= 2"`,
			`pace.yaml:6: guardrails.change_failure_rate: "<= 120%": "120" is above 100; allowed: "<op> <value>" with op <=, >=, < or > and a percentage from 0 to 100, e.g. "<= 15%"`,
			`pace.yaml:7: guardrails.deploys_per_week: "> lots": "lots" is not a number; allowed: "<op> <value>" with op <=, >=, < or > and a number per week, e.g. ">= 5"`,
		}},
		{"team guardrails", "teams:\n  - name: A\n    members: [a]\n    guardrails:\n      zombie_runs: '< 0'\n", []string{
			`pace.yaml:5: teams[0].guardrails.zombie_runs: "< 0" can never hold (no value is below 0); allowed: "<op> <value>" with op <=, >=, < or > and a whole number, e.g. "<= 2"`,
		}},
		{"classify", "classify:\n  research: {labels: [spike], branches: ['^(exp']}\n  enginering: {labels: [bug]}\n", []string{
			"pace.yaml:2: classify.research.branches[0]: bad regexp: error parsing regexp: missing closing ): `^(exp`; allowed: a Go (RE2) regexp, e.g. (?i)^prod",
			`pace.yaml:3: classify.enginering: unknown category (did you mean "engineering"?); allowed: research, engineering`,
		}},
		{"classify rule that never matches", "classify:\n  research: {}\n  engineering:\n    labels: [bug]\n    branche: [x]\n", []string{
			`pace.yaml:2: classify.research: has no labels or branches, so it never matches; allowed: labels: [...] and/or branches: [...]`,
			`pace.yaml:5: classify.engineering.branche: unknown key (did you mean "branches"?); allowed: labels, branches`,
		}},
		{"classify as a list", "classify:\n  - research\n", []string{
			`pace.yaml:2: classify: must be a mapping of category to rule, e.g. research: {labels: [spike]}, got a list`,
		}},
		{"bots", "bots: ['*[bot]', '', renovate, Renovate]\n", []string{
			`pace.yaml:1: bots[1]: is empty; allowed: a login or a pattern with *, e.g. "*[bot]"`,
			`pace.yaml:1: bots[3]: "Renovate" is listed twice (also bots[2]); keep one`,
		}},
		{"syntax error", "github:\n  repos: [acme/x\nwindow: 14d\n", []string{
			// yaml.v3 points at the start of the unclosed list.
			`pace.yaml:2: invalid YAML: did not find expected ',' or ']'`,
		}},
		{"bad indentation", "github:\n  base_url: https://api.github.com\n repos: [acme/x]\n", []string{
			`pace.yaml:3: invalid YAML: did not find expected key`,
		}},
		{"syntax error on line 1", "window: a: b\n", []string{
			`pace.yaml:1: invalid YAML: mapping values are not allowed in this context`,
		}},
		{"unclosed quote", "window: 14d\nrefresh: '15m\n", []string{
			`pace.yaml:2: invalid YAML: found unexpected end of stream`,
		}},
		{"tab indentation", "github:\n\trepos: [acme/x]\n", []string{
			`pace.yaml:2: invalid YAML: found character that cannot start any token`,
		}},
		{"two documents", "window: 14d\n---\nwindow: 7d\n", []string{
			`pace.yaml:2: invalid YAML: the file holds more than one YAML document (---); pace reads one`,
		}},
		{"root is a list", "- window: 14d\n", []string{
			`pace.yaml:1: the file must be a mapping of keys such as window: and teams:, got a list`,
		}},
		{"every problem at once, sorted by line", `window: 2w1w
github:
  repos: [acme]
teams:
  - name: A
    members: [a]
    allocation: {research: 50, engineering: 60}
experiments:
  key: sha
guardrails:
  speed: '<= 1d'
`, []string{
			`pace.yaml:1: window: "2w1w" repeats a unit or puts a smaller unit before a larger one; ` + windowAllowed + ` (` + durationHelp + `)`,
			`pace.yaml:3: github.repos[0]: "acme" has the wrong number of parts; allowed: owner/name, e.g. acme/fraud-model`,
			`pace.yaml:7: teams[0].allocation: research + engineering must be 100, got 110`,
			`pace.yaml:9: experiments.key: "sha" is not allowed; use branch or run_name`,
			`pace.yaml:11: guardrails.speed: unknown metric; allowed: ` + AllowedMetrics(),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := problems(t, c.src)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// TestDecodeProblems covers the safety net: should yaml.v3's strict decoder
// ever find something the schema walk missed, it is still reported with
// file:line and the key written on that line, without Go type names.
func TestDecodeProblems(t *testing.T) {
	err := &yaml.TypeError{Errors: []string{
		"line 3: field foo not found in type config.GitHub",
		"line 7: cannot unmarshal !!seq into string",
	}}
	got := decodeProblems("pace.yaml", err, map[string]int{"github": 2, "github.foo": 3, "window": 7})
	want := []Problem{
		{File: "pace.yaml", Line: 3, Key: "github.foo", Msg: "field foo not found"},
		{File: "pace.yaml", Line: 7, Key: "window", Msg: "cannot unmarshal !!seq into string"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decodeProblems = %+v, want %+v", got, want)
	}
}

// TestValidateAfterChange is how the CLI applies --window: change the
// field, validate again, and the problem points at the file's line.
func TestValidateAfterChange(t *testing.T) {
	c, err := Parse("pace.yaml", []byte("github:\n  repos: [acme/x]\nwindow: 14d\n"))
	if err != nil {
		t.Fatal(err)
	}
	c.Window = "2d12h"
	err = c.Validate()
	want := `pace.yaml:3: window: "2d12h" is not a whole number of days; allowed: 1d to 365d in whole days, e.g. 14d`
	if err == nil || err.Error() != want {
		t.Errorf("Validate = %v, want %s", err, want)
	}
	c.Window = "7d"
	if err := c.Validate(); err != nil {
		t.Errorf("Validate = %v", err)
	}
	if got := c.Settings().Window; got != 7*Day {
		t.Errorf("Settings().Window = %v", got)
	}
	// A Config built in code has no lines; problems have Line 0.
	var zero Config
	err = zero.Validate()
	var errs Errors
	if !errors.As(err, &errs) || errs[0].Line != 0 || errs[0].Key != "window" {
		t.Errorf("zero Config: %v", err)
	}
}
