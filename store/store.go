// Package store is pace's local cache: a SQLite file (modernc.org/sqlite, pure
// Go) that a sync writes page by page and the dashboard loads whole. It
// implements sources.Sink. The file holds organisation data (titles, names),
// never tokens, so it is created private (0600) in a private directory.
//
// Concurrency: the file is in WAL mode with a busy timeout, so a TUI can Load
// while `pace sync` commits pages from another process; readers see the last
// committed page and never block the writer.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	// The pure-Go SQLite driver, registered as "sqlite".
	_ "modernc.org/sqlite"

	"github.com/pace-dev/pace/sources"
)

// busyTimeoutMS is how long a connection waits for another writer (another
// process committing a page) before it reports SQLITE_BUSY. A page commits in
// milliseconds, so seconds of waiting means something is wrong.
const busyTimeoutMS = 5000

// maxConns bounds the pool: each SQLite connection has its own page cache
// and libc thread state. A Load's lanes, one writer and a spare suffice.
const maxConns = maxLanes + 2

// Store is an open cache file. It is safe for concurrent use; writes from
// one Store are serialised in Go so they never wait on SQLite's busy loop.
type Store struct {
	db       *sql.DB
	path     string
	wmu      sync.Mutex // serialises write transactions of this process
	minRange int        // fewest changes a Load lane reads in one query
}

// The Store is the sync's sink.
var _ sources.Sink = (*Store)(nil)

// Open opens (creating when missing) the cache at path and migrates its
// schema to the version this binary knows. The parent directory is created
// 0700; the file is created 0600, and an existing file readable by others is
// tightened to 0600 (it holds private organisation data). A file written by
// a newer pace (a higher schema version) is refused with an error saying so.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: empty cache path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: cache path %q: %w", path, err)
	}
	if err := createFile(abs); err != nil {
		return nil, err
	}
	// Look before touching: a foreign or newer file must be refused before
	// the connection pragmas switch it to WAL or its mode is changed.
	if err := retryBusy(ctx, func() error { return inspect(ctx, abs) }); err != nil {
		return nil, fmt.Errorf("store: %s: %w", abs, err)
	}
	if err := tighten(abs); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	s := &Store{db: db, path: abs, minRange: minRange}
	var from int
	err = retryBusy(ctx, func() (err error) {
		from, err = migrate(ctx, db, migrations)
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", abs, err)
	}
	if from > 0 && from < len(migrations) {
		// Migrating a file full of rows leaves them all in the WAL, which
		// keeps its size on disk after the checkpoint; give the space back.
		// Best effort: a reader in another process may keep it.
		_, _ = db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	}
	return s, nil
}

// retryBusy runs f again while SQLite reports the file busy. Processes
// opening a brand-new file at once race to switch it to WAL, and SQLite
// answers that race with SQLITE_BUSY at once, without the busy timeout; it
// lasts milliseconds.
func retryBusy(ctx context.Context, f func() error) error {
	delay := 5 * time.Millisecond
	deadline := time.Now().Add(busyTimeoutMS * time.Millisecond)
	for {
		err := f()
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, 200*time.Millisecond)
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (any extended code).
func isBusy(err error) bool {
	var se interface{ Code() int }
	return errors.As(err, &se) && se.Code()&0xff == sqliteBusy
}

// sqliteBusy is SQLite's primary result code SQLITE_BUSY.
const sqliteBusy = 5

// Close closes the cache. A Store must not be used after Close.
func (s *Store) Close() error { return s.db.Close() }

// Path returns the absolute path of the cache file.
func (s *Store) Path() string { return s.path }

// IntegrityCheck runs SQLite's PRAGMA integrity_check and returns an error
// listing the problems when the file is not healthy (tests of the sync call
// it after injected faults).
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("store: integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("store: integrity check of %s failed: %s", s.path, strings.Join(problems, "; "))
	}
	// integrity_check does not look at foreign keys; a dangling activity
	// would be silently dropped by Load, so report it here.
	var dangling int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&dangling); err != nil {
		return fmt.Errorf("store: foreign key check: %w", err)
	}
	if dangling > 0 {
		return fmt.Errorf("store: integrity check of %s failed: %d rows violate foreign keys", s.path, dangling)
	}
	return nil
}

// SetOrg records the organisation name shown in the dashboard header.
func (s *Store) SetOrg(ctx context.Context, name string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('org', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, name)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set org: %w", err)
	}
	return nil
}

// write runs f in a write transaction that also bumps the generation, so
// every committed write is visible to Load's snapshot check. Writes of this
// process queue on a mutex rather than in SQLite's busy-wait loop.
func (s *Store) write(ctx context.Context, f func(tx *sql.Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	err := s.writeTx(ctx, f)
	// A cancelled context makes database/sql roll back and close the
	// statements under us; say why rather than "statement is closed".
	if cerr := ctx.Err(); err != nil && cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	return err
}

func (s *Store) writeTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, bumpGeneration); err != nil {
		return fmt.Errorf("bump generation: %w", err)
	}
	return tx.Commit()
}

// dsn builds the driver's connection string. A file: URI with an escaped
// path keeps a '?' or '#' in a directory name from being read as a query.
// With pragmas, every pooled connection runs them when it opens: WAL lets
// readers and one writer work at once; synchronous=NORMAL is durable across
// process crashes in WAL mode (a power cut may lose the last commits, which
// the next sync refetches); _txlock=immediate takes the write lock at BEGIN
// so a writer waits under busy_timeout instead of failing on a lock
// upgrade. Read-only transactions still begin deferred. Without pragmas
// the connection only waits for locks, for inspecting a file unchanged.
func dsn(abs string, pragmas bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busyTimeoutMS))
	if pragmas {
		q.Set("_foreign_keys", "1")
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
		q.Set("_txlock", "immediate")
		// Pages of 16 KiB halve a Load's page reads against the default
		// 4 KiB (each is a syscall: the per-connection page cache is far
		// smaller than the tables) for a slower commit (measured: about
		// 1.7x per page of 100 changes). It takes effect only when the file is
		// created; an existing cache keeps its page size.
		q.Add("_pragma", "page_size(16384)")
		// An upsert in a transaction saves the pages it changes to a
		// statement journal, a temporary file by default: a write syscall
		// per page, which made up most of a commit's time.
		q.Add("_pragma", "temp_store(memory)")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String()
}

// createFile makes the parent directory (0700) and the file (0600) before
// SQLite sees it, so the file never exists with the umask's wider mode.
// SQLite creates the -wal and -shm files with the database file's mode. An
// existing directory is left as it is (it may be shared, e.g. /tmp).
func createFile(abs string) error {
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return fmt.Errorf("store: create cache directory: %w", err)
	}
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: open cache file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("store: open cache file: %w", err)
	}
	return nil
}

// inspect refuses a file this binary must not change: one that is not an
// SQLite database, another program's database, or a newer pace's cache. It
// reads through a connection without pragmas, which changes nothing.
func inspect(ctx context.Context, abs string) error {
	db, err := sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		return err
	}
	defer db.Close()
	// One statement, one snapshot: another process may be migrating the
	// file right now, and a version from before with objects from after
	// would look like a foreign database.
	var version, objects int
	err = db.QueryRowContext(ctx, `SELECT (SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_schema)`).Scan(&version, &objects)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	return checkVersion(version, objects, len(migrations))
}

// tighten makes the cache file and its WAL sidecars private when group or
// others may read them: they hold organisation data.
func tighten(abs string) error {
	for _, p := range []string{abs, abs + "-wal", abs + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: stat %s: %w", p, err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, fi.Mode().Perm()&0o700); err != nil {
				return fmt.Errorf("store: %s is readable by other users and cannot be made private: %w", p, err)
			}
		}
	}
	return nil
}
