package github

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// limiter keeps GitHub's rate-limit budgets (core, graphql, search, ...)
// and pauses requests before a budget runs out, reporting a countdown;
// the pausing is syncx.Limiter's, the headers are read here.
type limiter struct{ *syncx.Limiter }

func newLimiter(o Options, report func(context.Context, sources.Progress)) *limiter {
	return &limiter{syncx.NewLimiter(syncx.LimiterConfig{
		Source: domain.GitHub, Concurrency: o.Concurrency, Now: o.Now, Sleep: o.Sleep, Report: report,
		Pausing: func(b syncx.Budget) string {
			return fmt.Sprintf("GitHub %s rate limit: %d of %d left, pausing until the reset", b.Resource, b.Remaining, b.Limit)
		},
		Resumed: func(res string) string { return "GitHub " + res + " rate-limit pause over, resuming" },
	})}
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
	l.Update(syncx.Budget{Resource: res, Limit: limit, Remaining: remaining, Reset: time.Unix(reset, 0).UTC()})
	return res
}
