// Package fakegh is a fake GitHub for tests: an httptest server on
// 127.0.0.1 that answers the REST calls and the GraphQL queries pace
// sends, the way api.github.com does (Link paging, ETag and 304,
// x-ratelimit-* headers, Retry-After, GraphQL errors with HTTP 200), from
// data loaded from real captured responses (LoadAnts, LoadOpenBICDeployments)
// or generated (Generate). Every GraphQL query is validated against
// GitHub's published schema before it is answered. Scripted faults
// (AddFault) and exhausted budgets (SetBudget) reproduce what goes wrong,
// and every request is counted by kind.
package fakegh

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/pace-dev/pace/sources/internal/fakeutil"
)

// Options configure a Server.
type Options struct {
	// Token is the token every request must carry ("Bearer T" or
	// "token T"); "" accepts any request, with or without one.
	Token string
	// Now is the server's clock, for rate-limit windows; default time.Now.
	// Tests share one fake clock between client and server.
	Now func() time.Time
	// Prefix makes the server look like GitHub Enterprise Server: REST
	// under Prefix (e.g. "/api/v3"), GraphQL at /api/graphql.
	Prefix string
	// CoreLimit and GraphQLLimit are the hourly budgets; default 5000.
	CoreLimit, GraphQLLimit int
	// RateLimitStatus is the status of an exhausted REST budget: 403
	// (default, like github.com) or 429.
	RateLimitStatus int
	// Login is who the token is, as GET /user answers; default "pace-bot".
	Login string
	// Scopes, when set, is sent as X-OAuth-Scopes on every answer the
	// token got through to, as github.com does for a classic token
	// ("repo, read:org"); "" sends no such header, as for a fine-grained
	// token.
	Scopes string
}

// Server is the fake GitHub.
type Server struct {
	o      Options
	ts     *httptest.Server
	schema *ast.Schema

	mu          sync.Mutex
	repos       map[string]*Repo // by lower-case full name
	teams       map[string][]string
	budgets     map[string]*budget
	faults      fakeutil.Script[Fault]
	counts      map[string]int
	notModified map[string]int
	queries     map[string]bool
	queryList   []string
	auth        []string // Authorization headers received
	limited     int      // answers "rate limit exceeded" sent
	log         []Request
}

// Request is one request received, as the request log keeps it.
type Request struct {
	Kind        string // as in Counts
	Repo        string // owner/name, when the request names one
	Path        string // URL path
	Conditional bool   // sent with If-None-Match
}

// New starts a fake GitHub. Close it when done.
func New(o Options) (*Server, error) {
	schema, err := Schema()
	if err != nil {
		return nil, fmt.Errorf("fakegh: loading schema: %w", err)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.CoreLimit == 0 {
		o.CoreLimit = 5000
	}
	if o.GraphQLLimit == 0 {
		o.GraphQLLimit = 5000
	}
	if o.RateLimitStatus == 0 {
		o.RateLimitStatus = http.StatusForbidden
	}
	if o.Login == "" {
		o.Login = "pace-bot"
	}
	s := &Server{o: o, schema: schema, repos: map[string]*Repo{}, teams: map[string][]string{},
		budgets: map[string]*budget{}, counts: map[string]int{}, notModified: map[string]int{},
		queries: map[string]bool{}}
	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	return s, nil
}

// URL is the REST base URL to give pace (http://127.0.0.1:PORT[/api/v3]).
func (s *Server) URL() string { return s.ts.URL + s.o.Prefix }

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Close stops the server.
func (s *Server) Close() { s.ts.Close() }

// AddRepo serves a repo (replacing one of the same name).
func (s *Server) AddRepo(r *Repo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repos[strings.ToLower(r.FullName())] = r
}

// AddTeam serves a team's members; team is "org/slug".
func (s *Server) AddTeam(team string, logins ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.teams[strings.ToLower(team)] = logins
}

// Update runs f while no request is being answered, so a test can change
// the served data between or during syncs.
func (s *Server) Update(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// Repo returns a served repo (nil when none); change it inside Update.
func (s *Server) Repo(full string) *Repo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.repos[strings.ToLower(full)]
}

// SetBudget sets what is left of a budget ("core" or "graphql") and when
// it resets.
func (s *Server) SetBudget(resource string, remaining int, reset time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.budget(resource)
	b.remaining, b.reset = remaining, reset
}

// Counts returns how many requests of each kind were answered (faults and
// 304s included). Kinds: graphql:pullRequests, graphql:pullRequest,
// graphql:deployments, graphql:node, rest:runs, rest:compare,
// rest:orgRepos, rest:teamMembers, rest:user, rest:repo, rest:other.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// NotModified returns how many 304s were sent, by kind.
func (s *Server) NotModified() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.notModified))
	for k, v := range s.notModified {
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
	s.counts, s.notModified, s.log = map[string]int{}, map[string]int{}, nil
}

// Log returns every request received since the last ResetCounts.
func (s *Server) Log() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// Queries returns every distinct GraphQL document received, in order.
func (s *Server) Queries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queryList...)
}

// RateLimited is how many requests were refused for an exhausted budget.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited
}

// AuthHeaders returns the Authorization headers received.
func (s *Server) AuthHeaders() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.auth...)
}

// reply is an answer being built, before faults and budgets have their say.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func jsonReply(status int, v any) reply {
	b, _ := json.Marshal(v)
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	return reply{status: status, header: h, body: b}
}

func errorReply(status int, msg string) reply {
	return jsonReply(status, map[string]any{"message": msg,
		"documentation_url": "https://docs.github.com/rest", "status": strconv.Itoa(status)})
}

// serve is the single handler: authenticate, route, apply faults and the
// budget, count, answer.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if a := r.Header.Get("Authorization"); a != "" {
		s.auth = append(s.auth, a)
	}
	s.mu.Unlock()

	res, kind, repo := "core", "rest:other", ""
	var rep reply
	var gq *gqlRequest
	if r.Method == http.MethodPost && (r.URL.Path == "/graphql" || r.URL.Path == "/api/graphql") {
		res = "graphql"
		var err error
		gq, err = s.parseGraphQL(r)
		if err != nil {
			rep = jsonReply(http.StatusOK, map[string]any{"errors": []map[string]any{{"message": err.Error()}}})
			kind = "graphql:invalid"
		} else {
			kind, repo = gq.kind, gq.repo
		}
	} else {
		kind, repo = restKind(strings.TrimPrefix(r.URL.Path, s.o.Prefix))
	}

	s.mu.Lock()
	s.log = append(s.log, Request{Kind: kind, Repo: repo, Path: r.URL.Path, Conditional: r.Header.Get("If-None-Match") != ""})
	s.mu.Unlock()

	if s.o.Token != "" {
		a := r.Header.Get("Authorization")
		if a != "Bearer "+s.o.Token && a != "token "+s.o.Token {
			s.mu.Lock()
			s.count(kind, false)
			s.mu.Unlock()
			write(w, errorReply(http.StatusUnauthorized, "Bad credentials"))
			return
		}
	}

	if f := s.takeFault(kind, repo); f != nil {
		if s.applyFault(w, r, f, kind, res, gq) {
			return
		}
	}

	s.mu.Lock()
	b := s.budget(res)
	if b.remaining <= 0 {
		h := http.Header{}
		s.rateHeaders(h, res, b)
		s.counts[kind]++
		s.limited++
		s.mu.Unlock()
		if res == "graphql" {
			rep = jsonReply(http.StatusOK, map[string]any{"errors": []map[string]any{{"type": "RATE_LIMITED",
				"message": "API rate limit exceeded for user ID 1."}}})
		} else {
			rep = errorReply(s.o.RateLimitStatus, "API rate limit exceeded for user ID 1.")
		}
		for k, v := range h {
			rep.header[k] = v
		}
		write(w, rep)
		return
	}
	s.mu.Unlock()

	if rep.status == 0 {
		if gq != nil {
			rep = s.answerGraphQL(gq)
		} else {
			rep = s.answerREST(r)
		}
	}
	s.finish(w, r, rep, kind, res)
}

// finish applies conditional requests and the budget, counts and writes.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, rep reply, kind, res string) {
	if rep.status == http.StatusOK && r.Method == http.MethodGet {
		sum := sha256.Sum256(rep.body)
		etag := `"` + hex.EncodeToString(sum[:16]) + `"`
		rep.header.Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			rep = reply{status: http.StatusNotModified, header: rep.header, body: nil}
		}
	}
	s.mu.Lock()
	b := s.budget(res)
	if rep.status != http.StatusNotModified {
		b.remaining-- // 304s are free, as on github.com
	}
	s.rateHeaders(rep.header, res, b)
	if s.o.Scopes != "" {
		rep.header.Set("X-OAuth-Scopes", s.o.Scopes)
	}
	s.count(kind, rep.status == http.StatusNotModified)
	s.mu.Unlock()
	write(w, rep)
}

// count records a request; callers hold s.mu.
func (s *Server) count(kind string, notModified bool) {
	s.counts[kind]++
	if notModified {
		s.notModified[kind]++
	}
}

func write(w http.ResponseWriter, rep reply) {
	for k, v := range rep.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
}

// restKind names a REST request and the repo it is about.
func restKind(path string) (kind, repo string) {
	p := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(p) >= 7 && p[0] == "repos" && p[3] == "actions" && p[4] == "workflows" && p[6] == "runs":
		return "rest:runs", p[1] + "/" + p[2]
	case len(p) >= 5 && p[0] == "repos" && p[3] == "compare":
		return "rest:compare", p[1] + "/" + p[2]
	case len(p) == 3 && p[0] == "orgs" && p[2] == "repos":
		return "rest:orgRepos", ""
	case len(p) == 5 && p[0] == "orgs" && p[2] == "teams" && p[4] == "members":
		return "rest:teamMembers", ""
	case len(p) == 1 && p[0] == "user":
		return "rest:user", ""
	case len(p) == 3 && p[0] == "repos":
		return "rest:repo", p[1] + "/" + p[2]
	}
	return "rest:other", ""
}

// sortedKeys is used to print counts deterministically.
func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// FormatCounts prints counts as "kind=n kind=n ...".
func FormatCounts(m map[string]int) string {
	var b strings.Builder
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%d", k, m[k])
	}
	return b.String()
}
