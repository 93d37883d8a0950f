package github

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// rateState is what the x-ratelimit-* headers last said about one budget.
type rateState struct {
	limit, remaining int
	reset            time.Time
}

// limiter keeps GitHub's rate-limit budgets (core, graphql, search, ...)
// and pauses requests before a budget runs out, reporting a countdown.
type limiter struct {
	mu          sync.Mutex
	budgets     map[string]*rateState
	concurrency int
	now         func() time.Time
	sleep       func(context.Context, time.Duration) error
	report      func(context.Context, sources.Progress)
}

func newLimiter(o Options, report func(context.Context, sources.Progress)) *limiter {
	return &limiter{budgets: map[string]*rateState{}, concurrency: o.Concurrency,
		now: o.Now, sleep: o.Sleep, report: report}
}

// resourceOf guesses the budget a request spends before its answer names it.
func resourceOf(r *http.Request) string {
	switch p := r.URL.Path; {
	case strings.HasSuffix(p, "/graphql"):
		return "graphql"
	case strings.Contains(p, "/search/"):
		return "search"
	default:
		return "core"
	}
}

// update records the budget the response headers describe and returns its
// resource name.
func (l *limiter) update(guess string, h http.Header) string {
	res := h.Get("X-Ratelimit-Resource")
	if res == "" {
		res = guess
	}
	limit, err1 := strconv.Atoi(h.Get("X-Ratelimit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("X-Ratelimit-Remaining"))
	reset, err3 := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return res
	}
	l.mu.Lock()
	l.budgets[res] = &rateState{limit: limit, remaining: remaining, reset: time.Unix(reset, 0).UTC()}
	l.mu.Unlock()
	return res
}

// snapshot returns the last known budget of a resource (-1 when unknown).
func (l *limiter) snapshot(res string) (remaining, limit int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.budgets[res]; ok {
		return b.remaining, b.limit
	}
	return -1, -1
}

// reserve is the part of a budget pace leaves unspent: 2 % of it, and at
// least two requests per concurrent worker, so that the requests in flight
// when the pause starts cannot overdraw it and other tools sharing the
// token keep some room.
func (l *limiter) reserve(limit int) int {
	r := limit / 50
	if m := 2 * l.concurrency; r < m {
		r = m
	}
	return r
}

// beforeRequest pauses until the reset when the budget is down to the
// reserve.
func (l *limiter) beforeRequest(ctx context.Context, res string) error {
	l.mu.Lock()
	b, ok := l.budgets[res]
	var until time.Time
	var remaining, limit int
	if ok && b.remaining <= l.reserve(b.limit) && b.reset.After(l.now()) {
		until, remaining, limit = b.reset, b.remaining, b.limit
	}
	l.mu.Unlock()
	if until.IsZero() {
		return nil
	}
	msg := fmt.Sprintf("GitHub %s rate limit: %d of %d left, pausing until the reset", res, remaining, limit)
	if err := l.waitUntil(ctx, res, until.Add(time.Second), msg); err != nil {
		return err
	}
	l.refilled(res, until)
	return nil
}

// refilled marks a budget as renewed after its reset, so that every
// worker does not pause again on stale numbers; the next response tells
// the truth.
func (l *limiter) refilled(res string, reset time.Time) {
	l.mu.Lock()
	if b, ok := l.budgets[res]; ok && !b.reset.After(reset) {
		b.remaining = b.limit
	}
	l.mu.Unlock()
}

// waitUntil sleeps until t, reporting a countdown every few seconds
// through the progress callback; a cancelled ctx stops it.
func (l *limiter) waitUntil(ctx context.Context, res string, t time.Time, msg string) error {
	for {
		d := t.Sub(l.now())
		if d <= 0 {
			break
		}
		remaining, limit := l.snapshot(res)
		l.report(ctx, sources.Progress{Source: domain.GitHub, WaitUntil: t, Remaining: remaining, Limit: limit,
			Message: fmt.Sprintf("%s (resuming in %s)", msg, d.Round(time.Second))})
		step := d
		if step > 10*time.Second {
			step = 10 * time.Second
		}
		if err := l.sleep(ctx, step); err != nil {
			return err
		}
	}
	remaining, limit := l.snapshot(res)
	l.report(ctx, sources.Progress{Source: domain.GitHub, Remaining: remaining, Limit: limit,
		Message: "GitHub " + res + " rate-limit pause over, resuming"})
	return nil
}
