package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/units"
)

// unknown is how text and markdown show a value pace does not know. It is
// never 0: "no data" and "zero" are different answers.
const unknown = "—"

// dur formats whole seconds for people (units.Duration: one rule for every
// screen and snapshot).
func dur(s int64) string { return units.Duration(s) }

// oneDecimal prints v with one decimal, dropping a trailing ".0".
func oneDecimal(v float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0")
}

// statDur is a percentile of s, or "—" when s holds no data.
func statDur(s domain.Stats, v int64) string {
	if !s.Known() {
		return unknown
	}
	return dur(v)
}

// delta compares the current p50 with the previous window's:
// "↓ 12% vs 36h", "↑ 5% vs 2d", "= vs 31h", or "prev —" without a previous
// value. Arrows say the direction of the number, not whether it is good.
func delta(cur, prev domain.Stats) string {
	if !prev.Known() {
		return "prev " + unknown
	}
	if !cur.Known() {
		return "prev " + dur(prev.P50)
	}
	if prev.P50 == 0 {
		if cur.P50 == 0 {
			return "= vs " + dur(prev.P50)
		}
		return "↑ vs " + dur(prev.P50)
	}
	pct := math.Round(float64(cur.P50-prev.P50) / float64(prev.P50) * 100)
	switch {
	case pct > 0:
		return fmt.Sprintf("↑ %.0f%% vs %s", pct, dur(prev.P50))
	case pct < 0:
		return fmt.Sprintf("↓ %.0f%% vs %s", -pct, dur(prev.P50))
	}
	return "= vs " + dur(prev.P50)
}

// rate formats a per-week number with at most one decimal.
func rate(v float64) string { return oneDecimal(math.Round(v*10) / 10) }

// pct formats a percentage (0-100) as whole percent.
func pct(v float64) string { return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + "%" }

// points formats a drift in percentage points with its sign ("−18 pts",
// "+4 pts", "0 pts"); the minus is U+2212 so it cannot be read as a dash.
func points(v float64) string {
	r := math.Round(v)
	switch {
	case r > 0:
		return "+" + strconv.FormatFloat(r, 'f', 0, 64) + " pts"
	case r < 0:
		return "−" + strconv.FormatFloat(-r, 'f', 0, 64) + " pts"
	}
	return "0 pts"
}

// bucket is a DORA bucket in parentheses, or "" when there is none.
func bucket(b string) string {
	if b == "" {
		return ""
	}
	return " (" + b + ")"
}

// plural returns "1 change" / "3 changes".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// guardrailValue formats a guardrail's measured value in its metric's unit.
func guardrailValue(g domain.GuardrailResult) string {
	if g.Value == nil {
		return unknown
	}
	v := *g.Value
	switch domain.GuardrailMetrics[g.Metric] {
	case domain.UnitDuration:
		return dur(int64(math.Round(v)))
	case domain.UnitCount:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	case domain.UnitRate:
		return rate(v) + "/week"
	case domain.UnitPercent:
		return pct(v)
	case domain.UnitPoints:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + " pts"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// clock formats times the way the output medium wants them: RFC3339 UTC on
// a pipe (machine-readable, reproducible), relative to the report's time on
// a terminal ("12m ago").
type clock struct {
	now time.Time
	tty bool
}

// when formats an event time; a zero time prints as "never".
func (c clock) when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	if !c.tty {
		return rfc3339(t)
	}
	d := c.now.Sub(t)
	if d < 0 {
		return "in " + dur(int64(-d/time.Second))
	}
	return dur(int64(d/time.Second)) + " ago"
}

// stamp formats a fixed point such as the window's ends: RFC3339 UTC on a
// pipe, a shorter UTC form on a terminal (relative makes no sense for them).
func (c clock) stamp(t time.Time) string {
	if !c.tty {
		return rfc3339(t)
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// rfc3339 formats t in UTC, "" for the zero time.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// windowLength formats a period's length as whole days when it is, else by dur.
func windowLength(p domain.Period) string {
	d := p.End.Sub(p.Start)
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	return dur(int64(d / time.Second))
}
