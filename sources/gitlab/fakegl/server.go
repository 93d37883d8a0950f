// Package fakegl is a fake GitLab for tests: an httptest server on
// 127.0.0.1 that answers the REST v4 calls pace makes the way GitLab
// does (offset paging with x-next-page and Link, RateLimit-* headers on
// every answer, a plain-text 429 with Retry-After, 404 for what the token
// cannot see, updated_after filters, project ids as numbers or URL-encoded
// paths), from data loaded from real captured items (LoadSnowflake) or
// generated (Generate). Scripted faults (AddFault) and an exhausted budget
// (SetBudget) reproduce what goes wrong, and every request is counted by
// kind and logged.
package fakegl

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pace-dev/pace/sources/internal/fakeutil"
)

// Options configure a Server.
type Options struct {
	// Token is the token every request must carry (PRIVATE-TOKEN header or
	// "Authorization: Bearer"); "" accepts any request.
	Token string
	// Now is the server's clock, for rate-limit windows; default time.Now.
	// Tests share one fake clock between client and server.
	Now func() time.Time
	// Prefix is a relative URL root, as a self-managed instance may have
	// (e.g. "/gitlab"); the API is under Prefix + "/api/v4".
	Prefix string
	// RateLimit is the per-minute request budget (RateLimit-Limit);
	// default 2000. -1: no throttle and no RateLimit-* headers, as on a
	// self-managed instance with the limits off (their default).
	RateLimit int
	// Login is who the token is, as GET /user answers; default "pace-bot".
	Login string
}

// Server is the fake GitLab.
type Server struct {
	o  Options
	ts *httptest.Server

	mu       sync.Mutex
	projects map[string]*Project // by lower-case path
	byID     map[int64]*Project
	budget   budget
	faults   fakeutil.Script[Fault]
	counts   map[string]int
	auth     []string // credentials received (PRIVATE-TOKEN or Authorization)
	limited  int      // 429s sent for an exhausted budget
	log      []Request
}

// Request is one request received, as the request log keeps it.
type Request struct {
	Kind    string // as in Counts
	Project string // project path, when the request names one
	Path    string // URL path (escaped)
	Query   string // raw query
}

// New starts a fake GitLab. Close it when done.
func New(o Options) *Server {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.RateLimit == 0 {
		o.RateLimit = 2000
	}
	if o.Login == "" {
		o.Login = "pace-bot"
	}
	s := &Server{o: o, projects: map[string]*Project{}, byID: map[int64]*Project{}, counts: map[string]int{}}
	s.budget = budget{limit: o.RateLimit, remaining: o.RateLimit}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the base URL to give pace (http://127.0.0.1:PORT[Prefix]).
func (s *Server) URL() string { return s.ts.URL + s.o.Prefix }

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Close stops the server.
func (s *Server) Close() { s.ts.Close() }

// AddProject serves a project (replacing one of the same path).
func (s *Server) AddProject(p *Project) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.projects[strings.ToLower(p.Path)] = p
	s.byID[p.ID] = p
}

// Project returns a served project (nil when none); change it inside Update.
func (s *Server) Project(path string) *Project {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.projects[strings.ToLower(path)]
}

// Update runs f while no request is being answered, so a test can change
// the served data between or during syncs.
func (s *Server) Update(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// SetBudget sets what is left of the per-minute budget and when it resets.
func (s *Server) SetBudget(remaining int, reset time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.budget.remaining, s.budget.reset = remaining, reset
}

// Counts returns how many requests of each kind were answered (faults
// included). Kinds: mrs, mr:commits, mr:notes, deployments,
// deployment:mrs, environments, pipelines, pipeline, group:projects,
// user, project, other.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// Total is the number of requests answered.
func (s *Server) Total() int {
	n := 0
	for _, v := range s.Counts() {
		n += v
	}
	return n
}

// ResetCounts zeroes the request counts and log.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts, s.log = map[string]int{}, nil
}

// Log returns every request received since the last ResetCounts.
func (s *Server) Log() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// RateLimited is how many requests were refused for an exhausted budget.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

// AuthHeaders returns the credentials received ("PRIVATE-TOKEN: T" or
// "Authorization: ...").
func (s *Server) AuthHeaders() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth...)
}

// reply is an answer being built, before faults and the budget have their say.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func jsonReply(status int, v any) reply {
	b, _ := json.Marshal(v)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	return reply{status: status, header: h, body: b}
}

// errorReply is GitLab's error shape: {"message": "404 Project Not Found"}.
func errorReply(status int, msg string) reply {
	return jsonReply(status, map[string]any{"message": fmt.Sprintf("%d %s", status, msg)})
}

// credential is the token a request carries, and how it was sent.
func credential(r *http.Request) (token, header string) {
	if t := r.Header.Get("Private-Token"); t != "" {
		return t, "PRIVATE-TOKEN: " + t
	}
	if a := r.Header.Get("Authorization"); a != "" {
		return strings.TrimPrefix(a, "Bearer "), "Authorization: " + a
	}
	return "", ""
}

// serve is the single handler: authenticate, route, apply faults and the
// budget, count, answer.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	tok, hdr := credential(r)
	kind, project := s.route(r)
	s.mu.Lock()
	if hdr != "" {
		s.auth = append(s.auth, hdr)
	}
	s.log = append(s.log, Request{Kind: kind, Project: project, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery})
	s.mu.Unlock()

	if s.o.Token != "" && tok != s.o.Token {
		s.finishRaw(w, errorReply(http.StatusUnauthorized, "Unauthorized"), kind)
		return
	}
	if f := s.takeFault(kind, project); f != nil {
		if s.applyFault(w, r, f, kind) {
			return
		}
	}
	s.mu.Lock()
	if s.o.RateLimit > 0 && s.budgetNow().remaining <= 0 {
		s.counts[kind]++
		s.limited++
		rep := reply{status: http.StatusTooManyRequests, header: http.Header{}, body: []byte("Retry later\n")}
		rep.header.Set("Content-Type", "text/plain")
		b := s.budgetNow()
		wait := int(b.reset.Sub(s.o.Now()).Seconds() + 0.999)
		rep.header.Set("Retry-After", fmt.Sprint(max(wait, 1)))
		rep.header.Set("RateLimit-ResetTime", b.reset.UTC().Format(http.TimeFormat))
		s.rateHeaders(rep.header)
		s.mu.Unlock()
		write(w, rep)
		return
	}
	s.mu.Unlock()
	s.finish(w, s.answer(r), kind)
}

// finish spends the budget, counts and writes.
func (s *Server) finish(w http.ResponseWriter, rep reply, kind string) {
	s.mu.Lock()
	if s.o.RateLimit > 0 {
		s.budgetNow().remaining--
		s.rateHeaders(rep.header)
	}
	s.counts[kind]++
	s.mu.Unlock()
	write(w, rep)
}

// finishRaw counts and writes a faulty answer with the budget's headers,
// unless the fault set its own.
func (s *Server) finishRaw(w http.ResponseWriter, rep reply, kind string) {
	s.mu.Lock()
	if s.o.RateLimit > 0 {
		s.budgetNow().remaining--
		if rep.header.Get("RateLimit-Remaining") == "" {
			s.rateHeaders(rep.header)
		}
	}
	s.counts[kind]++
	s.mu.Unlock()
	write(w, rep)
}

func write(w http.ResponseWriter, rep reply) {
	for k, v := range rep.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
}

// FormatCounts prints counts as "kind=n kind=n ...".
func FormatCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%d", k, m[k])
	}
	return b.String()
}
