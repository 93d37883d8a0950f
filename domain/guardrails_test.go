package domain

import (
	"slices"
	"testing"
)

func TestGuardrails(t *testing.T) {
	s := testSettings()
	s.Guardrails = []Guardrail{
		{Metric: "cycle_time.p50", Op: LE, Value: float64(secs(48 * hour)), Rule: "<= 48h"},
		{Metric: "deploys_per_week", Op: GE, Value: 5, Rule: ">= 5"},
		{Metric: "allocation_drift", Op: LE, Value: 10, Rule: "<= 10"},
		{Metric: "waiting_for_review", Op: LE, Value: 0, Rule: "<= 0"},
	}
	s.Teams[1].Guardrails = []Guardrail{
		{Metric: "cycle_time.p50", Op: LE, Value: float64(secs(96 * hour)), Rule: "<= 96h"}, // overrides the global rule
		{Metric: "stale_experiments", Op: LT, Value: 1, Rule: "< 1"},
	}
	ds := &Dataset{Changes: []Change{
		merged("acme/fraud-model", 1, "alice", 3*day, 3*day, 2*day, day), // cycle 2d: at the limit
		merged("acme/platform", 2, "carol", 4*day, 4*day, 2*day, day),    // cycle 3d
	}}
	r := Compute(ds, s, testNow)

	fraud := teamByName(t, r, "Fraud ML")
	want := map[string]struct {
		value *float64
		ok    bool
	}{
		"cycle_time.p50":     {ptr(float64(secs(2 * day))), true},
		"deploys_per_week":   {nil, true},      // no deployments at all: unknown, not a breach
		"allocation_drift":   {ptr(30), false}, // all engineering: |0 − 30|
		"waiting_for_review": {ptr(0), true},
	}
	checkGuardrails(t, fraud, want)
	if !fraud.Breached() {
		t.Errorf("fraud not breached, want breached by allocation drift")
	}

	plat := teamByName(t, r, "Platform")
	if got := metrics(plat.Guardrails); !slices.Equal(got, []string{"cycle_time.p50", "deploys_per_week", "allocation_drift", "waiting_for_review", "stale_experiments"}) {
		t.Errorf("platform rules %v", got)
	}
	checkGuardrails(t, plat, map[string]struct {
		value *float64
		ok    bool
	}{
		"cycle_time.p50":    {ptr(float64(secs(3 * day))), true}, // 72h under its own 96h, over the global 48h
		"allocation_drift":  {nil, true},                         // no target
		"stale_experiments": {ptr(0), true},
	})
	if plat.Breached() {
		t.Errorf("platform breached: %+v", plat.Guardrails)
	}
	if got := metrics(r.Total.Guardrails); !slices.Equal(got, metrics(resultsOf(s.Guardrails))) {
		t.Errorf("total rules %v, want the global ones", got)
	}
}

func TestGuardrailValues(t *testing.T) {
	rate := 0.08
	drift := -12.5
	tr := &TeamReport{
		Pickup:      Metric{Current: Stats{Count: 3, P50: 10, P75: 20, P90: 30}},
		Deploys:     DeployReport{HasDeployments: true, PerWeek: 0, ChangeFailureRate: &rate},
		Allocation:  AllocationReport{Drift: &drift},
		Experiments: ExperimentReport{Zombies: make([]Zombie, 2)},
	}
	cases := map[string]*float64{
		"pickup.p75":          ptr(20),
		"pickup.p90":          ptr(30),
		"review.p50":          nil,
		"deploys_per_week":    ptr(0), // deployed before, not in the window: a real 0
		"change_failure_rate": ptr(8),
		"allocation_drift":    ptr(12.5),
		"zombie_runs":         ptr(2),
		"decisions_per_week":  nil, // no experiments at all
		"no_such_metric":      nil,
		"pickup.p99":          nil,
	}
	for metric, want := range cases {
		got := GuardrailValue(metric, tr)
		if (got == nil) != (want == nil) || (got != nil && *got != *want) {
			t.Errorf("%s: got %v, want %v", metric, deref(got), deref(want))
		}
	}
	if res := EvaluateGuardrail(Guardrail{Metric: "change_failure_rate", Op: LT, Value: 8}, tr); res.OK {
		t.Errorf("8 %% < 8 %% passed")
	}
	if res := EvaluateGuardrail(Guardrail{Metric: "pickup.p50", Op: GT, Value: 5}, tr); !res.OK {
		t.Errorf("10 > 5 failed")
	}
}

func checkGuardrails(t *testing.T, tr *TeamReport, want map[string]struct {
	value *float64
	ok    bool
}) {
	t.Helper()
	for _, g := range tr.Guardrails {
		w, ok := want[g.Metric]
		if !ok {
			continue
		}
		if (g.Value == nil) != (w.value == nil) || (g.Value != nil && *g.Value != *w.value) || g.OK != w.ok {
			t.Errorf("%s %s: value %v ok %v, want %v ok %v", tr.Name, g.Metric, deref(g.Value), g.OK, deref(w.value), w.ok)
		}
		delete(want, g.Metric)
	}
	for m := range want {
		t.Errorf("%s: no guardrail %s", tr.Name, m)
	}
}

func metrics(gs []GuardrailResult) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Metric)
	}
	return out
}

func resultsOf(gs []Guardrail) []GuardrailResult {
	var out []GuardrailResult
	for _, g := range gs {
		out = append(out, GuardrailResult{Guardrail: g})
	}
	return out
}

func ptr(f float64) *float64 { return &f }

func deref(f *float64) any {
	if f == nil {
		return "nil"
	}
	return *f
}

func TestFormulasCoverOrder(t *testing.T) {
	for _, k := range FormulaOrder {
		if Formulas[k] == "" {
			t.Errorf("FormulaOrder lists %q without a formula", k)
		}
	}
	if len(FormulaOrder) != len(Formulas) {
		t.Errorf("%d formulas, %d in order", len(Formulas), len(FormulaOrder))
	}
	// Every guardrail metric's base name has a formula (the help screen explains each rule).
	for m := range GuardrailMetrics {
		base := m
		for i := range len(m) {
			if m[i] == '.' {
				base = m[:i]
			}
		}
		if Formulas[base] == "" {
			t.Errorf("guardrail metric %s has no formula %q", m, base)
		}
	}
}
