package syncx

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// Budget is what an API's rate-limit headers last said about one budget.
type Budget struct {
	Resource         string // the key pace keeps it under (GitHub's core, graphql, ...)
	Name             string // what the API calls it (GitLab's RateLimit-Name); may be empty
	Limit, Remaining int
	Reset            time.Time
}

// LimiterConfig is what a Limiter needs from its source: the clock, the
// progress callback and the words of its countdown.
type LimiterConfig struct {
	Source      domain.Source
	Concurrency int
	Now         func() time.Time
	Sleep       func(context.Context, time.Duration) error
	Report      func(context.Context, sources.Progress)
	// Pausing says why requests wait for budget b to be renewed.
	Pausing func(b Budget) string
	// Resumed says that the pause on budget res is over.
	Resumed func(res string) string
}

// Limiter keeps an API's rate-limit budgets by resource name and pauses
// requests before one runs out, reporting a countdown through progress
// (WaitUntil set) on the injected clock. Reading the headers stays with
// each API: it hands the budgets over through Update.
type Limiter struct {
	cfg     LimiterConfig
	mu      sync.Mutex
	budgets map[string]*Budget
}

// NewLimiter returns a Limiter that knows no budget yet, so nothing is
// paused until the API has said what it allows.
func NewLimiter(cfg LimiterConfig) *Limiter {
	return &Limiter{cfg: cfg, budgets: map[string]*Budget{}}
}

// Update records budget b. An empty Name keeps the one the budget was
// last given, as GitLab names its throttle only on some answers.
func (l *Limiter) Update(b Budget) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if old, ok := l.budgets[b.Resource]; ok && b.Name == "" {
		b.Name = old.Name
	}
	l.budgets[b.Resource] = &b
}

// Snapshot returns the last known budget of a resource (-1 when unknown).
func (l *Limiter) Snapshot(res string) (remaining, limit int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.budgets[res]; ok {
		return b.Remaining, b.Limit
	}
	return -1, -1
}

// reserve is the part of a budget pace leaves unspent: 2 % of it, and at
// least two requests per concurrent worker, so that the requests in flight
// when the pause starts cannot overdraw it and other tools sharing the
// token keep some room.
func (l *Limiter) reserve(limit int) int {
	r := limit / 50
	if m := 2 * l.cfg.Concurrency; r < m {
		r = m
	}
	return r
}

// Before pauses until the reset when budget res is down to the reserve.
func (l *Limiter) Before(ctx context.Context, res string) error {
	l.mu.Lock()
	var b Budget
	if p, ok := l.budgets[res]; ok && p.Remaining <= l.reserve(p.Limit) && p.Reset.After(l.cfg.Now()) {
		b = *p
	}
	l.mu.Unlock()
	if b.Reset.IsZero() {
		return nil
	}
	// A second of slack: the API's clock may be behind ours.
	if err := l.wait(ctx, res, b.Reset.Add(time.Second), l.cfg.Pausing(b)); err != nil {
		return err
	}
	l.refilled(res, b.Reset)
	return nil
}

// Pause waits out a rate limit the API reported on budget res until
// until, saying msg with the countdown.
func (l *Limiter) Pause(ctx context.Context, res string, until time.Time, msg string) error {
	if err := l.wait(ctx, res, until, msg); err != nil {
		return err
	}
	l.refilled(res, until)
	return nil
}

// refilled marks a budget as renewed after its reset, so that every
// worker does not pause again on stale numbers; the next answer tells the
// truth.
func (l *Limiter) refilled(res string, reset time.Time) {
	l.mu.Lock()
	if b, ok := l.budgets[res]; ok && !b.Reset.After(reset) {
		b.Remaining = b.Limit
	}
	l.mu.Unlock()
}

// wait sleeps until t, reporting a countdown every few seconds through
// the progress callback; a cancelled ctx stops it.
func (l *Limiter) wait(ctx context.Context, res string, t time.Time, msg string) error {
	for {
		d := t.Sub(l.cfg.Now())
		if d <= 0 {
			break
		}
		remaining, limit := l.Snapshot(res)
		l.cfg.Report(ctx, sources.Progress{Source: l.cfg.Source, WaitUntil: t, Remaining: remaining, Limit: limit,
			Message: fmt.Sprintf("%s (resuming in %s)", msg, d.Round(time.Second))})
		step := min(d, 10*time.Second)
		if err := l.cfg.Sleep(ctx, step); err != nil {
			return err
		}
	}
	remaining, limit := l.Snapshot(res)
	l.cfg.Report(ctx, sources.Progress{Source: l.cfg.Source, Remaining: remaining, Limit: limit,
		Message: l.cfg.Resumed(res)})
	return nil
}
