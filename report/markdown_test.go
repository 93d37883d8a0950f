package report

import (
	"strings"
	"testing"
)

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
		"- **Deploys:** 3.5/week · 2 days/week (high) · CFR 12.5% (medium)\n",
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
