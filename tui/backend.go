package tui

import (
	"context"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/pace-dev/pace/domain"
)

// Backend is where the dashboard's data comes from: the demo generator or
// the local cache. Screens never know which one it is.
type Backend interface {
	// Load returns everything known locally. It must be fast and must never
	// touch the network: the first frame waits on it.
	Load(ctx context.Context) (*domain.Dataset, error)
	// Sync refreshes the data from the network, calling progress as it goes
	// (never after Sync has returned). The demo returns nil at once. An error
	// from one source should be reported through progress (SyncEvent.Err)
	// while the others go on; the returned error is the overall outcome.
	Sync(ctx context.Context, progress func(SyncEvent)) error
}

// SyncEvent is one progress report of a running sync, shown in the header
// and, when it carries an error, in the status line and the errors view.
type SyncEvent struct {
	Source string // "github" or "gitlab"; "" for the sync as a whole
	Repo   string // "owner/name" or GitLab project path; "" when not about one repo
	Stream string // what is being fetched: "changes", "deployments", "runs", ...
	Items  int    // items fetched so far in this stream
	Done   bool   // this stream (or, with Source "", the whole sync) finished
	Err    error  // this stream failed; the rest of the sync goes on
	// WaitUntil is set while the sync pauses for a rate limit: the header
	// counts down to it.
	WaitUntil time.Time
	Message   string // free text for the header, e.g. "listing repositories"
}

// Options configure the dashboard. Backend is required; everything else has
// a usable zero value.
type Options struct {
	Backend  Backend
	Settings domain.Settings
	Now      func() time.Time // injected clock; nil means time.Now
	// Refresh is how old the data may get before a background sync starts;
	// 0 never syncs on its own (the r key still does).
	Refresh time.Duration
	NoColor bool // no colour at all (NO_COLOR, --no-color, goldens)
	// OpenURL opens a link in the browser; nil disables the o key. Only
	// http and https URLs are ever passed to it.
	OpenURL func(url string) error
	Demo    bool // shown in the header so nobody mistakes demo numbers for real ones
	// Renderer renders colours when NoColor is false; nil means lipgloss's
	// default renderer (standard output). The background colour is queried
	// once in New, before the program owns the terminal.
	Renderer *lipgloss.Renderer
}
