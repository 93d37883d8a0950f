package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// upsertChange writes a change and returns its id, or no row when the stored
// copy is newer (a concurrent sync fetched it later): the newest updated_at
// wins, not the last writer. A change sent without exact deployment keeps
// the exact one already stored, because the changes stream cannot know it
// and containment, once seen, does not un-happen. Its deploy link is
// emptied, to be applied again from its (maybe new) merge SHA and time.
const upsertChange = `
INSERT INTO changes (source, repo, number, updated_at, merged_at, merge_sha,
	deployed_at, deployment_id, deploy_exact, body)
VALUES (?,?,?,?,?,?,?,?,?,?)
ON CONFLICT (source, repo, number) DO UPDATE SET
	updated_at = excluded.updated_at, merged_at = excluded.merged_at,
	merge_sha = excluded.merge_sha, body = excluded.body,
	deployed_at   = CASE WHEN excluded.deploy_exact THEN excluded.deployed_at   ELSE deployed_at   END,
	deployment_id = CASE WHEN excluded.deploy_exact THEN excluded.deployment_id ELSE deployment_id END,
	deploy_exact  = CASE WHEN excluded.deploy_exact THEN 1 ELSE deploy_exact END,
	link_at = 0, link_id = ''
WHERE excluded.updated_at = 0 OR excluded.updated_at >= changes.updated_at
RETURNING id`

const upsertDeployment = `
INSERT INTO deployments (source, repo, id, body) VALUES (?,?,?,?)
ON CONFLICT (source, repo, id) DO UPDATE SET body = excluded.body`

const upsertRun = `
INSERT INTO runs (source, repo, id, body) VALUES (?,?,?,?)
ON CONFLICT (source, repo, id) DO UPDATE SET body = excluded.body`

const upsertCursor = `
INSERT INTO cursors (source, repo, stream, since, etag, resume, pass_high)
VALUES (?,?,?,?,?,?,?)
ON CONFLICT (source, repo, stream) DO UPDATE SET
	since = excluded.since, etag = excluded.etag, resume = excluded.resume,
	pass_high = excluded.pass_high`

// Commit stores a page's items, deploy links and cursor in one
// transaction: either all of them are stored or none is and the cursor has
// not moved. Items are upserted by key; a change's activities are replaced
// wholesale. Two rules guard against lost information: a change whose
// UpdatedAt is older than the stored copy's is ignored (a slower concurrent
// sync), and a change sent without an exact deployment keeps the exact one
// stored. A deploy link is kept per commit SHA, the earliest deployment
// winning, and gives the changes merged as that SHA their exact deployment
// when it finished after the merge (links.go). Times are kept in whole
// seconds; derived fields (Category, Team, Bot, Deployment.Teams) and a
// non-exact DeployedAt are not stored.
func (s *Store) Commit(ctx context.Context, p sources.Page) error {
	if err := checkKey(p.Key); err != nil {
		return err
	}
	if err := s.write(ctx, func(tx *sql.Tx) error { return writePage(ctx, tx, &p) }); err != nil {
		return fmt.Errorf("store: commit %s: %w", describe(p.Key), err)
	}
	return nil
}

func writePage(ctx context.Context, tx *sql.Tx, p *sources.Page) error {
	var pk packer
	if len(p.Changes) > 0 {
		if err := writeChanges(ctx, tx, &pk, p.Changes); err != nil {
			return err
		}
	}
	if len(p.Deployments) > 0 {
		st, err := tx.PrepareContext(ctx, upsertDeployment)
		if err != nil {
			return err
		}
		defer st.Close()
		for i := range p.Deployments {
			d := &p.Deployments[i]
			pk.b = pk.b[:0]
			packDeployment(&pk, d)
			if _, err := st.ExecContext(ctx, string(d.Source), d.Repo, d.ID, pk.b); err != nil {
				return fmt.Errorf("deployment %s %s %q: %w", d.Source, d.Repo, d.ID, err)
			}
		}
	}
	if len(p.Runs) > 0 {
		st, err := tx.PrepareContext(ctx, upsertRun)
		if err != nil {
			return err
		}
		defer st.Close()
		for i := range p.Runs {
			r := &p.Runs[i]
			pk.b = pk.b[:0]
			packRun(&pk, r)
			if _, err := st.ExecContext(ctx, string(r.Source), r.Repo, r.ID, pk.b); err != nil {
				return fmt.Errorf("run %s %s %q: %w", r.Source, r.Repo, r.ID, err)
			}
		}
	}
	if len(p.Links) > 0 {
		if err := writeLinks(ctx, tx, p.Links); err != nil {
			return err
		}
	}
	c := &p.Cursor
	if _, err := tx.ExecContext(ctx, upsertCursor, string(p.Key.Source), p.Key.Repo, string(p.Key.Stream),
		unix(c.Since), c.ETag, c.Resume, unix(c.PassHigh)); err != nil {
		return fmt.Errorf("cursor: %w", err)
	}
	return nil
}

func writeChanges(ctx context.Context, tx *sql.Tx, pk *packer, changes []domain.Change) error {
	up, err := tx.PrepareContext(ctx, upsertChange)
	if err != nil {
		return err
	}
	defer up.Close()
	link, err := tx.PrepareContext(ctx, applyLinkToChange)
	if err != nil {
		return err
	}
	defer link.Close()
	for i := range changes {
		c := &changes[i]
		pk.b = pk.b[:0]
		if err := packChange(pk, c); err != nil {
			return fmt.Errorf("change %s: %w", c.Key(), err)
		}
		deployedAt, deploymentID := int64(0), ""
		if c.DeployExact {
			deployedAt, deploymentID = unix(c.DeployedAt), c.DeploymentID
		}
		var id int64
		err = up.QueryRowContext(ctx, string(c.Source), c.Repo, c.Number, unix(c.UpdatedAt), unix(c.MergedAt),
			c.MergeSHA, deployedAt, deploymentID, c.DeployExact, pk.b).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue // the stored copy is newer; keep it and its activities
		}
		if err != nil {
			return fmt.Errorf("change %s: %w", c.Key(), err)
		}
		// A link that arrived before its change (the deployments stream
		// ran first) applies now; only a merged change can have one.
		if c.Merged() && c.MergeSHA != "" {
			if _, err := link.ExecContext(ctx, id); err != nil {
				return fmt.Errorf("change %s deploy link: %w", c.Key(), err)
			}
		}
	}
	return nil
}

// Cursor returns the stored cursor of a stream (zero Cursor, false when none).
func (s *Store) Cursor(ctx context.Context, k sources.Key) (sources.Cursor, bool, error) {
	var c sources.Cursor
	var since, high int64
	err := s.db.QueryRowContext(ctx,
		`SELECT since, etag, resume, pass_high FROM cursors WHERE source = ? AND repo = ? AND stream = ?`,
		string(k.Source), k.Repo, string(k.Stream)).Scan(&since, &c.ETag, &c.Resume, &high)
	if errors.Is(err, sql.ErrNoRows) {
		return sources.Cursor{}, false, nil
	}
	if err != nil {
		return sources.Cursor{}, false, fmt.Errorf("store: cursor %s: %w", describe(k), err)
	}
	c.Since, c.PassHigh = fromUnix(since), fromUnix(high)
	return c, true, nil
}

// SetStatus records a source's last sync time and errors, replacing the
// previous status of that source.
func (s *Store) SetStatus(ctx context.Context, st domain.SourceStatus) error {
	if st.Name == "" {
		return errors.New("store: set status: empty source name")
	}
	errs, err := encodeStrings(st.Errors)
	if err != nil {
		return fmt.Errorf("store: set status %s: %w", st.Name, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sources (name, last_sync, errors) VALUES (?,?,?)
			ON CONFLICT (name) DO UPDATE SET last_sync = excluded.last_sync, errors = excluded.errors`,
			st.Name, unix(st.LastSync), errs)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: set status %s: %w", st.Name, err)
	}
	return nil
}

func checkKey(k sources.Key) error {
	if k.Source == "" || k.Repo == "" || k.Stream == "" {
		return fmt.Errorf("store: commit: incomplete cursor key %+v", k)
	}
	return nil
}

func describe(k sources.Key) string {
	return string(k.Source) + " " + k.Repo + " " + string(k.Stream)
}

// unix is the stored form of a time: unix seconds, 0 for the zero time.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// fromUnix is the inverse of unix, in UTC.
func fromUnix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// encodeStrings stores a string list as a JSON array, the empty string when empty.
func encodeStrings(v []string) (string, error) {
	if len(v) == 0 {
		return "", nil
	}
	// No HTML escaping: labels such as "a&b" stay plain, which keeps them
	// on the loader's fast path (it falls back to encoding/json on a backslash).
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}
