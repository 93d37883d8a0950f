package fakegl

import (
	"net/http"
	"time"

	"github.com/pace-dev/pace/sources/internal/fakeutil"
)

// Fault is a scripted failure: the matching requests (after Skip of them)
// get it, Times times (0: every time). Exactly one of Status, Truncate,
// Drop, EchoAuth and Redirect says what happens; Delay may come first.
type Fault struct {
	Kind    string // request kind as in Counts ("" any)
	Project string // project path ("" any)
	Skip    int
	// Times is how many requests it hits; 0 means all.
	Times int

	Status   int               // answer with this status, Body and Header instead of the real answer
	Body     string            // e.g. {"message":"500 Internal Server Error"}
	Header   map[string]string // e.g. {"Retry-After": "30"}
	Truncate bool              // the real 200 answer, cut in half
	Drop     bool              // close the connection without a word
	EchoAuth bool              // 403 whose message quotes the credential (a hostile server)
	Redirect string            // 302 to this URL
	Delay    time.Duration     // wait this long (or until the client gives up) first

}

// rule says which requests f hits.
func (f *Fault) rule() fakeutil.Rule {
	return fakeutil.Rule{Kind: f.Kind, Scope: f.Project, Skip: f.Skip, Times: f.Times}
}

// AddFault scripts a fault. Faults are tried in the order added.
func (s *Server) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.Add(f)
}

// ClearFaults removes every scripted fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.Clear()
}

// FaultHits returns how often each fault fired, in the order added.
func (s *Server) FaultHits() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.Hits()
}

func (s *Server) takeFault(kind, scope string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults.Take((*Fault).rule, kind, scope)
}

// applyFault acts out f; it reports whether the request is answered.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f *Fault, kind string) bool {
	count := func() {
		s.mu.Lock()
		s.counts[kind]++
		s.mu.Unlock()
	}
	if fakeutil.Interrupt(w, r, f.Delay, f.Drop, f.Redirect, count) {
		return true
	}
	switch {
	case f.EchoAuth:
		_, hdr := credential(r)
		s.finishRaw(w, errorReply(http.StatusForbidden, "Forbidden (you sent "+hdr+")"), kind)
		return true
	case f.Status != 0:
		rep := reply{status: f.Status, header: http.Header{}, body: []byte(f.Body)}
		rep.header.Set("Content-Type", "application/json")
		for k, v := range f.Header {
			rep.header.Set(k, v)
		}
		s.finishRaw(w, rep, kind)
		return true
	case f.Truncate:
		rep := s.answer(r)
		rep.body = rep.body[:len(rep.body)/2]
		s.finishRaw(w, rep, kind)
		return true
	}
	return false
}
