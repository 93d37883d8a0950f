package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/pace-dev/pace/domain"
)

// maxLanes bounds how many connections one Load reads with at once.
const maxLanes = 4

// snapshotRetries is how often Load retries when a page was committed
// between its lanes' snapshots before it falls back to one lane.
const snapshotRetries = 3

// errMoved reports that the lanes of a Load saw different commits.
var errMoved = errors.New("cache changed between the lanes' snapshots")

// Load reads the whole cache into a Dataset (with the sources' statuses).
// Derived fields (Category, Team, Bot, Deployment.Teams, a fallback
// DeployedAt) are left for domain.Prepare. Repeated strings (repos, logins,
// labels, branches) share one copy. Changes come in the order they were
// first stored; deployments and runs ordered by (source, repo, id).
//
// The tables are read in parallel lanes, one connection and read
// transaction each: the driver's per-value cost, not SQLite, bounds a load,
// so lanes scale with cores. Every write bumps a generation number in the
// same transaction; lanes that read different generations saw different
// commits, and Load tries again, finally with a single lane, so the Dataset
// is always one committed state even while a sync writes.
func (s *Store) Load(ctx context.Context) (*domain.Dataset, error) {
	lanes := min(runtime.GOMAXPROCS(0), maxLanes)
	for attempt := 0; ; attempt++ {
		if attempt == snapshotRetries {
			lanes = 1
		}
		ds, err := s.load(ctx, lanes)
		if errors.Is(err, errMoved) && lanes > 1 {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: load: %w", err)
		}
		return ds, nil
	}
}

// loadJob is one query's worth of a Load; jobs write disjoint parts of
// loadState, so lanes need no locks.
type loadJob struct {
	what string
	run  func(ctx context.Context, l *loader) error
}

// loadState collects what the jobs read before it is joined into a Dataset.
type loadState struct {
	ds         domain.Dataset
	changes    []changeChunk   // by id range, ascending
	activities []activityChunk // the same ranges
}

type changeChunk struct {
	ids     []int64
	changes []domain.Change
}

type activityChunk struct {
	ids  []int64 // change id of each activity
	acts []domain.Activity
}

func (s *Store) load(ctx context.Context, lanes int) (*domain.Dataset, error) {
	st := &loadState{}
	jobs, err := s.plan(ctx, st, lanes)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	queue := make(chan loadJob, len(jobs))
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	gens := make([]string, lanes)
	errs := make([]error, lanes)
	var wg sync.WaitGroup
	for i := range lanes {
		wg.Go(func() {
			gens[i], errs[i] = s.lane(ctx, queue)
			if errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, g := range gens[1:] {
		if g != gens[0] {
			return nil, errMoved
		}
	}
	return st.join()
}

// plan lists the jobs, largest first so the lanes finish together. With
// more than two lanes the changes and their activities are split into id
// ranges (ids only grow; ranges of both tables match so they join).
func (s *Store) plan(ctx context.Context, st *loadState, lanes int) ([]loadJob, error) {
	var maxID int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM changes`).Scan(&maxID); err != nil {
		return nil, err
	}
	ranges := max(1, lanes/2)
	st.changes = make([]changeChunk, ranges)
	st.activities = make([]activityChunk, ranges)
	var jobs []loadJob
	step := maxID/int64(ranges) + 1
	for k := range ranges {
		lo, hi := int64(k)*step, int64(k+1)*step
		if k == ranges-1 {
			hi = 1 << 62 // rows committed after maxID was read belong here
		}
		jobs = append(jobs,
			loadJob{"activities", func(ctx context.Context, l *loader) error {
				return l.activities(ctx, lo, hi, &st.activities[k])
			}},
			loadJob{"changes", func(ctx context.Context, l *loader) error {
				return l.changes(ctx, lo, hi, &st.changes[k])
			}})
	}
	jobs = append(jobs,
		loadJob{"runs", func(ctx context.Context, l *loader) error { return l.runs(ctx, &st.ds) }},
		loadJob{"deployments", func(ctx context.Context, l *loader) error { return l.deployments(ctx, &st.ds) }},
		loadJob{"meta", func(ctx context.Context, l *loader) error { return l.meta(ctx, &st.ds) }},
		loadJob{"sources", func(ctx context.Context, l *loader) error { return l.sources(ctx, &st.ds) }},
	)
	return jobs, nil
}

// lane runs jobs from queue in one read transaction and returns the write
// generation its snapshot saw.
func (s *Store) lane(ctx context.Context, queue <-chan loadJob) (gen string, err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		bt, ok := dc.(driver.ConnBeginTx)
		if !ok {
			return errors.New("driver cannot begin a read transaction")
		}
		tx, err := bt.BeginTx(ctx, driver.TxOptions{ReadOnly: true})
		if err != nil {
			return err
		}
		defer tx.Rollback()
		l := &loader{dc: dc, in: newInterner()}
		// The first read fixes the snapshot every job of this lane sees.
		if err := l.scan(ctx, `SELECT value FROM meta WHERE key = 'generation'`, func(r *rawRows) error {
			gen = r.str(0)
			return nil
		}); err != nil {
			return fmt.Errorf("generation: %w", err)
		}
		for j := range queue {
			if err := j.run(ctx, l); err != nil {
				return fmt.Errorf("%s: %w", j.what, err)
			}
		}
		return nil
	})
	return gen, err
}

// join assembles the chunks: changes in id order, each with its window of
// the activities read for its range (a merge of two id-ordered lists).
func (st *loadState) join() (*domain.Dataset, error) {
	ds := &st.ds
	for k := range st.changes {
		cc, ac := &st.changes[k], &st.activities[k]
		ai := 0
		for i, id := range cc.ids {
			if ai < len(ac.ids) && ac.ids[ai] < id {
				return nil, fmt.Errorf("activity of unknown change id %d", ac.ids[ai])
			}
			s := ai
			for ai < len(ac.ids) && ac.ids[ai] == id {
				ai++
			}
			if ai > s {
				cc.changes[i].Activity = ac.acts[s:ai:ai]
			}
		}
		if ai < len(ac.ids) {
			return nil, fmt.Errorf("activity of unknown change id %d", ac.ids[ai])
		}
	}
	if len(st.changes) == 1 {
		ds.Changes = st.changes[0].changes
	} else {
		n := 0
		for _, cc := range st.changes {
			n += len(cc.changes)
		}
		ds.Changes = make([]domain.Change, 0, n)
		for _, cc := range st.changes {
			ds.Changes = append(ds.Changes, cc.changes...)
		}
	}
	ds.Changes = slices.Clip(ds.Changes)
	return ds, nil
}
