package config

import (
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
)

const full = `window: 30d
refresh: 5m
github:
  base_url: http://127.0.0.1:8080/api/v3
  repos: [acme/fraud-model, acme/platform]
  orgs: [acme-research]
gitlab:
  base_url: https://gitlab.example.com
  projects: [acme/ml/feature-store]
  groups: [acme/research]
teams:
  - name: Fraud ML
    members: [alice, "github:bob", "gitlab:bob.smith"]
    github_team: acme/fraud
    repos: [acme/fraud-model]
    allocation: {research: 30, engineering: 70}
    guardrails:
      pickup.p75: '<= 4h'
      change_failure_rate: '<= 15%'
  - name: Platform
    members: [carol]
    repos: [acme/platform, acme/ml/feature-store]
deployments:
  production: '^prod$'
  staging: '^stage'
  workflows: [deploy.yml, release]
experiments:
  workflows: [train.yml]
  pipelines: {ref: '^exp/'}
  key: run_name
  key_pattern: '^exp-(\w+)'
  stale_after: 3d
  max_run: 12h
  fail_fast: 1w
classify:
  engineering: {labels: [bug, infra]}
  research: {labels: [spike], branches: ['^exp/', '^research/']}
bots: ['*[bot]', ci-user]
guardrails:
  stale_experiments: '<= 2'
  cycle_time.p50: '<= 1d12h'
  deploys_per_week: '>= 2.5'
  allocation_drift: '< 10'
`

// TestSettingsRoundTrip checks every key of a full config lands in
// domain.Settings, in file order, with durations in seconds.
func TestSettingsRoundTrip(t *testing.T) {
	c, err := Parse("full.yaml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.RefreshInterval(); got != 5*time.Minute {
		t.Errorf("RefreshInterval = %v", got)
	}
	if !c.HasSources() {
		t.Error("HasSources = false")
	}
	got := c.Settings()
	want := domain.Settings{
		Window: 30 * Day,
		Teams: []domain.Team{
			{
				Name:       "Fraud ML",
				Members:    []domain.Member{{Login: "alice"}, {Source: domain.GitHub, Login: "bob"}, {Source: domain.GitLab, Login: "bob.smith"}},
				Repos:      []string{"acme/fraud-model"},
				Allocation: &domain.Split{Research: 30, Engineering: 70},
				Guardrails: []domain.Guardrail{
					{Metric: "pickup.p75", Op: domain.LE, Value: 4 * 3600, Rule: "<= 4h"},
					{Metric: "change_failure_rate", Op: domain.LE, Value: 15, Rule: "<= 15%"},
				},
			},
			{Name: "Platform", Members: []domain.Member{{Login: "carol"}}, Repos: []string{"acme/platform", "acme/ml/feature-store"}},
		},
		Bots:            []string{"*[bot]", "ci-user"},
		Production:      regexp.MustCompile(`^prod$`),
		Staging:         regexp.MustCompile(`^stage`),
		DeployWorkflows: []string{"deploy.yml", "release"},
		Experiments: domain.ExperimentRules{
			Workflows:   []string{"train.yml"},
			PipelineRef: regexp.MustCompile(`^exp/`),
			Key:         "run_name",
			KeyPattern:  regexp.MustCompile(`^exp-(\w+)`),
			StaleAfter:  3 * Day,
			MaxRun:      12 * time.Hour,
			FailFast:    7 * Day,
		},
		Classify: []domain.ClassifyRule{
			{Category: domain.Engineering, Labels: []string{"bug", "infra"}},
			{Category: domain.Research, Labels: []string{"spike"}, Branches: []*regexp.Regexp{regexp.MustCompile(`^exp/`), regexp.MustCompile(`^research/`)}},
		},
		Guardrails: []domain.Guardrail{
			{Metric: "stale_experiments", Op: domain.LE, Value: 2, Rule: "<= 2"},
			{Metric: "cycle_time.p50", Op: domain.LE, Value: 36 * 3600, Rule: "<= 1d12h"},
			{Metric: "deploys_per_week", Op: domain.GE, Value: 2.5, Rule: ">= 2.5"},
			{Metric: "allocation_drift", Op: domain.LT, Value: 10, Rule: "< 10"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Settings:\n got %+v\nwant %+v", got, want)
		for i := range min(len(got.Teams), len(want.Teams)) {
			if !reflect.DeepEqual(got.Teams[i], want.Teams[i]) {
				t.Errorf("team %d:\n got %+v\nwant %+v", i, got.Teams[i], want.Teams[i])
			}
		}
	}
	// Config keeps what the sources need and Settings does not carry.
	if c.GitHub.BaseURL != "http://127.0.0.1:8080/api/v3" || c.GitLab.BaseURL != "https://gitlab.example.com" ||
		!reflect.DeepEqual(c.GitHub.Orgs, []string{"acme-research"}) || !reflect.DeepEqual(c.GitLab.Groups, []string{"acme/research"}) ||
		c.Teams[0].GitHubTeam != "acme/fraud" || c.Experiments.Pipelines.Name != "" {
		t.Errorf("config fields: %+v %+v %+v", c.GitHub, c.GitLab, c.Teams[0])
	}
}

// TestDefaults checks that an empty file means domain.DefaultSettings and
// the SPEC §3 hosts, and that a key written with no value takes its default.
func TestDefaults(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "window:\nrefresh: ~\ngithub:\n  base_url:\nclassify:\n"} {
		c, err := Parse("empty.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if c.HasSources() {
			t.Errorf("%q: HasSources = true", src)
		}
		if c.GitHub.BaseURL != "https://api.github.com" || c.GitLab.BaseURL != "https://gitlab.com" || c.Window != "14d" || c.RefreshInterval() != 15*time.Minute {
			t.Errorf("%q: defaults %q %q %q %q", src, c.GitHub.BaseURL, c.GitLab.BaseURL, c.Window, c.Refresh)
		}
		got, want := c.Settings(), domain.DefaultSettings()
		want.Teams = []domain.Team{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: Settings\n got %+v\nwant %+v", src, got, want)
		}
	}
}

// TestFileShapes checks what editors and generators put around the YAML:
// a BOM, CRLF line ends, document markers.
func TestFileShapes(t *testing.T) {
	for _, src := range []string{
		"\ufeffwindow: 7d\n",
		"window: 7d\r\nrefresh: 5m\r\n",
		"---\nwindow: 7d\n",
		"window: 7d\n---\n",
		"window: 7d\n...\n",
	} {
		c, err := Parse("s.yaml", []byte(src))
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if c.Settings().Window != 7*Day {
			t.Errorf("%q: window %q", src, c.Window)
		}
	}
}

func TestRefreshOff(t *testing.T) {
	c, err := Parse("r.yaml", []byte("refresh: 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.RefreshInterval(); got != 0 {
		t.Errorf("RefreshInterval = %v, want 0 (off)", got)
	}
}

// TestEmptyLists checks that explicit empty lists are honoured, not
// replaced by defaults: `bots: []` means no bots, `classify: {}` no rules.
func TestEmptyLists(t *testing.T) {
	c, err := Parse("e.yaml", []byte("bots: []\nclassify: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Settings()
	if len(s.Bots) != 0 || len(s.Classify) != 0 {
		t.Errorf("bots %v classify %v, want none", s.Bots, s.Classify)
	}
}

// TestAnchors checks YAML anchors, aliases and merge keys work, since
// teams sharing guardrails is a natural use.
func TestAnchors(t *testing.T) {
	src := `teams:
  - name: A
    members: [a]
    guardrails: &shared
      pickup.p75: '<= 8h'
      stale_experiments: '<= 2'
  - name: B
    members: [b]
    guardrails:
      <<: *shared
      pickup.p75: '<= 4h'
  - name: C
    members: [c]
    guardrails: *shared
`
	c, err := Parse("a.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s := c.Settings()
	rules := func(i int) map[string]string {
		m := map[string]string{}
		for _, g := range s.Teams[i].Guardrails {
			m[g.Metric] = g.Rule
		}
		return m
	}
	if got := rules(1); got["pickup.p75"] != "<= 4h" || got["stale_experiments"] != "<= 2" {
		t.Errorf("merged team B guardrails = %v", got)
	}
	if got := rules(2); got["pickup.p75"] != "<= 8h" || len(got) != 2 {
		t.Errorf("aliased team C guardrails = %v", got)
	}
	// A merge cannot smuggle in an unknown key.
	bad := "base: &b\n  repos: [acme/x]\n  repoz: [acme/y]\ngithub:\n  <<: *b\n"
	got := problems(t, bad)
	if len(got) == 0 {
		t.Fatal("unknown key in a merged mapping was accepted")
	}
}

func TestParseMember(t *testing.T) {
	for in, want := range map[string]domain.Member{
		"alice":            {Login: "alice"},
		"github:alice":     {Source: domain.GitHub, Login: "alice"},
		"gitlab:bob.smith": {Source: domain.GitLab, Login: "bob.smith"},
	} {
		if got := ParseMember(in); got != want {
			t.Errorf("ParseMember(%q) = %+v, want %+v", in, got, want)
		}
	}
}

func TestParseGuardrail(t *testing.T) {
	ok := []struct {
		metric, rule string
		op           domain.Op
		value        float64
	}{
		{"cycle_time.p50", "<= 48h", domain.LE, 48 * 3600},
		{"cycle_time.p90", "<=2d", domain.LE, 2 * 86400},
		{"lead_time.p50", " < 1w ", domain.LT, 7 * 86400},
		{"stale_experiments", ">= 0", domain.GE, 0},
		{"deploys_per_week", "> 0.5", domain.GT, 0.5},
		{"change_failure_rate", "<= 15", domain.LE, 15},
		{"change_failure_rate", "<= 7.5 %", domain.LE, 7.5},
		{"allocation_drift", "<= 10", domain.LE, 10},
	}
	for _, c := range ok {
		g, err := ParseGuardrail(c.metric, c.rule)
		if err != nil || g.Op != c.op || g.Value != c.value || g.Metric != c.metric {
			t.Errorf("ParseGuardrail(%q, %q) = %+v, %v", c.metric, c.rule, g, err)
		}
	}
	for _, c := range []struct{ metric, rule string }{
		{"cycle_time.p50", "== 48h"},
		{"cycle_time.p50", "<= 0h"},
		{"cycle_time.p50", "<="},
		{"stale_experiments", "<= -1"},
		{"stale_experiments", "<= 1e3"},
		{"deploys_per_week", ">= inf"},
		{"deploys_per_week", ">= 0x10"},
		{"allocation_drift", "<= 10%"},
		{"allocation_drift", "<= 101"},
		{"nope", "<= 1"},
	} {
		if g, err := ParseGuardrail(c.metric, c.rule); err == nil {
			t.Errorf("ParseGuardrail(%q, %q) = %+v, want an error", c.metric, c.rule, g)
		}
	}
}
