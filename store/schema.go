package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migration is one schema step: its SQL, then, when set, Go code for what
// SQL cannot do (re-encoding rows), in the same transaction.
type migration struct {
	sql string
	run func(ctx context.Context, tx *sql.Tx) error
}

// migrations are the schema steps in order: migrations[i] takes a file from
// schema version i to i+1 (PRAGMA user_version). A shipped step is never
// edited, only followed by a new one; testdata/schema_v*.sql freeze them so
// a test can migrate an old file.
//
// Times are INTEGER unix seconds UTC, 0 for the zero time: integers load
// faster than text and every metric works in whole seconds. Text columns are
// NOT NULL with the empty string for "none" so a load scans plain strings, no sql.Null*.
var migrations = []migration{
	// v1: the cache as first shipped.
	{sql: `
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- A change keeps a small integer id so its activities (about six per change)
-- reference it cheaply; (source, repo, number) is its natural key.
CREATE TABLE changes (
	id              INTEGER PRIMARY KEY,
	source          TEXT    NOT NULL CHECK (source <> ''),
	repo            TEXT    NOT NULL CHECK (repo <> ''),
	number          INTEGER NOT NULL CHECK (number > 0),
	url             TEXT    NOT NULL DEFAULT '',
	title           TEXT    NOT NULL DEFAULT '',
	author          TEXT    NOT NULL DEFAULT '',
	labels          TEXT    NOT NULL DEFAULT '',   -- JSON array of strings; '' when none
	draft           INTEGER NOT NULL DEFAULT 0,
	base_branch     TEXT    NOT NULL DEFAULT '',
	head_branch     TEXT    NOT NULL DEFAULT '',
	opened_at       INTEGER NOT NULL DEFAULT 0,
	ready_at        INTEGER NOT NULL DEFAULT 0,
	updated_at      INTEGER NOT NULL DEFAULT 0,
	merged_at       INTEGER NOT NULL DEFAULT 0,
	closed_at       INTEGER NOT NULL DEFAULT 0,
	merge_sha       TEXT    NOT NULL DEFAULT '',
	first_commit_at INTEGER NOT NULL DEFAULT 0,
	first_review_at INTEGER NOT NULL DEFAULT 0,
	approved_at     INTEGER NOT NULL DEFAULT 0,
	-- Only a source-exact deployment is stored; the fallback is derived.
	deployed_at     INTEGER NOT NULL DEFAULT 0,
	deployment_id   TEXT    NOT NULL DEFAULT '',
	deploy_exact    INTEGER NOT NULL DEFAULT 0,
	UNIQUE (source, repo, number)
);

-- Clustered by (change_id, seq): a load reads them in change order and a
-- change's activities are replaced with one range delete.
CREATE TABLE activities (
	change_id INTEGER NOT NULL REFERENCES changes (id) ON DELETE CASCADE,
	seq       INTEGER NOT NULL,
	kind      TEXT    NOT NULL CHECK (kind <> ''),
	login     TEXT    NOT NULL DEFAULT '',
	at        INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (change_id, seq)
) WITHOUT ROWID;

CREATE TABLE deployments (
	source      TEXT    NOT NULL CHECK (source <> ''),
	repo        TEXT    NOT NULL CHECK (repo <> ''),
	id          TEXT    NOT NULL CHECK (id <> ''),
	url         TEXT    NOT NULL DEFAULT '',
	environment TEXT    NOT NULL DEFAULT '',
	tier        TEXT    NOT NULL DEFAULT '',
	sha         TEXT    NOT NULL DEFAULT '',
	ref         TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL DEFAULT 0,
	finished_at INTEGER NOT NULL DEFAULT 0,
	result      TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (source, repo, id)
) WITHOUT ROWID;

CREATE TABLE runs (
	source      TEXT    NOT NULL CHECK (source <> ''),
	repo        TEXT    NOT NULL CHECK (repo <> ''),
	id          TEXT    NOT NULL CHECK (id <> ''),
	url         TEXT    NOT NULL DEFAULT '',
	workflow    TEXT    NOT NULL DEFAULT '',
	name        TEXT    NOT NULL DEFAULT '',
	branch      TEXT    NOT NULL DEFAULT '',
	sha         TEXT    NOT NULL DEFAULT '',
	actor       TEXT    NOT NULL DEFAULT '',
	event       TEXT    NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL DEFAULT 0,
	started_at  INTEGER NOT NULL DEFAULT 0,
	finished_at INTEGER NOT NULL DEFAULT 0,
	result      TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (source, repo, id)
) WITHOUT ROWID;

CREATE TABLE cursors (
	source    TEXT    NOT NULL,
	repo      TEXT    NOT NULL,
	stream    TEXT    NOT NULL,
	since     INTEGER NOT NULL DEFAULT 0,
	etag      TEXT    NOT NULL DEFAULT '',
	resume    TEXT    NOT NULL DEFAULT '',
	pass_high INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (source, repo, stream)
) WITHOUT ROWID;

CREATE TABLE sources (
	name      TEXT    PRIMARY KEY,
	last_sync INTEGER NOT NULL DEFAULT 0,
	errors    TEXT    NOT NULL DEFAULT ''   -- JSON array of strings; '' when none
) WITHOUT ROWID;
`},
	// v2: a write generation, bumped by every write transaction, so a Load
	// that reads tables on several connections can tell whether they all saw
	// the same commit.
	{sql: `INSERT INTO meta (key, value) VALUES ('generation', '0');`},
	// v3: rows packed into one body each, and deploy links (see
	// schemaV3 in migrate_v3.go).
	{sql: schemaV3, run: convertV2},
}

// bumpGeneration is run by every write transaction (see Store.write).
const bumpGeneration = `UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'`

// checkVersion refuses a file with a schema version newer than known, and
// a version-0 file that already holds objects (another program's database).
func checkVersion(version, objects, known int) error {
	if version > known {
		return fmt.Errorf("cache schema version %d is newer than this pace supports (%d): upgrade pace, or delete the cache file and run `pace sync` to rebuild it", version, known)
	}
	if version == 0 && objects > 0 {
		return fmt.Errorf("file is an SQLite database but not a pace cache (schema version 0 with %d objects); pass another --cache path", objects)
	}
	return nil
}

// migrate brings db to len(steps) and returns the version it found. It runs in one immediate transaction so
// two processes opening a fresh file at once do not both create tables: the
// second waits, then sees the version the first wrote. A file with a higher
// version than steps knows was written by a newer pace and is refused
// untouched; a version-0 file that already has tables is not a pace cache.
func migrate(ctx context.Context, db *sql.DB, steps []migration) (from int, err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	var objects int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&objects); err != nil {
		return 0, fmt.Errorf("inspect schema: %w", err)
	}
	if err := checkVersion(version, objects, len(steps)); err != nil || version == len(steps) {
		return version, err
	}
	for v := version; v < len(steps); v++ {
		if _, err := tx.ExecContext(ctx, steps[v].sql); err != nil {
			return version, fmt.Errorf("migrate schema to version %d: %w", v+1, err)
		}
		if steps[v].run == nil {
			continue
		}
		if err := steps[v].run(ctx, tx); err != nil {
			return version, fmt.Errorf("migrate schema to version %d: %w", v+1, err)
		}
	}
	// PRAGMA takes no bound parameters; the value is an int we control.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(steps))); err != nil {
		return version, fmt.Errorf("write schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return version, fmt.Errorf("commit migration: %w", err)
	}
	return version, nil
}
