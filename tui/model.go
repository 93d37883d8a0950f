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
	for _, s := range msg.ds.Sources {
		for _, e := range s.Errors {
			m.addError(s.Name, e)
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

// maybeSync starts a background sync when the data is older than the
// refresh interval, else schedules the next check.
func (m *Model) maybeSync() tea.Cmd {
	if m.opts.Refresh <= 0 || m.syncing || m.ds == nil {
		return nil
	}
	last := newestSync(m.ds)
	if m.syncTried.After(last) {
		last = m.syncTried
	}
	age := m.opts.Now().Sub(last)
	if last.IsZero() || age >= m.opts.Refresh {
		return m.startSync()
	}
	return m.after(m.opts.Refresh-age, func(time.Time) tea.Msg { return refreshTickMsg{} })
}

// startSync runs Backend.Sync in the background.
func (m *Model) startSync() tea.Cmd {
	if m.opts.Backend == nil {
		return nil
	}
	if m.syncing {
		m.syncAgain = true
		m.setStatus("a sync is already running", false)
		return nil
	}
	m.syncing = true
	m.syncTried = m.opts.Now()
	m.progress = SyncEvent{Message: "starting sync"}
	return tea.Batch(syncCmds(m.ctx, m.opts.Backend), m.busy())
}

// onSyncEvent records progress and keeps errors for the errors view.
func (m *Model) onSyncEvent(ev SyncEvent) {
	m.progress = ev
	if ev.Err != nil {
		what := ev.Source
		if ev.Repo != "" {
			what += " " + ev.Repo
		}
		if ev.Stream != "" {
			what += " " + ev.Stream
		}
		m.addError(what, ev.Err.Error())
		m.setStatus(what+": "+ev.Err.Error()+" (e: details)", true)
	}
}

// onSyncDone reloads the cache after a sync, whatever its outcome: a
// partial sync still committed what it fetched.
func (m *Model) onSyncDone(msg syncDoneMsg) tea.Cmd {
	m.syncing = false
	m.progress = SyncEvent{}
	if msg.err != nil {
		m.addError("sync", msg.err.Error())
		m.setStatus("sync failed: "+msg.err.Error()+" (e: details)", true)
	} else if !m.statusErr {
		if m.opts.Demo {
			m.setStatus("the demo has nothing to sync: its data is built in", false)
		} else {
			m.setStatus("synced in "+fmtDur(int64(msg.took/time.Second)), false)
		}
		m.lastSyncOK = m.opts.Now()
	}
	cmds := []tea.Cmd{loadCmd(m.ctx, m.opts.Backend)}
	if m.syncAgain {
		m.syncAgain = false
		cmds = append(cmds, m.startSync())
	}
	return tea.Batch(cmds...)
}

// addError keeps an error for the errors view (newest last, bounded).
func (m *Model) addError(what, msg string) {
	m.syncErrors = append(m.syncErrors, sourceError{at: m.opts.Now(), what: what, msg: msg})
	if n := len(m.syncErrors); n > 200 {
		m.syncErrors = m.syncErrors[n-200:]
	}
	m.errs.setItems(len(m.syncErrors), func(int) string { return "" })
}

// setStatus shows a message in the status line until the next key.
func (m *Model) setStatus(s string, isErr bool) {
	m.status, m.statusErr = s, isErr
}

// Close cancels whatever the dashboard still has in flight (a sync).
func (m *Model) Close() { m.cancel() }
