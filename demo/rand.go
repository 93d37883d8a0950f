package demo

import (
	"encoding/hex"
	"math"
	"math/rand/v2"
	"time"
)

// seed is the demo's fixed seed: changing it changes every generated item.
const seed = 0x5eed_0f_ace

// rnd wraps a PCG source with the few distributions the demo needs. Each
// team replica owns one, so a team's data does not depend on how many other
// teams were generated before it.
type rnd struct {
	r *rand.Rand
}

func newRnd(stream uint64) rnd {
	return rnd{r: rand.New(rand.NewPCG(seed, stream))}
}

// chance is true with probability p.
func (g rnd) chance(p float64) bool { return g.r.Float64() < p }

// intn is uniform in [0, n).
func (g rnd) intn(n int) int { return g.r.IntN(n) }

// between is uniform in [lo, hi), in whole seconds.
func (g rnd) between(lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return secs(lo)
	}
	return secs(lo + time.Duration(g.r.Int64N(int64(hi-lo))))
}

// logNormal draws a duration whose median is median and whose spread is
// sigma (in log space), clamped to [lo, hi]. Real cycle-time parts are
// roughly log-normal: most take hours, a long tail takes days.
func (g rnd) logNormal(median time.Duration, sigma float64, lo, hi time.Duration) time.Duration {
	d := time.Duration(float64(median) * math.Exp(sigma*g.r.NormFloat64()))
	return secs(min(max(d, lo), hi))
}

// overWeekend adds a weekend to a working span with the probability that a
// span of that length, started at a random working moment, crosses one.
// It works on offsets only (never on the calendar) so that the whole
// organisation shifts exactly with now.
func (g rnd) overWeekend(d time.Duration) time.Duration {
	if g.chance(min(0.9, d.Hours()/120)) {
		return d + 48*time.Hour
	}
	return d
}

// geometric counts failures before the first success of probability p.
func (g rnd) geometric(p float64) int {
	n := 0
	for n < 1000 && !g.chance(p) {
		n++
	}
	return n
}

// weighted picks an index with probability proportional to its weight.
func (g rnd) weighted(weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := g.r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// sha returns a 40-hex-digit commit SHA.
func (g rnd) sha() string {
	var b [20]byte
	for i := 0; i < 20; i += 8 {
		v := g.r.Uint64()
		for j := 0; j < 8 && i+j < 20; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return hex.EncodeToString(b[:])
}

// secs drops sub-second precision: the APIs report whole seconds.
func secs(d time.Duration) time.Duration { return d.Truncate(time.Second) }
