package tui

import (
	"bytes"
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/pace-dev/pace/demo"
)

// waitFor waits until the program has printed every one of ss.
func waitFor(t *testing.T, tm *teatest.TestModel, ss ...string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		for _, s := range ss {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// TestFlow walks the dashboard as a team lead would, through the real
// bubbletea program: start, a team, every tab, a detail and back, another
// window, a filter, quit.
func TestFlow(t *testing.T) {
	_, s := demo.Generate(fixedNow, 1)
	m := New(Options{Backend: demoBackend{now: fixedNow, scale: 1}, Settings: s,
		Now: func() time.Time { return fixedNow }, NoColor: true, Demo: true})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))

	waitFor(t, tm, "Search Ranking")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "[1 Cycle]")
	for _, tab := range []string{"[2 Deploys]", "[3 Experiments]", "[4 Allocation]", "[5 Waiting", "[1 Cycle]"} {
		tm.Send(tea.KeyMsg{Type: tea.KeyTab})
		waitFor(t, tm, tab)
	}
	tm.Send(tea.KeyMsg{Type: tea.KeyShiftTab})
	waitFor(t, tm, "[5 Waiting")
	tm.Type("3")
	waitFor(t, tm, "[3 Experiments]")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Runs on a time axis")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "[3 Experiments]")
	tm.Type("1")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "Timeline")
	tm.Send(tea.KeyMsg{Type: tea.KeyEsc})
	waitFor(t, tm, "Slowest changes")
	tm.Type("w")
	waitFor(t, tm, "window 30d")
	tm.Type("/fix")
	waitFor(t, tm, "(filter: fix")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	tm.Type("s")
	waitFor(t, tm, "Idle longest first")
	tm.Type("q")

	fm, ok := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	if !ok {
		t.Fatal("final model is not a *Model")
	}
	if fm.window != 30*24*time.Hour || fm.data.window != fm.window {
		t.Errorf("final window %v (data %v), want 30d", fm.window, fm.data.window)
	}
	if fm.screen != screenStale || fm.tabs[tabCycle].filter != "fix" {
		t.Errorf("final screen %d, cycle filter %q", fm.screen, fm.tabs[tabCycle].filter)
	}
	if n := len(fm.tabs[tabCycle].idx); n == 0 || n == fm.tabs[tabCycle].total {
		t.Errorf("filter fix kept %d of %d changes", n, fm.tabs[tabCycle].total)
	}
}

// TestKeysNeverWaitOnSync runs a sync that never finishes on its own: the
// dashboard must answer every key meanwhile, and quit must end the sync.
func TestKeysNeverWaitOnSync(t *testing.T) {
	ds, s := demo.Generate(fixedNow, 1)
	ds.Sources = nil // never synced: a sync starts at once
	stopped := make(chan struct{})
	b := &dsBackend{ds: ds, syncFn: func(ctx context.Context, progress func(SyncEvent)) error {
		progress(SyncEvent{Source: "github", Repo: "acme/platform-infra", Stream: "changes", Items: 120})
		<-ctx.Done()
		close(stopped)
		return ctx.Err()
	}}
	m := New(Options{Backend: b, Settings: s, Now: func() time.Time { return fixedNow }, NoColor: true, Refresh: time.Hour})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	// Keys act on data, so wait for the first computed frame too.
	waitFor(t, tm, "syncing github acme/platform-infra changes 120", "Needs attention")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, "[1 Cycle]")
	tm.Type("4")
	waitFor(t, tm, "[4 Allocation]")
	tm.Type("?")
	waitFor(t, tm, "Formulas on this screen")
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("quitting did not cancel the running sync")
	}
}
