package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pace-dev/pace/sources"
)

// Deploy links (sources.DeployLink) are facts about commits: a SHA first
// reached production with a deployment. The store keeps the earliest per
// (source, repo, SHA) and copies it onto the changes merged as that SHA
// (link_at, link_id) whenever either side is committed, in the page's
// transaction; Load reads the earlier of that and the source's own exact
// deployment straight from the changes table. (Joining the links at Load
// instead was measured at about 0.24 s of extra CPU for 150k changes: the
// per-row cost of the driver, paid at every start of the dashboard, against
// an indexed UPDATE per new link or merged change here.)
//
// A change's link columns are a function of the stored link and the change
// alone, so the result does not depend on the order links and changes
// arrive in: the link applies to a merged change whose deployment finished
// after the merge; otherwise (deployed before the merge, or not merged)
// they are empty and the domain's fallback decides. A later, earlier link
// replaces the stored one and is re-applied, which can also empty them.

// upsertLink keeps the earliest deployment of a SHA; on a tie the first
// stored stays. It changes no row when the stored link is kept.
const upsertLink = `
INSERT INTO deploy_links (source, repo, sha, deployed_at, deployment_id) VALUES (?,?,?,?,?)
ON CONFLICT (source, repo, sha) DO UPDATE SET
	deployed_at = excluded.deployed_at, deployment_id = excluded.deployment_id
WHERE excluded.deployed_at < deploy_links.deployed_at`

// setLink is the rule above, for a change row "changes" and its link "l".
const setLink = `
UPDATE changes SET
	link_at = CASE WHEN changes.merged_at <> 0 AND l.deployed_at > changes.merged_at THEN l.deployed_at ELSE 0 END,
	link_id = CASE WHEN changes.merged_at <> 0 AND l.deployed_at > changes.merged_at THEN l.deployment_id ELSE '' END
FROM deploy_links AS l
WHERE l.source = changes.source AND l.repo = changes.repo AND l.sha = changes.merge_sha
	AND changes.merge_sha <> ''`

// applyLink re-applies the stored link of one SHA to the changes merged as
// it (the merge_sha index finds them).
const applyLink = setLink + ` AND l.source = ? AND l.repo = ? AND l.sha = ?`

// applyLinkToChange applies the stored link of its merge SHA to one
// change, by id, after an upsert emptied its link columns.
const applyLinkToChange = setLink + ` AND changes.id = ?`

// exactDeploy are the expressions Load reads a change's exact deployment
// with: the link's when it is earlier than the source's (or the source
// gave none, or no time), else the source's; NULL when there is neither.
// This is sources.ApplyLinks's choice.
const exactDeploy = `
	CASE WHEN link_at <> 0 AND (deploy_exact = 0 OR deployed_at = 0 OR link_at < deployed_at) THEN link_at
		WHEN deploy_exact THEN deployed_at END,
	CASE WHEN link_at <> 0 AND (deploy_exact = 0 OR deployed_at = 0 OR link_at < deployed_at) THEN link_id
		WHEN deploy_exact THEN deployment_id END`

// writeLinks stores a page's links and applies each new earliest one to
// its changes. A link without a SHA or a time proves nothing a change can
// use (GitLab gives a fast-forward merge no merge commit SHA), so it is
// skipped; one without a source or repo violates the table's checks and
// fails the page, like any other malformed item.
func writeLinks(ctx context.Context, tx *sql.Tx, links []sources.DeployLink) error {
	up, err := tx.PrepareContext(ctx, upsertLink)
	if err != nil {
		return err
	}
	defer up.Close()
	apply, err := tx.PrepareContext(ctx, applyLink)
	if err != nil {
		return err
	}
	defer apply.Close()
	for i := range links {
		l := &links[i]
		if l.SHA == "" || unix(l.DeployedAt) == 0 {
			continue
		}
		res, err := up.ExecContext(ctx, string(l.Source), l.Repo, l.SHA, unix(l.DeployedAt), l.DeploymentID)
		if err != nil {
			return fmt.Errorf("deploy link %s %s %s: %w", l.Source, l.Repo, l.SHA, err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			continue // an earlier deployment already claims the SHA
		}
		if _, err := apply.ExecContext(ctx, string(l.Source), l.Repo, l.SHA); err != nil {
			return fmt.Errorf("deploy link %s %s %s: %w", l.Source, l.Repo, l.SHA, err)
		}
	}
	return nil
}
