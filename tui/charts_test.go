package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

func TestSparkline(t *testing.T) {
	got := sparkline([]float64{0, 50, 100, -1}, 1)
	if got != "▁▅█·" {
		t.Errorf("sparkline = %q, want ▁▅█· (unknown as ·)", got)
	}
	if got := sparkline([]float64{1, 2}, 3); ansi.StringWidth(got) != 6 {
		t.Errorf("sparkline with 3 cells a point is %d wide", ansi.StringWidth(got))
	}
}

func TestStackedFillsWidthAndKeepsSmallParts(t *testing.T) {
	st := newStyles(newRenderer(Options{NoColor: true}))
	for _, w := range []int{4, 10, 37, 80} {
		got := stacked(st, [4]int64{100000, 1, 5000, -1}, w)
		if n := ansi.StringWidth(got); n != w {
			t.Errorf("stacked in %d cells is %d wide: %q", w, n, got)
		}
		if !strings.Contains(got, "▓") {
			t.Errorf("a tiny pickup part vanished at width %d: %q", w, got)
		}
		if strings.Contains(got, "░") {
			t.Errorf("an unknown deploy part is drawn at width %d: %q", w, got)
		}
	}
}

func TestAllocBar(t *testing.T) {
	st := newStyles(newRenderer(Options{NoColor: true}))
	a, tg := 30.0, 60.0
	got := allocBar(st, &a, &tg, 10)
	if got != "███░░░│░░░" {
		t.Errorf("allocBar(30%% vs 60%%) = %q", got)
	}
	if got := allocBar(st, nil, nil, 5); got != "·····" {
		t.Errorf("allocBar without data = %q", got)
	}
	if got := hbar(0.5, 4); got != "██  " {
		t.Errorf("hbar(0.5, 4) = %q", got)
	}
}

func TestVbarsAndAxis(t *testing.T) {
	st := newStyles(newRenderer(Options{NoColor: true}))
	lines := vbars(st, []int{0, 1, 8}, 2, 2)
	if len(lines) != 2 {
		t.Fatalf("%d rows, want 2", len(lines))
	}
	if lines[0] != "    █ " || lines[1] != "  ▂ █ " {
		t.Errorf("vbars = %q", lines)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ax := timeAxis([]axisMark{{At: t0, Glyph: "a", Style: st.Dim}, {At: t0.Add(10 * time.Hour), Glyph: "b", Style: st.Dim}}, t0, t0.Add(10*time.Hour), 11)
	if ax != "a─────────b" {
		t.Errorf("timeAxis = %q", ax)
	}
}
