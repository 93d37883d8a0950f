package github

import (
	"context"
	"fmt"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// RunsStream is the stream name of one workflow file's runs.
func RunsStream(file string) sources.Stream { return sources.Stream(string(sources.Runs) + ":" + file) }

// createdFilter formats a time for the Actions `created` search qualifier.
const createdFilter = "2006-01-02T15:04:05Z"

// filteredCap is the most results GitHub returns for one filtered
// workflow-run listing (10 pages of 100).
const filteredCap = 10

// syncRuns runs one pass of one workflow's runs stream.
//
// The first page is the unfiltered newest page, asked conditionally with
// the ETag of the last pass: its URL never changes, so an unchanged
// workflow costs one 304 (free on the rate limit). When more is needed the
// pass continues with `created=<watermark>..<oldest seen>` (100 a page),
// which does not shift as new runs arrive and which it narrows again when
// GitHub's 1,000-result cap on filtered listings is reached. Runs are
// ordered newest first; the watermark is a creation time, held back by
// runs still in progress.
func (c *client) syncRuns(ctx context.Context, r repoRef, file string, sink sources.Sink) (int, error) {
	key := sources.Key{Source: domain.GitHub, Repo: r.full, Stream: RunsStream(file)}
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
	st := &runPass{c: c, r: r, file: file, sink: sink, key: key, cur: cur, floor: floor,
		seen: map[int64]bool{}, passHigh: cur.PassHigh}

	upper := time.Time{}
	if cur.Resume != "" {
		if t, err := time.Parse(time.RFC3339, cur.Resume); err == nil {
			upper = t
		}
	}
	etag := ""
	if upper.IsZero() {
		ctx1 := ctx
		if !c.o.Full {
			ctx1 = withETag(ctx, cur.ETag)
		}
		runs, resp, err := c.rest.Actions.ListWorkflowRunsByFileName(ctx1, r.owner, r.name, file,
			&gh.ListWorkflowRunsOptions{ListOptions: gh.ListOptions{PerPage: 100}})
		switch {
		case isNotModified(err):
			return 0, nil
		case err != nil:
			return 0, err
		}
		etag = resp.Header.Get("ETag")
		oldest, done := st.take(runs.WorkflowRuns)
		if done || resp.NextPage == 0 {
			return st.items, st.finish(ctx, etag)
		}
		if err := st.commit(ctx, oldest); err != nil {
			return st.items, err
		}
		upper = oldest
	}
	for {
		// One filtered window: runs created in [floor, upper].
		opts := &gh.ListWorkflowRunsOptions{
			Created:     floor.UTC().Format(createdFilter) + ".." + upper.UTC().Format(createdFilter),
			ListOptions: gh.ListOptions{PerPage: 100},
		}
		oldest := upper
		for page := 1; ; page++ {
			opts.Page = page
			runs, resp, err := c.rest.Actions.ListWorkflowRunsByFileName(ctx, r.owner, r.name, file, opts)
			if err != nil {
				return st.items, err
			}
			o, done := st.take(runs.WorkflowRuns)
			if !o.IsZero() {
				oldest = o
			}
			if done || resp.NextPage == 0 {
				return st.items, st.finish(ctx, etag)
			}
			if err := st.commit(ctx, oldest); err != nil {
				return st.items, err
			}
			if page >= filteredCap {
				break
			}
		}
		// GitHub stops a filtered listing at 1,000 results: narrow the
		// window to what is not read yet and go on.
		if !oldest.Before(upper) {
			return st.items, fmt.Errorf("more than 1,000 runs of %s created at %s: cannot page past them", file, upper.Format(time.RFC3339))
		}
		upper = oldest
	}
}

// runPass is the state of one runs pass.
type runPass struct {
	c        *client
	r        repoRef
	file     string
	sink     sources.Sink
	key      sources.Key
	cur      sources.Cursor
	floor    time.Time
	seen     map[int64]bool
	pending  []domain.Run
	passHigh time.Time
	hold     time.Time // oldest recent run still in progress
	items    int
}

// take converts the runs at or after the floor; done reports that the
// floor was crossed. oldest is the creation time of the last run taken.
func (p *runPass) take(runs []*gh.WorkflowRun) (oldest time.Time, done bool) {
	now := p.c.o.Now()
	for _, wr := range runs {
		run := toRun(p.r.full, p.file, wr)
		if run.CreatedAt.Before(p.floor) {
			return oldest, true
		}
		oldest = run.CreatedAt
		if p.seen[wr.GetID()] {
			continue
		}
		p.seen[wr.GetID()] = true
		if run.CreatedAt.After(p.passHigh) {
			p.passHigh = run.CreatedAt
		}
		if run.Result == domain.InProgress && now.Sub(run.CreatedAt) < holdFor && (p.hold.IsZero() || run.CreatedAt.Before(p.hold)) {
			p.hold = run.CreatedAt
		}
		p.pending = append(p.pending, run)
	}
	return oldest, false
}

// commit stores the runs taken so far with a cursor that resumes the pass
// below oldest (inclusive: a run created in that second may be on the
// next page).
func (p *runPass) commit(ctx context.Context, oldest time.Time) error {
	c := sources.Cursor{Since: p.cur.Since, Resume: oldest.UTC().Format(time.RFC3339), PassHigh: p.passHigh}
	return p.store(ctx, c)
}

// finish stores the rest and moves the watermark to the newest run seen,
// held back by a recent run still in progress. The ETag is kept only from
// a pass that read the first page and finished.
func (p *runPass) finish(ctx context.Context, etag string) error {
	since := p.cur.Since
	if p.passHigh.After(since) {
		since = p.passHigh
	}
	if !p.hold.IsZero() && p.hold.Before(since) {
		since = p.hold
		etag = "" // the held run must be re-read even if the first page is unchanged
	}
	if since.IsZero() {
		since = p.floor
	}
	return p.store(ctx, sources.Cursor{Since: since, ETag: etag})
}

func (p *runPass) store(ctx context.Context, cur sources.Cursor) error {
	page := sources.Page{Key: p.key, Runs: p.pending, Cursor: cur}
	if err := p.sink.Commit(ctx, page); err != nil {
		return fmt.Errorf("storing page: %w", err)
	}
	p.items += len(p.pending)
	p.pending = nil
	rem, lim := p.c.budget("core")
	p.c.report(ctx, sources.Progress{Items: p.items, Remaining: rem, Limit: lim})
	return nil
}
