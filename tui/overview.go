package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/pace-dev/pace/domain"
)

// ovMetric is one column of the overview table.
type ovMetric struct {
	top, sub string // the two header lines
	w        int
	formula  string // key into the help screen's formulas
	name     string // spoken name, for the focus hint
	wide     bool   // only shown when the terminal is wide enough
}

// overviewMetrics are the overview's columns after the team name, in order.
var overviewMetrics = []ovMetric{
	{top: "CYCLE", sub: "p50 Δprev", w: 10, formula: "cycle_time", name: "cycle time p50 against the previous window"},
	{top: "PICKUP", sub: "p75", w: 6, formula: "pickup", name: "pickup time p75"},
	{top: "DEPLOY", sub: "/week", w: 6, formula: "deploy_frequency", name: "production deploys per week"},
	{top: "LEAD", sub: "p50", w: 6, formula: "lead_time", name: "lead time for changes p50"},
	{top: "TURN", sub: "p50", w: 6, formula: "turnaround", name: "experiment turnaround p50"},
	{top: "RESEARCH", sub: "share│target", w: 12, formula: "allocation", name: "research share of person-days against the target"},
	{top: "STALE", sub: "exps", w: 5, formula: "stale_experiments", name: "stale experiments"},
	{top: "GUARD", sub: "rails", w: 5, formula: "guardrails", name: "guardrails held or breached"},
	{top: "MERGED", sub: "changes", w: 7, formula: "merged", name: "changes merged in the window", wide: true},
	{top: "WAITING", sub: "review", w: 7, formula: "waiting_for_review", name: "changes waiting for review", wide: true},
	{top: "CFR", sub: "failed", w: 6, formula: "change_failure_rate", name: "change failure rate", wide: true},
	{top: "DECIDED", sub: "/week", w: 7, formula: "decisions", name: "experiments decided per week", wide: true},
}

// ovLayout is how the overview fits the width: the team column takes what
// the metric columns leave.
type ovLayout struct {
	teamW int
	cols  []int // indices into overviewMetrics
}

func (m *Model) ovLayout() ovLayout {
	fixed := 2
	var cols []int
	for i, c := range overviewMetrics {
		if !c.wide {
			cols = append(cols, i)
			fixed += c.w + 1
		}
	}
	// Wide terminals get the extra columns while the team column keeps 16 cells.
	for i, c := range overviewMetrics {
		if c.wide && m.width-(fixed+c.w+1) >= 16 {
			cols = append(cols, i)
			fixed += c.w + 1
		}
	}
	return ovLayout{teamW: max(8, min(m.width-fixed, 28)), cols: cols}
}

// ovRows is how many team rows the table shows: it shares the body with
// the trend below it, which shows the same rows.
func (m *Model) ovRows() int {
	n := 1
	if m.data != nil {
		n = len(m.data.teams)
	}
	avail := (m.bodyHeight() - 5) / 2 // two header lines, title, blank, trend title
	return max(1, min(n, avail))
}

// viewOverview renders the overview body in exactly h lines.
func (m *Model) viewOverview(h int) []string {
	st := m.st
	lay := m.ovLayout()
	out := make([]string, 0, h)
	focus := overviewMetrics[m.metric]
	title := "Teams · ←→ focus: " + focus.name + " (? formula)"
	out = append(out, st.Heading.Render(clip("Teams", m.width))+st.Dim.Render(clip(strings.TrimPrefix(title, "Teams"), m.width-5)))

	top, sub := st.Heading.Render("  "+pad("TEAM", lay.teamW)), strings.Repeat(" ", lay.teamW+2)
	for _, ci := range lay.cols {
		c := overviewMetrics[ci]
		ts, ss := st.Heading, st.Dim
		if ci == m.metric {
			ts, ss = st.Focus, st.Focus
		}
		top += " " + styleWord(ts, rfitOrL(c, c.top))
		sub += " " + styleWord(ss, rfitOrL(c, c.sub))
	}
	out = append(out, top, sub)

	from, to := m.overview.visible()
	rows := m.ovRows()
	for p := from; p < to; p++ {
		i := m.overview.idx[p]
		out = append(out, m.ovRow(&m.data.teams[i], lay, p == m.overview.cursor))
	}
	if len(m.overview.idx) == 0 {
		out = append(out, st.Dim.Render("  no team matches the filter"))
	}
	for len(out) < 3+rows {
		out = append(out, "")
	}

	out = append(out, "")
	ws := m.data.report.WeekStarts
	each := 1
	if m.width >= 120 {
		each = 2
	}
	trendTitle := "Cycle time p50 per week, " + strconv.Itoa(domain.Weeks) + " ISO weeks from " + fmtDay(ws[0])
	if m.width >= 120 {
		trendTitle += "   ·   production deploys per week"
	}
	out = append(out, st.Heading.Render(clip(trendTitle, m.width)))
	for p := from; p < to; p++ {
		out = append(out, m.ovTrend(&m.data.teams[m.overview.idx[p]], lay.teamW, each))
	}
	for len(out) < 5+2*rows {
		out = append(out, "")
	}
	return m.attention(out, h)
}

// styleWord styles s without its surrounding padding, so an underline
// never runs under blank cells.
func styleWord(style lipgloss.Style, s string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return s
	}
	i := strings.Index(s, t)
	return s[:i] + style.Render(t) + s[i+len(t):]
}

// rfitOrL aligns a header like its column: numbers right, bars left.
func rfitOrL(c ovMetric, s string) string {
	if c.formula == "allocation" {
		return pad(clip(s, c.w), c.w)
	}
	return rfit(s, c.w)
}

// ovRow is one team's row.
func (m *Model) ovRow(td *teamData, lay ovLayout, sel bool) string {
	st := m.st
	t := td.rep
	var b strings.Builder
	name := fit(td.name(), lay.teamW)
	if sel {
		b.WriteString(st.Selected.Render("▸ " + name))
	} else if td.org {
		b.WriteString("  " + st.Heading.Render(name))
	} else {
		b.WriteString("  " + name)
	}
	for _, ci := range lay.cols {
		c := overviewMetrics[ci]
		b.WriteString(" ")
		switch c.formula {
		case "cycle_time":
			d := fmtDelta(t.CycleTime.Current, t.CycleTime.Previous)
			v := fmtP(t.CycleTime.Current, 50)
			cell := rfit(v, 4)
			if d != "" {
				ds := st.Dim
				if strings.HasPrefix(d, "▲") {
					ds = st.Bad
				} else if strings.HasPrefix(d, "▼") {
					ds = st.Good
				}
				cell += " " + ds.Render(rfit(d, c.w-5))
			} else {
				cell += strings.Repeat(" ", c.w-4)
			}
			b.WriteString(cell)
		case "pickup":
			b.WriteString(rfit(fmtP(t.Pickup.Current, 75), c.w))
		case "deploy_frequency":
			v := dash
			if t.Deploys.HasDeployments {
				v = fmtRate(t.Deploys.PerWeek)
			}
			b.WriteString(rfit(v, c.w))
		case "lead_time":
			b.WriteString(rfit(fmtP(t.LeadTime.Current, 50), c.w))
		case "turnaround":
			b.WriteString(rfit(fmtP(t.Experiments.Turnaround.Current, 50), c.w))
		case "allocation":
			b.WriteString(m.allocCell(&t.Allocation, c.w))
		case "stale_experiments":
			n := len(t.Experiments.Stale)
			v := rfit(strconv.Itoa(n), c.w)
			if n > 0 {
				v = st.Warn.Render(v)
			}
			b.WriteString(v)
		case "guardrails":
			b.WriteString(m.guardCell(t, c.w))
		case "merged":
			b.WriteString(rfit(strconv.Itoa(t.Changes.Merged), c.w))
		case "waiting_for_review":
			b.WriteString(rfit(strconv.Itoa(len(t.Waiting)), c.w))
		case "change_failure_rate":
			b.WriteString(rfit(fmtPct(t.Deploys.ChangeFailureRate), c.w))
		case "decisions":
			b.WriteString(rfit(fmtRate(t.Experiments.DecisionsPerWeek), c.w))
		}
	}
	return b.String()
}

// allocCell is the research share bar with the target marked, then the
// actual percent.
func (m *Model) allocCell(a *domain.AllocationReport, w int) string {
	var actual, target *float64
	if a.PersonDays != nil {
		actual = &a.PersonDays.Research
	}
	if a.Target != nil {
		target = &a.Target.Research
	}
	pct := dash
	if actual != nil {
		pct = strconv.Itoa(int(*actual+0.5)) + "%"
	}
	return allocBar(m.st, actual, target, w-5) + " " + rfit(pct, 4)
}

// guardCell is "✓ 5" when every guardrail holds, "✗ 2/5" when two of five
// are breached, dash without guardrails.
func (m *Model) guardCell(t *domain.TeamReport, w int) string {
	n := len(t.Guardrails)
	if n == 0 {
		return rfit(dash, w)
	}
	bad := 0
	for _, g := range t.Guardrails {
		if !g.OK {
			bad++
		}
	}
	if bad == 0 {
		return m.st.Good.Render(rfit("✓ "+strconv.Itoa(n), w))
	}
	return m.st.Bad.Render(rfit("✗ "+strconv.Itoa(bad)+"/"+strconv.Itoa(n), w))
}

// ovTrend is one team's weekly sparkline(s).
func (m *Model) ovTrend(td *teamData, teamW, each int) string {
	t := td.rep
	vals := make([]float64, domain.Weeks)
	for i, s := range t.CycleTime.Weekly {
		vals[i] = -1
		if s.Known() {
			vals[i] = float64(s.P50)
		}
	}
	first, last := dash, dash
	for i := range t.CycleTime.Weekly {
		if s := t.CycleTime.Weekly[i]; s.Known() && first == dash {
			first = fmtDur(s.P50)
		}
		if s := t.CycleTime.Weekly[domain.Weeks-1-i]; s.Known() && last == dash {
			last = fmtDur(s.P50)
		}
	}
	line := "  " + fit(td.name(), teamW) + " " + m.st.Spark.Render(sparkline(vals, each)) + "  " + rfit(first, 4) + " → " + pad(last, 4)
	if each > 1 {
		dep := make([]float64, domain.Weeks)
		for i, n := range t.Deploys.Weekly {
			dep[i] = float64(n)
		}
		line += "    " + m.st.Spark.Render(sparkline(dep, each)) + " " + rfit(strconv.Itoa(t.Deploys.Weekly[domain.Weeks-1]), 3) + " this week"
	}
	return line
}

// attention fills the rest of the overview with what needs a leader's
// eye: breached guardrails, then the stale experiments hint.
func (m *Model) attention(out []string, h int) []string {
	if len(out)+2 > h {
		return out
	}
	st := m.st
	var lines []string
	for i := range m.data.teams {
		td := &m.data.teams[i]
		if td.org {
			continue
		}
		for _, g := range td.rep.Guardrails {
			if !g.OK {
				lines = append(lines, st.Bad.Render("✗ ")+fit(td.name(), 16)+" "+guardText(g))
			}
		}
	}
	stale := len(m.data.stale)
	zombies := len(m.data.zombies)
	if stale > 0 || zombies > 0 {
		lines = append(lines, st.Warn.Render("● ")+plural(stale, "stale experiment")+", "+plural(zombies, "zombie run")+" across the organisation (s: list)")
	}
	if len(lines) == 0 {
		lines = append(lines, st.Good.Render("✓ ")+"every guardrail holds and no experiment is stale")
	}
	out = append(out, "", st.Heading.Render("Needs attention"))
	room := h - len(out)
	if len(lines) > room {
		more := len(lines) - room + 1
		lines = append(lines[:room-1], st.Dim.Render("  … and "+strconv.Itoa(more)+" more"))
	}
	return append(out, lines...)
}

// guardText explains one guardrail result: metric, value, rule.
func guardText(g domain.GuardrailResult) string {
	return safe(g.Metric) + " is " + guardValue(g.Metric, g.Value) + ", rule " + safe(g.Rule)
}

// guardValue formats a guardrail value in its metric's unit.
func guardValue(metric string, v *float64) string {
	if v == nil {
		return dash
	}
	switch domain.GuardrailMetrics[metric] {
	case domain.UnitDuration:
		return fmtDur(int64(*v))
	case domain.UnitCount:
		return strconv.Itoa(int(*v))
	case domain.UnitPercent:
		return trimZero(*v) + "%"
	case domain.UnitPoints:
		return trimZero(*v) + " pts"
	default:
		return trimZero(*v) + "/wk"
	}
}
