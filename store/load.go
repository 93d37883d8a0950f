package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"runtime"
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
// labels, base branches, workflows) share one copy per lane; head branches
// and URLs without an id share one when they repeat from row to row.
// Changes come in the order they were first stored; deployments and runs
// ordered by (source, repo, id). A change's exact deployment is the
// earlier of the source's and its deploy link's (see Commit).
//
// The tables are read in parallel lanes, one connection and read
// transaction each: the driver's per-value cost, not SQLite, bounds a load,
// so lanes scale with cores. The first lane plans the work in its snapshot
// (how many changes each id range holds, so they land in one slice sized
// once, with no copy). Every write bumps a generation number in the same
// transaction; lanes that read different generations saw different
// commits, and Load tries again, finally with a single lane, so the Dataset
// is always one committed state even while a sync writes.
func (s *Store) Load(ctx context.Context) (*domain.Dataset, error) {
	lanes := min(runtime.GOMAXPROCS(0), maxLanes)
	for attempt := 0; ; attempt++ {
		if attempt == snapshotRetries {
			lanes = 1
		}
		ds, err := s.load(ctx, lanes)
		if errors.Is(err, errMoved) && lanes > 1 && ctx.Err() == nil {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: load: %w", err)
		}
		return ds, nil
	}
}

// loadJob is one query's worth of a Load; jobs write disjoint parts of
// the Dataset, so lanes need no locks.
type loadJob struct {
	what string
	run  func(ctx context.Context, l *loader) error
}

// minRange is the fewest changes worth a query of their own (tests lower
// Store.minRange to split small caches).
const minRange = 4096

func (s *Store) load(ctx context.Context, lanes int) (*domain.Dataset, error) {
	ds := &domain.Dataset{}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	gens := make([]string, lanes)
	errs := make([]error, lanes)
	var wg sync.WaitGroup
	run := func(i int, queue <-chan loadJob, first func(context.Context, *loader) error) {
		gens[i], errs[i] = s.lane(ctx, queue, first)
		if errs[i] != nil {
			cancel()
		}
	}
	// The queue holds every job (a handful), so planning never blocks. The
	// other lanes start once it is full and closed: a lane never holds a
	// pooled connection while it waits for work, so lanes of concurrent
	// Loads cannot starve each other of connections.
	queue := make(chan loadJob, 4*maxLanes+8)
	plan := func(ctx context.Context, l *loader) error {
		jobs, err := l.plan(ctx, ds, lanes, s.minRange)
		if err != nil {
			return err
		}
		for _, j := range jobs {
			queue <- j
		}
		close(queue)
		for i := 1; i < lanes; i++ {
			wg.Go(func() { run(i, queue, nil) })
		}
		return nil
	}
	wg.Go(func() { run(0, queue, plan) })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, g := range gens[1:] {
		if g != gens[0] {
			return nil, errMoved
		}
	}
	return ds, nil
}

// plan lists the jobs of a Load, largest first so the lanes finish
// together, and sizes ds.Changes. With more than one lane the changes are
// split into id ranges, each filling its own window of ds.Changes. Counting
// the rows of a range costs a pass over its pages, so ranges are cut only
// when ids run 1..n without gaps (they do: changes are never deleted, and
// SQLite gives a new row the highest id plus one) and their sizes follow.
func (l *loader) plan(ctx context.Context, ds *domain.Dataset, lanes, minRange int) ([]loadJob, error) {
	var maxID, total int64
	// Two subqueries, so SQLite answers max from the b-tree's edge and
	// count from the smallest index instead of scanning the table.
	if err := l.scan(ctx, `SELECT coalesce((SELECT max(id) FROM changes), 0), (SELECT count(*) FROM changes)`, func(r *rawRows) error {
		maxID, total = r.int(0), r.int(1)
		return nil
	}); err != nil {
		return nil, err
	}
	ranges := int64(1)
	if lanes > 1 && maxID == total {
		ranges = max(1, min(2*int64(lanes), total/int64(max(minRange, 1))))
	}
	jobs := []loadJob{
		{"runs", func(ctx context.Context, l *loader) error { return l.runs(ctx, ds) }},
	}
	ds.Changes = make([]domain.Change, total)
	for k := range ranges {
		// Range k holds ids [lo, hi); with one range, every id.
		lo, hi := 1+k*total/ranges, 1+(k+1)*total/ranges
		dst := ds.Changes[lo-1 : hi-1 : hi-1]
		if ranges == 1 {
			lo, hi = math.MinInt64, math.MaxInt64
		}
		jobs = append(jobs, loadJob{"changes", func(ctx context.Context, l *loader) error {
			return l.changes(ctx, lo, hi, dst)
		}})
	}
	jobs = append(jobs,
		loadJob{"deployments", func(ctx context.Context, l *loader) error { return l.deployments(ctx, ds) }},
		loadJob{"meta", func(ctx context.Context, l *loader) error { return l.meta(ctx, ds) }},
		loadJob{"sources", func(ctx context.Context, l *loader) error { return l.sources(ctx, ds) }},
	)
	return jobs, nil
}

// lane runs jobs from queue in one read transaction and returns the write
// generation its snapshot saw. The lane given first runs it before taking
// jobs, in the same snapshot; first must close queue.
func (s *Store) lane(ctx context.Context, queue <-chan loadJob, first func(context.Context, *loader) error) (gen string, err error) {
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
		l := &loader{dc: dc, dec: newDecoder()}
		// The first read fixes the snapshot every job of this lane sees.
		if err := l.scan(ctx, `SELECT value FROM meta WHERE key = 'generation'`, func(r *rawRows) error {
			gen = r.str(0)
			return nil
		}); err != nil {
			return fmt.Errorf("generation: %w", err)
		}
		if first != nil {
			if err := first(ctx, l); err != nil {
				return fmt.Errorf("plan: %w", err)
			}
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
