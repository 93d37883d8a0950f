package tui

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/pace-dev/pace/domain"
)

// Messages. Work that may take time (loading, computing, syncing, opening a
// browser) runs in a tea.Cmd and reports back with one of these; Update
// never waits.

// loadedMsg carries the result of Backend.Load.
type loadedMsg struct {
	ds  *domain.Dataset
	err error
}

// computedMsg carries a computed report; gen drops replies that a newer
// request (another window, newer data) has made stale.
type computedMsg struct {
	gen  int
	data *viewData
	err  error
}

// spinnerDelayMsg arms the spinner once work has taken ~100 ms, so quick
// work never flickers.
type spinnerDelayMsg struct{ seq int }

// syncEventMsg is one progress event of the running sync.
type syncEventMsg struct {
	ev SyncEvent
	ch <-chan SyncEvent
}

// syncClosedMsg says the progress channel is drained.
type syncClosedMsg struct{}

// syncDoneMsg is the end of a sync.
type syncDoneMsg struct {
	err  error
	took time.Duration
}

// refreshTickMsg asks whether the data has become old enough to sync.
type refreshTickMsg struct{}

// clockTickMsg redraws a rate-limit countdown once a second.
type clockTickMsg struct{}

// openedMsg is the outcome of opening a URL.
type openedMsg struct {
	url string
	err error
}

// loadCmd reads the backend.
func loadCmd(ctx context.Context, b Backend) tea.Cmd {
	return func() tea.Msg {
		ds, err := b.Load(ctx)
		if err == nil && ds == nil {
			err = fmt.Errorf("the backend returned no data")
		}
		return loadedMsg{ds: ds, err: err}
	}
}

// computeCmd computes the report for one window. mu serialises computes:
// domain.Prepare fills derived fields of the shared dataset in place.
func computeCmd(mu *sync.Mutex, gen int, ds *domain.Dataset, s domain.Settings, now time.Time) tea.Cmd {
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = computedMsg{gen: gen, err: fmt.Errorf("computing metrics failed: %v", r)}
			}
		}()
		mu.Lock()
		defer mu.Unlock()
		return computedMsg{gen: gen, data: buildViewData(ds, s, now)}
	}
}

// syncCmds starts a sync: one Cmd runs it, another reads its progress
// events (and re-arms itself for the next one through syncEventMsg).
func syncCmds(ctx context.Context, b Backend) tea.Cmd {
	ch := make(chan SyncEvent, 64)
	run := func() tea.Msg {
		start := time.Now()
		defer close(ch)
		err := b.Sync(ctx, func(ev SyncEvent) {
			select {
			case ch <- ev:
			case <-ctx.Done():
			}
		})
		return syncDoneMsg{err: err, took: time.Since(start)}
	}
	return tea.Batch(run, nextEvent(ch))
}

// nextEvent waits for the next progress event.
func nextEvent(ch <-chan SyncEvent) tea.Cmd {
	return func() tea.Msg {
		ev, ok := <-ch
		if !ok {
			return syncClosedMsg{}
		}
		return syncEventMsg{ev: ev, ch: ch}
	}
}

// openCmd opens u in the browser through the injected opener; only http
// and https URLs get there.
func openCmd(open func(string) error, u string) tea.Cmd {
	return func() tea.Msg {
		return openedMsg{url: u, err: open(u)}
	}
}

// checkURL accepts only absolute http and https URLs: anything else from an
// API (javascript:, file:, a command line) must never reach a browser opener.
func checkURL(raw string) error {
	if raw == "" {
		return fmt.Errorf("nothing to open here")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a valid link")
	}
	if s := strings.ToLower(u.Scheme); (s != "http" && s != "https") || u.Host == "" {
		return fmt.Errorf("only http and https links are opened, not %q", clip(safe(raw), 40))
	}
	return nil
}

// newestSync is the latest LastSync of the dataset's sources (zero if none).
func newestSync(ds *domain.Dataset) time.Time {
	var t time.Time
	if ds == nil {
		return t
	}
	for _, s := range ds.Sources {
		if s.LastSync.After(t) {
			t = s.LastSync
		}
	}
	return t
}
