package tui

import (
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/pace-dev/pace/domain"
)

func TestFmtDur(t *testing.T) {
	cases := []struct {
		sec  int64
		want string
	}{
		{-1, "—"}, {0, "0s"}, {59, "59s"}, {60, "1m"}, {3599, "1h"}, {3600, "1h"},
		{5400, "1.5h"}, {36000, "10h"}, {47 * 3600, "47h"}, {48 * 3600, "2d"},
		{int64(2.5 * 86400), "2.5d"}, {10 * 86400, "10d"}, {400 * 86400, "400d"},
	}
	for _, c := range cases {
		if got := fmtDur(c.sec); got != c.want {
			t.Errorf("fmtDur(%d) = %q, want %q", c.sec, got, c.want)
		}
		if n := ansi.StringWidth(fmtDur(c.sec)); n > 5 {
			t.Errorf("fmtDur(%d) is %d cells, columns allow 5", c.sec, n)
		}
	}
}

func TestUnknownIsDashNeverZero(t *testing.T) {
	var none domain.Stats
	for _, p := range []int{50, 75, 90} {
		if got := fmtP(none, p); got != dash {
			t.Errorf("fmtP(no data, %d) = %q, want %q", p, got, dash)
		}
	}
	if got := fmtPct(nil); got != dash {
		t.Errorf("fmtPct(nil) = %q", got)
	}
	if got := fmtDelta(domain.Stats{Count: 1, P50: 10}, none); got != "" {
		t.Errorf("delta against no data = %q, want none", got)
	}
	if got := guardValue("cycle_time.p50", nil); got != dash {
		t.Errorf("guardValue(nil) = %q", got)
	}
}

func TestFmtDelta(t *testing.T) {
	s := func(p50 int64) domain.Stats { return domain.Stats{Count: 3, P50: p50} }
	cases := []struct {
		cur, prev int64
		want      string
	}{{112, 100, "▲12%"}, {92, 100, "▼8%"}, {100, 100, "=0%"}, {100000, 1, "▲999%"}}
	for _, c := range cases {
		if got := fmtDelta(s(c.cur), s(c.prev)); got != c.want {
			t.Errorf("fmtDelta(%d, %d) = %q, want %q", c.cur, c.prev, got, c.want)
		}
	}
}

func TestFitIsExactWidth(t *testing.T) {
	inputs := []string{"", "plain", "中文标题很长很长很长", "🚀🎉👩‍💻👨‍👩‍👧", hostile.csi, hostile.osc8, hostile.long, hostile.hebrew, hostile.bidi}
	for _, in := range inputs {
		for _, w := range []int{1, 2, 3, 7, 20, 80} {
			got := fit(in, w)
			if n := ansi.StringWidth(got); n != w {
				t.Errorf("fit(%q, %d) is %d cells: %q", in, w, n, got)
			}
			if r := rfit(safe(in), w); ansi.StringWidth(r) != w {
				t.Errorf("rfit(%q, %d) is %d cells", in, w, ansi.StringWidth(r))
			}
		}
	}
	if got := fit("abcdef", 4); got != "abc…" {
		t.Errorf("fit truncates to %q, want abc…", got)
	}
}

func TestCheckURL(t *testing.T) {
	ok := []string{"https://github.com/acme/x/pull/1", "http://localhost:8080/a", "HTTPS://GitLab.com/x"}
	bad := []string{"", "javascript:alert(1)", "file:///etc/passwd", "ssh://host/x", "https://", "/relative/path", "calc.exe", "https://exa\x1bmple.com"}
	for _, u := range ok {
		if err := checkURL(u); err != nil {
			t.Errorf("checkURL(%q) = %v, want ok", u, err)
		}
	}
	for _, u := range bad {
		if err := checkURL(u); err == nil {
			t.Errorf("checkURL(%q) accepted it", u)
		}
	}
}

func TestNextWindowCycles(t *testing.T) {
	day := 24 * 60 * 60
	got := []string{}
	w := windows[1] // 14d
	for range 5 {
		w = nextWindow(w)
		got = append(got, fmtWindow(w))
	}
	want := []string{"30d", "90d", "7d", "14d", "30d"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("window cycle %v, want %v (day %d s)", got, want, day)
		}
	}
}
