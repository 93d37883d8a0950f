package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Background refresh: a sync runs in a command, its progress comes back as
// messages, and when it ends the cache is loaded and computed again. The
// screen keeps its data throughout; errors go to the status line and the
// errors view.

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

// hasError reports whether the errors view already lists this error.
func (m *Model) hasError(what, msg string) bool {
	for _, e := range m.syncErrors {
		if e.what == what && e.msg == msg {
			return true
		}
	}
	return false
}
