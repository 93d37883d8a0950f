package domain

import (
	"math"
	"strings"
)

// EffectiveGuardrails merges global rules with a team's own: a team rule
// replaces the global rule of the same metric (in the global rule's place);
// team rules for other metrics follow, in the team's order.
func EffectiveGuardrails(global, team []Guardrail) []Guardrail {
	out := make([]Guardrail, 0, len(global)+len(team))
	own := make(map[string]Guardrail, len(team))
	for _, g := range team {
		if _, dup := own[g.Metric]; !dup {
			own[g.Metric] = g
		}
	}
	used := make(map[string]bool, len(team))
	for _, g := range global {
		if t, ok := own[g.Metric]; ok {
			if !used[g.Metric] {
				out = append(out, t)
				used[g.Metric] = true
			}
			continue
		}
		out = append(out, g)
	}
	for _, g := range team {
		if !used[g.Metric] {
			out = append(out, g)
			used[g.Metric] = true
		}
	}
	return out
}

// GuardrailValue is the value a guardrail metric compares, read from a team
// report: durations in seconds from the current window's stats (a metric
// key like "pickup.p75"); change_failure_rate in percent; allocation_drift
// as the absolute drift in points; stale_experiments, zombie_runs and
// waiting_for_review as counts; rates per week. nil means no data: a
// duration without values, no rate, no target or person-days, a team
// without production deployments for deploy rates, without experiments for
// decisions_per_week, or an unknown metric.
func GuardrailValue(metric string, t *TeamReport) *float64 {
	v := func(x float64) *float64 { return &x }
	if name, pct, ok := strings.Cut(metric, "."); ok {
		var m *Metric
		switch name {
		case "cycle_time":
			m = &t.CycleTime
		case "coding":
			m = &t.Coding
		case "pickup":
			m = &t.Pickup
		case "review":
			m = &t.Review
		case "deploy":
			m = &t.Deploy
		case "lead_time":
			m = &t.LeadTime
		case "recovery":
			m = &t.Deploys.Recovery
		case "turnaround":
			m = &t.Experiments.Turnaround
		case "time_to_decision":
			m = &t.Experiments.TimeToDecision
		default:
			return nil
		}
		s := m.Current
		if !s.Known() {
			return nil
		}
		switch pct {
		case "p50":
			return v(float64(s.P50))
		case "p75":
			return v(float64(s.P75))
		case "p90":
			return v(float64(s.P90))
		}
		return nil
	}
	switch metric {
	case "deploys_per_week":
		if t.Deploys.HasDeployments {
			return v(t.Deploys.PerWeek)
		}
	case "deploy_days_per_week":
		if t.Deploys.HasDeployments {
			return v(t.Deploys.DaysPerWeek)
		}
	case "change_failure_rate":
		if r := t.Deploys.ChangeFailureRate; r != nil {
			return v(100 * *r)
		}
	case "stale_experiments":
		return v(float64(len(t.Experiments.Stale)))
	case "zombie_runs":
		return v(float64(len(t.Experiments.Zombies)))
	case "waiting_for_review":
		return v(float64(len(t.Waiting)))
	case "allocation_drift":
		if d := t.Allocation.Drift; d != nil {
			return v(math.Abs(*d))
		}
	case "decisions_per_week":
		if len(t.Experiments.All) > 0 {
			return v(t.Experiments.DecisionsPerWeek)
		}
	}
	return nil
}

// EvaluateGuardrail checks one rule against a team report. A metric
// without data (Value nil) is not a breach: OK is true, so a team that has
// not deployed yet does not fail `pace snapshot --check` on deploy rules.
func EvaluateGuardrail(g Guardrail, t *TeamReport) GuardrailResult {
	res := GuardrailResult{Guardrail: g, Value: GuardrailValue(g.Metric, t), OK: true}
	if res.Value != nil {
		res.OK = compare(*res.Value, g.Op, g.Value)
	}
	return res
}

// compare applies op; an unknown op never breaches.
func compare(v float64, op Op, limit float64) bool {
	switch op {
	case LE:
		return v <= limit
	case GE:
		return v >= limit
	case LT:
		return v < limit
	case GT:
		return v > limit
	}
	return true
}
