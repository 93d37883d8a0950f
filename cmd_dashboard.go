package main

import (
	"context"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/cli/browser"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/tui"
)

// runDashboard opens the interactive dashboard.
func (a *app) runDashboard(ctx context.Context) error {
	ws, err := a.loadWorkspace(a.demo)
	if err != nil {
		return err
	}
	if !isTerminal(a.stdout) {
		return usagef("the dashboard needs a terminal; for a pipe use: pace snapshot")
	}
	fixed := a.nowFlag != ""
	now := func() time.Time {
		if fixed {
			return ws.now
		}
		return a.clock().UTC()
	}
	opts := tui.Options{
		Backend:  &workspaceBackend{ws: ws},
		Settings: ws.settings,
		Now:      now,
		NoColor:  a.noColor || a.getenv("NO_COLOR") != "",
		OpenURL:  func(u string) error { return browser.OpenURL(u) },
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

// workspaceBackend serves the dashboard from the workspace's data.
type workspaceBackend struct{ ws *workspace }

func (b *workspaceBackend) Load(ctx context.Context) (*domain.Dataset, error) {
	return b.ws.dataset(ctx)
}

func (b *workspaceBackend) Sync(ctx context.Context, progress func(tui.SyncEvent)) error {
	return nil // wired to the sources when `pace sync` lands
}
