package gitlab

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources/gitlab/fakegl"
)

// checkFake serves acme/ml/model (Developer), acme/ml/old (archived) and
// acme/ml/guest (Guest): the group acme/ml holds them.
func checkFake(t *testing.T, o fakegl.Options) (*fakegl.Server, *fakeClock) {
	t.Helper()
	clk := newClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	srv := newFake(t, clk, o)
	srv.AddProject(&fakegl.Project{ID: 11, Path: "acme/ml/model", AccessLevel: 30})
	srv.AddProject(&fakegl.Project{ID: 12, Path: "acme/ml/old", Archived: true})
	srv.AddProject(&fakegl.Project{ID: 13, Path: "acme/ml/guest", AccessLevel: 10})
	return srv, clk
}

// allText is every string of a result, to search for the token.
func allText(r CheckResult) string {
	s := fmt.Sprintf("%+v", r)
	for _, a := range r.Repos {
		s += a.Err + a.Note
	}
	return s
}

func TestCheckOK(t *testing.T) {
	srv, clk := checkFake(t, fakegl.Options{Login: "ml-lead"})
	o := testOptions(srv, clk, "acme/ml/model", "acme/ml/old", "acme/ml/guest")
	o.Groups = []string{"acme/ml"}
	// One at a time, so the last answer read carries the lowest budget.
	o.Concurrency = 1
	res, err := Check(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Login != "ml-lead" || res.ScopesKnown {
		t.Errorf("login %q, scopes known %v", res.Login, res.ScopesKnown)
	}
	if res.Requests != 5 || srv.Total() != 5 {
		t.Errorf("requests: result %d, server %d (%s), want 5", res.Requests, srv.Total(), fakegl.FormatCounts(srv.Counts()))
	}
	if res.RateLimit != 2000 || res.RateRemaining != 2000-5 {
		t.Errorf("budget %d of %d, want 1995 of 2000", res.RateRemaining, res.RateLimit)
	}
	if res.Failed() || len(res.Repos) != 4 {
		t.Fatalf("repos: %+v", res.Repos)
	}
	want := []struct{ repo, note string }{
		{"acme/ml/model", ""},
		{"acme/ml/old", "archived"},
		{"acme/ml/guest", "role below Reporter"},
		{"group:acme/ml", "2 projects listed"},
	}
	for i, w := range want {
		a := res.Repos[i]
		if a.Repo != w.repo || !a.OK || (w.note == "") != (a.Note == "") || !strings.Contains(a.Note, w.note) {
			t.Errorf("entry %d: %+v, want %s ok with note %q", i, a, w.repo, w.note)
		}
	}
}

func TestCheckMissingProjectAndGroupOthersChecked(t *testing.T) {
	srv, clk := checkFake(t, fakegl.Options{})
	srv.AddFault(fakegl.Fault{Kind: "project", Project: "acme/ml/old", Status: 403, Body: `{"message":"403 Forbidden"}`})
	o := testOptions(srv, clk, "acme/ml/gone", "acme/ml/model", "acme/ml/old")
	o.Groups = []string{"nobody"}
	res, err := Check(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]RepoAccess{}
	for _, a := range res.Repos {
		got[a.Repo] = a
	}
	if a := got["acme/ml/gone"]; a.OK || a.Err != "not found or no access (404 Project Not Found)" {
		t.Errorf("missing project: %+v", a)
	}
	if a := got["acme/ml/old"]; a.OK || a.Err != "not found or no access (403 Forbidden)" {
		t.Errorf("forbidden project: %+v", a)
	}
	if a := got["group:nobody"]; a.OK || !strings.Contains(a.Err, "not found or no access") {
		t.Errorf("missing group: %+v", a)
	}
	if a := got["acme/ml/model"]; !a.OK {
		t.Errorf("healthy project: %+v", a)
	}
	if !res.Failed() {
		t.Error("Failed() is false with a missing project")
	}
}

func TestCheckRejectedToken(t *testing.T) {
	srv, clk := checkFake(t, fakegl.Options{})
	o := testOptions(srv, clk, "acme/ml/model")
	o.Token = "glpat-WRONGwrongWRONG012345"
	res, err := Check(context.Background(), o)
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("err %v, want an *AuthError", err)
	}
	for _, want := range []string{"401", "GITLAB_TOKEN", "read_api"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error()+allText(res), o.Token) {
		t.Error("the rejected token is in the error or result")
	}
	if n := srv.Total(); n != 1 {
		t.Errorf("%d requests after a 401, want 1", n)
	}

	o.Token = ""
	if _, err := Check(context.Background(), o); !errors.As(err, &ae) || !strings.Contains(err.Error(), "GITLAB_TOKEN") {
		t.Errorf("no token: %v", err)
	}
}

// A token without the API scope gets 403 insufficient_scope everywhere:
// that is the token's fault, not every project's.
func TestCheckInsufficientScope(t *testing.T) {
	srv, clk := checkFake(t, fakegl.Options{})
	srv.AddFault(fakegl.Fault{Status: 403, Body: `{"error":"insufficient_scope","error_description":"The request requires higher privileges than provided by the access token.","scope":"api read_api"}`})
	_, err := Check(context.Background(), testOptions(srv, clk, "acme/ml/model"))
	var ae *AuthError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "insufficient_scope") || !strings.Contains(err.Error(), "read_api") {
		t.Errorf("err %v, want an *AuthError naming the scope", err)
	}
}

// A hostile server quoting the token back: it is scrubbed.
func TestCheckNeverEchoesTheToken(t *testing.T) {
	srv, clk := checkFake(t, fakegl.Options{})
	srv.AddFault(fakegl.Fault{Kind: "project", EchoAuth: true})
	res, err := Check(context.Background(), testOptions(srv, clk, "acme/ml/model"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Repos) != 1 || res.Repos[0].OK || !strings.Contains(res.Repos[0].Err, "[REDACTED]") {
		t.Errorf("echoing server: %+v", res.Repos)
	}
	if strings.Contains(allText(res), testToken) {
		t.Error("the token is in the result")
	}
}

// An exhausted budget: the check gives up after a bounded wait.
func TestCheckRateLimitedGivesUpSoon(t *testing.T) {
	srv, clk := checkFake(t, fakegl.Options{})
	srv.SetBudget(0, clk.Now().Add(10*time.Minute))
	_, err := Check(context.Background(), testOptions(srv, clk, "acme/ml/model"))
	if err == nil || !strings.Contains(err.Error(), "would wait") {
		t.Fatalf("err %v, want a bounded wait", err)
	}
	if s := clk.Slept(); s > checkMaxWait {
		t.Errorf("slept %s, more than %s", s, checkMaxWait)
	}
}
