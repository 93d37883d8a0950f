package domain

import (
	"cmp"
	"math/bits"
	"slices"
	"time"
)

// Percentile returns the nearest-rank p-th percentile of sorted, which must
// be in ascending order: the smallest value with at least p % of the values
// at or below it, i.e. sorted[ceil(p/100*n)-1]. The median of [1 2 3 4] is
// therefore 2 (the lower middle value); nothing is ever interpolated. p <= 0
// gives the minimum, p >= 100 the maximum. It returns 0 for an empty slice:
// callers must treat a count of 0 as "no data" (see Stats).
func Percentile(sorted []int64, p int) int64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[rankIndex(len(sorted), p)]
}

// rankIndex is the nearest-rank position ceil(p*n/100)-1, in integers so no
// float rounding can move a value across a rank.
func rankIndex(n, p int) int {
	switch {
	case p <= 0:
		return 0
	case p >= 100:
		return n - 1
	}
	k := (p*n+99)/100 - 1
	if k < 0 {
		return 0
	}
	return k
}

// Summarize returns the nearest-rank p50, p75 and p90 of values with their
// count. It reorders values (selection, not a full sort: the buckets of a
// large organisation hold millions of spans and only three ranks are read).
func Summarize(values []int64) Stats {
	n := len(values)
	if n == 0 {
		return Stats{}
	}
	k50, k75, k90 := rankIndex(n, 50), rankIndex(n, 75), rankIndex(n, 90)
	selectK(values, k90)
	// values[:k90] now holds the k90 smallest, so the lower ranks are there.
	selectK(values[:k90+1], k75)
	selectK(values[:k75+1], k50)
	return Stats{Count: n, P50: values[k50], P75: values[k75], P90: values[k90]}
}

// selectK reorders a so that a[k] holds the value a sorted copy would hold
// there, with nothing greater before it and nothing smaller after it
// (quickselect with median-of-three pivots; falls back to a sort when the
// pivots keep going wrong, so the worst case stays O(n log n)).
func selectK(a []int64, k int) {
	lo, hi := 0, len(a)-1
	budget := 2 * bits.Len(uint(len(a)))
	for hi-lo > 12 {
		if budget == 0 {
			slices.Sort(a[lo : hi+1])
			return
		}
		budget--
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return // a[j+1:i] all equal the pivot
		}
	}
	for i := lo + 1; i <= hi; i++ {
		for j := i; j > lo && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// where says in which periods an event counts: the current window, the
// previous one and one of the 12 ISO weeks (-1: none).
type where struct {
	cur, prev bool
	week      int
}

// any reports whether the event counts anywhere.
func (w where) any() bool { return w.cur || w.prev || w.week >= 0 }

// periods places timestamps in the window, the previous window and the
// ISO weeks of a report at now.
type periods struct {
	now       time.Time
	cur, prev Period
	weekStart [Weeks]time.Time
	days      float64 // window length in days
	perWeek   float64 // days ÷ 7, the divisor of every per-week rate
}

// newPeriods lays out the report's periods: window [now-window, now), the
// one before it, and 12 ISO weeks whose last one holds now (Monday 00:00 UTC).
func newPeriods(now time.Time, window time.Duration) *periods {
	p := &periods{now: now}
	p.cur = Period{Start: now.Add(-window), End: now}
	p.prev = Period{Start: now.Add(-2 * window), End: p.cur.Start}
	p.days = window.Hours() / 24
	p.perWeek = p.days / 7
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	for i := range Weeks {
		p.weekStart[i] = monday.AddDate(0, 0, -7*(Weeks-1-i))
	}
	return p
}

// place says where an event at t counts. Zero times and times at or after
// now count nowhere.
func (p *periods) place(t time.Time) where {
	w := where{week: -1}
	if t.IsZero() || !t.Before(p.now) {
		return w
	}
	w.cur = !t.Before(p.cur.Start)
	w.prev = !w.cur && !t.Before(p.prev.Start)
	if !t.Before(p.weekStart[0]) {
		w.week = int(t.Sub(p.weekStart[0]) / (7 * 24 * time.Hour))
		if w.week >= Weeks { // cannot happen before now, kept as a guard
			w.week = -1
		}
	}
	return w
}

// rate divides a count by the window's weeks, 0 for an empty window (never NaN).
func (p *periods) rate(n int) float64 {
	if p.perWeek <= 0 {
		return 0
	}
	return float64(n) / p.perWeek
}

// metricAcc collects one duration metric's values per period.
type metricAcc struct {
	cur, prev []int64
	weeks     [Weeks][]int64
}

// add records v (seconds, never negative) in the periods of w.
func (m *metricAcc) add(w where, v int64) {
	if v < 0 {
		return
	}
	if w.cur {
		m.cur = append(m.cur, v)
	}
	if w.prev {
		m.prev = append(m.prev, v)
	}
	if w.week >= 0 {
		m.weeks[w.week] = append(m.weeks[w.week], v)
	}
}

// metric summarises the collected values (reordering them).
func (m *metricAcc) metric() Metric {
	out := Metric{Current: Summarize(m.cur), Previous: Summarize(m.prev)}
	for i := range m.weeks {
		out.Weekly[i] = Summarize(m.weeks[i])
	}
	return out
}

// seconds is d in whole seconds, truncated.
func seconds(d time.Duration) int64 { return int64(d / time.Second) }

// instant is a time as two numbers, cheap to compare in big sorts and
// defined for every year (UnixNano is not).
type instant struct {
	sec  int64
	nsec int32
}

// instantOf converts t.
func instantOf(t time.Time) instant { return instant{t.Unix(), int32(t.Nanosecond())} }

// compareInstants orders a before b as -1, equal as 0, after as +1.
func compareInstants(a, b instant) int {
	if a.sec != b.sec {
		return cmp.Compare(a.sec, b.sec)
	}
	return cmp.Compare(a.nsec, b.nsec)
}

// bucketCount counts the values a metricAcc will receive, to size it once.
type bucketCount struct {
	cur, prev int
	weeks     [Weeks]int
}

// count adds one event placed at w.
func (b *bucketCount) count(w where) {
	if w.cur {
		b.cur++
	}
	if w.prev {
		b.prev++
	}
	if w.week >= 0 {
		b.weeks[w.week]++
	}
}

// reserve gives m room for the counted values: appends then never grow.
func (m *metricAcc) reserve(b *bucketCount) {
	m.cur = make([]int64, 0, b.cur)
	m.prev = make([]int64, 0, b.prev)
	for i := range m.weeks {
		m.weeks[i] = make([]int64, 0, b.weeks[i])
	}
}
