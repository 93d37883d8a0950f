package units

import "testing"

func TestDuration(t *testing.T) {
	cases := []struct {
		sec  int64
		want string
	}{
		{-1, Unknown}, {0, "0s"}, {59, "59s"}, {60, "1m"}, {89, "1m"}, {90, "2m"},
		{3579, "1h"}, // 59m39s rounds to 60m: the unit is chosen after rounding
		{3600, "1h"}, {5400, "1.5h"}, {35999, "10h"}, {36000, "10h"},
		{47*3600 + 1799, "47h"}, {47*3600 + 1800, "2d"}, {48 * 3600, "2d"},
		{2*86400 + 4*3600, "2.2d"}, {2*86400 + 5*3600, "2.2d"}, {2*86400 + 6*3600, "2.3d"},
		{9*86400 + 23*3600, "10d"}, {12*86400 + 7*3600, "12d"}, {400 * 86400, "400d"},
	}
	for _, c := range cases {
		if got := Duration(c.sec); got != c.want {
			t.Errorf("Duration(%d) = %q, want %q", c.sec, got, c.want)
		}
	}
}

func TestRate(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{{0, "0%"}, {0.1, "10%"}, {2.0 / 13, "15.4%"}, {0.15, "15%"}, {0.0833, "8.3%"}, {1, "100%"}} {
		if got := Rate(c.f); got != c.want {
			t.Errorf("Rate(%v) = %q, want %q", c.f, got, c.want)
		}
	}
}
