package gitlab

import (
	"context"
	"strconv"
	"sync"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// linkWait is how long after a successful production deployment GitLab
// may still be linking the merge requests it shipped (a background job
// does it): a deployment read within it with no merge requests holds the
// watermark back, so the next sync reads it again.
const linkWait = 15 * time.Minute

// syncDeployments runs one pass of the deployments stream: deployments
// oldest update first from the watermark, with their environment's tier
// (environments API, read once per pass when there is anything new) and,
// for each successful production deployment, the merge requests it
// shipped, which prove exact deploy times. It returns the links found, for
// the changes of this sync; they are stored with their deployments' page.
func (c *client) syncDeployments(ctx context.Context, p projectRef, sink sources.Sink) (int, map[string]sources.DeployLink, error) {
	links := map[string]sources.DeployLink{}
	var tiers map[string]domain.Tier
	var tiersOnce sync.Once
	var tiersErr error
	orderBy, asc := "updated_at", "asc"
	n, err := runPass(ctx, c, sink, passSpec[*gl.Deployment]{
		key: sources.Key{Source: domain.GitLab, Repo: p.path, Stream: sources.Deployments},
		list: func(ctx context.Context, after time.Time, page int) ([]*gl.Deployment, bool, error) {
			ds, resp, err := c.api.Deployments.ListProjectDeployments(p.path, &gl.ListProjectDeploymentsOptions{
				ListOptions: gl.ListOptions{PerPage: 100, Page: int64(page)},
				// GitLab 16+ refuses updated_after without this ordering.
				OrderBy:      &orderBy,
				Sort:         &asc,
				UpdatedAfter: &after,
			}, reqOpts(ctx))
			if err != nil {
				return nil, false, err
			}
			return ds, resp.NextPage != 0, nil
		},
		ident: func(d *gl.Deployment) (int64, time.Time) { return d.ID, deploymentUpdated(d) },
		process: func(ctx context.Context, ds []*gl.Deployment) (sources.Page, time.Time, error) {
			tiersOnce.Do(func() { tiers, tiersErr = c.environmentTiers(ctx, p) })
			if tiersErr != nil {
				return sources.Page{}, time.Time{}, detailErr("environments", tiersErr)
			}
			page := sources.Page{Deployments: make([]domain.Deployment, len(ds))}
			for i, d := range ds {
				page.Deployments[i] = toDeployment(p.path, c.o.webBase(), d, tiers)
			}
			var mu sync.Mutex
			var hold time.Time
			now := c.o.Now()
			err := c.each(ctx, len(ds), func(ctx context.Context, i int) error {
				dep := page.Deployments[i]
				if dep.Result != domain.Success || !c.isProduction(dep) {
					return nil
				}
				shas, err := c.deploymentMRs(ctx, p, ds[i].ID)
				if err != nil {
					return detailErr("deployment "+dep.ID+" merge requests", err)
				}
				mu.Lock()
				defer mu.Unlock()
				if len(shas) == 0 && now.Sub(dep.FinishedAt) < linkWait {
					if u := deploymentUpdated(ds[i]); hold.IsZero() || u.Before(hold) {
						hold = u
					}
				}
				for _, sha := range shas {
					l := sources.DeployLink{Source: domain.GitLab, Repo: p.path, SHA: sha,
						DeploymentID: dep.ID, DeployedAt: dep.FinishedAt}
					sources.AddLink(links, l)
					page.Links = append(page.Links, l)
				}
				return nil
			})
			return page, hold, err
		},
	})
	return n, links, err
}

// isProduction reports whether a deployment is to production: GitLab's
// tier when the environment has one, else the configured name regexp
// (as domain decides).
func (c *client) isProduction(d domain.Deployment) bool {
	if d.Tier != "" {
		return d.Tier == domain.Production
	}
	return c.o.Production.MatchString(d.Environment)
}

// environmentTiers lists a project's environments and their tiers, by name.
func (c *client) environmentTiers(ctx context.Context, p projectRef) (map[string]domain.Tier, error) {
	out := map[string]domain.Tier{}
	opts := &gl.ListEnvironmentsOptions{ListOptions: gl.ListOptions{PerPage: 100, Page: 1}}
	for {
		envs, resp, err := c.api.Environments.ListEnvironments(p.path, opts, reqOpts(ctx))
		if err != nil {
			return nil, err
		}
		for _, e := range envs {
			out[e.Name] = tierOf(e.Tier)
		}
		if resp.NextPage == 0 || len(envs) == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// deploymentMRs lists the merge SHAs of the merge requests a deployment
// shipped (GitLab links them when the deployment succeeds).
func (c *client) deploymentMRs(ctx context.Context, p projectRef, id int64) ([]string, error) {
	var out []string
	opts := &gl.ListMergeRequestsOptions{ListOptions: gl.ListOptions{PerPage: 100, Page: 1}}
	for {
		mrs, resp, err := c.api.DeploymentMergeRequests.ListDeploymentMergeRequests(p.path, id, opts, reqOpts(ctx))
		if err != nil {
			return nil, err
		}
		for _, mr := range mrs {
			if sha := mergeSHA(&mr.BasicMergeRequest); sha != "" && mr.State == "merged" {
				out = append(out, sha)
			}
		}
		if resp.NextPage == 0 || len(mrs) == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// deploymentUpdated is a deployment's update time (its creation if none).
func deploymentUpdated(d *gl.Deployment) time.Time {
	switch {
	case d.UpdatedAt != nil:
		return d.UpdatedAt.UTC()
	case d.CreatedAt != nil:
		return d.CreatedAt.UTC()
	}
	return time.Time{}
}

// tierOf maps GitLab's environment tiers to pace's; "" (unknown) leaves
// the decision to domain, which classifies by name.
func tierOf(t string) domain.Tier {
	switch t {
	case "production":
		return domain.Production
	case "staging":
		return domain.Staging
	case "testing", "development", "other":
		return domain.OtherTier
	}
	return ""
}

// toDeployment converts a deployment. CreatedAt is the deployment's own
// creation; FinishedAt, for a finished one, is its job's finish (what the
// deployment waited for), else its last update.
func toDeployment(repo, web string, d *gl.Deployment, tiers map[string]domain.Tier) domain.Deployment {
	dep := domain.Deployment{
		Source:    domain.GitLab,
		Repo:      repo,
		ID:        strconv.FormatInt(d.ID, 10),
		SHA:       d.SHA,
		Ref:       d.Ref,
		CreatedAt: utc(d.CreatedAt),
	}
	if e := d.Environment; e != nil {
		dep.Environment = e.Name
		dep.Tier = tierOf(e.Tier)
		if dep.Tier == "" {
			dep.Tier = tiers[e.Name]
		}
		if e.ID != 0 {
			dep.URL = web + "/" + repo + "/-/environments/" + strconv.FormatInt(e.ID, 10)
		}
	}
	terminal := true
	switch d.Status {
	case "success":
		dep.Result = domain.Success
	case "failed":
		dep.Result = domain.Failure
	case "canceled", "skipped":
		// Never went live.
		dep.Result = domain.Cancelled
	case "created", "running", "blocked":
		dep.Result, terminal = domain.InProgress, false
	default:
		terminal = false
	}
	if terminal {
		dep.FinishedAt = utc(d.Deployable.FinishedAt)
		if dep.FinishedAt.IsZero() {
			dep.FinishedAt = deploymentUpdated(d)
		}
	}
	return dep
}
