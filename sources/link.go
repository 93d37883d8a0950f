package sources

import (
	"time"

	"github.com/pace-dev/pace/domain"
)

// DeployLink records that a commit first reached a production environment
// with a deployment, as proven by the API (GitHub: the commit is in the
// compare of that deployment's SHA against the previous successful
// production deployment of the same environment).
//
// Links are facts about commits, not about changes: the change whose
// MergeSHA is SHA may be stored before or after the link arrives, and a
// later upsert of that change (a new comment) must not erase it. A sink
// therefore keeps links by (source, repo, SHA), keeps the earliest
// DeployedAt when several deployments claim one SHA, and applies them to
// changes when it loads them (Change.DeployedAt, DeploymentID,
// DeployExact=true).
type DeployLink struct {
	Source       domain.Source
	Repo         string
	SHA          string // a commit first shipped by the deployment (merge SHAs are matched against it)
	DeploymentID string
	DeployedAt   time.Time // the deployment's first successful terminal status
}

// ApplyLinks sets DeployedAt, DeploymentID and DeployExact on every merged
// change whose MergeSHA has a link finished after the merge, keeping the
// earliest deployment per SHA; a link from before the merge is left to the
// domain's fallback. It is the store's rule, used by MemSink on load and by
// a source for changes it holds in memory during a sync.
func ApplyLinks(changes []domain.Change, links map[string]DeployLink) {
	if len(links) == 0 {
		return
	}
	for i := range changes {
		c := &changes[i]
		if c.MergeSHA == "" || c.MergedAt.IsZero() {
			continue
		}
		l, ok := links[LinkKey(c.Source, c.Repo, c.MergeSHA)]
		if !ok || !l.DeployedAt.After(c.MergedAt) {
			continue
		}
		if c.DeployExact && !c.DeployedAt.IsZero() && !l.DeployedAt.Before(c.DeployedAt) {
			continue
		}
		c.DeployedAt = l.DeployedAt
		c.DeploymentID = l.DeploymentID
		c.DeployExact = true
	}
}

// LinkKey is the map key ApplyLinks expects: source, repo and SHA.
func LinkKey(src domain.Source, repo, sha string) string {
	return string(src) + "\x00" + repo + "\x00" + sha
}

// AddLink puts l into links unless an earlier deployment already claims its
// SHA; a link without a SHA or a time says nothing and is dropped.
func AddLink(links map[string]DeployLink, l DeployLink) {
	if l.SHA == "" || l.DeployedAt.IsZero() {
		return
	}
	k := LinkKey(l.Source, l.Repo, l.SHA)
	if old, ok := links[k]; ok && !l.DeployedAt.Before(old.DeployedAt) {
		return
	}
	links[k] = l
}
