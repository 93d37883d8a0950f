package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/textsafe"
	"github.com/pace-dev/pace/units"
)

// dash is how every unknown value is shown: never 0.
const dash = "—"

// safe cleans text that came from an API (titles, branches, logins, repo
// names, error messages) of control characters and escape sequences.
func safe(s string) string { return textsafe.Clean(s) }

// fit cleans s and makes it exactly w cells wide: truncated with "…" or
// padded with spaces. It is the only way API text reaches a row, so a row
// never wraps.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return pad(clip(safe(s), w), w)
}

// rfit is fit aligned right, for numbers.
func rfit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = clip(s, w)
	if n := ansi.StringWidth(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

// clip truncates already-clean text to w cells. textsafe measures
// graphemes; the final check uses the same width function as bubbletea's
// renderer so the two can never disagree about what fits.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= w {
		return s
	}
	s = textsafe.Truncate(s, w)
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	return s
}

// pad right-pads s with spaces to w cells.
func pad(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// fmtDur is a duration in whole seconds (units.Duration, the rule every
// screen and snapshot shares); negative means unknown.
func fmtDur(sec int64) string { return units.Duration(sec) }

// trimZero formats with one decimal, dropping ".0".
func trimZero(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// fmtP picks a percentile of s, or dash without data.
func fmtP(s domain.Stats, p int) string {
	if !s.Known() {
		return dash
	}
	switch p {
	case 75:
		return fmtDur(s.P75)
	case 90:
		return fmtDur(s.P90)
	default:
		return fmtDur(s.P50)
	}
}

// fmtDelta is the change of a duration's median against the previous
// window: "▲12%" or "▼8%", "" when either side is unknown.
func fmtDelta(cur, prev domain.Stats) string {
	if !cur.Known() || !prev.Known() || prev.P50 <= 0 {
		return ""
	}
	d := (float64(cur.P50) - float64(prev.P50)) / float64(prev.P50) * 100
	r := int(math.Round(d))
	switch {
	case r > 0:
		return "▲" + strconv.Itoa(min(r, 999)) + "%"
	case r < 0:
		return "▼" + strconv.Itoa(min(-r, 999)) + "%"
	default:
		return "=0%"
	}
}

// fmtRate is a per-week rate with one decimal.
func fmtRate(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dash
	}
	return trimZero(f)
}

// fmtPct is a fraction (0..1) as a whole percent; nil is unknown.
func fmtPct(f *float64) string {
	if f == nil {
		return dash
	}
	return units.Rate(*f)
}

// fmtTime is an instant as "Nov 24 13:02" UTC; zero is unknown.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return dash
	}
	return t.UTC().Format("Jan 02 15:04")
}

// fmtDay is an instant as "Nov 24".
func fmtDay(t time.Time) string {
	if t.IsZero() {
		return dash
	}
	return t.UTC().Format("Jan 02")
}

// fmtAgo is how long before now t was: "12m ago".
func fmtAgo(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	if d < 0 {
		return "just now"
	}
	if d < time.Minute {
		return "just now"
	}
	return fmtDur(int64(d/time.Second)) + " ago"
}

// fmtWindow is a window length as "14d".
func fmtWindow(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	}
	return d.String()
}

// plural is "1 run" or "3 runs".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// itoa is strconv.Itoa, short for row building.
func itoa(n int) string { return strconv.Itoa(n) }

// ansiWidth is the cell width of s, styles ignored.
func ansiWidth(s string) int { return ansi.StringWidth(s) }

// joinRight puts right at the end of a w-cell line after left, dropping
// right when both do not fit.
func joinRight(left, right string, w int) string {
	gap := w - ansiWidth(left) - ansiWidth(right)
	if gap < 2 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// clipAll clips every line to w cells.
func clipAll(lines []string, w int) []string {
	for i, l := range lines {
		if ansiWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	return lines
}
