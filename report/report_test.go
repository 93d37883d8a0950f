package report

import (
	"bytes"
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
		"  deploys      3.5/week · 2 days/week (high) · CFR 12.5% (medium)",
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
	if strings.Contains(out, "\x1b]") || strings.Contains(out, "\x1b[?") {
		t.Errorf("coloured text holds an OSC or a private query; snapshot must not query the terminal:\n%q", out)
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
