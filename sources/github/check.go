package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// CheckResult is what Check learnt about the token and each repo.
type CheckResult = sources.CheckResult

// RepoAccess is whether one repo or org can be read.
type RepoAccess = sources.RepoAccess

// checkMaxWait bounds the backoff and rate-limit pauses of one Check.
const checkMaxWait = 30 * time.Second

// Check asks GitHub who the token is (GET /user: login, and the scopes of
// a classic token from X-OAuth-Scopes), then whether each of o.Repos can
// be read (GET /repos/{owner}/{repo}) and each of o.Orgs listed (one page
// of GET /orgs/{org}/repos). It goes through the same transport as Sync:
// the token only to the configured host, plain http only to loopback,
// every message scrubbed, 5xx retried. Waits are bounded (30 s in all),
// so a check answers rather than sitting out a rate-limit reset.
//
// It returns an *AuthError when the token is missing or rejected (401); a
// repo that is missing or hidden from the token (404, or 403 without a
// rate limit) is a RepoAccess that is not OK, and the others are checked.
func Check(ctx context.Context, o Options) (CheckResult, error) {
	res := CheckResult{Source: domain.GitHub, RateRemaining: -1, RateLimit: -1}
	if o.Token == "" {
		return res, syncx.NewAuthError(ErrNoToken.Error())
	}
	sleep := o.Sleep
	if sleep == nil {
		sleep = syncx.SleepCtx
	}
	o.Sleep = sources.CheckSleep(sleep, checkMaxWait)
	c, err := newClient(o, nil)
	if err != nil {
		return res, err
	}
	n := len(c.o.Repos)
	return sources.RunCheck(ctx, res, sources.CheckSpec{
		User:  c.checkUser,
		Items: n + len(c.o.Orgs),
		Item: func(ctx context.Context, i int) (RepoAccess, error) {
			if i < n {
				return c.checkRepo(ctx, c.o.Repos[i])
			}
			return c.checkOrg(ctx, c.o.Orgs[i-n])
		},
		Concurrency: c.o.Concurrency,
		Budget:      func() (int, int) { return c.budget("core") },
		Requests:    c.tr.Requests.Load,
	})
}

// rejected is the error of a 401: what to set, which scopes are needed.
func rejected() error {
	return syncx.NewAuthError("GitHub rejected the token (401): set GITHUB_TOKEN or GH_TOKEN to a valid token; " + ScopesHelp)
}

// checkUser fills in who the token is. A 403 is not fatal: GitHub App
// installation tokens and Actions' GITHUB_TOKEN may not call GET /user
// yet may read repos, which the per-repo checks then show.
func (c *client) checkUser(ctx context.Context, res *CheckResult) error {
	ctx = withStream(ctx, "user", "check")
	u, resp, err := c.rest.Users.Get(ctx, "")
	if resp != nil && resp.Response != nil {
		// Sent (possibly empty) for classic tokens only; fine-grained and
		// app tokens have permissions instead, which no header lists.
		if v, ok := resp.Header[http.CanonicalHeaderKey("X-OAuth-Scopes")]; ok {
			res.ScopesKnown = true
			res.Scopes = splitScopes(strings.Join(v, ","))
		}
	}
	switch {
	case err == nil:
		res.Login = u.GetLogin()
		return nil
	case syncx.IsUnauthorized(err):
		return rejected()
	case syncx.StatusOf(err) == http.StatusForbidden:
		res.LoginNote = "GET /user refused (an app or Actions token?): " + c.red.Scrub(httpText(err))
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return fmt.Errorf("github: who is the token (GET /user): %s", c.red.Scrub(httpText(err)))
}

// checkRepo reads one repo's metadata, the cheapest request that proves
// the token can see it.
func (c *client) checkRepo(ctx context.Context, full string) (RepoAccess, error) {
	a := RepoAccess{Repo: full}
	owner, name, err := splitRepo(full)
	if err != nil {
		a.Err = err.Error()
		return a, nil
	}
	ctx = withStream(ctx, full, "check")
	r, _, err := c.rest.Repositories.Get(ctx, owner, name)
	if err != nil {
		return c.accessErr(ctx, a, err)
	}
	a.OK = true
	var notes []string
	if got := r.GetFullName(); got != "" && !strings.EqualFold(got, full) {
		notes = append(notes, "now "+got+" (renamed or moved: update the config)")
	}
	if r.GetArchived() {
		notes = append(notes, "archived")
	}
	a.Note = strings.Join(notes, "; ")
	return a, nil
}

// checkOrg lists one page of an org's repos, as Sync's first request for
// the org does.
func (c *client) checkOrg(ctx context.Context, org string) (RepoAccess, error) {
	a := RepoAccess{Repo: "org:" + org}
	ctx = withStream(ctx, a.Repo, "check")
	opts := &gh.RepositoryListByOrgOptions{Type: "all", ListOptions: gh.ListOptions{PerPage: 100}}
	repos, resp, err := c.rest.Repositories.ListByOrg(ctx, org, opts)
	if err != nil {
		return c.accessErr(ctx, a, err)
	}
	active := 0
	for _, r := range repos {
		if !r.GetArchived() && !r.GetDisabled() {
			active++
		}
	}
	more := ""
	if resp.NextPage != 0 {
		more = "+"
	}
	if len(repos) == 0 {
		// GitHub lists an org whose repos the token cannot see as empty,
		// not as missing; a fine-grained token not granted the org looks so.
		a.Err = "no repos visible to this token (a fine-grained token must be granted the org's repos)"
		return a, nil
	}
	a.OK = true
	a.Note = fmt.Sprintf("%d%s repos listed, %d%s not archived", len(repos), more, active, more)
	return a, nil
}

// accessErr turns a failed request about one repo or org into its
// RepoAccess; only a rejected token or a cancelled check is an error.
func (c *client) accessErr(ctx context.Context, a RepoAccess, err error) (RepoAccess, error) {
	switch st := syncx.StatusOf(err); {
	case st == http.StatusUnauthorized:
		return a, rejected()
	case st == http.StatusNotFound || st == http.StatusForbidden:
		a.Err = "not found or no access (" + c.red.Scrub(httpText(err)) + ")"
	case ctx.Err() != nil:
		return a, ctx.Err()
	default:
		a.Err = c.red.Scrub(httpText(err))
	}
	return a, nil
}

// httpText is an error's text without the URL net/http wraps around a
// transport error: the path is in an *HTTPError's own text already.
func httpText(err error) string {
	var he *HTTPError
	if errors.As(err, &he) {
		msg := he.Message
		if msg == "" {
			msg = http.StatusText(he.Status)
		}
		return fmt.Sprintf("%d %s", he.Status, msg)
	}
	return err.Error()
}

// splitScopes splits "repo, read:org" into its scopes.
func splitScopes(h string) []string {
	out := []string{}
	for _, s := range strings.Split(h, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
