package domain

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	tests := []struct {
		name   string
		sorted []int64
		p      int
		want   int64
	}{
		{"empty", nil, 50, 0},
		{"single p50", []int64{7}, 50, 7},
		{"single p90", []int64{7}, 90, 7},
		{"even median is the lower middle", []int64{1, 2, 3, 4}, 50, 2},
		{"even p75", []int64{1, 2, 3, 4}, 75, 3},
		{"even p90", []int64{1, 2, 3, 4}, 90, 4},
		{"odd median", []int64{1, 2, 3, 4, 5}, 50, 3},
		{"odd p75: ceil(3.75)=4th", []int64{1, 2, 3, 4, 5}, 75, 4},
		{"odd p90: ceil(4.5)=5th", []int64{1, 2, 3, 4, 5}, 90, 5},
		{"ten p50", []int64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 50, 50},
		{"ten p75: ceil(7.5)=8th", []int64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 75, 80},
		{"ten p90: exactly the 9th", []int64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 90, 90},
		{"p100 is the max", []int64{1, 2, 3}, 100, 3},
		{"p0 clamps to the min", []int64{1, 2, 3}, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(%v, %d) = %d, want %d", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarizeSmall(t *testing.T) {
	got := Summarize([]int64{4, 1, 3, 2})
	want := Stats{Count: 4, P50: 2, P75: 3, P90: 4}
	if got != want {
		t.Errorf("Summarize([4 1 3 2]) = %+v, want %+v", got, want)
	}
	if got := Summarize(nil); got.Known() || got != (Stats{}) {
		t.Errorf("Summarize(nil) = %+v, want zero stats", got)
	}
}

// TestSummarizeAgreesWithSort checks the selection against a full sort on
// shapes that break naive quickselects: duplicates, sorted, reversed.
func TestSummarizeAgreesWithSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	shapes := map[string]func(n int) []int64{
		"random": func(n int) []int64 {
			v := make([]int64, n)
			for i := range v {
				v[i] = r.Int64N(1_000_000)
			}
			return v
		},
		"few distinct": func(n int) []int64 {
			v := make([]int64, n)
			for i := range v {
				v[i] = r.Int64N(3)
			}
			return v
		},
		"sorted": func(n int) []int64 {
			v := make([]int64, n)
			for i := range v {
				v[i] = int64(i)
			}
			return v
		},
		"reversed": func(n int) []int64 {
			v := make([]int64, n)
			for i := range v {
				v[i] = int64(n - i)
			}
			return v
		},
		"all equal": func(n int) []int64 { return slices.Repeat([]int64{42}, n) },
	}
	for name, gen := range shapes {
		for _, n := range []int{1, 2, 3, 13, 14, 100, 1001, 20000} {
			v := gen(n)
			sorted := slices.Clone(v)
			slices.Sort(sorted)
			want := Stats{Count: n, P50: Percentile(sorted, 50), P75: Percentile(sorted, 75), P90: Percentile(sorted, 90)}
			if got := Summarize(v); got != want {
				t.Errorf("%s n=%d: Summarize = %+v, want %+v", name, n, got, want)
			}
		}
	}
}

// FuzzSummarize checks the selection against a sort on arbitrary values.
func FuzzSummarize(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4})
	f.Add([]byte{9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		v := make([]int64, len(data))
		for i, b := range data {
			v[i] = int64(b) * int64(b%7+1)
		}
		sorted := slices.Clone(v)
		slices.Sort(sorted)
		want := Stats{Count: len(v), P50: Percentile(sorted, 50), P75: Percentile(sorted, 75), P90: Percentile(sorted, 90)}
		if got := Summarize(v); got != want {
			t.Errorf("Summarize = %+v, want %+v", got, want)
		}
	})
}

func TestPeriodsWeekBoundaries(t *testing.T) {
	now := time.Date(2024, 6, 12, 12, 0, 0, 0, time.UTC) // a Wednesday
	p := newPeriods(now, 14*24*time.Hour)
	monday := time.Date(2024, 6, 10, 0, 0, 0, 0, time.UTC)
	if p.weekStart[Weeks-1] != monday {
		t.Fatalf("last week starts %v, want %v", p.weekStart[Weeks-1], monday)
	}
	if want := monday.AddDate(0, 0, -77); p.weekStart[0] != want {
		t.Fatalf("first week starts %v, want %v", p.weekStart[0], want)
	}
	tests := []struct {
		name string
		at   time.Time
		want where
	}{
		{"monday 00:00 opens this week", monday, where{cur: true, week: 11}},
		{"one second before is last week", monday.Add(-time.Second), where{cur: true, week: 10}},
		{"window start is included", now.Add(-14 * 24 * time.Hour), where{cur: true, week: 9}},
		{"just before the window is the previous one", now.Add(-14*24*time.Hour - time.Second), where{prev: true, week: 9}},
		{"previous window start", now.Add(-28 * 24 * time.Hour), where{prev: true, week: 7}},
		{"before everything", now.Add(-200 * 24 * time.Hour), where{week: -1}},
		{"now itself is excluded", now, where{week: -1}},
		{"future", now.Add(time.Hour), where{week: -1}},
		{"zero", time.Time{}, where{week: -1}},
	}
	for _, tt := range tests {
		if got := p.place(tt.at); got != tt.want {
			t.Errorf("%s: place(%v) = %+v, want %+v", tt.name, tt.at, got, tt.want)
		}
	}
	// A Monday now: the current week is only hours long and still week 11.
	mon := time.Date(2024, 6, 10, 3, 0, 0, 0, time.UTC)
	if got := newPeriods(mon, 7*24*time.Hour).weekStart[Weeks-1]; got != monday {
		t.Errorf("week of a Monday now starts %v, want %v", got, monday)
	}
	// A Sunday now belongs to the ISO week that began six days earlier.
	sun := time.Date(2024, 6, 16, 23, 0, 0, 0, time.UTC)
	if got := newPeriods(sun, 7*24*time.Hour).weekStart[Weeks-1]; got != monday {
		t.Errorf("week of a Sunday now starts %v, want %v", got, monday)
	}
}

func TestRateNeverNaN(t *testing.T) {
	p := newPeriods(time.Date(2024, 6, 12, 0, 0, 0, 0, time.UTC), 0)
	if got := p.rate(3); got != 0 {
		t.Errorf("rate over an empty window = %v, want 0", got)
	}
}

func BenchmarkSummarize(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	src := make([]int64, 150_000)
	for i := range src {
		src[i] = r.Int64N(30 * 24 * 3600)
	}
	buf := make([]int64, len(src))
	b.ReportAllocs()
	for b.Loop() {
		copy(buf, src)
		Summarize(buf)
	}
}
