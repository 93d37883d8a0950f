package config

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Day and Week are the calendar units config durations add to Go's.
const (
	Day  = 24 * time.Hour
	Week = 7 * Day
)

// durationUnits are the units a config duration may use, largest first;
// each may appear once and in this order ("1d12h", not "12h1d").
var durationUnits = []struct {
	sym byte
	d   time.Duration
}{{'w', Week}, {'d', Day}, {'h', time.Hour}, {'m', time.Minute}, {'s', time.Second}}

// durationHelp is appended to every duration error so the user sees the
// accepted form without looking it up.
const durationHelp = "a whole number with a unit w, d, h, m or s, combined largest first, e.g. 14d, 24h, 1d12h"

// ParseDuration reads a config duration such as "14d", "1w", "24h", "30m" or
// "1d12h". Units are w, d, h, m and s, each used at most once, largest
// first, with whole numbers. A bare "0" is zero. Negative values, fractions
// and Go-only units (ms, µs) are errors. The CLI uses it for --window and
// --since too, so flags and config read the same way.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, errors.New("is empty")
	case s == "0":
		return 0, nil
	case s[0] == '-':
		return 0, fmt.Errorf("%q is negative", s)
	case s[0] == '+':
		s = s[1:]
	}
	var total time.Duration
	next := 0 // index into durationUnits: units must come largest first
	rest := s
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("%q is not a duration", s)
		}
		if i == len(rest) {
			if total == 0 && rest == s {
				return 0, fmt.Errorf("%q has no unit", s)
			}
			return 0, fmt.Errorf("%q ends without a unit", s)
		}
		n, err := strconv.ParseInt(rest[:i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is too large", s)
		}
		if rest[i] == '.' || rest[i] == ',' {
			return 0, fmt.Errorf("%q has a fraction; use a smaller unit, e.g. 1d12h for 1.5d", s)
		}
		j := i
		for j < len(rest) && (rest[j] < '0' || rest[j] > '9') {
			j++
		}
		if j-i != 1 || unitIndex(rest[i]) < 0 {
			return 0, fmt.Errorf("%q has an unknown unit %q", s, rest[i:j])
		}
		u := rest[i]
		k := next
		for k < len(durationUnits) && durationUnits[k].sym != u {
			k++
		}
		if k == len(durationUnits) {
			return 0, fmt.Errorf("%q repeats a unit or puts a smaller unit before a larger one", s)
		}
		unit := durationUnits[k].d
		if n > int64(math.MaxInt64/unit) || total > math.MaxInt64-time.Duration(n)*unit {
			return 0, fmt.Errorf("%q is too large", s)
		}
		total += time.Duration(n) * unit
		next = k + 1
		rest = rest[i+1:]
	}
	return total, nil
}

func unitIndex(u byte) int {
	for i, du := range durationUnits {
		if du.sym == u {
			return i
		}
	}
	return -1
}

// FormatDuration writes d the way the config reads it ("14d", "1d12h",
// "30m"), in days rather than weeks because windows are spoken of in days.
// Sub-second parts are dropped; zero is "0".
func FormatDuration(d time.Duration) string {
	if d < 0 {
		return "-" + FormatDuration(-d)
	}
	if d < time.Second {
		return "0"
	}
	var b strings.Builder
	for _, u := range durationUnits[1:] {
		if n := d / u.d; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10))
			b.WriteByte(u.sym)
			d -= n * u.d
		}
	}
	return b.String()
}
