package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// limiter keeps what GitLab's RateLimit-* headers last said about the
// token's budget and pauses requests before it runs out, reporting a
// countdown. GitLab sends one budget per answer (the most restrictive
// throttle, named in RateLimit-Name); instances without throttles send
// none, and then nothing is paused before a 429.
//
// It replaces client-go's own limiter, which slows every request to about
// two thirds of the first RateLimit-Limit it sees, by the wall clock and
// without telling anyone: pace would sync slower than it may, and a
// progress bar would stall with no countdown.
type limiter struct {
	mu               sync.Mutex
	known            bool
	name             string
	limit, remaining int
	reset            time.Time
	concurrency      int
	now              func() time.Time
	sleep            func(context.Context, time.Duration) error
	report           func(context.Context, sources.Progress)
}

func newLimiter(o Options, report func(context.Context, sources.Progress)) *limiter {
	return &limiter{concurrency: o.Concurrency, now: o.Now, sleep: o.Sleep, report: report, name: "API"}
}

// update records the budget the response headers describe.
func (l *limiter) update(h http.Header) {
	limit, err1 := strconv.Atoi(h.Get("RateLimit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("RateLimit-Remaining"))
	reset, err3 := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.known, l.limit, l.remaining, l.reset = true, limit, remaining, time.Unix(reset, 0).UTC()
	if n := h.Get("RateLimit-Name"); n != "" {
		l.name = n
	}
}

// snapshot returns the last known budget (-1 when unknown).
func (l *limiter) snapshot() (remaining, limit int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.known {
		return -1, -1
	}
	return l.remaining, l.limit
}

// reserve is the part of the budget pace leaves unspent: 2 % of it, and
// at least two requests per concurrent worker, so that the requests in
// flight when the pause starts cannot overdraw it and other tools sharing
// the token keep some room.
func (l *limiter) reserve(limit int) int {
	r := limit / 50
	if m := 2 * l.concurrency; r < m {
		r = m
	}
	return r
}

// beforeRequest pauses until the reset when the budget is down to the
// reserve.
func (l *limiter) beforeRequest(ctx context.Context) error {
	l.mu.Lock()
	var until time.Time
	remaining, limit, name := l.remaining, l.limit, l.name
	if l.known && l.remaining <= l.reserve(l.limit) && l.reset.After(l.now()) {
		until = l.reset
	}
	l.mu.Unlock()
	if until.IsZero() {
		return nil
	}
	msg := fmt.Sprintf("GitLab rate limit (%s): %d of %d left, pausing until the reset", name, remaining, limit)
	if err := l.waitUntil(ctx, until.Add(time.Second), msg); err != nil {
		return err
	}
	l.refilled(until)
	return nil
}

// refilled marks the budget as renewed after its reset, so that every
// worker does not pause again on stale numbers; the next answer tells the
// truth.
func (l *limiter) refilled(reset time.Time) {
	l.mu.Lock()
	if l.known && !l.reset.After(reset) {
		l.remaining = l.limit
	}
	l.mu.Unlock()
}

// waitUntil sleeps until t, reporting a countdown every few seconds
// through the progress callback; a cancelled ctx stops it.
func (l *limiter) waitUntil(ctx context.Context, t time.Time, msg string) error {
	for {
		d := t.Sub(l.now())
		if d <= 0 {
			break
		}
		remaining, limit := l.snapshot()
		l.report(ctx, sources.Progress{Source: domain.GitLab, WaitUntil: t, Remaining: remaining, Limit: limit,
			Message: fmt.Sprintf("%s (resuming in %s)", msg, d.Round(time.Second))})
		step := d
		if step > 10*time.Second {
			step = 10 * time.Second
		}
		if err := l.sleep(ctx, step); err != nil {
			return err
		}
	}
	remaining, limit := l.snapshot()
	l.report(ctx, sources.Progress{Source: domain.GitLab, Remaining: remaining, Limit: limit,
		Message: "GitLab rate-limit pause over, resuming"})
	return nil
}
