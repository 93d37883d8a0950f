package github

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources/github/fakegh"
)

// checkFake serves acme/api and acme/web (and so the org acme).
func checkFake(t *testing.T, o fakegh.Options) (*fakegh.Server, *fakeClock) {
	t.Helper()
	clk := newClock(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	srv := newFake(t, clk, o)
	srv.AddRepo(&fakegh.Repo{Owner: "acme", Name: "api", ID: 1})
	srv.AddRepo(&fakegh.Repo{Owner: "acme", Name: "web", ID: 2, Archived: true})
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
	srv, clk := checkFake(t, fakegh.Options{Login: "octo-lead", Scopes: "repo, read:org"})
	o := testOptions(srv, clk, "acme/api", "acme/web")
	o.Orgs = []string{"acme"}
	// One at a time, so the last answer read carries the lowest budget
	// (concurrent answers may be read out of order).
	o.Concurrency = 1
	res, err := Check(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Login != "octo-lead" || !res.ScopesKnown || !slices.Equal(res.Scopes, []string{"repo", "read:org"}) {
		t.Errorf("who: login %q scopes %v known %v", res.Login, res.Scopes, res.ScopesKnown)
	}
	// One request for the user, one per repo, one for the org's page.
	if res.Requests != 4 || srv.Total() != 4 {
		t.Errorf("requests: result %d, server %d (%s), want 4", res.Requests, srv.Total(), fakegh.FormatCounts(srv.Counts()))
	}
	if res.RateLimit != 5000 || res.RateRemaining != 5000-4 {
		t.Errorf("budget %d of %d, want 4996 of 5000", res.RateRemaining, res.RateLimit)
	}
	if res.Failed() || len(res.Repos) != 3 {
		t.Fatalf("repos: %+v", res.Repos)
	}
	for i, want := range []string{"acme/api", "acme/web", "org:acme"} {
		if res.Repos[i].Repo != want || !res.Repos[i].OK {
			t.Errorf("repo %d: %+v, want %s ok", i, res.Repos[i], want)
		}
	}
	if res.Repos[0].Note != "" || res.Repos[1].Note != "archived" {
		t.Errorf("notes: %q, %q", res.Repos[0].Note, res.Repos[1].Note)
	}
	if !strings.Contains(res.Repos[2].Note, "2 repos listed, 1 not archived") {
		t.Errorf("org note: %q", res.Repos[2].Note)
	}
}

func TestCheckFineGrainedTokenHasNoScopes(t *testing.T) {
	srv, clk := checkFake(t, fakegh.Options{})
	res, err := Check(context.Background(), testOptions(srv, clk, "acme/api"))
	if err != nil {
		t.Fatal(err)
	}
	if res.ScopesKnown || res.Scopes != nil || res.Login != "pace-bot" {
		t.Errorf("scopes %v known %v login %q", res.Scopes, res.ScopesKnown, res.Login)
	}
}

func TestCheckMissingRepoAndOrgOthersChecked(t *testing.T) {
	srv, clk := checkFake(t, fakegh.Options{})
	srv.AddFault(fakegh.Fault{Kind: "rest:repo", Repo: "acme/web", Status: 403,
		Body: `{"message":"Resource protected by organization SAML enforcement."}`})
	o := testOptions(srv, clk, "acme/gone", "acme/api", "acme/web")
	o.Orgs = []string{"nobody"}
	res, err := Check(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed() {
		t.Error("Failed() is false with a missing repo")
	}
	got := map[string]RepoAccess{}
	for _, a := range res.Repos {
		got[a.Repo] = a
	}
	if a := got["acme/gone"]; a.OK || !strings.Contains(a.Err, "not found or no access") || !strings.Contains(a.Err, "404") {
		t.Errorf("missing repo: %+v", a)
	}
	if a := got["acme/web"]; a.OK || !strings.Contains(a.Err, "not found or no access") || !strings.Contains(a.Err, "SAML") {
		t.Errorf("forbidden repo: %+v", a)
	}
	if a := got["org:nobody"]; a.OK || !strings.Contains(a.Err, "not found or no access") {
		t.Errorf("missing org: %+v", a)
	}
	if a := got["acme/api"]; !a.OK {
		t.Errorf("healthy repo: %+v", a)
	}
}

func TestCheckRejectedToken(t *testing.T) {
	srv, clk := checkFake(t, fakegh.Options{})
	o := testOptions(srv, clk, "acme/api")
	o.Token = "ghp_WRONGwrongWRONG0123456789"
	res, err := Check(context.Background(), o)
	var ae *AuthError
	if !errors.As(err, &ae) {
		t.Fatalf("err %v, want an *AuthError", err)
	}
	for _, want := range []string{"401", "GITHUB_TOKEN", "read:org"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error()+allText(res), o.Token) {
		t.Error("the rejected token is in the error or result")
	}
	if n := srv.Total(); n != 1 {
		t.Errorf("%d requests after a 401, want 1 (no repo checked)", n)
	}

	o.Token = ""
	if _, err := Check(context.Background(), o); !errors.As(err, &ae) || !strings.Contains(err.Error(), "GH_TOKEN") {
		t.Errorf("no token: %v", err)
	}
}

// A hostile server quoting the Authorization header back: the token is
// scrubbed from what the check says.
func TestCheckNeverEchoesTheToken(t *testing.T) {
	srv, clk := checkFake(t, fakegh.Options{})
	srv.AddFault(fakegh.Fault{Kind: "rest:repo", EchoAuth: true})
	res, err := Check(context.Background(), testOptions(srv, clk, "acme/api"))
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

// An app or Actions token may not call GET /user: the repos are still
// checked.
func TestCheckUserForbiddenStillChecksRepos(t *testing.T) {
	srv, clk := checkFake(t, fakegh.Options{})
	srv.AddFault(fakegh.Fault{Kind: "rest:user", Status: 403, Body: `{"message":"Resource not accessible by integration"}`})
	res, err := Check(context.Background(), testOptions(srv, clk, "acme/api"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Login != "" || !strings.Contains(res.LoginNote, "not accessible by integration") || res.Failed() {
		t.Errorf("login %q note %q repos %+v", res.Login, res.LoginNote, res.Repos)
	}
}

// An exhausted budget: the check gives up after a bounded wait instead of
// sitting out the reset, and says why.
func TestCheckRateLimitedGivesUpSoon(t *testing.T) {
	srv, clk := checkFake(t, fakegh.Options{})
	srv.SetBudget("core", 0, clk.Now().Add(time.Hour))
	_, err := Check(context.Background(), testOptions(srv, clk, "acme/api"))
	if err == nil || !strings.Contains(err.Error(), "would wait") {
		t.Fatalf("err %v, want a bounded wait", err)
	}
	if s := clk.Slept(); s > checkMaxWait {
		t.Errorf("slept %s, more than %s", s, checkMaxWait)
	}
}
