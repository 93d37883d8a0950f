package store

import (
	"context"
	"fmt"

	"github.com/pace-dev/pace/domain"
)

// loader reads tables on one driver connection inside a lane's read
// transaction. Its interner is the lane's own, so lanes share no state.
type loader struct {
	dc any
	in *interner
}

// scan runs query and calls row for each row, checking ctx now and then so
// a cancelled Load stops within milliseconds.
func (l *loader) scan(ctx context.Context, query string, row func(r *rawRows) error, args ...int64) error {
	r, err := rawQuery(ctx, l.dc, query, args...)
	if err != nil {
		return err
	}
	defer r.Close()
	for n := 1; r.next(); n++ {
		if err := row(r); err != nil {
			return err
		}
		if n%(1<<14) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
	}
	return r.Err()
}

// count returns the single integer a query yields; the loaders size their
// slices with it, so a million rows are appended without regrowth.
func (l *loader) count(ctx context.Context, query string, args ...int64) (int, error) {
	var n int64
	err := l.scan(ctx, query, func(r *rawRows) error {
		n = r.int(0)
		return nil
	}, args...)
	return int(n), err
}

func (l *loader) meta(ctx context.Context, ds *domain.Dataset) error {
	return l.scan(ctx, `SELECT value FROM meta WHERE key = 'org'`, func(r *rawRows) error {
		ds.Org = r.str(0)
		return nil
	})
}

func (l *loader) sources(ctx context.Context, ds *domain.Dataset) error {
	return l.scan(ctx, `SELECT name, last_sync, errors FROM sources ORDER BY name`, func(r *rawRows) error {
		st := domain.SourceStatus{Name: r.str(0), LastSync: fromUnix(r.int(1))}
		var err error
		if st.Errors, err = decodeStrings(r.str(2), nil); err != nil {
			return fmt.Errorf("source %s errors: %w", st.Name, err)
		}
		ds.Sources = append(ds.Sources, st)
		return nil
	})
}

// changes reads the changes with lo <= id < hi in id order.
func (l *loader) changes(ctx context.Context, lo, hi int64, out *changeChunk) error {
	n, err := l.count(ctx, `SELECT count(*) FROM changes WHERE id >= ? AND id < ?`, lo, hi)
	if err != nil {
		return err
	}
	out.changes = make([]domain.Change, 0, n)
	out.ids = make([]int64, 0, n)
	return l.scan(ctx, `SELECT id, source, repo, number, url, title, author, labels,
		draft, base_branch, head_branch, opened_at, ready_at, updated_at, merged_at, closed_at,
		merge_sha, first_commit_at, first_review_at, approved_at, deployed_at, deployment_id,
		deploy_exact FROM changes WHERE id >= ? AND id < ? ORDER BY id`, func(r *rawRows) error {
		c := domain.Change{
			Source: l.in.source(r.str(1)), Repo: l.in.str(r.str(2)), Number: int(r.int(3)),
			URL: r.str(4), Title: r.str(5), Author: l.in.str(r.str(6)),
			Draft: r.int(8) != 0, BaseBranch: l.in.str(r.str(9)), HeadBranch: l.in.str(r.str(10)),
			OpenedAt: fromUnix(r.int(11)), ReadyAt: fromUnix(r.int(12)), UpdatedAt: fromUnix(r.int(13)),
			MergedAt: fromUnix(r.int(14)), ClosedAt: fromUnix(r.int(15)), MergeSHA: r.str(16),
			FirstCommitAt: fromUnix(r.int(17)), FirstReviewAt: fromUnix(r.int(18)),
			ApprovedAt: fromUnix(r.int(19)),
		}
		if r.int(22) != 0 {
			c.DeployExact, c.DeployedAt, c.DeploymentID = true, fromUnix(r.int(20)), r.str(21)
		}
		var err error
		if c.Labels, err = decodeStrings(r.str(7), l.in); err != nil {
			return fmt.Errorf("change %s labels: %w", c.Key(), err)
		}
		out.changes = append(out.changes, c)
		out.ids = append(out.ids, r.int(0))
		return nil
	}, lo, hi)
}

// activities reads the activities of the changes with lo <= id < hi in
// (change id, seq) order, the order join merges them in.
func (l *loader) activities(ctx context.Context, lo, hi int64, out *activityChunk) error {
	n, err := l.count(ctx, `SELECT count(*) FROM activities WHERE change_id >= ? AND change_id < ?`, lo, hi)
	if err != nil {
		return err
	}
	out.acts = make([]domain.Activity, 0, n)
	out.ids = make([]int64, 0, n)
	return l.scan(ctx, `SELECT change_id, kind, login, at FROM activities
		WHERE change_id >= ? AND change_id < ? ORDER BY change_id, seq`, func(r *rawRows) error {
		out.ids = append(out.ids, r.int(0))
		out.acts = append(out.acts, domain.Activity{Kind: l.in.kind(r.str(1)), Login: l.in.str(r.str(2)), At: fromUnix(r.int(3))})
		return nil
	}, lo, hi)
}

func (l *loader) deployments(ctx context.Context, ds *domain.Dataset) error {
	n, err := l.count(ctx, `SELECT count(*) FROM deployments`)
	if err != nil {
		return err
	}
	ds.Deployments = make([]domain.Deployment, 0, n)
	return l.scan(ctx, `SELECT source, repo, id, url, environment, tier, sha, ref,
		created_at, finished_at, result FROM deployments ORDER BY source, repo, id`, func(r *rawRows) error {
		ds.Deployments = append(ds.Deployments, domain.Deployment{
			Source: l.in.source(r.str(0)), Repo: l.in.str(r.str(1)), ID: r.str(2), URL: r.str(3),
			Environment: l.in.str(r.str(4)), Tier: l.in.tier(r.str(5)), SHA: r.str(6), Ref: l.in.str(r.str(7)),
			CreatedAt: fromUnix(r.int(8)), FinishedAt: fromUnix(r.int(9)), Result: l.in.result(r.str(10)),
		})
		return nil
	})
}

func (l *loader) runs(ctx context.Context, ds *domain.Dataset) error {
	n, err := l.count(ctx, `SELECT count(*) FROM runs`)
	if err != nil {
		return err
	}
	ds.Runs = make([]domain.Run, 0, n)
	return l.scan(ctx, `SELECT source, repo, id, url, workflow, name, branch, sha,
		actor, event, created_at, started_at, finished_at, result FROM runs ORDER BY source, repo, id`, func(r *rawRows) error {
		ds.Runs = append(ds.Runs, domain.Run{
			Source: l.in.source(r.str(0)), Repo: l.in.str(r.str(1)), ID: r.str(2), URL: r.str(3),
			Workflow: l.in.str(r.str(4)), Name: r.str(5), Branch: l.in.str(r.str(6)), SHA: r.str(7),
			Actor: l.in.str(r.str(8)), Event: l.in.str(r.str(9)), CreatedAt: fromUnix(r.int(10)),
			StartedAt: fromUnix(r.int(11)), FinishedAt: fromUnix(r.int(12)), Result: l.in.result(r.str(13)),
		})
		return nil
	})
}
