package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// CheckResult is what Check learnt about the token and each project.
type CheckResult = sources.CheckResult

// RepoAccess is whether one project or group can be read.
type RepoAccess = sources.RepoAccess

// checkMaxWait bounds the backoff and rate-limit pauses of one Check.
const checkMaxWait = 30 * time.Second

// Check asks GitLab who the token is (GET /user), then whether each of
// o.Projects can be read (GET /projects/:id) and each of o.Groups listed
// (one page of GET /groups/:id/projects, subgroups included). It goes
// through the same transport as Sync: the token only to the configured
// host, plain http only to loopback, every message scrubbed, 5xx retried.
// Waits are bounded (30 s in all), so a check answers rather than sitting
// out a throttle. GitLab sends no scopes with an answer, so Scopes stay
// unknown; a project where the token's role is below Reporter is OK with
// a note, since its deployments would be missing.
//
// It returns an *AuthError when the token is missing, rejected (401) or
// lacks the API scope (403 insufficient_scope on GET /user); a project
// that is missing or hidden from the token (404, 403) is a RepoAccess that
// is not OK, and the others are checked.
func Check(ctx context.Context, o Options) (CheckResult, error) {
	res := CheckResult{Source: domain.GitLab, RateRemaining: -1, RateLimit: -1}
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
	n := len(c.o.Projects)
	return sources.RunCheck(ctx, res, sources.CheckSpec{
		User:  c.checkUser,
		Items: n + len(c.o.Groups),
		Item: func(ctx context.Context, i int) (RepoAccess, error) {
			if i < n {
				return c.checkProject(ctx, c.o.Projects[i])
			}
			return c.checkGroup(ctx, c.o.Groups[i-n])
		},
		Concurrency: c.o.Concurrency,
		Budget:      func() (int, int) { return c.lim.snapshot() },
		Requests:    c.tr.Requests.Load,
	})
}

// rejected is the error of a 401: what to set, which scope is needed.
func rejected() error {
	return syncx.NewAuthError("GitLab rejected the token (401): set GITLAB_TOKEN to a valid token; " + ScopesHelp)
}

// checkUser fills in who the token is.
func (c *client) checkUser(ctx context.Context, res *CheckResult) error {
	ctx = withStream(ctx, "user", "check")
	u, _, err := c.api.Users.CurrentUser(reqOpts(ctx))
	switch {
	case err == nil:
		res.Login = u.Username
		return nil
	case syncx.IsUnauthorized(err):
		return rejected()
	case syncx.StatusOf(err) == http.StatusForbidden && strings.Contains(httpText(err), "insufficient_scope"):
		return syncx.NewAuthError("GitLab refused the token (403 insufficient_scope): set GITLAB_TOKEN to a token with more scope; " + ScopesHelp)
	case syncx.StatusOf(err) == http.StatusForbidden:
		res.LoginNote = "GET /user refused: " + c.red.Scrub(httpText(err))
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return fmt.Errorf("gitlab: who is the token (GET /user): %s", c.red.Scrub(httpText(err)))
}

// checkProject reads one project's metadata, the cheapest request that
// proves the token can see it, and the token's role on it.
func (c *client) checkProject(ctx context.Context, path string) (RepoAccess, error) {
	a := RepoAccess{Repo: path}
	ctx = withStream(ctx, path, "check")
	p, _, err := c.api.Projects.GetProject(path, nil, reqOpts(ctx))
	if err != nil {
		return c.accessErr(ctx, a, err)
	}
	a.OK = true
	var notes []string
	if got := p.PathWithNamespace; got != "" && !strings.EqualFold(got, path) {
		notes = append(notes, "now "+got+" (moved: update the config)")
	}
	if p.Archived {
		notes = append(notes, "archived")
	}
	if lvl := accessLevel(p.Permissions); lvl > 0 && lvl < gl.ReporterPermissions {
		notes = append(notes, "role below Reporter: deployments and environments will be missing")
	}
	a.Note = strings.Join(notes, "; ")
	return a, nil
}

// accessLevel is the token's role on a project, directly or through its
// group; 0 when GitLab does not say (a public project it is no member of).
func accessLevel(p *gl.Permissions) gl.AccessLevelValue {
	if p == nil {
		return 0
	}
	var lvl gl.AccessLevelValue
	if p.ProjectAccess != nil {
		lvl = p.ProjectAccess.AccessLevel
	}
	if p.GroupAccess != nil && p.GroupAccess.AccessLevel > lvl {
		lvl = p.GroupAccess.AccessLevel
	}
	return lvl
}

// checkGroup lists one page of a group's projects, as Sync's first
// request for the group does.
func (c *client) checkGroup(ctx context.Context, group string) (RepoAccess, error) {
	a := RepoAccess{Repo: "group:" + group}
	ctx = withStream(ctx, a.Repo, "check")
	yes, no := true, false
	ps, resp, err := c.api.Groups.ListGroupProjects(group, &gl.ListGroupProjectsOptions{
		ListOptions:      gl.ListOptions{PerPage: 100, Page: 1},
		IncludeSubGroups: &yes, Archived: &no, WithShared: &no,
	}, reqOpts(ctx))
	if err != nil {
		return c.accessErr(ctx, a, err)
	}
	if len(ps) == 0 {
		a.Err = "no projects visible to this token"
		return a, nil
	}
	more := ""
	if resp.NextPage != 0 {
		more = "+"
	}
	a.OK = true
	a.Note = fmt.Sprintf("%d%s projects listed (subgroups included, archived left out)", len(ps), more)
	return a, nil
}

// accessErr turns a failed request about one project or group into its
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
		code := strconv.Itoa(he.Status)
		switch msg := he.Message; {
		case msg == "":
			return code + " " + http.StatusText(he.Status)
		case strings.HasPrefix(msg, code):
			return msg // GitLab's own "404 Project Not Found"
		default:
			return code + " " + msg
		}
	}
	return err.Error()
}
