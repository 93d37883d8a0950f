// Package sources holds what every source (GitHub, GitLab) shares: the sink a
// sync writes into, the cursor it resumes from, and the progress it reports.
// Each source lives in its own sub-package and converts API types to domain
// types at the border; nothing above sources/ sees an API client type.
package sources

import (
	"context"
	"time"

	"github.com/pace-dev/pace/domain"
)

// Stream names one incremental stream of a repo.
type Stream string

// The streams a source syncs per repo.
const (
	Changes     Stream = "changes"
	Deployments Stream = "deployments"
	Runs        Stream = "runs"
)

// Key identifies one stream's cursor: (source, repo, stream).
type Key struct {
	Source domain.Source
	Repo   string
	Stream Stream
}

// Cursor is where a stream's sync stands. Since is the committed watermark:
// every item updated before it is stored. A pass that pages from newest to
// oldest cannot move Since until it has reached the old watermark, so while
// it runs it records Resume (an opaque position, e.g. a GraphQL endCursor or
// a page number) and PassHigh (the newest updated_at of the pass); when the
// pass completes, Since = PassHigh and Resume is cleared.
type Cursor struct {
	Since    time.Time
	ETag     string // validator of the stream's first page, for a conditional request
	Resume   string
	PassHigh time.Time
}

// Page is one page of a stream's data and the cursor that covers it. A Sink
// stores both in one transaction, so a killed sync loses and duplicates
// nothing.
type Page struct {
	Key         Key
	Changes     []domain.Change
	Deployments []domain.Deployment
	Runs        []domain.Run
	// Links are exact deploy containments found with this page's
	// deployments; stored with them so the cursor never moves past a
	// deployment whose links were lost (see DeployLink).
	Links  []DeployLink
	Cursor Cursor
}

// Sink is where a sync writes (the SQLite store implements it).
type Sink interface {
	// Cursor returns the stored cursor of a stream (zero Cursor, false when none).
	Cursor(ctx context.Context, k Key) (Cursor, bool, error)
	// Commit upserts the page's items, keyed by (source, repo, id), and its
	// cursor in one transaction.
	Commit(ctx context.Context, p Page) error
	// SetStatus records a source's last sync time and errors.
	SetStatus(ctx context.Context, st domain.SourceStatus) error
}

// Progress is one report of a running sync, rendered by the CLI and the TUI.
type Progress struct {
	Source    domain.Source
	Repo      string
	Stream    Stream
	Items     int       // items stored so far in this stream
	Done      bool      // this stream finished (Err says how)
	Err       error     // the stream failed; the others go on
	Remaining int       // rate-limit budget left (-1 unknown)
	Limit     int       // rate-limit budget size (-1 unknown)
	WaitUntil time.Time // non-zero: paused for the rate limit until then (show a countdown)
	Message   string    // human text, e.g. "skipped: not found or no access"
}

// ProgressFunc receives progress reports; it must not block for long.
type ProgressFunc func(Progress)
