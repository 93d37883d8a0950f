package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/cli/browser"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/tui"
)

// runDashboard opens the interactive dashboard.
func (a *app) runDashboard(ctx context.Context) error {
	if !isTerminal(a.stdout) {
		return usagef("the dashboard needs a terminal; for a pipe use: pace snapshot")
	}
	ws, err := a.loadWorkspace(ctx, a.demo, true)
	if err != nil {
		return err
	}
	fixed := a.nowFlag != ""
	now := func() time.Time {
		if fixed {
			return ws.now
		}
		return a.clock().UTC()
	}
	opts := tui.Options{
		Backend:  &workspaceBackend{a: a, ws: ws},
		Settings: ws.settings,
		Now:      now,
		NoColor:  a.noColor || a.getenv("NO_COLOR") != "",
		OpenURL:  openURL,
		Demo:     ws.demo,
	}
	if ws.cfg != nil {
		opts.Refresh = ws.cfg.RefreshInterval()
	}
	p := tea.NewProgram(tui.New(opts), tea.WithAltScreen(), tea.WithContext(ctx),
		tea.WithInput(a.stdin), tea.WithOutput(a.stdout))
	if _, err := p.Run(); err != nil {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}

// workspaceBackend serves the dashboard from the workspace's data: the demo
// organisation, or the cache that `pace sync` (or the r key) fills.
type workspaceBackend struct {
	a  *app
	ws *workspace
}

func (b *workspaceBackend) Load(ctx context.Context) (*domain.Dataset, error) {
	if !b.ws.demo {
		if _, err := os.Stat(b.ws.cache); errors.Is(err, fs.ErrNotExist) {
			// A first start with a config but no cache: show empty panels and
			// let the background sync fill them rather than refuse to open.
			return &domain.Dataset{Org: orgName(b.ws.cfg)}, nil
		}
	}
	return b.ws.dataset(ctx)
}

func (b *workspaceBackend) Sync(ctx context.Context, progress func(tui.SyncEvent)) error {
	if b.ws.demo {
		return nil
	}
	res, err := b.a.syncAll(ctx, b.ws, syncRequest{since: defaultSince}, func(p sources.Progress) {
		progress(tui.SyncEvent{
			Source: string(p.Source), Repo: p.Repo, Stream: string(p.Stream), Items: p.Items,
			Done: p.Done, Err: p.Err, WaitUntil: p.WaitUntil, Message: p.Message,
		})
	})
	if err != nil {
		return err
	}
	if len(res.failures) > 0 {
		return fmt.Errorf("%d stream(s) failed: %s", len(res.failures), res.failures[0])
	}
	return nil
}

// openURL opens u in the browser; when there is none (a server, a
// container) it says so and gives the link to copy, rather than the exec
// error naming every opener it tried.
func openURL(u string) error {
	if err := browser.OpenURL(u); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return fmt.Errorf("no browser found; the link is %s", u)
		}
		return err
	}
	return nil
}
