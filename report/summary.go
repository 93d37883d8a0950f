package report

import (
	"strconv"
	"strings"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/units"
)

// The summary lines hold only numbers and words pace writes itself, never
// API text, so text and markdown can share them without escaping.

// mark is how a summary line should be highlighted.
type mark int

const (
	plain mark = iota
	bad        // a breach: red
	good       // all holds: green
)

// line is one labelled line of a team's summary.
type line struct {
	label, value string
	mark         mark
}

// summary returns the labelled lines every format shows for a team (or the
// org total): changes, cycle time and its parts, lead time, deploys,
// recovery, experiments, decisions, allocation, waiting and guardrails.
func summary(t *domain.TeamReport) []line {
	ls := []line{
		{label: "changes", value: changesLine(t.Changes)},
		{label: "cycle time", value: cycleLine(t.CycleTime)},
		{label: "parts p50", value: partsLine(t)},
		{label: "lead time", value: leadLine(t.LeadTime, t.Deploys.Dora.LeadTime)},
		{label: "deploys", value: deploysLine(&t.Deploys)},
		{label: "recovery", value: recoveryLine(&t.Deploys)},
		{label: "experiments", value: experimentsLine(&t.Experiments)},
		{label: "decisions", value: decisionsLine(&t.Experiments)},
		{label: "allocation", value: allocationLine(&t.Allocation)},
		{label: "waiting", value: waitingLine(t.Waiting)},
	}
	return append(ls, guardrailLines(t.Guardrails)...)
}

func changesLine(c domain.ChangeCounts) string {
	s := strconv.Itoa(c.Merged) + " merged · " + strconv.Itoa(c.Opened) + " opened"
	if c.BotsExcluded > 0 {
		s += " · " + plural(c.BotsExcluded, "bot change", "bot changes") + " left out"
	}
	return s
}

// cycleLine is "p50 31h (↓ 12% vs 36h) · p75 2.1d · p90 4.5d".
func cycleLine(m domain.Metric) string {
	c := m.Current
	if !c.Known() {
		return "p50 " + unknown + " (" + delta(c, m.Previous) + ") · no merged changes"
	}
	return "p50 " + dur(c.P50) + " (" + delta(c, m.Previous) + ") · p75 " + dur(c.P75) + " · p90 " + dur(c.P90)
}

func partsLine(t *domain.TeamReport) string {
	return "coding " + statDur(t.Coding.Current, t.Coding.Current.P50) +
		" · pickup " + statDur(t.Pickup.Current, t.Pickup.Current.P50) +
		" · review " + statDur(t.Review.Current, t.Review.Current.P50) +
		" · deploy " + statDur(t.Deploy.Current, t.Deploy.Current.P50)
}

// leadLine is "p50 1.6d (↓ 20% vs 2d) · DORA high".
func leadLine(m domain.Metric, dora string) string {
	s := "p50 " + statDur(m.Current, m.Current.P50) + " (" + delta(m.Current, m.Previous) + ")"
	if dora != "" {
		s += " · DORA " + dora
	}
	return s
}

// deploysLine is "3.5/week · 2 days/week (high) · CFR 8% (high)".
func deploysLine(d *domain.DeployReport) string {
	if !d.HasDeployments {
		return unknown + " (no production deployments seen)"
	}
	s := rate(d.PerWeek) + "/week · " + rate(d.DaysPerWeek) + " days/week" + bucket(d.Dora.DeployFrequency) + " · CFR "
	if d.ChangeFailureRate == nil {
		return s + unknown
	}
	return s + units.Rate(*d.ChangeFailureRate) + bucket(d.Dora.ChangeFailureRate)
}

// recoveryLine is "p50 2h (elite) · 3 failures, 1 not recovered".
func recoveryLine(d *domain.DeployReport) string {
	s := "p50 " + statDur(d.Recovery.Current, d.Recovery.Current.P50) + bucket(d.Dora.Recovery)
	open := 0
	for _, f := range d.Failures {
		if f.Recovered == nil {
			open++
		}
	}
	if n := len(d.Failures); n > 0 {
		s += " · " + plural(n, "failure", "failures")
		if open > 0 {
			s += ", " + strconv.Itoa(open) + " not recovered"
		}
	}
	return s
}

// experimentsLine is "2 running · 9 active · 2 stale · 1 zombie".
func experimentsLine(e *domain.ExperimentReport) string {
	return strconv.Itoa(e.Running) + " running · " + strconv.Itoa(e.Active) + " active · " +
		strconv.Itoa(len(e.Stale)) + " stale · " + plural(len(e.Zombies), "zombie run", "zombie runs")
}

// decisionsLine is "1.5/week (3 adopted, 2 abandoned) · turnaround p50 6h".
func decisionsLine(e *domain.ExperimentReport) string {
	return rate(e.DecisionsPerWeek) + "/week (" + strconv.Itoa(e.Adopted) + " adopted, " +
		strconv.Itoa(e.Abandoned) + " abandoned) · turnaround p50 " + statDur(e.Turnaround.Current, e.Turnaround.Current.P50)
}

// allocationLine is "research 42% / eng 58% · target 60/40 · drift −18 pts".
func allocationLine(a *domain.AllocationReport) string {
	var b strings.Builder
	if a.PersonDays == nil {
		b.WriteString("research " + unknown + " / eng " + unknown)
	} else {
		b.WriteString("research " + pct(a.PersonDays.Research) + " / eng " + pct(a.PersonDays.Engineering))
	}
	if a.Target == nil {
		b.WriteString(" · no target")
	} else {
		b.WriteString(" · target " + oneDecimal(a.Target.Research) + "/" + oneDecimal(a.Target.Engineering))
	}
	if a.Drift != nil {
		b.WriteString(" · drift " + points(*a.Drift))
	}
	return b.String()
}

// waitingLine is "7 changes, oldest 5.1d" or "none".
func waitingLine(w []domain.Waiting) string {
	if len(w) == 0 {
		return "none"
	}
	return plural(len(w), "change", "changes") + ", oldest " + dur(w[0].Seconds)
}

// guardrailLines lists breaches as "✗ cycle_time.p50 52h (rule <= 48h)",
// or one "✓ all 5 guardrails hold" line. A rule without data is not a
// breach (domain's rule) but the line says how many had none.
func guardrailLines(gs []domain.GuardrailResult) []line {
	if len(gs) == 0 {
		return []line{{label: "guardrails", value: "none configured"}}
	}
	var out []line
	noData := 0
	for _, g := range gs {
		if g.Value == nil {
			noData++
		}
		if !g.OK {
			out = append(out, line{value: "✗ " + g.Metric + " " + guardrailValue(g) + " (rule " + g.Rule + ")", mark: bad})
		}
	}
	if len(out) > 0 {
		out[0].label = "guardrails"
		return out
	}
	v := "✓ all guardrails hold"
	if len(gs) > 1 {
		v = "✓ all " + strconv.Itoa(len(gs)) + " guardrails hold"
	}
	if noData > 0 {
		v += " (" + strconv.Itoa(noData) + " without data)"
	}
	return []line{{label: "guardrails", value: v, mark: good}}
}

// qualityItems lists what pace left out or could not trust across the whole
// dataset (not just the window, as domain counts them); empty when nothing.
func qualityItems(q domain.DataQuality) []string {
	var items []string
	if q.BotChanges > 0 {
		items = append(items, plural(q.BotChanges, "bot change", "bot changes")+" left out of every metric")
	}
	if q.NegativeSpans > 0 {
		items = append(items, plural(q.NegativeSpans, "negative span", "negative spans")+" (clock skew, rebases) counted as unknown")
	}
	if q.FutureEvents > 0 {
		items = append(items, plural(q.FutureEvents, "timestamp", "timestamps")+" after the report time ignored")
	}
	if q.UnattributedChanges > 0 {
		items = append(items, plural(q.UnattributedChanges, "change", "changes")+" in no team, counted in the org total only")
	}
	return items
}

// qualityHeading introduces the data-quality items.
const qualityHeading = "data quality, whole history"
