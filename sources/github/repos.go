package github

import (
	"context"
	"fmt"
	"strings"

	gh "github.com/google/go-github/v60/github"

	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// orgRepos lists the non-archived, enabled repos of an org ("owner/name").
func (c *client) orgRepos(ctx context.Context, org string) ([]string, error) {
	ctx = withStream(ctx, "org:"+org, "repos")
	opts := &gh.RepositoryListByOrgOptions{Type: "all", ListOptions: gh.ListOptions{PerPage: 100}}
	var out []string
	for {
		repos, resp, err := c.rest.Repositories.ListByOrg(ctx, org, opts)
		if err != nil {
			return out, err
		}
		for _, r := range repos {
			if r.GetArchived() || r.GetDisabled() {
				continue
			}
			out = append(out, r.GetFullName())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// TeamMembers returns the logins of a GitHub team, named "org/slug" as in
// the config's github_team. The error names the team and never the token.
func TeamMembers(ctx context.Context, o Options, team string) ([]string, error) {
	org, slug, ok := strings.Cut(team, "/")
	if !ok || org == "" || slug == "" || strings.Contains(slug, "/") {
		return nil, fmt.Errorf("github team %q: want org/slug", team)
	}
	c, err := newClient(o, nil)
	if err != nil {
		return nil, err
	}
	ctx = withStream(ctx, "team:"+team, "members")
	opts := &gh.TeamListTeamMembersOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	var out []string
	for {
		users, resp, err := c.rest.Teams.ListTeamMembersBySlug(ctx, org, slug, opts)
		if err != nil {
			switch {
			case syncx.IsUnauthorized(err):
				return nil, syncx.NewAuthError("GitHub rejected the token (401): " + ScopesHelp)
			case isNotFound(err):
				return nil, fmt.Errorf("github team %s: not found or no access (the token needs read:org)", team)
			}
			return nil, c.red.StreamErr("team:"+team, sources.Stream("members"), err)
		}
		for _, u := range users {
			out = append(out, u.GetLogin())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}
