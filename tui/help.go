package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"github.com/charmbracelet/x/ansi"

	"github.com/pace-dev/pace/domain"
)

// The help screen: every key, then the formula behind every number on the
// screen it was opened from, the focused metric first.

// screenFormulas lists the metrics a screen shows, most prominent first.
func (m *Model) screenFormulas(s screenID) []string {
	switch s {
	case screenOverview:
		f := []string{overviewMetrics[m.metric].formula}
		for _, c := range overviewMetrics {
			if c.formula != f[0] {
				f = append(f, c.formula)
			}
		}
		return f
	case screenTeam:
		switch m.tab {
		case tabCycle:
			return []string{"cycle_time", "coding", "pickup", "review", "deploy", "lead_time"}
		case tabDeploys:
			return []string{"deploy_frequency", "change_failure_rate", "recovery", "lead_time", "dora"}
		case tabExperiments:
			return []string{"turnaround", "run_duration", "queue_time", "time_to_decision", "decisions", "fast_failures", "stale_experiments", "zombie_runs"}
		case tabAllocation:
			return []string{"allocation", "allocation_drift"}
		default:
			return []string{"waiting_for_review", "pickup"}
		}
	case screenChange:
		return []string{"coding", "pickup", "review", "deploy", "cycle_time", "lead_time"}
	case screenExperiment:
		return []string{"turnaround", "run_duration", "queue_time", "time_to_decision", "stale_experiments"}
	case screenStale:
		return []string{"stale_experiments", "zombie_runs"}
	}
	return nil
}

// localFormulas explain what the dashboard itself adds on top of the
// metric engine's formulas.
var localFormulas = map[string]string{
	"guardrails": "guardrails: each rule of guardrails (global, a team's own rule wins) checked against the window's value; ✓ n all n hold, ✗ b/n b breached; no data never breaches",
	"merged":     "merged: non-bot changes merged in the window",
}

// formula finds the text for a metric key in domain.Formulas, trying the
// spellings a key may have there.
func formula(k string) string {
	if f, ok := localFormulas[k]; ok {
		return f
	}
	cands := []string{k, strings.ReplaceAll(k, "_", " "), strings.TrimSuffix(k, "_time"), k + "_time"}
	for _, c := range cands {
		if f, ok := domain.Formulas[c]; ok {
			return strings.TrimSpace(f)
		}
	}
	return ""
}

// helpLines builds the whole help text for the screen below the help.
func (m *Model) helpLines() []string {
	st := m.st
	under := screenOverview
	if n := len(m.stack); n > 0 {
		under = m.stack[n-1]
	}
	out := []string{st.Heading.Render("Keys")}
	out = append(out, m.keyGrid()...)
	out = append(out, "")
	keys := m.screenFormulas(under)
	if len(keys) == 0 {
		return append(out, st.Dim.Render("This screen shows no metric."))
	}
	out = append(out, st.Heading.Render("Formulas on this screen")+st.Dim.Render(" (the focused metric first; durations in whole seconds, nearest-rank percentiles)"))
	w := max(20, m.width-2)
	for i, k := range keys {
		f := formula(k)
		if f == "" {
			continue
		}
		mark := "  "
		if i == 0 {
			mark = st.Selected.Render("▸ ")
		}
		for j, l := range strings.Split(ansi.Wrap(safe(f), w, " "), "\n") {
			if j == 0 {
				out = append(out, mark+l)
			} else {
				out = append(out, "  "+l)
			}
		}
	}
	if under == screenOverview || under == screenTeam {
		out = append(out, "", st.Heading.Render("All formulas")+st.Dim.Render(" (README has the same)"))
		for _, k := range domain.FormulaOrder {
			for _, l := range strings.Split(ansi.Wrap(safe(domain.Formulas[k]), w, " "), "\n") {
				out = append(out, "  "+l)
			}
		}
	}
	return out
}

// viewHelp renders the help, scrolled.
func (m *Model) viewHelp(h int) []string {
	lines := m.helpLines()
	from := max(0, min(m.scroll, len(lines)-h))
	out := lines[from:]
	if len(out) > h {
		out = out[:h]
		if h > 0 {
			out[h-1] = m.st.Dim.Render("  ↓ more (j/k scroll)")
		}
	}
	return out
}

// keyGrid lays every binding out in as many columns as fit, filled column
// by column so related keys stay together; each column is as wide as its
// longest entry.
func (m *Model) keyGrid() []string {
	var all []key.Binding
	for _, g := range m.keys.FullHelp() {
		all = append(all, g...)
	}
	for cols := 4; cols >= 1; cols-- {
		rows := (len(all) + cols - 1) / cols
		keyW := make([]int, cols)
		descW := make([]int, cols)
		for i, b := range all {
			c := i / rows
			keyW[c] = max(keyW[c], ansiWidth(b.Help().Key))
			descW[c] = max(descW[c], ansiWidth(b.Help().Desc))
		}
		total := 0
		for c := range cols {
			total += keyW[c] + 1 + descW[c] + 2
		}
		if total-2 > m.width && cols > 1 {
			continue
		}
		lines := make([]string, rows)
		for i, b := range all {
			c := i / rows
			lines[i%rows] += m.st.Help.FullKey.Render(pad(b.Help().Key, keyW[c])) + " " +
				m.st.Help.FullDesc.Render(pad(b.Help().Desc, descW[c])) + "  "
		}
		return lines
	}
	return nil
}
