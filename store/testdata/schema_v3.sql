
ALTER TABLE activities RENAME TO activities_v2;
ALTER TABLE changes RENAME TO changes_v2;
ALTER TABLE deployments RENAME TO deployments_v2;
ALTER TABLE runs RENAME TO runs_v2;

CREATE TABLE changes (
	id            INTEGER PRIMARY KEY,
	source        TEXT    NOT NULL CHECK (source <> ''),
	repo          TEXT    NOT NULL CHECK (repo <> ''),
	number        INTEGER NOT NULL CHECK (number > 0),
	updated_at    INTEGER NOT NULL DEFAULT 0,
	merged_at     INTEGER NOT NULL DEFAULT 0,
	merge_sha     TEXT    NOT NULL DEFAULT '',
	-- The exact deployment the source sent; a fallback deployment is
	-- derived, not stored.
	deployed_at   INTEGER NOT NULL DEFAULT 0,
	deployment_id TEXT    NOT NULL DEFAULT '',
	deploy_exact  INTEGER NOT NULL DEFAULT 0,
	-- The stored deploy link of merge_sha when it finished after the merge,
	-- else 0 and ''; Load takes the earlier of this and the source's.
	link_at       INTEGER NOT NULL DEFAULT 0,
	link_id       TEXT    NOT NULL DEFAULT '',
	body          BLOB    NOT NULL,
	UNIQUE (source, repo, number)
);

-- Finds the changes a new deploy link ships.
CREATE INDEX changes_merge_sha ON changes (source, repo, merge_sha) WHERE merge_sha <> '';

CREATE TABLE deployments (
	source TEXT NOT NULL CHECK (source <> ''),
	repo   TEXT NOT NULL CHECK (repo <> ''),
	id     TEXT NOT NULL CHECK (id <> ''),
	body   BLOB NOT NULL,
	PRIMARY KEY (source, repo, id)
) WITHOUT ROWID;

CREATE TABLE runs (
	source TEXT NOT NULL CHECK (source <> ''),
	repo   TEXT NOT NULL CHECK (repo <> ''),
	id     TEXT NOT NULL CHECK (id <> ''),
	body   BLOB NOT NULL,
	PRIMARY KEY (source, repo, id)
) WITHOUT ROWID;

CREATE TABLE deploy_links (
	source        TEXT    NOT NULL CHECK (source <> ''),
	repo          TEXT    NOT NULL CHECK (repo <> ''),
	sha           TEXT    NOT NULL CHECK (sha <> ''),
	deployed_at   INTEGER NOT NULL CHECK (deployed_at <> 0),
	deployment_id TEXT    NOT NULL DEFAULT '',
	PRIMARY KEY (source, repo, sha)
) WITHOUT ROWID;
