package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/textsafe"
)

func write(t *testing.T, opts Options) string {
	t.Helper()
	rep, ds := fixture()
	var b bytes.Buffer
	if err := Write(&b, rep, ds, opts); err != nil {
		t.Fatalf("Write(%+v): %v", opts, err)
	}
	return b.String()
}

func TestDur(t *testing.T) {
	tests := []struct {
		s    int64
		want string
	}{
		{-1, "—"}, {0, "0s"}, {42, "42s"}, {59, "59s"}, {60, "1m"}, {89, "1m"}, {90, "2m"},
		{45 * 60, "45m"}, {3570, "1h"}, {3600, "1h"}, {5400, "1.5h"}, {9*3600 + 1800, "9.5h"},
		{9*3600 + 58*60, "10h"}, {31 * 3600, "31h"}, {47*3600 + 20*60, "47h"}, {47*3600 + 40*60, "2d"},
		{48 * 3600, "2d"}, {276480, "3.2d"}, {30 * 86400, "30d"},
	}
	for _, tt := range tests {
		if got := dur(tt.s); got != tt.want {
			t.Errorf("dur(%d) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestDelta(t *testing.T) {
	st := func(n int, p50 int64) domain.Stats { return domain.Stats{Count: n, P50: p50} }
	tests := []struct {
		cur, prev domain.Stats
		want      string
	}{
		{st(5, 31*3600), st(4, 36*3600), "↓ 14% vs 36h"},
		{st(5, 36*3600), st(4, 30*3600), "↑ 20% vs 30h"},
		{st(5, 3600), st(4, 3600), "= vs 1h"},
		{st(5, 3600), st(0, 0), "prev —"},
		{st(0, 0), st(3, 7200), "prev 2h"},
		{st(2, 60), st(3, 0), "↑ vs 0s"},
	}
	for _, tt := range tests {
		if got := delta(tt.cur, tt.prev); got != tt.want {
			t.Errorf("delta(%v, %v) = %q, want %q", tt.cur, tt.prev, got, tt.want)
		}
	}
}

func TestTextPlain(t *testing.T) {
	out := write(t, Options{Format: "text"})
	if strings.Contains(out, "\x1b") {
		t.Errorf("text without colour holds an escape:\n%q", out)
	}
	for _, want := range []string{
		"pace snapshot · Acme Analytics",
		"window      2026-11-12T09:00:00Z – 2026-11-26T09:00:00Z (14d)",
		"last sync   github  2026-11-26T08:50:00Z",
		"gitlab  2026-11-26T06:00:00Z  1 error: acme/ml/x: 404 not found",
		"  cycle time   p50 31h (↓ 14% vs 36h) · p75 2.1d · p90 4.5d",
		"  parts p50    coding 5h · pickup 3h · review 9h · deploy —",
		"  lead time    p50 38h (prev —) · DORA high",
		"  deploys      3.5/week · 2 days/week (high) · CFR 13% (medium)",
		"  recovery     p50 2h (high) · 1 failure",
		"  allocation   research 42% / eng 58% · target 60/40 · drift −18 pts",
		"  guardrails   ✗ cycle_time.p50 31h (rule <= 24h)",
		"    exp/graph-v3  idle 12d  bob  acme/fraud-model",
		"    exp/long-train  running 31h  acme/fraud-model",
		"    exp/graph-features-v2  in 2.5d  dave  acme/ml/feature-store",
		"    3.2d  Red alert link fix gnp.exe <b>bold</b> *stars* and a very l…",
		"          acme/fraud-model#412 by alice",
		"data quality, whole history",
		"  3 bot changes left out of every metric",
		"  2 negative spans (clock skew, rebases) counted as unknown",
		"  1 timestamp after the report time ignored",
		"  4 changes in no team, counted in the org total only",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("text lacks line %q\n%s", want, out)
		}
	}
	// Platform has no data: every value unknown, never 0.
	plat := section(out, "Platform\n", "All teams\n")
	for _, want := range []string{
		"  cycle time   p50 — (prev —) · no merged changes",
		"  parts p50    coding — · pickup — · review — · deploy —",
		"  deploys      — (no production deployments seen)",
		"  recovery     p50 —",
		"  allocation   research — / eng — · no target",
		"  guardrails   ✓ all guardrails hold (1 without data)",
	} {
		if !strings.Contains(plat, want+"\n") {
			t.Errorf("Platform lacks %q:\n%s", want, plat)
		}
	}
	if strings.Contains(plat, " 0s") || strings.Contains(plat, "p50 0") {
		t.Errorf("unknown printed as zero:\n%s", plat)
	}
	checkWidth(t, out)
}

func TestTextRelativeOnTTY(t *testing.T) {
	out := write(t, Options{TTY: true})
	for _, want := range []string{"github  10m ago", "gitlab  3h ago", "2026-11-12 09:00 UTC – 2026-11-26 09:00 UTC"} {
		if !strings.Contains(out, want) {
			t.Errorf("TTY text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "T09:00:00Z") {
		t.Errorf("TTY text has RFC3339 times:\n%s", out)
	}
}

func TestTextColour(t *testing.T) {
	out := write(t, Options{Format: "text", Color: true, TTY: true})
	if !strings.Contains(out, "\x1b[") {
		t.Fatalf("coloured text has no ANSI sequence:\n%q", out)
	}
	red := "\x1b[31m  guardrails   ✗ cycle_time.p50 31h (rule <= 24h)\x1b[0m"
	if !strings.Contains(out, red) {
		t.Errorf("breach not red; want %q in\n%q", red, out)
	}
	// Colour changes nothing but the escapes.
	plain := write(t, Options{Format: "text", TTY: true})
	if got := textsafe.Clean(strings.ReplaceAll(out, "\n", "|")); got != textsafe.Clean(strings.ReplaceAll(plain, "\n", "|")) {
		t.Errorf("coloured text differs from plain beyond escapes")
	}
	checkWidth(t, out)
}

func TestHostileTextSanitised(t *testing.T) {
	for _, f := range Formats() {
		out := write(t, Options{Format: f})
		if strings.ContainsAny(out, "\x1b\x07\u202e\u009b") {
			t.Errorf("%s output keeps a control or escape: %q", f, out)
		}
		if strings.Contains(out, "pwned") || strings.Contains(out, "http://evil") {
			t.Errorf("%s output keeps an escape payload", f)
		}
	}
}

func TestTeamFilter(t *testing.T) {
	out := write(t, Options{Teams: []string{"platform"}})
	if strings.Contains(out, "Fraud ML") || strings.Contains(out, "All teams") {
		t.Errorf("filtered text shows other teams or the total:\n%s", out)
	}
	if !strings.Contains(out, "\nPlatform\n") {
		t.Errorf("filtered text lacks Platform:\n%s", out)
	}
	md := write(t, Options{Format: "markdown", Teams: []string{"PLATFORM"}})
	if strings.Contains(md, "Fraud ML") || !strings.Contains(md, "### Platform") {
		t.Errorf("filtered markdown wrong:\n%s", md)
	}
}

func TestCheckTeams(t *testing.T) {
	rep, _ := fixture()
	if err := CheckTeams(rep, []string{"fraud ml", "Platform"}); err != nil {
		t.Errorf("known teams rejected: %v", err)
	}
	err := CheckTeams(rep, []string{"Fraud ML", "Search", "Ops"})
	want := `unknown teams "Search", "Ops"; known teams: "Fraud ML", "Platform"`
	if err == nil || err.Error() != want {
		t.Errorf("CheckTeams error = %v, want %q", err, want)
	}
	var b bytes.Buffer
	if err := Write(&b, rep, nil, Options{Teams: []string{"nope"}}); err == nil || b.Len() != 0 {
		t.Errorf("Write with an unknown team: err %v, wrote %d bytes", err, b.Len())
	}
}

func TestWriteErrors(t *testing.T) {
	rep, _ := fixture()
	var b bytes.Buffer
	if err := Write(&b, rep, nil, Options{Format: "yaml"}); err == nil || !strings.Contains(err.Error(), "text, markdown, json, csv") {
		t.Errorf("unknown format: %v", err)
	}
	if err := Write(&b, rep, nil, Options{Format: "csv"}); err == nil {
		t.Error("csv without a dataset: no error")
	}
	if err := Write(&b, nil, nil, Options{}); err == nil {
		t.Error("nil report: no error")
	}
	if err := Write(&b, rep, nil, Options{Format: "json"}); err != nil {
		t.Errorf("json without a dataset: %v", err)
	}
}

func TestMarkdown(t *testing.T) {
	out := write(t, Options{Format: "markdown", Color: true, TTY: true})
	if strings.Contains(out, "\x1b") {
		t.Errorf("markdown holds ANSI even with Color set")
	}
	for _, want := range []string{
		"## pace snapshot · Acme Analytics\n",
		"**last sync** github 2026-11-26T08:50:00Z · gitlab 2026-11-26T06:00:00Z (1 error: acme/ml/x: 404 not found)\n",
		"### Fraud ML\n",
		"| cycle time | 31h | 2.1d | 4.5d | 42 | ↓ 14% vs 36h |\n",
		"| deploy | — | — | — | 0 | prev — |\n",
		"- **Deploys:** 3.5/week · 2 days/week (high) · CFR 13% (medium)\n",
		"- **Guardrails:**\n  - ✗ cycle_time.p50 31h (rule <= 24h)\n",
		"  - 3.2d [acme/fraud-model\\#412](https://github.com/acme/fraud-model/pull/412) Red alert link fix gnp.exe \\<b\\>bold\\</b\\> \\*stars\\* and a very l… by alice\n",
		"  - exp/graph-v3: idle 12d, owner bob (acme/fraud-model)\n",
		"  - [exp/long-train](https://github.com/acme/fraud-model/actions/runs/77): running 31h (acme/fraud-model)\n",
		"  - exp/graph-features-v2: decided in 2.5d, owner dave (acme/ml/feature-store)\n",
		"### All teams\n",
		"**Data quality, whole history:** 3 bot changes left out of every metric · 2 negative spans (clock skew, rebases) counted as unknown · 1 timestamp after the report time ignored · 4 changes in no team, counted in the org total only\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q\n%s", want, out)
		}
	}
}

func TestMdLink(t *testing.T) {
	tests := []struct{ text, url, want string }{
		{"a#1", "https://x.test/p/1", "[a\\#1](https://x.test/p/1)"},
		{"a", "javascript:alert(1)", "a"},
		{"a", "/relative", "a"},
		{"a", "https://x.test/a b(c)", "[a](https://x.test/a%20b%28c%29)"},
	}
	for _, tt := range tests {
		if got := mdLink(tt.text, tt.url); got != tt.want {
			t.Errorf("mdLink(%q, %q) = %q, want %q", tt.text, tt.url, got, tt.want)
		}
	}
}

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

func TestCSV(t *testing.T) {
	out := write(t, Options{Format: "csv"})
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "source,repo,number,url,title,author,team,category,draft,bot,opened_at,ready_at,first_commit_at,first_review_at,approved_at,merged_at,closed_at,deployed_at,coding_s,pickup_s,review_s,deploy_s,cycle_time_s,lead_time_s"
	if got := strings.Join(recs[0], ","); got != wantHeader {
		t.Fatalf("header\n got %s\nwant %s", got, wantHeader)
	}
	var keys []string
	for _, r := range recs[1:] {
		keys = append(keys, r[0]+":"+r[1]+"#"+r[2])
	}
	want := "github:acme/fraud-model#3 github:acme/fraud-model#7 github:acme/fraud-model#9 github:acme/fraud-model#412 github:acme/misc#2 gitlab:acme/platform#1"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("rows\n got %s\nwant %s", got, want)
	}
	row := func(key string) map[string]string {
		for i, k := range keys {
			if k == key {
				m := map[string]string{}
				for j, col := range recs[0] {
					m[col] = recs[i+1][j]
				}
				return m
			}
		}
		t.Fatalf("no row %s", key)
		return nil
	}
	r7 := row("github:acme/fraud-model#7")
	for col, v := range map[string]string{
		"first_commit_at": "2026-11-21T09:00:00Z", "merged_at": "2026-11-24T09:00:00Z", "deployed_at": "",
		"closed_at": "", "coding_s": "86400", "pickup_s": "86400", "review_s": "86400", "deploy_s": "",
		"cycle_time_s": "259200", "lead_time_s": "", "category": "research", "team": "Fraud ML", "bot": "false", "draft": "false",
	} {
		if r7[col] != v {
			t.Errorf("#7 %s = %q, want %q", col, r7[col], v)
		}
	}
	if r := row("github:acme/fraud-model#3"); r["bot"] != "true" || r["author"] != "renovate[bot]" {
		t.Errorf("bot row: %v", r)
	}
	if r := row("github:acme/fraud-model#9"); r["deployed_at"] != "" || r["lead_time_s"] != "" || r["deploy_s"] != "" {
		t.Errorf("a deployment after now leaks into the CSV: %v", r)
	}
	if r := row("gitlab:acme/platform#1"); r["title"] != `'=HYPERLINK("http://x")` {
		t.Errorf("formula title not defused: %q", r["title"])
	}
	r412 := row("github:acme/fraud-model#412")
	if want := "Red alert link fix gnp.exe <b>bold</b> *stars* and a very long tail that keeps going and going"; r412["title"] != want {
		t.Errorf("csv title = %q, want %q (clean, untruncated)", r412["title"], want)
	}

	filtered := write(t, Options{Format: "csv", Teams: []string{"platform"}})
	if lines := strings.Split(strings.TrimSpace(filtered), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "gitlab,acme/platform,1,") {
		t.Errorf("csv filtered to Platform:\n%s", filtered)
	}
}

// section returns out from the line starting with from up to to.
func section(out, from, to string) string {
	i := strings.Index(out, "\n"+from)
	if i < 0 {
		return ""
	}
	s := out[i+1:]
	if j := strings.Index(s, "\n"+to); j >= 0 {
		s = s[:j+1]
	}
	return s
}

// checkWidth asserts every line of a text snapshot fits Width cells.
func checkWidth(t *testing.T, out string) {
	t.Helper()
	for i, l := range strings.Split(out, "\n") {
		if w := textsafe.Width(l); w > Width {
			t.Errorf("line %d is %d cells wide (max %d): %q", i+1, w, Width, l)
		}
	}
}

// FuzzHostileText puts arbitrary text everywhere an API string is printed
// and checks every format stays safe: no escapes or controls, text lines
// within Width, JSON and CSV still parse.
func FuzzHostileText(f *testing.F) {
	for _, s := range []string{hostileTitle, "", "修复👩‍💻" + strings.Repeat("宽", 80), "=cmd|' /C calc'!A0", "\x1b", "a\u009b2Jb", "|*_[x](y)<b>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rep, ds := fixture()
		fr := &rep.Teams[0]
		fr.Waiting[0].Change.Title, fr.Waiting[0].Change.Author, fr.Waiting[0].Change.Repo = s, s, s
		fr.Experiments.Stale[0].Key, fr.Experiments.Stale[0].Owner = s, s
		fr.Experiments.Zombies[0].Experiment.Key = s
		fr.Experiments.FastFailures[0].Repo = s
		rep.Org, rep.Sources[0].Name, rep.Sources[1].Errors[0] = s, s, s
		ds.Changes[0].Title, ds.Changes[0].Author = s, s
		for _, format := range Formats() {
			var b bytes.Buffer
			if err := Write(&b, rep, ds, Options{Format: format}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, r := range out {
				if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' {
					t.Fatalf("%s output holds control %U for input %q", format, r, s)
				}
			}
			switch format {
			case FormatText:
				checkWidth(t, out)
			case FormatJSON:
				if !json.Valid(b.Bytes()) {
					t.Fatalf("invalid JSON for input %q", s)
				}
			case FormatCSV:
				recs, err := csv.NewReader(&b).ReadAll()
				if err != nil {
					t.Fatalf("csv does not parse for input %q: %v", s, err)
				}
				for _, r := range recs {
					if len(r) != len(CSVColumns()) {
						t.Fatalf("csv row has %d fields", len(r))
					}
				}
			}
		}
	})
}
