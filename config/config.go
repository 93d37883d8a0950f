// Package config reads pace's YAML configuration (SPEC §3), checks it and
// reports every problem at once with file:line and key (SPEC §8), and turns
// it into the domain.Settings the metrics run on. It also knows where the
// config and cache live by default and writes the commented example that
// `pace config init` scaffolds.
package config

import (
	"time"

	"gopkg.in/yaml.v3"

	"github.com/pace-dev/pace/domain"
)

// Config is the configuration file as written, after defaults. Strings hold
// durations and regexps as the user wrote them so errors and `config check`
// can quote them; Settings compiles them.
type Config struct {
	Window      string      `yaml:"window"`  // current period, e.g. "14d"
	Refresh     string      `yaml:"refresh"` // TUI background refresh; "0" turns it off
	GitHub      GitHub      `yaml:"github"`
	GitLab      GitLab      `yaml:"gitlab"`
	Teams       []Team      `yaml:"teams"`
	Deployments Deployments `yaml:"deployments"`
	Experiments Experiments `yaml:"experiments"`
	// Classify is kept as a YAML mapping because its order matters: the
	// first category whose rule matches a change wins. Each value has the
	// shape of ClassifyRule. A zero or null node means the default rules.
	Classify   yaml.Node         `yaml:"classify"`
	Bots       []string          `yaml:"bots"`       // glob patterns, '*' only
	Guardrails map[string]string `yaml:"guardrails"` // metric -> rule, e.g. "<= 48h"

	file  string              // the file name used in problems
	lines map[string]int      // key path -> line it was written on
	order map[string][]string // mapping path -> keys in file order (guardrails)
	bad   map[string]bool     // key paths that failed a type check
}

// GitHub says which GitHub host and repositories to read.
type GitHub struct {
	BaseURL string   `yaml:"base_url"` // https://api.github.com or https://HOST/api/v3
	Repos   []string `yaml:"repos"`    // owner/name
	Orgs    []string `yaml:"orgs"`     // every non-archived repo of each org
	Token   Secret   `yaml:"token"`    // only honoured when the file is mode 0600
}

// GitLab says which GitLab host and projects to read.
type GitLab struct {
	BaseURL  string   `yaml:"base_url"` // https://gitlab.com or https://HOST
	Projects []string `yaml:"projects"` // group/.../project paths
	Groups   []string `yaml:"groups"`   // group paths, subgroups included
	Token    Secret   `yaml:"token"`    // only honoured when the file is mode 0600
}

// Team is one team as written in the file.
type Team struct {
	Name       string            `yaml:"name"`
	Members    []string          `yaml:"members"`     // "alice", "github:alice" or "gitlab:bob.smith"
	GitHubTeam string            `yaml:"github_team"` // optional "org/slug"; members read from the API
	Repos      []string          `yaml:"repos"`       // owner/name or GitLab project paths
	Allocation *Allocation       `yaml:"allocation"`  // nil: no target agreed
	Guardrails map[string]string `yaml:"guardrails"`  // the team's own rules; they win over global ones
}

// Allocation is a team's target research/engineering split in percent.
// Pointers tell a missing half from an explicit 0.
type Allocation struct {
	Research    *float64 `yaml:"research"`
	Engineering *float64 `yaml:"engineering"`
}

// Deployments says which environments are production and staging and which
// CI runs also count as deployments.
type Deployments struct {
	Production string   `yaml:"production"` // environment-name regexp
	Staging    string   `yaml:"staging"`    // environment-name regexp
	Workflows  []string `yaml:"workflows"`  // Actions workflow files / GitLab pipeline names
}

// Experiments says which CI runs are experiment runs, how they group into
// experiments and when an experiment counts as stale.
type Experiments struct {
	Workflows  []string  `yaml:"workflows"` // GitHub Actions workflow files
	Pipelines  Pipelines `yaml:"pipelines"` // GitLab pipelines
	Key        string    `yaml:"key"`       // "branch" or "run_name"
	KeyPattern string    `yaml:"key_pattern"`
	StaleAfter string    `yaml:"stale_after"`
	MaxRun     string    `yaml:"max_run"`
	FailFast   string    `yaml:"fail_fast"`
}

// Pipelines selects GitLab pipelines that are experiment runs; an empty
// regexp matches every pipeline.
type Pipelines struct {
	Ref  string `yaml:"ref"`
	Name string `yaml:"name"`
}

// ClassifyRule is the value of one category under `classify`.
type ClassifyRule struct {
	Labels   []string `yaml:"labels"`   // any of these labels (case-insensitive)
	Branches []string `yaml:"branches"` // or a head branch matching one of these regexps
}

// Secret holds a token. It prints as "[redacted]" so a Config passed to
// fmt, a logger or an encoder never shows the token; Reveal gives the value
// to the one place that sends it to its host.
type Secret string

// String hides the token.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString hides the token from %#v.
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// MarshalText hides the token from JSON and other text encoders.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// MarshalYAML hides the token from the YAML encoder.
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// Reveal returns the token itself, for the HTTP client of its own host.
func (s Secret) Reveal() string { return string(s) }

// Defaults for the keys domain.Settings does not cover.
const (
	DefaultGitHubURL = "https://api.github.com"
	DefaultGitLabURL = "https://gitlab.com"
	DefaultRefresh   = 15 * time.Minute
)

// Default returns the configuration used when a key is left out: the
// values of domain.DefaultSettings plus the SPEC §3 hosts and a 15m refresh.
// The CLI uses it as is when there is no config file (e.g. --demo).
func Default() *Config {
	ds := domain.DefaultSettings()
	c := &Config{Bots: append([]string(nil), ds.Bots...)}
	c.applyDefaults()
	return c
}

// applyDefaults fills every scalar left empty (absent or written as null)
// with its default, so `window:` with no value means the default window.
func (c *Config) applyDefaults() {
	ds := domain.DefaultSettings()
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&c.Window, FormatDuration(ds.Window))
	def(&c.Refresh, FormatDuration(DefaultRefresh))
	def(&c.GitHub.BaseURL, DefaultGitHubURL)
	def(&c.GitLab.BaseURL, DefaultGitLabURL)
	def(&c.Deployments.Production, ds.Production.String())
	def(&c.Deployments.Staging, ds.Staging.String())
	def(&c.Experiments.Key, ds.Experiments.Key)
	def(&c.Experiments.StaleAfter, FormatDuration(ds.Experiments.StaleAfter))
	def(&c.Experiments.MaxRun, FormatDuration(ds.Experiments.MaxRun))
	def(&c.Experiments.FailFast, FormatDuration(ds.Experiments.FailFast))
}

// File is the name the config was loaded from ("" when built in code).
func (c *Config) File() string { return c.file }

// HasSources reports whether the config names anything to sync. A config
// without sources is valid (`pace --demo` and `config check` work), but
// `pace sync` should say there is nothing to sync.
func (c *Config) HasSources() bool {
	return len(c.GitHub.Repos)+len(c.GitHub.Orgs)+len(c.GitLab.Projects)+len(c.GitLab.Groups) > 0
}

// RefreshInterval is the TUI's background refresh period; 0 means off.
// An invalid value (only possible when Validate was skipped) gives the default.
func (c *Config) RefreshInterval() time.Duration {
	d, err := ParseDuration(c.Refresh)
	if err != nil {
		return DefaultRefresh
	}
	return d
}
