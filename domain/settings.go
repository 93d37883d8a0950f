package domain

import (
	"regexp"
	"time"
)

// Member is a team member's login, optionally bound to one source
// ("gitlab:bob.smith" in the config becomes {GitLab, "bob.smith"}).
type Member struct {
	Source Source // "" matches every source
	Login  string
}

// Split is a research/engineering split in percent (they add up to 100).
type Split struct {
	Research    float64
	Engineering float64
}

// Team is a team as configured: who is in it, which repos it owns, the split
// it agreed and its own guardrails.
type Team struct {
	Name    string
	Members []Member
	// Repos decide between teams when a person is in several, and claim
	// changes whose author is in no team. Entries are "owner/name" or GitLab
	// project paths, matched exactly against Change.Repo.
	Repos      []string
	Allocation *Split // nil: no target agreed
	Guardrails []Guardrail
}

// Op is a guardrail comparison.
type Op string

// Guardrail comparisons.
const (
	LE Op = "<="
	GE Op = ">="
	LT Op = "<"
	GT Op = ">"
)

// Guardrail is one rule such as `cycle_time.p50: '<= 48h'`.
type Guardrail struct {
	Metric string  // a key of GuardrailMetrics
	Op     Op      //
	Value  float64 // seconds for duration metrics, else the plain number
	Rule   string  // the rule as written, e.g. "<= 48h"
}

// GuardrailUnit says how a guardrail metric's value is written.
type GuardrailUnit int

// Units of guardrail metrics.
const (
	UnitDuration GuardrailUnit = iota // "48h", "2d", "30m"; compared in seconds
	UnitCount                         // a whole number
	UnitRate                          // a number per week
	UnitPercent                       // percent (0-100), e.g. change_failure_rate
	UnitPoints                        // percentage points, e.g. allocation_drift (absolute value)
)

// GuardrailMetrics lists every metric a guardrail may name and its unit.
// Duration metrics accept .p50, .p75 and .p90.
var GuardrailMetrics = map[string]GuardrailUnit{
	"cycle_time.p50": UnitDuration, "cycle_time.p75": UnitDuration, "cycle_time.p90": UnitDuration,
	"coding.p50": UnitDuration, "coding.p75": UnitDuration, "coding.p90": UnitDuration,
	"pickup.p50": UnitDuration, "pickup.p75": UnitDuration, "pickup.p90": UnitDuration,
	"review.p50": UnitDuration, "review.p75": UnitDuration, "review.p90": UnitDuration,
	"deploy.p50": UnitDuration, "deploy.p75": UnitDuration, "deploy.p90": UnitDuration,
	"lead_time.p50": UnitDuration, "lead_time.p75": UnitDuration, "lead_time.p90": UnitDuration,
	"recovery.p50": UnitDuration, "recovery.p75": UnitDuration, "recovery.p90": UnitDuration,
	"turnaround.p50": UnitDuration, "turnaround.p75": UnitDuration, "turnaround.p90": UnitDuration,
	"time_to_decision.p50": UnitDuration, "time_to_decision.p75": UnitDuration, "time_to_decision.p90": UnitDuration,
	"deploys_per_week":     UnitRate,
	"deploy_days_per_week": UnitRate,
	"change_failure_rate":  UnitPercent,
	"stale_experiments":    UnitCount,
	"zombie_runs":          UnitCount,
	"waiting_for_review":   UnitCount,
	"allocation_drift":     UnitPoints,
	"decisions_per_week":   UnitRate,
}

// ClassifyRule maps a change to a category when any of its labels is in
// Labels (case-insensitive) or its head branch matches one of Branches.
type ClassifyRule struct {
	Category Category
	Labels   []string
	Branches []*regexp.Regexp
}

// ExperimentRules say which runs are experiment runs and how they group.
type ExperimentRules struct {
	Workflows    []string       // GitHub Actions workflow files (Run.Workflow) whose runs are experiment runs
	PipelineRef  *regexp.Regexp // GitLab pipelines whose ref (Run.Branch) matches ...
	PipelineName *regexp.Regexp // ... and whose name (Run.Name) matches; nil matches all
	Key          string         // "branch" (default) or "run_name"
	KeyPattern   *regexp.Regexp // optional: first capture of the run name is the key
	StaleAfter   time.Duration  // no run for this long, not concluded: stale
	MaxRun       time.Duration  // a run in progress for longer is a zombie
	FailFast     time.Duration  // abandoned within this of the first run: a fast failure
}

// Settings is the part of the configuration the metrics depend on.
type Settings struct {
	Window     time.Duration // the current period
	Teams      []Team
	Bots       []string // glob patterns, '*' only ("*[bot]" matches "renovate[bot]")
	Production *regexp.Regexp
	Staging    *regexp.Regexp
	// DeployWorkflows are Actions workflow files / GitLab pipeline names whose
	// runs also count as production deployments.
	DeployWorkflows []string
	Experiments     ExperimentRules
	Classify        []ClassifyRule
	Guardrails      []Guardrail // global; a team's own rule for the same metric wins
}

// DefaultSettings returns the settings used when the config is silent
// (SPEC §3's example values).
func DefaultSettings() Settings {
	return Settings{
		Window:     14 * 24 * time.Hour,
		Bots:       []string{"*[bot]", "renovate", "dependabot"},
		Production: regexp.MustCompile(`(?i)^(prod|production|live)$`),
		Staging:    regexp.MustCompile(`(?i)^(stag|staging|preprod)`),
		Experiments: ExperimentRules{
			Key:        "branch",
			StaleAfter: 7 * 24 * time.Hour,
			MaxRun:     24 * time.Hour,
			FailFast:   14 * 24 * time.Hour,
		},
		Classify: []ClassifyRule{{
			Category: Research,
			Labels:   []string{"research", "experiment", "spike"},
			Branches: []*regexp.Regexp{regexp.MustCompile(`^(exp|research|spike)/`)},
		}},
	}
}
