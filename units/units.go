// Package units prints pace's numbers the same way on every screen and in
// every snapshot, so a duration never reads "2.2d" in the dashboard and
// "2.3d" in the standup text.
package units

import (
	"math"
	"strconv"
	"strings"
)

// Unknown is what pace prints for a value it does not know: never 0.
const Unknown = "—"

// Duration prints whole seconds in at most five cells, choosing the unit
// after rounding (so 59m40s reads "1h", not "60m"):
//
//	under 1 minute   "42s"
//	under 1 hour     "45m"   whole minutes
//	under 10 hours   "2.5h"  one decimal (".0" dropped: "3h")
//	under 48 hours   "31h"   whole hours
//	under 10 days    "3.2d"  one decimal (".0" dropped: "4d")
//	otherwise        "12d"   whole days
//
// Negative seconds (domain's -1 for unknown) print as Unknown.
func Duration(s int64) string {
	switch {
	case s < 0:
		return Unknown
	case s < 60:
		return strconv.FormatInt(s, 10) + "s"
	}
	f := float64(s)
	if m := math.Round(f / 60); m < 60 {
		return strconv.FormatFloat(m, 'f', 0, 64) + "m"
	}
	if h := math.Round(f/360) / 10; h < 10 {
		return oneDecimal(h) + "h"
	}
	if h := math.Round(f / 3600); h < 48 {
		return strconv.FormatFloat(h, 'f', 0, 64) + "h"
	}
	if d := math.Round(f/8640) / 10; d < 10 {
		return oneDecimal(d) + "d"
	}
	return strconv.FormatFloat(math.Round(f/86400), 'f', 0, 64) + "d"
}

// oneDecimal prints v with one decimal, dropping a trailing ".0".
func oneDecimal(v float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0")
}

// Rate prints a fraction as a percentage with at most one decimal ("15.4%",
// "10%"), so a rate just over a benchmark boundary (15.4 % against a 15 %
// bucket) never reads as the boundary itself.
func Rate(frac float64) string {
	return oneDecimal(math.Round(frac*1000)/10) + "%"
}
