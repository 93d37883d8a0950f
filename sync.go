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
	var authErrs []error

	if want(req.source, "github") && (len(cfg.GitHub.Repos) > 0 || len(cfg.GitHub.Orgs) > 0) {
		token, err := github.TokenFromEnv(a.getenv, a.githubCLIToken(ctx, cfg))
		if err != nil {
			authErrs = append(authErrs, err)
		} else {
			sum, err := github.Sync(ctx, github.Options{
				BaseURL:    cfg.GitHub.BaseURL,
				Token:      token,
				Repos:      cfg.GitHub.Repos,
				Orgs:       cfg.GitHub.Orgs,
				Since:      since,
				Full:       req.full,
				Workflows:  union(cfg.Experiments.Workflows, cfg.Deployments.Workflows),
				Production: ws.settings.Production,
				HTTPClient: a.httpClient,
				Now:        a.syncNow(ws),
			}, st, progress)
			out.items += sum.Items()
			out.requests += sum.Requests
			for _, e := range sum.Errors() {
				out.failures = append(out.failures, "github: "+e)
			}
			var ae *github.AuthError
			switch {
			case errors.As(err, &ae):
				authErrs = append(authErrs, err)
			case ctx.Err() != nil:
				return out, ctx.Err()
			case err != nil && len(sum.Errors()) == 0:
				out.failures = append(out.failures, err.Error())
			}
		}
	}
	if len(authErrs) > 0 {
		return out, &authError{err: errors.Join(authErrs...)}
	}
	return out, nil
}

// syncNow is a sync's clock: the real one, or with --now one that starts
// there and advances with real time, so rate-limit countdowns still move.
func (a *app) syncNow(ws *workspace) func() time.Time {
	if a.nowFlag == "" {
		return func() time.Time { return a.clock().UTC() }
	}
	start := a.clock()
	return func() time.Time { return ws.now.Add(a.clock().Sub(start)) }
}

// githubCLIToken returns the `gh auth token` fallback, preceded by the
// config file's token (honoured only for a mode-0600 file, which config
// enforces) so that the environment still wins over the file.
func (a *app) githubCLIToken(ctx context.Context, cfg *config.Config) func() (string, error) {
	gh := github.GHCLIToken(ctx, cfg.GitHub.BaseURL)
	return func() (string, error) {
		if t := cfg.GitHub.Token.Reveal(); t != "" {
			return t, nil
		}
		return gh()
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
