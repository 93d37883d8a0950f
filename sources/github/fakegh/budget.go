package fakegh

import (
	"net/http"
	"strconv"
	"time"
)

// budget is one rate-limit budget (core or graphql) in its hourly window.
type budget struct {
	limit, remaining int
	reset            time.Time
}

// budget returns a resource's budget, renewed when its window has passed.
// Callers hold s.mu.
func (s *Server) budget(res string) *budget {
	b, ok := s.budgets[res]
	now := s.o.Now()
	if !ok {
		limit := s.o.CoreLimit
		if res == "graphql" {
			limit = s.o.GraphQLLimit
		}
		b = &budget{limit: limit, remaining: limit, reset: now.Add(time.Hour)}
		s.budgets[res] = b
	}
	if !now.Before(b.reset) {
		b.remaining, b.reset = b.limit, now.Add(time.Hour)
	}
	return b
}

func (s *Server) rateHeaders(h http.Header, res string, b *budget) {
	h.Set("X-Ratelimit-Limit", strconv.Itoa(b.limit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(max(b.remaining, 0)))
	h.Set("X-Ratelimit-Used", strconv.Itoa(b.limit-max(b.remaining, 0)))
	h.Set("X-Ratelimit-Reset", strconv.FormatInt(b.reset.Unix(), 10))
	h.Set("X-Ratelimit-Resource", res)
}
