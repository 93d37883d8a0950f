package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pace-dev/pace/config"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/github"
	"github.com/pace-dev/pace/sources/gitlab"
	"github.com/pace-dev/pace/textsafe"
)

func (a *app) configCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Create or validate the configuration file",
		Example: `  pace config init             # write a commented example to edit
  pace config check --online   # validate it, then check tokens and access`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usagef("config needs a subcommand: init or check (see 'pace config --help')")
		},
	}
	cmd.AddCommand(a.configInitCmd(), a.configCheckCmd())
	return cmd
}

func (a *app) configInitCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented example configuration to edit",
		Long: `init writes a commented example configuration (every key, with its default) to
the config path, mode 0600. It refuses to overwrite an existing file unless --force.`,
		Example: `  pace config init
  pace config init --config ./pace.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := a.resolveConfigPath()
			if err != nil {
				return usageErr(err)
			}
			if err := config.WriteExample(path, force); err != nil {
				return usageErr(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\nedit it, then run: pace config check\n", path)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

func (a *app) configCheckCmd() *cobra.Command {
	var online bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Validate the configuration file (and, with --online, the tokens and access)",
		Long: `check validates the configuration file and lists every problem with file:line,
the key and the values allowed. Nothing is fetched.

With --online it then finds each configured source's token as 'pace sync' does
(GITHUB_TOKEN, GH_TOKEN, the config file's github.token, ` + "`gh auth token`" + `; GITLAB_TOKEN,
gitlab.token) and asks the API who the token is, which scopes it has (GitHub
classic tokens), how much rate-limit budget is left, and whether each repo,
org, project, group and github_team can be read: one cheap request each. The
token itself is never printed.

Exit codes: 0 all readable; 1 some repo, org, project or group is not (or a
host could not be reached); 2 a config error, or a token missing or rejected
(the message names the variable to set and the scopes needed).`,
		Example: `  pace config check
  pace config check --config ./pace.yaml
  pace config check --online               # and ask GitHub/GitLab what the tokens can read
  GITHUB_TOKEN=$(gh auth token) pace config check --online`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := a.resolveConfigPath()
			if err != nil {
				return usageErr(err)
			}
			cfg, err := config.Load(path)
			if err != nil {
				return usageErr(err)
			}
			s := cfg.Settings()
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (%d teams, %d GitHub repos, %d GitHub orgs, %d GitLab projects, %d GitLab groups, window %s)\n",
				path, len(s.Teams), len(cfg.GitHub.Repos), len(cfg.GitHub.Orgs), len(cfg.GitLab.Projects), len(cfg.GitLab.Groups), config.FormatDuration(s.Window))
			if !online {
				return nil
			}
			return a.checkOnline(cmd, cfg)
		},
	}
	cmd.Flags().BoolVar(&online, "online", false, "also check each source's token and access to every repo, org, project and group")
	return cmd
}

// onlineCheck is one source's part of `config check --online`: where its
// token came from, and what the API said.
type onlineCheck struct {
	name   string // "github", "gitlab"
	host   string // base URL, to say which instance answered
	origin string // where the token came from, e.g. "GITHUB_TOKEN"
	res    sources.CheckResult
	err    error // auth errors are *github.AuthError / *gitlab.AuthError
}

// checkOnline asks every configured source who its token is and whether
// each repo, org, project and group can be read, prints one block per
// source, and turns the answers into an exit code: 2 for a missing or
// rejected token, 1 for something unreadable or unreachable, else 0.
func (a *app) checkOnline(cmd *cobra.Command, cfg *config.Config) error {
	if !cfg.HasSources() {
		return usagef("%s lists no GitHub repos or orgs and no GitLab projects or groups: nothing to check online", cfg.File())
	}
	ctx := cmd.Context()
	var checks []onlineCheck
	if len(cfg.GitHub.Repos) > 0 || len(cfg.GitHub.Orgs) > 0 {
		checks = append(checks, a.checkGitHub(ctx, cfg))
	}
	if len(cfg.GitLab.Projects) > 0 || len(cfg.GitLab.Groups) > 0 {
		checks = append(checks, a.checkGitLab(ctx, cfg))
	}

	out := cmd.OutOrStdout()
	var authErrs, otherErrs []error
	bad, total := 0, 0
	for _, c := range checks {
		printCheck(out, c)
		switch {
		case isAuthErr(c.err) && c.origin != "":
			authErrs = append(authErrs, fmt.Errorf("%s (token from %s): %w", c.name, c.origin, c.err))
		case isAuthErr(c.err):
			authErrs = append(authErrs, fmt.Errorf("%s: %w", c.name, c.err))
		case c.err != nil:
			otherErrs = append(otherErrs, fmt.Errorf("%s: %s", c.name, textsafe.Clean(c.err.Error())))
		}
		for _, r := range c.res.Repos {
			total++
			if !r.OK {
				bad++
			}
		}
	}
	if ctx.Err() != nil {
		return &exitError{code: exitFailure, err: ctx.Err()}
	}
	if len(authErrs) > 0 {
		return usageErr(errors.Join(authErrs...))
	}
	if bad > 0 {
		otherErrs = append(otherErrs, fmt.Errorf("%d of %d repos, orgs, projects or groups cannot be read (see above); pace sync would skip them", bad, total))
	}
	if len(otherErrs) > 0 {
		return &exitError{code: exitFailure, err: errors.Join(otherErrs...)}
	}
	return nil
}

// checkGitHub finds the GitHub token as `pace sync` does and runs the
// check, github_team members included.
func (a *app) checkGitHub(ctx context.Context, cfg *config.Config) onlineCheck {
	c := onlineCheck{name: "github", host: cfg.GitHub.BaseURL}
	token, err := github.TokenFromEnv(a.getenv, a.configToken(cfg.GitHub.Token.Reveal(), github.GHCLIToken(ctx, cfg.GitHub.BaseURL)))
	if err != nil {
		c.err = err
		return c
	}
	c.origin = a.tokenOrigin("GITHUB_TOKEN", "GH_TOKEN")
	if c.origin == "" {
		c.origin = "github.token in " + cfg.File()
		if cfg.GitHub.Token.Reveal() == "" {
			c.origin = "`gh auth token`"
		}
	}
	o := github.Options{BaseURL: cfg.GitHub.BaseURL, Token: token, Repos: cfg.GitHub.Repos, Orgs: cfg.GitHub.Orgs,
		HTTPClient: a.httpClient, Sleep: a.sleep}
	c.res, c.err = github.Check(ctx, o)
	if c.err != nil {
		return c
	}
	// github_team needs read:org; a team the token cannot list leaves the
	// team without members after a sync, so it is checked like a repo.
	for _, t := range cfg.Teams {
		if t.GitHubTeam == "" {
			continue
		}
		r := sources.RepoAccess{Repo: "team:" + t.GitHubTeam}
		logins, err := github.TeamMembers(ctx, o, t.GitHubTeam)
		var ae *github.AuthError
		switch {
		case errors.As(err, &ae):
			c.err = err
			return c
		case err != nil:
			r.Err = err.Error()
		default:
			r.OK, r.Note = true, fmt.Sprintf("%d members (github_team of %s)", len(logins), t.Name)
		}
		c.res.Repos = append(c.res.Repos, r)
	}
	return c
}

// checkGitLab finds the GitLab token as `pace sync` does and runs the check.
func (a *app) checkGitLab(ctx context.Context, cfg *config.Config) onlineCheck {
	c := onlineCheck{name: "gitlab", host: cfg.GitLab.BaseURL}
	token, err := gitlab.TokenFromEnv(a.getenv)
	c.origin = "GITLAB_TOKEN"
	if t := cfg.GitLab.Token.Reveal(); err != nil && t != "" {
		token, err, c.origin = t, nil, "gitlab.token in "+cfg.File()
	}
	if err != nil {
		c.err = err
		return c
	}
	c.res, c.err = gitlab.Check(ctx, gitlab.Options{BaseURL: cfg.GitLab.BaseURL, Token: token,
		Projects: cfg.GitLab.Projects, Groups: cfg.GitLab.Groups, HTTPClient: a.httpClient, Sleep: a.sleep})
	return c
}

// tokenOrigin names the first of the variables that is set, as
// TokenFromEnv reads them; "" when none is.
func (a *app) tokenOrigin(vars ...string) string {
	for _, v := range vars {
		if strings.TrimSpace(a.getenv(v)) != "" {
			return v
		}
	}
	return ""
}

// printCheck writes one source's block: who the token is, its scopes, the
// budget, then a line per repo. Text from the API is cleaned of control
// characters; the token is never part of it.
func printCheck(w io.Writer, c onlineCheck) {
	fmt.Fprintf(w, "\n%s (%s)\n", c.name, c.host)
	if c.err != nil && (isAuthErr(c.err) || c.res.Login == "" && len(c.res.Repos) == 0) {
		if c.origin != "" {
			fmt.Fprintf(w, "  token:  from %s\n", c.origin)
		}
		fmt.Fprintf(w, "  FAILED: %s\n", textsafe.Clean(c.err.Error()))
		return
	}
	who := textsafe.Clean(c.res.Login)
	if who == "" {
		who = "unknown (" + textsafe.Clean(c.res.LoginNote) + ")"
	}
	fmt.Fprintf(w, "  token:  from %s, belongs to %s\n", c.origin, who)
	switch {
	case !c.res.ScopesKnown:
		fmt.Fprintf(w, "  scopes: not reported (%s)\n", scopesWhy(c.name))
	case len(c.res.Scopes) == 0:
		fmt.Fprintln(w, "  scopes: none")
	default:
		fmt.Fprintf(w, "  scopes: %s\n", textsafe.Clean(strings.Join(c.res.Scopes, ", ")))
	}
	if c.res.RateLimit >= 0 {
		fmt.Fprintf(w, "  rate:   %d of %d requests left\n", c.res.RateRemaining, c.res.RateLimit)
	} else {
		fmt.Fprintln(w, "  rate:   no limit reported")
	}
	width := 0
	for _, r := range c.res.Repos {
		width = max(width, textsafe.Width(r.Repo))
	}
	for _, r := range c.res.Repos {
		pad := strings.Repeat(" ", width-textsafe.Width(r.Repo))
		switch {
		case !r.OK:
			fmt.Fprintf(w, "  %s%s  %s\n", r.Repo, pad, textsafe.Clean(r.Err))
		case r.Note != "":
			fmt.Fprintf(w, "  %s%s  ok (%s)\n", r.Repo, pad, textsafe.Clean(r.Note))
		default:
			fmt.Fprintf(w, "  %s%s  ok\n", r.Repo, pad)
		}
	}
	if c.err != nil {
		fmt.Fprintf(w, "  FAILED: %s\n", textsafe.Clean(c.err.Error()))
	}
}

// isAuthErr reports a missing or rejected token: exit 2, as for `pace sync`.
func isAuthErr(err error) bool {
	var ae *github.AuthError // = gitlab.AuthError: one type under both names
	return errors.As(err, &ae) || errors.Is(err, github.ErrNoToken) || errors.Is(err, gitlab.ErrNoToken)
}

// scopesWhy says why a source's scopes are not known.
func scopesWhy(source string) string {
	if source == "gitlab" {
		return "GitLab does not send them; pace needs read_api"
	}
	return "a fine-grained or app token: its permissions are set on github.com"
}
