package gitlab

import (
	"context"

	gl "gitlab.com/gitlab-org/api/client-go"
)

// groupProjects lists the non-archived projects of a group and of its
// subgroups, by path. Projects only shared with the group are left out:
// like a GitHub org's repos, a group's projects are the ones it holds.
func (c *client) groupProjects(ctx context.Context, group string) ([]string, error) {
	ctx = withStream(ctx, "group:"+group, "projects")
	yes, no, orderBy, asc := true, false, "id", "asc"
	opts := &gl.ListGroupProjectsOptions{
		ListOptions:      gl.ListOptions{PerPage: 100, Page: 1},
		IncludeSubGroups: &yes,
		Archived:         &no,
		WithShared:       &no,
		OrderBy:          &orderBy,
		Sort:             &asc,
	}
	var out []string
	for {
		ps, resp, err := c.api.Groups.ListGroupProjects(group, opts, reqOpts(ctx))
		if err != nil {
			return out, err
		}
		for _, p := range ps {
			if !p.Archived && p.PathWithNamespace != "" {
				out = append(out, p.PathWithNamespace)
			}
		}
		if resp.NextPage == 0 || len(ps) == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}
