package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pace-dev/pace/config"
	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/github"
	"github.com/pace-dev/pace/sources/gitlab"
	"github.com/pace-dev/pace/store"
)

// syncRequest says what one sync should fetch.
type syncRequest struct {
	source string        // "" (all configured), "github" or "gitlab"
	full   bool          // ignore stored cursors
	since  time.Duration // how far back a first sync reaches
}

// syncOutcome is what a sync of every selected source did.
type syncOutcome struct {
	items    int
	requests int64
	failures []string // one line per failed stream or source; the others still synced
}

// authError marks a missing or rejected token: a configuration problem, so
// `pace sync` exits 2 and names the variable to set.
type authError struct{ err error }

func (e *authError) Error() string { return e.err.Error() }
func (e *authError) Unwrap() error { return e.err }

// syncAll runs every configured source selected by req into the cache at
// ws.cache, reporting progress. A source that fails entirely is reported in
// the outcome and the others go on; only a cancelled ctx or an unusable
// cache stops the whole sync.
func (a *app) syncAll(ctx context.Context, ws *workspace, req syncRequest, progress sources.ProgressFunc) (syncOutcome, error) {
	var out syncOutcome
	cfg := ws.cfg
	st, err := store.Open(ctx, ws.cache)
	if err != nil {
		return out, fmt.Errorf("open cache: %w", err)
	}
	defer st.Close()
	if org := orgName(cfg); org != "" {
		if err := st.SetOrg(ctx, org); err != nil {
			return out, fmt.Errorf("write cache: %w", err)
		}
	}
	since := ws.now.Add(-req.since)
	now := a.syncNow(ws)
	var authErrs []error
	// record folds one source's result into the outcome: a missing or
	// rejected token is collected (exit 2), a failed stream is listed (exit
	// 1), and only a cancelled context stops the other sources.
	record := func(name string, items int, requests int64, errs []string, err error, isAuth bool) error {
		out.items += items
		out.requests += requests
		for _, e := range errs {
			out.failures = append(out.failures, name+": "+e)
		}
		switch {
		case isAuth:
			authErrs = append(authErrs, err)
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && len(errs) == 0:
			out.failures = append(out.failures, name+": "+err.Error())
		}
		return nil
	}

	if want(req.source, "github") && (len(cfg.GitHub.Repos) > 0 || len(cfg.GitHub.Orgs) > 0) {
		token, err := github.TokenFromEnv(a.getenv, a.configToken(cfg.GitHub.Token.Reveal(), github.GHCLIToken(ctx, cfg.GitHub.BaseURL)))
		if err != nil {
			authErrs = append(authErrs, err)
		} else {
			o := github.Options{
				BaseURL:    cfg.GitHub.BaseURL,
				Token:      token,
				Repos:      cfg.GitHub.Repos,
				Orgs:       cfg.GitHub.Orgs,
				Since:      since,
				Full:       req.full,
				Workflows:  union(cfg.Experiments.Workflows, cfg.Deployments.Workflows),
				Production: ws.settings.Production,
				HTTPClient: a.httpClient,
				Now:        now,
				Sleep:      a.sleep,
			}
			sum, err := github.Sync(ctx, o, st, progress)
			var ae *github.AuthError
			isAuth := errors.As(err, &ae)
			if err := record("github", sum.Items(), sum.Requests, sum.Errors(), err, isAuth); err != nil {
				return out, err
			}
			if !isAuth {
				out.failures = append(out.failures, syncGitHubTeams(ctx, cfg, o, st, progress)...)
			}
		}
	}
	if want(req.source, "gitlab") && (len(cfg.GitLab.Projects) > 0 || len(cfg.GitLab.Groups) > 0) {
		token, err := gitlab.TokenFromEnv(a.getenv)
		if t := cfg.GitLab.Token.Reveal(); err != nil && t != "" {
			token, err = t, nil
		}
		if err != nil {
			authErrs = append(authErrs, err)
		} else {
			sum, err := gitlab.Sync(ctx, gitlab.Options{
				BaseURL:         cfg.GitLab.BaseURL,
				Token:           token,
				Projects:        cfg.GitLab.Projects,
				Groups:          cfg.GitLab.Groups,
				Since:           since,
				Full:            req.full,
				PipelineRef:     ws.settings.Experiments.PipelineRef,
				PipelineName:    ws.settings.Experiments.PipelineName,
				DeployPipelines: cfg.Deployments.Workflows,
				Production:      ws.settings.Production,
				HTTPClient:      a.httpClient,
				Now:             now,
				Sleep:           a.sleep,
			}, st, progress)
			var ae *gitlab.AuthError
			if err := record("gitlab", sum.Items(), sum.Requests, sum.Errors(), err, errors.As(err, &ae)); err != nil {
				return out, err
			}
		}
	}
	if len(authErrs) > 0 {
		return out, &authError{err: errors.Join(authErrs...)}
	}
	return out, nil
}

// syncGitHubTeams reads the members of every team's github_team into the
// cache, where loadWorkspace finds them; it returns one line per failure.
func syncGitHubTeams(ctx context.Context, cfg *config.Config, o github.Options, st *store.Store, progress sources.ProgressFunc) []string {
	var failures []string
	for _, t := range cfg.Teams {
		if t.GitHubTeam == "" {
			continue
		}
		logins, err := github.TeamMembers(ctx, o, t.GitHubTeam)
		if err == nil {
			err = st.SetTeamMembers(ctx, teamKey(t.GitHubTeam), logins)
		}
		p := sources.Progress{Source: domain.GitHub, Repo: "team:" + t.GitHubTeam, Stream: "members", Items: len(logins), Done: true, Err: err}
		if err != nil {
			failures = append(failures, fmt.Sprintf("github: team %s (github_team of %s): %v", t.GitHubTeam, t.Name, err))
		}
		if progress != nil {
			progress(p)
		}
	}
	return failures
}

// teamKey is the cache key of a GitHub team's member list.
func teamKey(githubTeam string) string { return "github:" + strings.ToLower(githubTeam) }

// syncNow is a sync's clock: the real one, or with --now one that starts
// there and advances with real time, so rate-limit countdowns still move.
func (a *app) syncNow(ws *workspace) func() time.Time {
	if a.nowFlag == "" {
		return func() time.Time { return a.clock().UTC() }
	}
	start := a.clock()
	return func() time.Time { return ws.now.Add(a.clock().Sub(start)) }
}

// configToken returns the token fallback after the environment: the config
// file's token (honoured only for a mode-0600 file, which config enforces),
// else next (e.g. `gh auth token`), so the environment still wins.
func (a *app) configToken(fromFile string, next func() (string, error)) func() (string, error) {
	return func() (string, error) {
		if fromFile != "" {
			return fromFile, nil
		}
		return next()
	}
}

// orgName is what the dashboard's header calls the organisation: the first
// GitHub org, else the owner of the first repo, else the first GitLab group.
func orgName(cfg *config.Config) string {
	switch {
	case len(cfg.GitHub.Orgs) > 0:
		return cfg.GitHub.Orgs[0]
	case len(cfg.GitHub.Repos) > 0:
		owner, _, _ := strings.Cut(cfg.GitHub.Repos[0], "/")
		return owner
	case len(cfg.GitLab.Groups) > 0:
		return cfg.GitLab.Groups[0]
	case len(cfg.GitLab.Projects) > 0:
		group, _, _ := strings.Cut(cfg.GitLab.Projects[0], "/")
		return group
	}
	return ""
}

func want(selected, source string) bool { return selected == "" || selected == source }

// union returns the distinct non-empty strings of the lists, in order.
func union(lists ...[]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		for _, s := range l {
			if s != "" && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// sourceNames lists the domain sources, for --source's help and check.
func sourceNames() []string { return []string{string(domain.GitHub), string(domain.GitLab)} }
