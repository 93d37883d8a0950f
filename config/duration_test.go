package config

import (
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	ok := []struct {
		in   string
		want time.Duration
	}{
		{"90d", 90 * Day},
		{"14d", 14 * Day},
		{"24h", 24 * time.Hour},
		{"30m", 30 * time.Minute},
		{"1w", 7 * Day},
		{"1d12h", 36 * time.Hour},
		{"2w3d4h5m6s", 2*Week + 3*Day + 4*time.Hour + 5*time.Minute + 6*time.Second},
		{" 7d ", 7 * Day},
		{"0", 0},
		{"0d", 0},
		{"+3h", 3 * time.Hour},
	}
	for _, c := range ok {
		got, err := ParseDuration(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "is empty"},
		{"-1d", `"-1d" is negative`},
		{"14", `"14" has no unit`},
		{"1d12", `"1d12" ends without a unit`},
		{"1.5h", `has a fraction`},
		{"12h1d", "repeats a unit or puts a smaller unit before a larger one"},
		{"1d1d", "repeats a unit"},
		{"5x", `unknown unit "x"`},
		{"500ms", `unknown unit "ms"`},
		{"1d 12h", `unknown unit "d "`},
		{"14D", `unknown unit "D"`},
		{"d", "is not a duration"},
		{"99999999999999999999d", "too large"},
		{"9999999999999w", "too large"},
		{"106751d23h47m17s", "too large"},
	}
	for _, c := range bad {
		_, err := ParseDuration(c.in)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParseDuration(%q) error = %v; want it to contain %q", c.in, err, c.msg)
		}
	}
}

func TestFormatDurationRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{time.Second, 30 * time.Minute, 24 * time.Hour, 36 * time.Hour, 14 * Day, 90*Day + 90*time.Minute + 7*time.Second} {
		s := FormatDuration(d)
		back, err := ParseDuration(s)
		if err != nil || back != d {
			t.Errorf("FormatDuration(%v) = %q, parses back as %v, %v", d, s, back, err)
		}
	}
	if got := FormatDuration(14 * Day); got != "14d" {
		t.Errorf("FormatDuration(14d) = %q", got)
	}
	if got := FormatDuration(36 * time.Hour); got != "1d12h" {
		t.Errorf("FormatDuration(36h) = %q", got)
	}
	if got := FormatDuration(0); got != "0" {
		t.Errorf("FormatDuration(0) = %q", got)
	}
}
