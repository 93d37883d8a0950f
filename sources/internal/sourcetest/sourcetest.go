// Package sourcetest holds the test helpers both sources' tests share: a
// fake clock the client and the fake server read, and a log of progress
// reports.
package sourcetest

import (
	"context"
	"sync"
	"time"

	"github.com/pace-dev/pace/sources"
)

// Clock is the one clock of a test: the client's Now and Sleep and the
// fake server's rate-limit windows. Sleep advances it instead of waiting.
type Clock struct {
	mu    sync.Mutex
	t     time.Time
	slept time.Duration
}

// NewClock is a Clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Sleep advances the clock by d at once, unless ctx is done.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.t = c.t.Add(d)
		c.slept += d
	}
	return nil
}

// Slept is how long Sleep was asked to wait in all.
func (c *Clock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept
}

// ProgressLog collects progress reports from concurrent workers.
type ProgressLog struct {
	mu sync.Mutex
	ps []sources.Progress
}

// Add is a sources.ProgressFunc that keeps p.
func (l *ProgressLog) Add(p sources.Progress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ps = append(l.ps, p)
}

// All is a copy of the reports so far, in order.
func (l *ProgressLog) All() []sources.Progress {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]sources.Progress(nil), l.ps...)
}
