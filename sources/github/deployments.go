package github

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"

	gh "github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// holdFor is how long an unfinished deployment or run holds its stream's
// watermark back, so that its terminal status is read by a later pass.
// Older ones are taken as abandoned: they would otherwise pin the
// watermark and make every pass re-read everything after them.
const holdFor = 72 * time.Hour

// commitEvery bounds the work a killed pass loses: after this many
// compares the deployments and links so far are committed (the watermark
// stays where it was until the pass completes).
const commitEvery = 50

// syncDeployments runs one pass of the deployments stream: deployments
// newest first until one is older than the watermark, then, for each new
// successful production deployment, the compare against the previous
// successful one of its environment, which proves which commits it
// shipped. It returns the links found, for the changes of this sync.
func (c *client) syncDeployments(ctx context.Context, r repoRef, sink sources.Sink) (int, map[string]sources.DeployLink, error) {
	key := sources.Key{Source: domain.GitHub, Repo: r.full, Stream: sources.Deployments}
	cur, ok, err := sink.Cursor(ctx, key)
	if err != nil {
		return 0, nil, fmt.Errorf("reading cursor: %w", err)
	}
	if c.o.Full || !ok {
		cur = sources.Cursor{}
	}
	floor := cur.Since
	if floor.IsZero() {
		floor = c.o.Since
	}

	// Read the pass. Deployments are few (a page covers weeks), so the whole
	// pass is read before anything is compared or stored.
	var fresh []domain.Deployment
	var older []domain.Deployment // past the watermark, read only as predecessors
	repoURL, after, first := "", "", 100
	if !cur.Since.IsZero() {
		first = probeSize
	}
	reachedFloor, more := false, true
	for pages := 0; more && (!reachedFloor || (pages < 20 && c.missingPreds(fresh, older, cur.Since))); pages++ {
		var q deploymentsQuery
		err := c.gql.Query(ctx, &q, map[string]any{
			"owner": githubv4.String(r.owner), "name": githubv4.String(r.name),
			"first": githubv4.Int(first), "after": afterVar(after),
		})
		if err != nil {
			return 0, nil, err
		}
		if q.Repository == nil {
			return 0, nil, errNotFound
		}
		repoURL = q.Repository.URL
		conn := &q.Repository.Deployments
		for i := range conn.Nodes {
			d := toDeployment(r.full, repoURL, &conn.Nodes[i])
			if d.CreatedAt.Before(floor) {
				reachedFloor = true
			}
			if reachedFloor {
				older = append(older, d)
			} else {
				fresh = append(fresh, d)
			}
		}
		more = conn.PageInfo.HasNextPage
		after, first = string(conn.PageInfo.EndCursor), 100
	}

	// The watermark after this pass: the newest deployment seen, held back
	// by any recent one still in progress.
	since := cur.Since
	now := c.o.Now()
	var hold time.Time
	for _, d := range fresh {
		if d.CreatedAt.After(since) {
			since = d.CreatedAt
		}
		if d.Result == domain.InProgress && now.Sub(d.CreatedAt) < holdFor && (hold.IsZero() || d.CreatedAt.Before(hold)) {
			hold = d.CreatedAt
		}
	}
	if !hold.IsZero() && hold.Add(-time.Second).Before(since) {
		// One second earlier, so the held deployment is new (compared) next time.
		since = hold.Add(-time.Second)
	}
	if since.IsZero() {
		since = floor
	}

	links := map[string]sources.DeployLink{}
	page := sources.Page{Key: key, Deployments: fresh, Cursor: cur}
	page.Cursor.Resume, page.Cursor.PassHigh = "", time.Time{}
	compares := 0
	for _, pair := range c.pairs(fresh, older, cur.Since) {
		shas, err := c.compare(ctx, r, pair.prev.SHA, pair.next.SHA)
		if st := syncx.StatusOf(err); st == http.StatusNotFound || st == http.StatusUnprocessableEntity {
			// A SHA gone from the repo (force-push, deleted branch) or unrelated
			// histories: containment is unknown for this pair, and its changes
			// fall back to domain's rule. Not a failure of the stream.
			c.report(ctx, sources.Progress{Remaining: -1, Limit: -1,
				Message: fmt.Sprintf("deployment %s: cannot compare %.12s...%.12s (%d); deploy time falls back", pair.next.ID, pair.prev.SHA, pair.next.SHA, st)})
			continue
		}
		if err != nil {
			return 0, nil, fmt.Errorf("compare %.12s...%.12s: %w", pair.prev.SHA, pair.next.SHA, err)
		}
		for _, sha := range shas {
			l := sources.DeployLink{Source: domain.GitHub, Repo: r.full, SHA: sha,
				DeploymentID: pair.next.ID, DeployedAt: pair.next.FinishedAt}
			sources.AddLink(links, l)
			page.Links = append(page.Links, l)
		}
		if compares++; compares%commitEvery == 0 {
			if err := sink.Commit(ctx, page); err != nil {
				return 0, nil, fmt.Errorf("storing page: %w", err)
			}
			page.Deployments, page.Links = nil, nil
		}
	}
	page.Cursor = sources.Cursor{Since: since}
	if err := sink.Commit(ctx, page); err != nil {
		return 0, nil, fmt.Errorf("storing page: %w", err)
	}
	rem, lim := c.budget("graphql")
	c.report(ctx, sources.Progress{Items: len(fresh), Remaining: rem, Limit: lim})
	return len(fresh), links, nil
}

// deployPair is a successful production deployment and the successful one
// of the same environment before it.
type deployPair struct{ prev, next domain.Deployment }

// isProdSuccess reports a successful deployment to a production environment.
func (c *client) isProdSuccess(d domain.Deployment) bool {
	return d.Result == domain.Success && c.o.Production.MatchString(d.Environment)
}

// missingPreds reports whether some production environment's oldest new
// success (one created after the old watermark) has no older success read
// yet to compare it with; the pass then reads further back.
func (c *client) missingPreds(fresh, older []domain.Deployment, oldSince time.Time) bool {
	oldest := map[string]time.Time{} // env → oldest success in fresh
	for _, d := range fresh {
		if c.isProdSuccess(d) {
			if t, ok := oldest[d.Environment]; !ok || d.CreatedAt.Before(t) {
				oldest[d.Environment] = d.CreatedAt
			}
		}
	}
	for env, t := range oldest {
		if !t.After(oldSince) {
			continue // compared by an earlier pass
		}
		found := false
		for _, d := range older {
			if d.Environment == env && c.isProdSuccess(d) {
				found = true
				break
			}
		}
		if !found {
			return true
		}
	}
	return false
}

// pairs orders each production environment's successes by creation and
// pairs every new one (read in this pass, created after the old
// watermark) with its predecessor. The first deployment of an environment
// has none: its changes fall back to domain's rule (SPEC §5).
func (c *client) pairs(fresh, older []domain.Deployment, oldSince time.Time) []deployPair {
	isFresh := map[string]bool{}
	byEnv := map[string][]domain.Deployment{}
	for _, d := range fresh {
		isFresh[d.ID] = true
	}
	for _, set := range [][]domain.Deployment{fresh, older} {
		for _, d := range set {
			if c.isProdSuccess(d) {
				byEnv[d.Environment] = append(byEnv[d.Environment], d)
			}
		}
	}
	envs := make([]string, 0, len(byEnv))
	for env := range byEnv {
		envs = append(envs, env)
	}
	sort.Strings(envs)
	var out []deployPair
	for _, env := range envs {
		ds := byEnv[env]
		sort.Slice(ds, func(i, j int) bool {
			if !ds[i].CreatedAt.Equal(ds[j].CreatedAt) {
				return ds[i].CreatedAt.Before(ds[j].CreatedAt)
			}
			return ds[i].ID < ds[j].ID
		})
		for i := 1; i < len(ds); i++ {
			if isFresh[ds[i].ID] && ds[i].CreatedAt.After(oldSince) {
				out = append(out, deployPair{prev: ds[i-1], next: ds[i]})
			}
		}
	}
	return out
}

// compare lists the commits in head that are not in base (GitHub's
// base...head compare, 100 commits a page).
func (c *client) compare(ctx context.Context, r repoRef, base, head string) ([]string, error) {
	var shas []string
	opts := &gh.ListOptions{PerPage: 100}
	for {
		cmp, resp, err := c.rest.Repositories.CompareCommits(ctx, r.owner, r.name, base, head, opts)
		if err != nil {
			return nil, err
		}
		for _, cm := range cmp.Commits {
			shas = append(shas, cm.GetSHA())
		}
		if resp.NextPage == 0 {
			return shas, nil
		}
		opts.Page = resp.NextPage
	}
}
