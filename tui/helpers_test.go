package tui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/pace-dev/pace/domain"
)

// fixedNow is the instant every golden is taken at.
var fixedNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// dsBackend serves a fixed dataset; sync runs syncFn when set.
type dsBackend struct {
	ds     *domain.Dataset
	err    error
	syncFn func(ctx context.Context, progress func(SyncEvent)) error

	mu    sync.Mutex
	loads int
	syncs int
}

func (b *dsBackend) Load(context.Context) (*domain.Dataset, error) {
	b.mu.Lock()
	b.loads++
	b.mu.Unlock()
	return b.ds, b.err
}

func (b *dsBackend) Sync(ctx context.Context, progress func(SyncEvent)) error {
	b.mu.Lock()
	b.syncs++
	b.mu.Unlock()
	if b.syncFn == nil {
		return nil
	}
	return b.syncFn(ctx, progress)
}

func (b *dsBackend) counts() (loads, syncs int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.loads, b.syncs
}

// noTicks replaces tea.Tick so driving a model never sleeps.
func noTicks(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }

// newTestModel is a colourless model of size w x h over backend b.
func newTestModel(b Backend, s domain.Settings, w, h int) *Model {
	m := New(Options{Backend: b, Settings: s, Now: func() time.Time { return fixedNow }, NoColor: true})
	m.after = noTicks
	m.setSize(w, h)
	return m
}

// run executes cmd and every command that follows from it, feeding each
// message to m. Batched commands run concurrently (a sync needs its
// progress reader) and their messages are applied in batch order.
func run(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
		return
	case tea.QuitMsg:
		return
	case tea.BatchMsg:
		msgs := make([]tea.Msg, len(msg))
		var wg sync.WaitGroup
		for i, c := range msg {
			if c == nil {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				msgs[i] = c()
			}()
		}
		wg.Wait()
		for _, x := range msgs {
			if x != nil {
				run(m, func() tea.Msg { return x })
			}
		}
	default:
		_, next := m.Update(msg)
		run(m, next)
	}
}

// start runs Init to the first computed frame.
func start(t testing.TB, m *Model) {
	t.Helper()
	run(m, m.Init())
	if m.data == nil {
		t.Fatalf("no data after Init: phase %v, err %v", m.phase, m.loadErr)
	}
}

// keyMsg turns a key name into the message bubbletea would send.
func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends keys one by one, running whatever they start.
func press(m *Model, keys ...string) {
	for _, k := range keys {
		_, cmd := m.Update(keyMsg(k))
		run(m, cmd)
	}
}

// checkFrame asserts the frame fits w x h, has no escape or control
// characters (the goldens are colourless) and returns it.
func checkFrame(t testing.TB, frame string, w, h int) string {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) > h {
		t.Errorf("%d lines, terminal has %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line %d is %d cells wide, terminal has %d: %q", i+1, n, w, l)
		}
		for _, r := range l {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
				t.Errorf("line %d has control character %U: %q", i+1, r, l)
				break
			}
		}
	}
	return frame
}
