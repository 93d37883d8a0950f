package tui

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func TestBackgroundSyncKeepsDataAndReportsErrors(t *testing.T) {
	ds, s := hostileDataset(fixedNow)
	ds.Sources[0].LastSync = fixedNow.Add(-2 * time.Hour)
	ds.Sources[0].Errors = nil
	b := &dsBackend{ds: ds, syncFn: func(ctx context.Context, progress func(SyncEvent)) error {
		progress(SyncEvent{Source: "github", Repo: "acme/fraud-model", Stream: "changes", Items: 40})
		progress(SyncEvent{Source: "gitlab", Repo: "acme/ml/feature-store", Stream: "merge_requests", Err: errors.New("403 Forbidden")})
		progress(SyncEvent{Source: "github", Repo: "acme/fraud-model", Stream: "changes", Items: 80, Done: true})
		return nil
	}}
	m := New(Options{Backend: b, Settings: s, Now: func() time.Time { return fixedNow }, NoColor: true, Refresh: time.Hour})
	m.after = noTicks
	m.setSize(80, 24)
	start(t, m)
	loads, syncs := b.counts()
	if syncs != 1 {
		t.Fatalf("data 2h old with a 1h refresh: %d syncs, want 1", syncs)
	}
	if loads != 2 {
		t.Errorf("%d loads, want 2 (start, then after the sync)", loads)
	}
	frame := checkFrame(t, m.View(), 80, 24)
	if !strings.Contains(frame, "Fraud ML") {
		t.Errorf("the overview lost its data after a failed stream:\n%s", frame)
	}
	if !strings.Contains(frame, "403 Forbidden") || !strings.Contains(frame, "(e: details)") {
		t.Errorf("the stream error is not in the status line:\n%s", frame)
	}
	press(m, "e")
	frame = checkFrame(t, m.View(), 80, 24)
	if !strings.Contains(frame, "gitlab acme/ml/feature-store merge_requests") {
		t.Errorf("the errors view does not name the failed stream:\n%s", frame)
	}
	press(m, "esc")
	if m.screen != screenOverview {
		t.Errorf("esc from errors went to screen %d", m.screen)
	}
}

func TestNoSyncWhileFreshAndRForcesOne(t *testing.T) {
	ds, s := hostileDataset(fixedNow) // synced 10m ago
	b := &dsBackend{ds: ds}
	m := New(Options{Backend: b, Settings: s, Now: func() time.Time { return fixedNow }, NoColor: true, Refresh: time.Hour})
	var delays []time.Duration
	m.after = func(d time.Duration, _ func(time.Time) tea.Msg) tea.Cmd { delays = append(delays, d); return nil }
	start(t, m)
	if _, syncs := b.counts(); syncs != 0 {
		t.Fatalf("fresh data synced %d times", syncs)
	}
	found := false
	for _, d := range delays {
		found = found || d == 50*time.Minute
	}
	if !found {
		t.Errorf("no refresh check scheduled for when the data turns 1h old; delays %v", delays)
	}
	press(m, "r")
	if _, syncs := b.counts(); syncs != 1 {
		t.Fatalf("r ran %d syncs, want 1", syncs)
	}
	if !strings.Contains(m.View(), "synced in") {
		t.Errorf("no sync outcome in the status line:\n%s", m.View())
	}
}

func TestStaleComputeRepliesAreDropped(t *testing.T) {
	ds, s := hostileDataset(fixedNow)
	m := newTestModel(&dsBackend{ds: ds}, s, 80, 24)
	start(t, m)
	cur := m.data
	// Two window changes in a row: the reply to the first must not win.
	_, cmd1 := m.Update(keyMsg("w")) // 30d
	_, cmd2 := m.Update(keyMsg("w")) // 90d
	if m.window != windows[3] {
		t.Fatalf("window %v after two w, want 90d", m.window)
	}
	if m.data != cur {
		t.Fatal("the data changed before any compute finished")
	}
	if !strings.Contains(m.View(), "(computing)") {
		t.Errorf("header does not say it is computing:\n%s", m.View())
	}
	run(m, cmd2)
	if m.data.window != windows[3] {
		t.Fatalf("data window %v, want 90d", m.data.window)
	}
	run(m, cmd1) // the late 30d reply
	if m.data.window != windows[3] || m.window != windows[3] {
		t.Errorf("a stale reply replaced the data: window %v / data %v", m.window, m.data.window)
	}
	if !strings.Contains(m.View(), "window 90d") {
		t.Errorf("header does not show the 90d window:\n%s", m.View())
	}
}

func TestLoadFailure(t *testing.T) {
	ds, s := hostileDataset(fixedNow)
	b := &dsBackend{err: errors.New("cache: database is locked \x1b[31m(red)")}
	m := newTestModel(b, s, 80, 24)
	run(m, m.Init())
	frame := checkFrame(t, m.View(), 80, 24)
	if !strings.Contains(frame, "Could not load the data.") || !strings.Contains(frame, "database is locked (red)") {
		t.Errorf("load failure not shown:\n%s", frame)
	}
	press(m, "enter", "down", "tab", "w", "s", "/", "x", "esc", "?", "esc", "o")
	checkFrame(t, m.View(), 80, 24)

	// A reload that fails later keeps what is on screen.
	b2 := &dsBackend{ds: ds}
	m = newTestModel(b2, s, 80, 24)
	start(t, m)
	b2.ds, b2.err = nil, errors.New("disk I/O error")
	press(m, "r")
	frame = checkFrame(t, m.View(), 80, 24)
	if !strings.Contains(frame, "Fraud ML") || !strings.Contains(frame, "reloading failed: disk I/O error") {
		t.Errorf("a failed reload cleared the screen or hid the error:\n%s", frame)
	}
}

func TestSpinnerOnlyAfterDelay(t *testing.T) {
	ds, s := hostileDataset(fixedNow)
	m := New(Options{Backend: &dsBackend{ds: ds}, Settings: s, Now: func() time.Time { return fixedNow }, NoColor: true})
	var ticks []func(time.Time) tea.Msg
	var delays []time.Duration
	m.after = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		delays, ticks = append(delays, d), append(ticks, fn)
		return nil
	}
	m.Init()
	if len(delays) != 1 || delays[0] != 100*time.Millisecond {
		t.Fatalf("Init scheduled %v, want one 100ms spinner delay", delays)
	}
	if strings.Contains(m.View(), "loading") {
		t.Error("the spinner shows before 100 ms")
	}
	m.Update(ticks[0](fixedNow))
	if !m.showSpinner || !strings.Contains(m.View(), "loading…") {
		t.Errorf("no spinner once loading took 100 ms:\n%s", m.View())
	}
}

func TestOpenURL(t *testing.T) {
	ds, s := hostileDataset(fixedNow)
	var opened []string
	m := New(Options{Backend: &dsBackend{ds: ds}, Settings: s, Now: func() time.Time { return fixedNow }, NoColor: true,
		OpenURL: func(u string) error { opened = append(opened, u); return nil }})
	m.after = noTicks
	start(t, m)
	press(m, "enter", "o") // Cycle tab, slowest change
	if len(opened) != 1 || !strings.HasPrefix(opened[0], "https://github.com/acme/fraud-model/pull/") {
		t.Fatalf("o opened %v", opened)
	}
	press(m, "5", "o") // the waiting change has a javascript: URL
	if len(opened) != 1 {
		t.Fatalf("o passed a javascript: URL to the opener: %v", opened)
	}
	if !strings.Contains(m.View(), "only http and https") {
		t.Errorf("no refusal in the status line:\n%s", m.View())
	}
}

func TestColourAndNoColor(t *testing.T) {
	ds, s := hostileDataset(fixedNow)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	r.SetHasDarkBackground(true)
	m := New(Options{Backend: &dsBackend{ds: ds}, Settings: s, Now: func() time.Time { return fixedNow }, Renderer: r})
	m.after = noTicks
	start(t, m)
	if !strings.Contains(m.View(), "\x1b[") {
		t.Error("a TrueColor renderer produced no colour")
	}
	t.Setenv("NO_COLOR", "1")
	m = New(Options{Backend: &dsBackend{ds: ds}, Settings: s, Now: func() time.Time { return fixedNow }, Renderer: r})
	m.after = noTicks
	start(t, m)
	if strings.Contains(m.View(), "\x1b") {
		t.Error("NO_COLOR=1 still produced escape sequences")
	}
}

func TestResizeKeepsEverythingInside(t *testing.T) {
	ds, s := hostileDataset(fixedNow)
	m := newTestModel(&dsBackend{ds: ds}, s, 160, 48)
	start(t, m)
	press(m, "enter", "3")
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {60, 20}, {200, 60}, {80, 24}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		for _, k := range []string{"1", "2", "3", "4", "5"} {
			press(m, k)
			checkFrame(t, m.View(), sz[0], sz[1])
		}
	}
}

func TestHeaderShowsProgressAndCountdownAt80(t *testing.T) {
	ds, s := hostileDataset(fixedNow)
	m := newTestModel(&dsBackend{ds: ds}, s, 80, 24)
	start(t, m)
	m.syncing = true
	ch := make(chan SyncEvent)
	m.Update(syncEventMsg{ev: SyncEvent{Source: "gitlab", Repo: "acme/ml/feature-store", Stream: "pipelines", Items: 1234}, ch: ch})
	head := strings.Split(checkFrame(t, m.View(), 80, 24), "\n")[0]
	if !strings.Contains(head, "syncing gitlab acme/ml/feature-store pipelines 1234") {
		t.Errorf("header at 80 columns hides the sync progress: %q", head)
	}
	m.Update(syncEventMsg{ev: SyncEvent{Source: "github", WaitUntil: fixedNow.Add(2*time.Minute + 13*time.Second)}, ch: ch})
	head = strings.Split(checkFrame(t, m.View(), 80, 24), "\n")[0]
	if !strings.Contains(head, "rate limited, resuming in 2m") {
		t.Errorf("no rate-limit countdown in the header: %q", head)
	}
}

func TestNoTeamsConfigured(t *testing.T) {
	ds, s := hostileDataset(fixedNow)
	s.Teams = nil
	m := newTestModel(&dsBackend{ds: ds}, s, 80, 24)
	start(t, m)
	frame := checkFrame(t, m.View(), 80, 24)
	if !strings.Contains(frame, "No team is configured.") || !strings.Contains(frame, "All teams") {
		t.Errorf("an org without teams does not say so or lost its total:\n%s", frame)
	}
	press(m, "enter", "2", "3", "4", "5", "s")
	checkFrame(t, m.View(), 80, 24)
}
