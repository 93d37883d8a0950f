// Package tui is pace's interactive dashboard (SPEC §6): an overview of
// every team, a team view with five tabs, change and experiment details and
// the organisation's stale experiments. It reads data through one Backend
// (demo generator or cache), computes metrics in commands, refreshes in the
// background and never lets a key wait on any of it.
package tui

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/pace-dev/pace/domain"
)

// screenID names a screen.
type screenID int

const (
	screenOverview screenID = iota
	screenTeam
	screenChange
	screenExperiment
	screenStale
	screenHelp
	screenErrors
)

// tabID names a tab of the team screen.
type tabID int

const (
	tabCycle tabID = iota
	tabDeploys
	tabExperiments
	tabAllocation
	tabWaiting
	numTabs
)

// tabNames label the tabs; keys 1-5 follow this order.
var tabNames = [numTabs]string{"Cycle", "Deploys", "Experiments", "Allocation", "Waiting"}

// windows are the lengths the w key cycles through.
var windows = []time.Duration{7 * 24 * time.Hour, 14 * 24 * time.Hour, 30 * 24 * time.Hour, 90 * 24 * time.Hour}

// phase is the state of the data behind every panel.
type phase int

const (
	phaseLoading phase = iota
	phaseReady
	phaseFailed
)

// sourceError is an error reported by a sync or stored with a source.
type sourceError struct {
	at   time.Time
	what string // source/repo/stream
	msg  string
}

// Model is the dashboard. Create it with New and run it with
// tea.NewProgram(m, tea.WithAltScreen()).
type Model struct {
	opts   Options
	st     Styles
	keys   keyMap
	help   help.Model
	spin   spinner.Model
	ctx    context.Context
	cancel context.CancelFunc

	width, height int
	// after schedules a message after a delay (tea.Tick); tests replace it
	// so that driving the model never sleeps.
	after func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd

	// data
	phase     phase
	loadErr   error
	ds        *domain.Dataset
	data      *viewData
	window    time.Duration
	gen       int  // generation of the latest compute request
	computing bool // a compute for gen is in flight
	computeMu *sync.Mutex

	// activity indicator
	busySeq     int
	showSpinner bool

	// sync
	syncing    bool
	syncAgain  bool // r was pressed during a sync
	progress   SyncEvent
	syncErrors []sourceError
	lastSyncOK time.Time
	// syncTried is when the last sync started: a sync that could not move
	// LastSync (every stream failed) must not start again at once.
	syncTried time.Time

	// navigation
	screen   screenID
	stack    []screenID
	teamIdx  int
	tab      tabID
	metric   int // focused overview column, for the help screen's formula
	overview list
	tabs     [numTabs]list
	stale    list
	runs     list
	errs     list
	change   *domain.ChangeSpan
	exp      *domain.Experiment
	scroll   int // first line of the help screen

	// filter input and status line
	filtering bool
	status    string
	statusErr bool
}

// New returns the dashboard for opts. It resolves the colour profile and
// background here, before the program owns the terminal.
func New(opts Options) *Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if os.Getenv("NO_COLOR") != "" {
		opts.NoColor = true
	}
	st := newStyles(newRenderer(opts))
	h := help.New()
	h.Styles = st.Help
	sp := spinner.New(spinner.WithSpinner(spinner.MiniDot), spinner.WithStyle(st.Spark))
	ctx, cancel := context.WithCancel(context.Background())
	w := opts.Settings.Window
	if w <= 0 {
		w = domain.DefaultSettings().Window
	}
	return &Model{
		opts: opts, st: st, keys: newKeyMap(), help: h, spin: sp,
		ctx: ctx, cancel: cancel,
		width: 80, height: 24,
		after:     tea.Tick,
		window:    w,
		computeMu: &sync.Mutex{},
	}
}

// Init loads the data; the spinner shows only if that takes ~100 ms.
func (m *Model) Init() tea.Cmd {
	if m.opts.Backend == nil {
		m.phase = phaseFailed
		m.loadErr = errNoBackend
		return nil
	}
	return tea.Batch(loadCmd(m.ctx, m.opts.Backend), m.busy())
}

// busy arms the delayed spinner for a new piece of work.
func (m *Model) busy() tea.Cmd {
	m.busySeq++
	seq := m.busySeq
	return m.after(100*time.Millisecond, func(time.Time) tea.Msg { return spinnerDelayMsg{seq: seq} })
}

// working reports whether anything is in flight.
func (m *Model) working() bool {
	return m.phase == phaseLoading || m.computing || m.syncing
}

// Update handles one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.setSize(msg.Width, msg.Height)
		return m, nil
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	case loadedMsg:
		return m, m.onLoaded(msg)
	case computedMsg:
		return m, m.onComputed(msg)
	case spinnerDelayMsg:
		if msg.seq == m.busySeq && m.working() && !m.showSpinner {
			m.showSpinner = true
			return m, m.spin.Tick
		}
		return m, nil
	case spinner.TickMsg:
		if !m.working() {
			m.showSpinner = false
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case syncEventMsg:
		m.onSyncEvent(msg.ev)
		cmds := []tea.Cmd{nextEvent(msg.ch)}
		if !msg.ev.WaitUntil.IsZero() {
			cmds = append(cmds, m.clockTick())
		}
		return m, tea.Batch(cmds...)
	case syncClosedMsg:
		return m, nil
	case syncDoneMsg:
		return m, m.onSyncDone(msg)
	case refreshTickMsg:
		return m, m.maybeSync()
	case clockTickMsg:
		if m.syncing && m.progress.WaitUntil.After(m.opts.Now()) {
			return m, m.clockTick()
		}
		return m, nil
	case openedMsg:
		if msg.err != nil {
			m.setStatus("could not open the link: "+msg.err.Error(), true)
		} else {
			m.setStatus("opened "+msg.url, false)
		}
		return m, nil
	}
	return m, nil
}

// clockTick redraws once a second (rate-limit countdown).
func (m *Model) clockTick() tea.Cmd {
	return m.after(time.Second, func(time.Time) tea.Msg { return clockTickMsg{} })
}

// onLoaded stores fresh data and computes it; a failed load keeps whatever
// is on screen.
func (m *Model) onLoaded(msg loadedMsg) tea.Cmd {
	if msg.err != nil {
		m.loadErr = msg.err
		m.addError("cache", msg.err.Error())
		if m.data == nil {
			m.phase = phaseFailed
		} else {
			m.setStatus("reloading failed: "+msg.err.Error(), true)
		}
		return nil
	}
	m.ds = msg.ds
	// Errors stored with a source come back on every load: list each once.
	for _, s := range msg.ds.Sources {
		for _, e := range s.Errors {
			if !m.hasError(s.Name, e) {
				m.addError(s.Name, e)
			}
		}
	}
	return tea.Batch(m.recompute(), m.maybeSync())
}

// recompute starts a compute of the current data for the current window.
func (m *Model) recompute() tea.Cmd {
	if m.ds == nil {
		return nil
	}
	m.gen++
	m.computing = true
	s := m.opts.Settings
	s.Window = m.window
	return tea.Batch(computeCmd(m.computeMu, m.gen, m.ds, s, m.opts.Now()), m.busy())
}

// onComputed swaps in a computed report unless a newer one was asked for.
func (m *Model) onComputed(msg computedMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	m.computing = false
	if msg.err != nil {
		m.addError("metrics", msg.err.Error())
		if m.data == nil {
			m.phase = phaseFailed
			m.loadErr = msg.err
		} else {
			m.setStatus(msg.err.Error(), true)
		}
		return nil
	}
	m.data = msg.data
	m.window = msg.data.window
	m.phase = phaseReady
	m.teamIdx = max(0, min(m.teamIdx, len(m.data.teams)-1))
	m.refilterAll()
	m.layout()
	return nil
}

// setStatus shows a message in the status line until the next key.
func (m *Model) setStatus(s string, isErr bool) {
	m.status, m.statusErr = s, isErr
}

// Close cancels whatever the dashboard still has in flight (a sync).
func (m *Model) Close() { m.cancel() }
