
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
