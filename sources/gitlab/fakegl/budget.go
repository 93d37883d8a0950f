package fakegl

import (
	"net/http"
	"strconv"
	"time"
)

// budget is the per-minute request budget of the token (GitLab's
// throttle_authenticated_api).
type budget struct {
	limit, remaining int
	reset            time.Time
}

// budgetNow returns the budget, renewed when its window has passed.
// Callers hold s.mu.
func (s *Server) budgetNow() *budget {
	now := s.o.Now()
	b := &s.budget
	if b.reset.IsZero() || !now.Before(b.reset) {
		b.remaining, b.reset = b.limit, now.Truncate(time.Minute).Add(time.Minute)
	}
	return b
}

// rateHeaders writes the RateLimit-* headers GitLab sends on every
// answer. Callers hold s.mu.
func (s *Server) rateHeaders(h http.Header) {
	b := s.budgetNow()
	rem := max(b.remaining, 0)
	h.Set("RateLimit-Name", "throttle_authenticated_api")
	h.Set("RateLimit-Limit", strconv.Itoa(b.limit))
	h.Set("RateLimit-Observed", strconv.Itoa(b.limit-rem))
	h.Set("RateLimit-Remaining", strconv.Itoa(rem))
	h.Set("RateLimit-Reset", strconv.FormatInt(b.reset.Unix(), 10))
}
