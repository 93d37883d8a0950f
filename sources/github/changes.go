package github

import (
	"context"
	"fmt"

	"github.com/shurcooL/githubv4"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// probeSize is the first page of an incremental pass. An unchanged repo
// then costs one small query: its newest pull request is the one the last
// pass ended on (updatedAt == cursor), the next is older, and the pass
// stops. Two would do; five also absorbs a few same-second updates.
const probeSize = 5

// repoRef names the repo a stream works on.
type repoRef struct {
	owner, name string
	full        string
}

// syncChanges runs one pass of the changes stream: pull requests newest
// update first, 100 a page, until one is older than the watermark. Each
// page is committed with a cursor that lets a killed pass resume at the
// next page; only a completed pass moves the watermark (Since).
func (c *client) syncChanges(ctx context.Context, r repoRef, sink sources.Sink, links map[string]sources.DeployLink) (int, error) {
	key := sources.Key{Source: domain.GitHub, Repo: r.full, Stream: sources.Changes}
	cur, ok, err := sink.Cursor(ctx, key)
	if err != nil {
		return 0, fmt.Errorf("reading cursor: %w", err)
	}
	if c.o.Full || !ok {
		cur = sources.Cursor{}
	}
	floor := cur.Since
	if floor.IsZero() {
		floor = c.o.Since
	}
	after, passHigh := cur.Resume, cur.PassHigh
	first := 100
	if !cur.Since.IsZero() && after == "" {
		first = probeSize
	}
	items := 0
	for {
		var q changesQuery
		err := c.gql.Query(ctx, &q, map[string]any{
			"owner": githubv4.String(r.owner), "name": githubv4.String(r.name),
			"first": githubv4.Int(first), "after": afterVar(after),
		})
		if err != nil {
			return items, err
		}
		if q.Repository == nil {
			return items, errNotFound
		}
		conn := &q.Repository.PullRequests
		page := sources.Page{Key: key}
		done := !conn.PageInfo.HasNextPage
		for i := range conn.Nodes {
			n := &conn.Nodes[i]
			if n.UpdatedAt.Before(floor) {
				done = true
				break
			}
			if n.UpdatedAt.After(passHigh) {
				passHigh = n.UpdatedAt.UTC()
			}
			if err := c.completePR(ctx, r, n); err != nil {
				return items, fmt.Errorf("pull request #%d: %w", n.Number, err)
			}
			page.Changes = append(page.Changes, toChange(r.full, n))
		}
		sources.ApplyLinks(page.Changes, links)
		if done {
			since := cur.Since
			if passHigh.After(since) {
				since = passHigh
			}
			if since.IsZero() {
				since = floor
			}
			page.Cursor = sources.Cursor{Since: since}
		} else {
			page.Cursor = sources.Cursor{Since: cur.Since, Resume: string(conn.PageInfo.EndCursor), PassHigh: passHigh}
		}
		if err := sink.Commit(ctx, page); err != nil {
			return items, fmt.Errorf("storing page: %w", err)
		}
		items += len(page.Changes)
		rem, lim := c.budget("graphql")
		c.report(ctx, sources.Progress{Items: items, Remaining: rem, Limit: lim})
		if done {
			return items, nil
		}
		after, first = string(conn.PageInfo.EndCursor), 100
	}
}

// completePR fetches what overflowed the nested first pages of a pull
// request: commits past 100, reviews past 20, review comments past 20 per
// review, conversation comments past 100.
func (c *client) completePR(ctx context.Context, r repoRef, n *prNode) error {
	vars := func(after githubv4.String) map[string]any {
		return map[string]any{"owner": githubv4.String(r.owner), "name": githubv4.String(r.name),
			"number": githubv4.Int(n.Number), "after": afterVar(string(after))}
	}
	for pi := n.Commits.PageInfo; pi.HasNextPage; {
		var q prCommitsQuery
		if err := c.gql.Query(ctx, &q, vars(pi.EndCursor)); err != nil {
			return err
		}
		if q.Repository == nil || q.Repository.PullRequest == nil {
			break
		}
		n.Commits.Nodes = append(n.Commits.Nodes, q.Repository.PullRequest.Commits.Nodes...)
		pi = q.Repository.PullRequest.Commits.PageInfo
	}
	for pi := n.Reviews.PageInfo; pi.HasNextPage; {
		var q prReviewsQuery
		if err := c.gql.Query(ctx, &q, vars(pi.EndCursor)); err != nil {
			return err
		}
		if q.Repository == nil || q.Repository.PullRequest == nil {
			break
		}
		n.Reviews.Nodes = append(n.Reviews.Nodes, q.Repository.PullRequest.Reviews.Nodes...)
		pi = q.Repository.PullRequest.Reviews.PageInfo
	}
	for i := range n.Reviews.Nodes {
		rv := &n.Reviews.Nodes[i]
		for pi := rv.Comments.PageInfo; pi.HasNextPage; {
			var q reviewCommentsQuery
			err := c.gql.Query(ctx, &q, map[string]any{"id": rv.ID, "after": afterVar(string(pi.EndCursor))})
			if err != nil {
				return err
			}
			if q.Node == nil {
				break
			}
			rv.Comments.Nodes = append(rv.Comments.Nodes, q.Node.Review.Comments.Nodes...)
			pi = q.Node.Review.Comments.PageInfo
		}
	}
	for pi := n.Comments.PageInfo; pi.HasNextPage; {
		var q prCommentsQuery
		if err := c.gql.Query(ctx, &q, vars(pi.EndCursor)); err != nil {
			return err
		}
		if q.Repository == nil || q.Repository.PullRequest == nil {
			break
		}
		n.Comments.Nodes = append(n.Comments.Nodes, q.Repository.PullRequest.Comments.Nodes...)
		pi = q.Repository.PullRequest.Comments.PageInfo
	}
	return nil
}
