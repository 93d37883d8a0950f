package store

import (
	"context"
	"fmt"

	"github.com/pace-dev/pace/domain"
)

// loader reads tables on one driver connection inside a lane's read
// transaction. Its decoder is the lane's own, so lanes share no state.
type loader struct {
	dc  any
	dec *decoder
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
		if st.Errors, err = decodeStrings(r.str(2)); err != nil {
			return fmt.Errorf("source %s errors: %w", st.Name, err)
		}
		ds.Sources = append(ds.Sources, st)
		return nil
	})
}

// changes reads the changes with lo <= id < hi, in id order, into dst:
// the part of the Dataset's slice the plan sized for them. The exact
// deployment comes from its columns, the source's or a deploy link's
// (exactDeploy); NULL there means none.
func (l *loader) changes(ctx context.Context, lo, hi int64, dst []domain.Change) error {
	i := 0
	err := l.scan(ctx, `SELECT body, `+exactDeploy+` FROM changes WHERE id >= ? AND id < ? ORDER BY id`, func(r *rawRows) error {
		if i == len(dst) {
			return errMoved // more rows than the plan counted: another snapshot
		}
		c := &dst[i]
		if err := l.dec.change(r.bytes(0), c); err != nil {
			return fmt.Errorf("change %d of ids [%d, %d): %w", i, lo, hi, err)
		}
		if !r.null(1) {
			c.DeployExact, c.DeployedAt, c.DeploymentID = true, fromUnix(r.int(1)), r.str(2)
		}
		i++
		return nil
	}, lo, hi)
	if err == nil && i != len(dst) {
		err = errMoved
	}
	return err
}

func (l *loader) deployments(ctx context.Context, ds *domain.Dataset) error {
	n, err := l.count(ctx, `SELECT count(*) FROM deployments`)
	if err != nil {
		return err
	}
	ds.Deployments = make([]domain.Deployment, 0, n)
	return l.scan(ctx, `SELECT body FROM deployments ORDER BY source, repo, id`, func(r *rawRows) error {
		ds.Deployments = append(ds.Deployments, domain.Deployment{})
		d := &ds.Deployments[len(ds.Deployments)-1]
		if err := l.dec.deployment(r.bytes(0), d); err != nil {
			return fmt.Errorf("deployment %d: %w", len(ds.Deployments)-1, err)
		}
		return nil
	})
}

func (l *loader) runs(ctx context.Context, ds *domain.Dataset) error {
	n, err := l.count(ctx, `SELECT count(*) FROM runs`)
	if err != nil {
		return err
	}
	ds.Runs = make([]domain.Run, 0, n)
	return l.scan(ctx, `SELECT body FROM runs ORDER BY source, repo, id`, func(r *rawRows) error {
		ds.Runs = append(ds.Runs, domain.Run{})
		run := &ds.Runs[len(ds.Runs)-1]
		if err := l.dec.run(r.bytes(0), run); err != nil {
			return fmt.Errorf("run %d: %w", len(ds.Runs)-1, err)
		}
		return nil
	})
}
