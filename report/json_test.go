package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pace-dev/pace/domain"
)

func TestJSON(t *testing.T) {
	out := write(t, Options{Format: "json", Color: true, TTY: true})
	if !strings.HasSuffix(out, "}\n") || !strings.HasPrefix(out, "{\n  \"schema\": \"pace.snapshot/v1\",\n") {
		t.Errorf("json framing wrong:\n%s", out)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	get := func(path ...any) any {
		var cur any = v
		for _, p := range path {
			switch k := p.(type) {
			case string:
				cur = cur.(map[string]any)[k]
			case int:
				cur = cur.([]any)[k]
			}
		}
		return cur
	}
	checks := []struct {
		path []any
		want any
	}{
		{[]any{"generated_at"}, "2026-11-26T09:00:00Z"},
		{[]any{"org"}, "Acme Analytics"},
		{[]any{"window", "days"}, 14.0},
		{[]any{"teams", 0, "name"}, "Fraud ML"},
		{[]any{"teams", 0, "cycle_time", "p50_s"}, float64(31 * 3600)},
		{[]any{"teams", 0, "cycle_time", "previous", "p50_s"}, float64(36 * 3600)},
		{[]any{"teams", 0, "deploy", "count"}, 0.0},
		{[]any{"teams", 0, "deploy", "p50_s"}, nil},
		{[]any{"teams", 0, "lead_time", "previous", "p90_s"}, nil},
		{[]any{"teams", 0, "deploys", "change_failure_rate"}, 0.125},
		{[]any{"teams", 0, "deploys", "dora", "change_failure_rate"}, "medium"},
		{[]any{"teams", 0, "experiments", "stale", 0, "key"}, "exp/graph-v3"},
		{[]any{"teams", 0, "experiments", "stale", 0, "idle_s"}, float64(12 * 86400)},
		{[]any{"teams", 0, "experiments", "stale", 0, "runs"}, 2.0},
		{[]any{"teams", 0, "experiments", "fast_failures", 0, "decided_in_s"}, float64(60 * 3600)},
		{[]any{"teams", 0, "experiments", "zombies", 0, "run_url"}, "https://github.com/acme/fraud-model/actions/runs/77"},
		{[]any{"teams", 0, "allocation", "drift"}, -18.0},
		{[]any{"teams", 0, "allocation", "merged_changes"}, nil},
		{[]any{"teams", 0, "waiting_for_review", 0, "title"}, "Red alert link fix gnp.exe <b>bold</b> *stars* and a very long tail that keeps going and going"},
		{[]any{"teams", 0, "waiting_for_review", 0, "wait_s"}, float64(76 * 3600)},
		{[]any{"teams", 0, "guardrails", 0, "ok"}, false},
		{[]any{"teams", 0, "guardrails", 0, "unit"}, "seconds"},
		{[]any{"teams", 0, "trend", "cycle_time_p50_s", 11}, float64(30 * 3600)},
		{[]any{"teams", 0, "trend", "cycle_time_p50_s", 0}, nil},
		{[]any{"teams", 0, "trend", "deploys", 0}, 0.0},
		{[]any{"teams", 0, "trend", "week_starts", 0}, "2026-09-07T00:00:00Z"},
		{[]any{"teams", 1, "deploys", "per_week"}, nil},
		{[]any{"teams", 1, "deploys", "change_failure_rate"}, nil},
		{[]any{"teams", 1, "deploys", "dora", "deploy_frequency"}, nil},
		{[]any{"teams", 1, "allocation", "target"}, nil},
		{[]any{"teams", 1, "allocation", "drift"}, nil},
		{[]any{"teams", 1, "trend", "deploys", 3}, nil},
		{[]any{"teams", 1, "guardrails", 0, "value"}, nil},
		{[]any{"total", "name"}, "All teams"},
		{[]any{"data_quality", "bot_changes"}, 3.0},
		{[]any{"sources", 1, "errors", 0}, "acme/ml/x: 404 not found"},
	}
	for _, c := range checks {
		if got := get(c.path...); got != c.want {
			t.Errorf("%v = %#v, want %#v", c.path, got, c.want)
		}
	}
	// Arrays are never null, and every trend has 12 points.
	for _, k := range []string{"stale", "zombies", "fast_failures"} {
		if a, ok := get("teams", 1, "experiments", k).([]any); !ok || len(a) != 0 {
			t.Errorf("Platform experiments.%s = %#v, want []", k, get("teams", 1, "experiments", k))
		}
	}
	for _, k := range []string{"waiting_for_review", "guardrails"} {
		if _, ok := get("teams", 1, k).([]any); !ok {
			t.Errorf("Platform %s is not an array", k)
		}
	}
	if a, ok := get("sources", 0, "errors").([]any); !ok || len(a) != 0 {
		t.Errorf("sources[0].errors = %#v, want []", get("sources", 0, "errors"))
	}
	for k, a := range get("teams", 1, "trend").(map[string]any) {
		if len(a.([]any)) != domain.Weeks {
			t.Errorf("trend.%s has %d points", k, len(a.([]any)))
		}
	}
	filtered := write(t, Options{Format: "json", Teams: []string{"Platform"}})
	var fv jsonSnapshot
	if err := json.Unmarshal([]byte(filtered), &fv); err != nil {
		t.Fatal(err)
	}
	if len(fv.Teams) != 1 || fv.Teams[0].Name != "Platform" || fv.Total.Name != "All teams" {
		t.Errorf("filtered json: %d teams, first %q, total %q", len(fv.Teams), fv.Teams[0].Name, fv.Total.Name)
	}
}
