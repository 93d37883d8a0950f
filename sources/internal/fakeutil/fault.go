// Package fakeutil is what the fake GitHub and GitLab servers share: the
// scripted-fault list and the faults that act on the connection (a delay,
// a dropped connection, a redirect) rather than on the API's answer.
package fakeutil

import (
	"net/http"
	"time"
)

// Rule says which requests a scripted fault hits: those of Kind ("" any)
// for Scope (a repo or project, "" any), after Skip of them, Times times
// (0: every time).
type Rule struct {
	Kind, Scope string
	Skip, Times int
}

// Script is a list of scripted faults of type F, tried in the order
// added. It does not lock: the fake's own lock guards it.
type Script[F any] struct {
	list []*scripted[F]
}

type scripted[F any] struct {
	f          *F
	seen, hits int
}

// Add scripts f.
func (s *Script[F]) Add(f F) { s.list = append(s.list, &scripted[F]{f: &f}) }

// Clear removes every scripted fault.
func (s *Script[F]) Clear() { s.list = nil }

// Hits returns how often each fault fired, in the order added.
func (s *Script[F]) Hits() []int {
	out := make([]int, len(s.list))
	for i, e := range s.list {
		out[i] = e.hits
	}
	return out
}

// Take returns the first fault that hits a request of kind for scope, and
// counts the hit; nil when none does.
func (s *Script[F]) Take(rule func(*F) Rule, kind, scope string) *F {
	for _, e := range s.list {
		r := rule(e.f)
		if (r.Kind != "" && r.Kind != kind) || (r.Scope != "" && r.Scope != scope) {
			continue
		}
		e.seen++
		if e.seen <= r.Skip || (r.Times > 0 && e.hits >= r.Times) {
			continue
		}
		e.hits++
		return e.f
	}
	return nil
}

// Interrupt acts out the connection faults: it waits delay first (or
// until the client gives up), then drops the connection or redirects.
// count records the request as answered by a fault (called with no lock
// held). It reports whether the request is answered.
func Interrupt(w http.ResponseWriter, r *http.Request, delay time.Duration, drop bool, redirect string, count func()) bool {
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-r.Context().Done():
			count()
			return true
		case <-t.C:
		}
	}
	switch {
	case drop:
		count()
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler)
	case redirect != "":
		count()
		http.Redirect(w, r, redirect, http.StatusFound)
		return true
	}
	return false
}
