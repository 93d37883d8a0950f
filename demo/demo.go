// Package demo generates pace's built-in demo organisation, "Acme
// Analytics": four teams (Fraud ML, Platform, Search Ranking, Forecasting)
// with about 14 weeks of pull and merge requests, deployments, CI runs and
// experiments on GitHub and GitLab, and the configuration a real config
// file would produce for them. A newcomer runs `pace --demo` and sees every
// screen and metric with data that reads like a real organisation.
//
// The output is a pure function of (now, scale): every timestamp is an
// exact offset from now (no calendar logic, not even weekends, which are
// modelled as extra time on spans likely to cross one), and the random
// choices come from fixed-seed PCG streams, one per team. Generating at
// now+Δ therefore yields the same organisation shifted by exactly Δ, and
// the window metrics come out identical for any now.
//
// Scale k replicates the four teams k times ("Fraud ML", ..., "Fraud ML 2",
// "Platform 2", ...), each copy with its own repos ("acme/fraud-model-2"),
// logins ("priya.raman-2") and random stream. A large organisation has
// many teams rather than giant ones, and scale 1 stays a prefix of every
// larger scale.
package demo

import (
	"regexp"
	"time"

	"github.com/pace-dev/pace/domain"
)

// Org is the demo organisation's name.
const Org = "Acme Analytics"

// Generate returns a deterministic demo organisation whose timestamps are
// relative to now (identical output for identical now and scale). scale
// multiplies the organisation's size (scale 1 ≈ 1,500 changes; scale 100 ≈
// 150,000) for benchmarks; values below 1 mean 1. The Settings are the
// demo org's configuration, as the config loader would build it.
func Generate(now time.Time, scale int) (*domain.Dataset, domain.Settings) {
	now = now.UTC()
	scale = max(scale, 1)
	base := baseTeams()
	ds := &domain.Dataset{
		Org:         Org,
		Changes:     make([]domain.Change, 0, 1600*scale),
		Deployments: make([]domain.Deployment, 0, 700*scale),
		Runs:        make([]domain.Run, 0, 1800*scale),
		Sources: []domain.SourceStatus{
			{Name: string(domain.GitHub), LastSync: now.Add(-4*time.Minute - 12*time.Second)},
			{Name: string(domain.GitLab), LastSync: now.Add(-6*time.Minute - 40*time.Second)},
		},
	}
	s := settings()
	s.Teams = make([]domain.Team, 0, len(base)*scale)
	var buf buffers
	for r := range scale {
		for t := range base {
			spec := base[t].replicate(r)
			g := newTeamGen(now, &spec, r*len(base)+t, &buf)
			g.generate()
			g.emit(ds, &buf)
			s.Teams = append(s.Teams, team(&spec))
		}
	}
	return ds, s
}

// team is the configured team of a spec.
func team(t *teamSpec) domain.Team {
	repos := make([]string, len(t.repos))
	for i, rs := range t.repos {
		repos[i] = rs.path
	}
	target := t.target
	return domain.Team{Name: t.name, Members: t.members(), Repos: repos, Allocation: &target,
		Guardrails: t.guardrails}
}

// settings is the demo configuration apart from the teams: SPEC §3's
// example with the demo's bots, deploy workflow and experiment rules.
func settings() domain.Settings {
	s := domain.DefaultSettings()
	s.Bots = []string{"*[bot]", "*-bot", "renovate", "dependabot"}
	s.DeployWorkflows = []string{"deploy.yml"}
	s.Experiments.Workflows = []string{"train.yml", "eval.yml"}
	s.Experiments.PipelineRef = regexp.MustCompile(`^exp/`)
	s.Experiments.PipelineName = regexp.MustCompile(`(?i)train|experiment`)
	s.Classify = append(s.Classify, domain.ClassifyRule{Category: domain.Engineering, Labels: []string{"bug", "infra"}})
	s.Guardrails = []domain.Guardrail{
		guardrail("cycle_time.p50", domain.LE, 48*3600, "48h"),
		guardrail("pickup.p75", domain.LE, 8*3600, "8h"),
		guardrail("stale_experiments", domain.LE, 3, "3"),
		guardrail("deploys_per_week", domain.GE, 3, "3"),
		guardrail("change_failure_rate", domain.LE, 25, "25"),
		guardrail("allocation_drift", domain.LE, 10, "10"),
	}
	return s
}
