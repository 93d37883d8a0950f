package gitlab

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
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
)

// The token never appears in progress messages, errors, the summary or
// the stored status, even when a hostile server echoes it back.
func TestTokenNeverInText(t *testing.T) {
	srv, _, o := faultWorld(t)
	o.MaxRetries = 1
	srv.AddFault(fakegl.Fault{Kind: "pipelines", Project: faultProjects[0], EchoAuth: true})
	srv.AddFault(fakegl.Fault{Kind: "mrs", Project: faultProjects[1], Status: 500,
		Body: `{"message":"internal error for token ` + testToken + `"}`})
	srv.AddFault(fakegl.Fault{Kind: "deployments", Project: faultProjects[2], Status: 400,
		Body: `{"error":"bad credentials ` + testToken + `"}`})
	srv.AddFault(fakegl.Fault{Kind: "mr:notes", Project: faultProjects[2], Status: 502,
		Body: "<html>proxy says PRIVATE-TOKEN " + testToken + "</html>"})
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
	st, _ := sink.Status("gitlab")
	texts = append(texts, st.Errors...)
	if len(sum.Errors()) < 4 {
		t.Fatalf("expected the four hostile answers to fail their streams: %v", sum.Errors())
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
		if a != "PRIVATE-TOKEN: "+testToken {
			t.Errorf("unexpected credential %q", a)
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
		seen = append(seen, r.Header.Get("Private-Token")+r.Header.Get("Authorization"))
		mu.Unlock()
		http.Error(w, `{"message":"404 Not Found"}`, http.StatusNotFound)
	}))
	defer other.Close()
	// The same server under another host name: 127.0.0.1 and localhost are
	// different hosts to the client.
	otherURL := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)

	srv, _, o := faultWorld(t)
	o.Projects = faultProjects[:1]
	srv.AddFault(fakegl.Fault{Kind: "pipelines", Times: 1, Redirect: otherURL + "/elsewhere"})
	srv.AddFault(fakegl.Fault{Kind: "mr:notes", Times: 1, Redirect: "http://example.invalid/steal"})
	sum, _ := Sync(context.Background(), o, sources.NewMemSink(), nil)
	mu.Lock()
	defer mu.Unlock()
	if len(seen) == 0 {
		t.Fatalf("the redirect was not followed: %v %v", sum.Errors(), srv.FaultHits())
	}
	for _, a := range seen {
		if a != "" {
			t.Errorf("other host received credentials %q", a)
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
		"":                                    true,
		"https://gitlab.com":                  true,
		"https://gitlab.example.com/gitlab/":  true,
		"https://gitlab.example.com/api/v4":   true,
		"http://127.0.0.1:8080":               true,
		"http://localhost:9000/gitlab":        true,
		"http://[::1]:9000":                   true,
		"http://gitlab.example.com":           false,
		"ftp://gitlab.example.com":            false,
		"https://user:pw@gitlab.example.com":  false,
		"https://gitlab.example.com/?private": false,
		"not a url":                           false,
	} {
		_, err := Options{BaseURL: base}.withDefaults()
		if (err == nil) != ok {
			t.Errorf("%q: err %v, want ok=%v", base, err, ok)
		}
	}
	for _, p := range []string{"noslash", "a//b", "/a/b", "a/b/", "a/b?x", ""} {
		if _, err := (Options{Projects: []string{p}}).withDefaults(); err == nil {
			t.Errorf("project %q accepted", p)
		}
	}
	if _, err := (Options{Projects: []string{"a/b/c"}, Groups: []string{"a", "a/b"}}).withDefaults(); err != nil {
		t.Errorf("valid paths refused: %v", err)
	}
}

// A self-managed instance under a relative root (https://HOST/gitlab) is
// reached there, with or without /api/v4 in the configured URL, and the
// deployments' links point into it.
func TestSelfManagedRelativeRoot(t *testing.T) {
	for _, suffix := range []string{"", "/", "/api/v4"} {
		clk := newClock(faultEnd)
		srv := newFake(t, clk, fakegl.Options{Prefix: "/gitlab", RateLimit: -1})
		for _, p := range fakegl.Generate(fakegl.GenSpec{Projects: 1, MRs: 20, Deployments: 9, Pipelines: 30, End: faultEnd, Seed: 2}) {
			srv.AddProject(p)
		}
		o := testOptions(srv, clk, "acme/ml/project-00")
		o.BaseURL = srv.URL() + suffix
		o.DeployPipelines = []string{"deploy"}
		sink := sources.NewMemSink()
		var log progressLog
		sum, err := Sync(context.Background(), o, sink, log.Add)
		if err != nil || sum.Failed() {
			t.Fatalf("%q: %v %v", suffix, err, sum.Errors())
		}
		if len(sink.Changes()) != 20 || len(sink.Deployments()) != 9 || len(sink.Runs()) == 0 {
			t.Errorf("%q: stored %d changes, %d deployments, %d runs", suffix, len(sink.Changes()), len(sink.Deployments()), len(sink.Runs()))
		}
		for _, d := range sink.Deployments() {
			if !strings.HasPrefix(d.URL, srv.URL()+"/acme/ml/project-00/-/environments/") {
				t.Errorf("%q: deployment URL %s", suffix, d.URL)
			}
		}
		// No throttle, no RateLimit headers: the budget stays unknown.
		for _, p := range log.All() {
			if p.Remaining != -1 || p.Limit != -1 {
				t.Errorf("%q: budget %d/%d reported without RateLimit headers", suffix, p.Remaining, p.Limit)
				break
			}
		}
	}
}

func TestTokenFromEnv(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	if tok, err := TokenFromEnv(env(map[string]string{"GITLAB_TOKEN": " glpat-abc\n"})); tok != "glpat-abc" || err != nil {
		t.Errorf("%q %v", tok, err)
	}
	for _, kv := range []map[string]string{{}, {"GITLAB_TOKEN": "  "}, {"GITHUB_TOKEN": "ghp_x", "GL_TOKEN": "x"}} {
		tok, err := TokenFromEnv(env(kv))
		if tok != "" || !errors.Is(err, ErrNoToken) {
			t.Errorf("%v: %q %v", kv, tok, err)
			continue
		}
		for _, w := range []string{"GITLAB_TOKEN", "read_api"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("message %q lacks %q", err, w)
			}
		}
	}
}

// A group's projects, its subgroups' included and archived ones left out,
// are synced; a project listed both ways is synced once; a missing group
// is reported and the rest goes on.
func TestGroupProjects(t *testing.T) {
	clk := newClock(faultEnd)
	srv := newFake(t, clk, fakegl.Options{})
	ps := fakegl.Generate(fakegl.GenSpec{Group: "acme/research", Projects: 3, MRs: 5, Deployments: 2, End: faultEnd, Seed: 4})
	ps[1].Archived = true
	ps[2].Path = "acme/research/vision/project-02" // in a subgroup
	for _, p := range append(ps, fakegl.Generate(fakegl.GenSpec{Group: "other", Projects: 1, MRs: 3, End: faultEnd, Seed: 5})...) {
		srv.AddProject(p)
	}
	o := testOptions(srv, clk, "acme/research/project-00")
	o.Groups = []string{"acme/research", "ghost-group"}
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
	if synced["acme/research/project-00"] != 2 || synced["acme/research/vision/project-02"] != 2 || len(synced) != 2 {
		t.Errorf("streams synced per project: %v", synced)
	}
	if errs := sum.Errors(); len(errs) != 1 || !strings.Contains(errs[0], "ghost-group") || !strings.Contains(errs[0], "not found") {
		t.Errorf("errors %v, want the missing group", errs)
	}
	if n := len(sink.Changes()); n != 10 {
		t.Errorf("%d changes stored, want 10", n)
	}
}
