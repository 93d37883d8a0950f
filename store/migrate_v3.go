package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pace-dev/pace/domain"
)

// schemaV3 packs each change, deployment and run into one body (body.go):
// a Load reads one value per row instead of a dozen, and a change's
// activities and labels travel with it instead of in a million rows of
// their own. The columns kept beside the body are the keys and what SQL
// compares: updated_at (newest copy wins), merged_at and merge_sha (deploy
// links), the exact deployment the source sent, and the one a deploy link
// gives (kept apart, so a link replaced by an earlier one can be undone).
//
// deploy_links keeps, per commit, the earliest production deployment
// proven to ship it (sources.DeployLink). Links are copied onto changes
// when either side is committed, so Load reads no second table.
//
// The v2 tables are renamed, the new ones created under the old names,
// convertV2 copies the rows across, and the v2 tables are dropped.
const schemaV3 = `
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
`

// dropV2 removes the v2 tables once their rows are copied; activities
// first, as it references changes.
const dropV2 = `
DROP TABLE activities_v2;
DROP TABLE changes_v2;
DROP TABLE deployments_v2;
DROP TABLE runs_v2;
`

// convertV2 copies the v2 rows into the v3 tables, keeping change ids.
func convertV2(ctx context.Context, tx *sql.Tx) error {
	if err := convertChangesV2(ctx, tx); err != nil {
		return fmt.Errorf("changes: %w", err)
	}
	if err := convertKeyedV2(ctx, tx, "deployments", `SELECT source, repo, id, url, environment, tier, sha, ref,
		created_at, finished_at, result FROM deployments_v2`, func(rows *sql.Rows, p *packer) (string, string, string, error) {
		var d domain.Deployment
		var created, finished int64
		err := rows.Scan(&d.Source, &d.Repo, &d.ID, &d.URL, &d.Environment, &d.Tier, &d.SHA, &d.Ref, &created, &finished, &d.Result)
		d.CreatedAt, d.FinishedAt = fromUnix(created), fromUnix(finished)
		packDeployment(p, &d)
		return string(d.Source), d.Repo, d.ID, err
	}); err != nil {
		return err
	}
	if err := convertKeyedV2(ctx, tx, "runs", `SELECT source, repo, id, url, workflow, name, branch, sha,
		actor, event, created_at, started_at, finished_at, result FROM runs_v2`, func(rows *sql.Rows, p *packer) (string, string, string, error) {
		var r domain.Run
		var created, started, finished int64
		err := rows.Scan(&r.Source, &r.Repo, &r.ID, &r.URL, &r.Workflow, &r.Name, &r.Branch, &r.SHA, &r.Actor, &r.Event,
			&created, &started, &finished, &r.Result)
		r.CreatedAt, r.StartedAt, r.FinishedAt = fromUnix(created), fromUnix(started), fromUnix(finished)
		packRun(p, &r)
		return string(r.Source), r.Repo, r.ID, err
	}); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, dropV2)
	return err
}

// convertKeyedV2 copies a (source, repo, id)-keyed v2 table into its v3
// form; row scans one v2 row and packs its body.
func convertKeyedV2(ctx context.Context, tx *sql.Tx, table, query string,
	row func(rows *sql.Rows, p *packer) (source, repo, id string, err error)) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO `+table+` (source, repo, id, body) VALUES (?,?,?,?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	defer rows.Close()
	var p packer
	for rows.Next() {
		p.b = p.b[:0]
		source, repo, id, err := row(rows, &p)
		if err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		if _, err := ins.ExecContext(ctx, source, repo, id, p.b); err != nil {
			return fmt.Errorf("%s %s %s %q: %w", table, source, repo, id, err)
		}
	}
	return rows.Err()
}

// convertChangesV2 walks the v2 changes and their activities in id order,
// a merge of two sorted scans, and writes each change with its body.
func convertChangesV2(ctx context.Context, tx *sql.Tx) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO changes (id, source, repo, number, updated_at, merged_at,
		merge_sha, deployed_at, deployment_id, deploy_exact, body) VALUES (?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	acts, err := tx.QueryContext(ctx, `SELECT change_id, kind, login, at FROM activities_v2 ORDER BY change_id, seq`)
	if err != nil {
		return err
	}
	defer acts.Close()
	var (
		actID  int64
		act    domain.Activity
		actOK  = acts.Next()
		actErr error
	)
	nextAct := func() {
		var at int64
		actErr = acts.Scan(&actID, &act.Kind, &act.Login, &at)
		act.At = fromUnix(at)
	}
	if actOK {
		nextAct()
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, source, repo, number, url, title, author, labels,
		draft, base_branch, head_branch, opened_at, ready_at, updated_at, merged_at, closed_at,
		merge_sha, first_commit_at, first_review_at, approved_at, deployed_at, deployment_id,
		deploy_exact FROM changes_v2 ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var p packer
	for rows.Next() {
		var (
			c                                                   domain.Change
			id                                                  int64
			labels                                              string
			opened, ready, updated, merged, closed              int64
			firstCommit, firstReview, approved, deployed, exact int64
		)
		if err := rows.Scan(&id, &c.Source, &c.Repo, &c.Number, &c.URL, &c.Title, &c.Author, &labels,
			&c.Draft, &c.BaseBranch, &c.HeadBranch, &opened, &ready, &updated, &merged, &closed,
			&c.MergeSHA, &firstCommit, &firstReview, &approved, &deployed, &c.DeploymentID, &exact); err != nil {
			return err
		}
		c.OpenedAt, c.ReadyAt, c.UpdatedAt, c.MergedAt = fromUnix(opened), fromUnix(ready), fromUnix(updated), fromUnix(merged)
		c.ClosedAt, c.FirstCommitAt, c.FirstReviewAt = fromUnix(closed), fromUnix(firstCommit), fromUnix(firstReview)
		c.ApprovedAt = fromUnix(approved)
		if c.Labels, err = decodeStrings(labels); err != nil {
			return fmt.Errorf("change %s labels: %w", c.Key(), err)
		}
		// Activities of ids without a change cannot exist (foreign key);
		// skip them rather than stall the merge if one did.
		for actOK && actErr == nil && actID <= id {
			if actID == id {
				c.Activity = append(c.Activity, act)
			}
			if actOK = acts.Next(); actOK {
				nextAct()
			}
		}
		if actErr != nil {
			return actErr
		}
		p.b = p.b[:0]
		if err := packChange(&p, &c); err != nil {
			return fmt.Errorf("change %s: %w", c.Key(), err)
		}
		if _, err := ins.ExecContext(ctx, id, string(c.Source), c.Repo, c.Number, updated, merged,
			c.MergeSHA, deployed, c.DeploymentID, exact, p.b); err != nil {
			return fmt.Errorf("change %s: %w", c.Key(), err)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return acts.Err()
}
