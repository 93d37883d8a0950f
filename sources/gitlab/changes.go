package gitlab

import (
	"context"
	"fmt"
	"sync"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// projectRef names the project a stream works on.
type projectRef struct {
	path string // path_with_namespace, as configured or as the group listing gives it
}

// syncChanges runs one pass of the changes stream: merge requests oldest
// update first from the watermark, 100 a page, each with its commits and
// notes (which also give its approvals and ready time). Deploy links found
// by this sync's deployments pass are applied to the changes it stores.
func (c *client) syncChanges(ctx context.Context, p projectRef, sink sources.Sink, links map[string]sources.DeployLink) (int, error) {
	state, orderBy, sortAsc := "all", "updated_at", "asc"
	return runPass(ctx, c, sink, passSpec[*gl.BasicMergeRequest]{
		key: sources.Key{Source: domain.GitLab, Repo: p.path, Stream: sources.Changes},
		list: func(ctx context.Context, after time.Time, page int) ([]*gl.BasicMergeRequest, bool, error) {
			mrs, resp, err := c.api.MergeRequests.ListProjectMergeRequests(p.path, &gl.ListProjectMergeRequestsOptions{
				ListOptions:  gl.ListOptions{PerPage: 100, Page: int64(page)},
				State:        &state,
				OrderBy:      &orderBy,
				Sort:         &sortAsc,
				UpdatedAfter: &after,
			}, reqOpts(ctx))
			if err != nil {
				return nil, false, err
			}
			return mrs, resp.NextPage != 0, nil
		},
		ident: func(mr *gl.BasicMergeRequest) (int64, time.Time) { return mr.ID, mrUpdated(mr) },
		process: func(ctx context.Context, mrs []*gl.BasicMergeRequest) (sources.Page, time.Time, error) {
			changes := make([]domain.Change, len(mrs))
			err := c.each(ctx, len(mrs), func(ctx context.Context, i int) error {
				mr := mrs[i]
				commits, err := c.mrCommits(ctx, p, mr.IID)
				if err != nil {
					return detailErr(fmt.Sprintf("merge request !%d commits", mr.IID), err)
				}
				notes, err := c.mrNotes(ctx, p, mr.IID)
				if err != nil {
					return detailErr(fmt.Sprintf("merge request !%d notes", mr.IID), err)
				}
				changes[i] = toChange(p.path, mr, commits, notes)
				return nil
			})
			if err != nil {
				return sources.Page{}, time.Time{}, err
			}
			sources.ApplyLinks(changes, links)
			return sources.Page{Changes: changes}, time.Time{}, nil
		},
	})
}

// mrUpdated is a merge request's update time (its creation if GitLab gives none).
func mrUpdated(mr *gl.BasicMergeRequest) time.Time {
	switch {
	case mr.UpdatedAt != nil:
		return mr.UpdatedAt.UTC()
	case mr.CreatedAt != nil:
		return mr.CreatedAt.UTC()
	}
	return time.Time{}
}

// mrCommits lists every commit of a merge request, 100 a page.
func (c *client) mrCommits(ctx context.Context, p projectRef, iid int64) ([]*gl.Commit, error) {
	var out []*gl.Commit
	opts := &gl.GetMergeRequestCommitsOptions{ListOptions: gl.ListOptions{PerPage: 100, Page: 1}}
	for {
		cs, resp, err := c.api.MergeRequests.GetMergeRequestCommits(p.path, iid, opts, reqOpts(ctx))
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
		if resp.NextPage == 0 || len(cs) == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// mrNotes lists every note of a merge request, system notes included,
// oldest first, 100 a page.
func (c *client) mrNotes(ctx context.Context, p projectRef, iid int64) ([]*gl.Note, error) {
	var out []*gl.Note
	orderBy, asc := "created_at", "asc"
	opts := &gl.ListMergeRequestNotesOptions{ListOptions: gl.ListOptions{PerPage: 100, Page: 1}, OrderBy: &orderBy, Sort: &asc}
	for {
		ns, resp, err := c.api.Notes.ListMergeRequestNotes(p.path, iid, opts, reqOpts(ctx))
		if err != nil {
			return nil, err
		}
		out = append(out, ns...)
		if resp.NextPage == 0 || len(ns) == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// each runs f for 0..n-1 with at most Concurrency at once (the transport
// bounds requests in flight per host anyway) and returns the first error.
func (c *client) each(ctx context.Context, n int, f func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, c.o.Concurrency)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			if err := f(ctx, i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
					cancel()
				}
				mu.Unlock()
			}
		}(i)
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}
