package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/github/fakegh"
)

// The token never appears in progress messages, errors, the summary or
// the stored status, even when a hostile server echoes it back in REST
// error messages and GraphQL errors.
func TestTokenNeverInText(t *testing.T) {
	srv, _, o := faultWorld(t)
	o.MaxRetries = 1
	srv.AddFault(fakegh.Fault{Kind: "rest:runs", Repo: "acme/repo-00", EchoAuth: true})
	srv.AddFault(fakegh.Fault{Kind: "graphql:pullRequests", Repo: "acme/repo-01", Status: 500,
		Body: `{"message":"internal error for token ` + testToken + `"}`})
	srv.AddFault(fakegh.Fault{Kind: "graphql:deployments", Repo: "acme/repo-02", Status: 200,
		Body: `{"data":null,"errors":[{"message":"bad credentials ` + testToken + `"}]}`})
	sink := sources.NewMemSink()
	var log progressLog
	sum, err := Sync(context.Background(), o, sink, log.Add)
	for i, hits := range srv.FaultHits() {
		if hits == 0 {
			t.Fatalf("fault %d never fired", i)
		}
	}
	var texts []string
	if err != nil {
		texts = append(texts, err.Error())
	}
	for _, p := range log.All() {
		texts = append(texts, p.Message, fmt.Sprintf("%+v", p))
		if p.Err != nil {
			texts = append(texts, p.Err.Error())
		}
	}
	for _, r := range sum.Streams {
		if r.Err != nil {
			texts = append(texts, r.Err.Error(), fmt.Sprintf("%v", r))
		}
	}
	st, _ := sink.Status("github")
	texts = append(texts, st.Errors...)
	if len(sum.Errors()) < 3 {
		t.Fatalf("expected the three hostile answers to fail their streams: %v", sum.Errors())
	}
	echoed := 0
	for _, s := range texts {
		if strings.Contains(s, testToken) {
			t.Errorf("token in text: %s", s)
		}
		if strings.Contains(s, "[REDACTED]") {
			echoed++
		}
	}
	if echoed == 0 {
		t.Error("no echoed token was redacted: the test did not exercise redaction")
	}
	for _, a := range srv.AuthHeaders() {
		if a != "Bearer "+testToken {
			t.Errorf("unexpected Authorization %q", a)
		}
	}
}

// A redirect to another host does not carry the token; a redirect to
// plain http on a non-loopback host is not followed at all.
func TestTokenOnlyToConfiguredHost(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		http.Error(w, `{"message":"Not Found"}`, http.StatusNotFound)
	}))
	defer other.Close()
	// The same server under another host name: 127.0.0.1 and localhost are
	// different hosts to the client.
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)

	srv, _, o := faultWorld(t)
	o.Repos = []string{"acme/repo-00"}
	srv.AddFault(fakegh.Fault{Kind: "rest:runs", Times: 1, Redirect: otherURL + "/elsewhere"})
	srv.AddFault(fakegh.Fault{Kind: "rest:compare", Times: 1, Redirect: "http://example.invalid/steal"})
	sum, _ := Sync(context.Background(), o, sources.NewMemSink(), nil)
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 {
		t.Fatalf("the redirect was not followed: %v %v", sum.Errors(), srv.FaultHits())
	}
	for _, a := range seen {
		if a != "" {
			t.Errorf("other host received Authorization %q", a)
		}
	}
	refused := false
	for _, e := range sum.Errors() {
		if strings.Contains(e, "refusing plain http") {
			refused = true
		}
	}
	if !refused {
		t.Errorf("redirect to plain http was not refused: %v", sum.Errors())
	}
}

func TestBaseURLValidation(t *testing.T) {
	for base, ok := range map[string]bool{
		"":                                true,
		"https://api.github.com":          true,
		"https://ghe.example.com/api/v3/": true,
		"http://127.0.0.1:8080":           true,
		"http://localhost:9000/api/v3":    true,
		"http://[::1]:9000":               true,
		"http://ghe.example.com/api/v3":   false,
		"ftp://ghe.example.com":           false,
		"https://user:pw@ghe.example.com": false,
		"not a url":                       false,
	} {
		_, err := Options{BaseURL: base}.withDefaults()
		if (err == nil) != ok {
			t.Errorf("%q: err %v, want ok=%v", base, err, ok)
		}
	}
}

func TestGraphQLURL(t *testing.T) {
	for base, want := range map[string]string{
		"https://api.github.com":         "https://api.github.com/graphql",
		"https://ghe.example.com/api/v3": "https://ghe.example.com/api/graphql",
		"http://127.0.0.1:8080":          "http://127.0.0.1:8080/graphql",
	} {
		if got := graphqlURL(base); got != want {
			t.Errorf("%s: %s, want %s", base, got, want)
		}
	}
}

// A GitHub Enterprise Server base URL (/api/v3) sends REST there and
// GraphQL to /api/graphql.
func TestEnterpriseServer(t *testing.T) {
	clk := newClock(faultEnd)
	srv := newFake(t, clk, fakegh.Options{Prefix: "/api/v3"})
	for _, r := range fakegh.Generate(fakegh.GenSpec{Repos: 1, Changes: 20, Runs: 30, Deployments: 8, End: faultEnd, Seed: 2}) {
		srv.AddRepo(r)
	}
	if !strings.HasSuffix(srv.URL(), "/api/v3") {
		t.Fatalf("fake URL %s", srv.URL())
	}
	o := testOptions(srv, clk, "acme/repo-00")
	o.Workflows = []string{"train.yml"}
	sink := sources.NewMemSink()
	sum, err := Sync(context.Background(), o, sink, nil)
	if err != nil || sum.Failed() {
		t.Fatalf("%v %v", err, sum.Errors())
	}
	c := srv.Counts()
	if c["graphql:pullRequests"] == 0 || c["rest:runs"] == 0 || c["rest:compare"] == 0 {
		t.Errorf("counts %v", c)
	}
	if len(sink.Changes()) != 20 || len(sink.Runs()) != 30 || len(sink.Deployments()) != 8 {
		t.Errorf("stored %d changes, %d runs, %d deployments", len(sink.Changes()), len(sink.Runs()), len(sink.Deployments()))
	}
}

func TestTokenFromEnv(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	gh := func(tok string, err error) func() (string, error) { return func() (string, error) { return tok, err } }
	cases := []struct {
		name string
		env  map[string]string
		gh   func() (string, error)
		want string
	}{
		{"GITHUB_TOKEN first", map[string]string{"GITHUB_TOKEN": "a", "GH_TOKEN": "b"}, gh("c", nil), "a"},
		{"GH_TOKEN next", map[string]string{"GH_TOKEN": " b\n"}, gh("c", nil), "b"},
		{"gh CLI last", map[string]string{}, gh("c\n", nil), "c"},
		{"gh fails", map[string]string{}, gh("", errors.New("not logged in")), ""},
		{"no gh", map[string]string{"GITHUB_TOKEN": "  "}, nil, ""},
	}
	for _, tc := range cases {
		got, err := TokenFromEnv(env(tc.env), tc.gh)
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
		if tc.want == "" {
			if !errors.Is(err, ErrNoToken) {
				t.Errorf("%s: err %v", tc.name, err)
			}
			for _, w := range []string{"GITHUB_TOKEN", "GH_TOKEN", "gh auth login", "repo", "read:org"} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: message %q lacks %q", tc.name, err, w)
				}
			}
		}
	}
}

// An org's non-archived repos are synced; a team's members are listed.
func TestOrgReposAndTeamMembers(t *testing.T) {
	clk := newClock(faultEnd)
	srv := newFake(t, clk, fakegh.Options{})
	repos := fakegh.Generate(fakegh.GenSpec{Repos: 3, Changes: 5, Deployments: 2, End: faultEnd, Seed: 4})
	repos[1].Archived = true
	for _, r := range repos {
		srv.AddRepo(r)
	}
	srv.AddTeam("acme/fraud", "alice", "bob")
	o := testOptions(srv, clk)
	o.Orgs = []string{"acme", "ghost-org"}
	o.Repos = []string{"acme/repo-00"} // also in the org: synced once
	sink := sources.NewMemSink()
	sum, err := Sync(context.Background(), o, sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	synced := map[string]int{}
	for _, r := range sum.Streams {
		if r.Err == nil {
			synced[r.Repo]++
		}
	}
	if synced["acme/repo-00"] != 2 || synced["acme/repo-02"] != 2 || synced["acme/repo-01"] != 0 {
		t.Errorf("streams synced per repo: %v", synced)
	}
	if errs := sum.Errors(); len(errs) != 1 || !strings.Contains(errs[0], "ghost-org") {
		t.Errorf("errors %v, want the missing org", errs)
	}

	members, err := TeamMembers(context.Background(), o, "acme/fraud")
	if err != nil || strings.Join(members, ",") != "alice,bob" {
		t.Errorf("members %v %v", members, err)
	}
	if _, err := TeamMembers(context.Background(), o, "acme/nope"); err == nil || !strings.Contains(err.Error(), "read:org") {
		t.Errorf("missing team: %v", err)
	}
	if _, err := TeamMembers(context.Background(), o, "bad"); err == nil {
		t.Error("accepted a team without a slug")
	}
	o.Token = "wrong"
	var ae *AuthError
	if _, err := TeamMembers(context.Background(), o, "acme/fraud"); !errors.As(err, &ae) {
		t.Errorf("bad token: %v", err)
	}
}
