package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// budgetKey is the one budget GitLab reports, whatever its name.
const budgetKey = "api"

// limiter keeps what GitLab's RateLimit-* headers last said about the
// token's budget and pauses requests before it runs out, reporting a
// countdown; the pausing is syncx.Limiter's, the headers are read here.
// GitLab sends one budget per answer (the most restrictive throttle, named
// in RateLimit-Name); instances without throttles send none, and then
// nothing is paused before a 429.
//
// It replaces client-go's own limiter, which slows every request to about
// two thirds of the first RateLimit-Limit it sees, by the wall clock and
// without telling anyone: pace would sync slower than it may, and a
// progress bar would stall with no countdown.
type limiter struct{ *syncx.Limiter }

func newLimiter(o Options, report func(context.Context, sources.Progress)) *limiter {
	return &limiter{syncx.NewLimiter(syncx.LimiterConfig{
		Source: domain.GitLab, Concurrency: o.Concurrency, Now: o.Now, Sleep: o.Sleep, Report: report,
		Pausing: func(b syncx.Budget) string {
			name := b.Name
			if name == "" {
				name = "API"
			}
			return fmt.Sprintf("GitLab rate limit (%s): %d of %d left, pausing until the reset", name, b.Remaining, b.Limit)
		},
		Resumed: func(string) string { return "GitLab rate-limit pause over, resuming" },
	})}
}

// update records the budget the response headers describe.
func (l *limiter) update(h http.Header) {
	limit, err1 := strconv.Atoi(h.Get("RateLimit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("RateLimit-Remaining"))
	reset, err3 := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return
	}
	l.Update(syncx.Budget{Resource: budgetKey, Name: h.Get("RateLimit-Name"),
		Limit: limit, Remaining: remaining, Reset: time.Unix(reset, 0).UTC()})
}

// snapshot returns the last known budget (-1 when unknown).
func (l *limiter) snapshot() (remaining, limit int) { return l.Snapshot(budgetKey) }
