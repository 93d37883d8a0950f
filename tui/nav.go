package tui

import (
	"errors"
	"time"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// errNoBackend is the failure shown when main forgot the backend.
var errNoBackend = errors.New("no data backend configured")

// handleKey is the whole keymap. Nothing here waits: work goes to Cmds.
func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyCtrlC {
		return m.quit()
	}
	if m.filtering {
		return m.filterKey(msg)
	}
	if !m.statusErr {
		m.status = ""
	}
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return m.quit()
	case key.Matches(msg, k.Help):
		if m.screen == screenHelp {
			m.pop()
		} else {
			m.scroll = 0
			m.push(screenHelp)
		}
		return nil
	case key.Matches(msg, k.Errors):
		if m.screen != screenErrors {
			m.statusErr, m.status = false, ""
			m.push(screenErrors)
		}
		return nil
	case key.Matches(msg, k.Stale):
		if m.screen != screenStale && m.data != nil {
			m.push(screenStale)
		}
		return nil
	case key.Matches(msg, k.Window):
		m.window = nextWindow(m.window)
		return m.recompute()
	case key.Matches(msg, k.Sync):
		return m.startSync()
	case key.Matches(msg, k.Open):
		return m.open()
	case key.Matches(msg, k.Filter):
		if m.currentList() != nil {
			m.filtering = true
		}
		return nil
	case key.Matches(msg, k.Back):
		m.back()
		return nil
	}
	m.screenKey(msg)
	return nil
}

// quit stops background work and ends the program.
func (m *Model) quit() tea.Cmd {
	m.cancel()
	return tea.Quit
}

// nextWindow is the next of 7/14/30/90 days after w.
func nextWindow(w time.Duration) time.Duration {
	for _, c := range windows {
		if c > w {
			return c
		}
	}
	return windows[0]
}

// screenKey handles movement, tabs and enter on the current screen.
func (m *Model) screenKey(msg tea.KeyMsg) {
	k := m.keys
	l := m.currentList()
	if m.screen == screenHelp {
		m.scrollHelp(msg)
		return
	}
	switch {
	case key.Matches(msg, k.Up) && l != nil:
		l.move(-1)
	case key.Matches(msg, k.Down) && l != nil:
		l.move(1)
	case key.Matches(msg, k.PageUp) && l != nil:
		l.move(-l.height)
	case key.Matches(msg, k.PageDown) && l != nil:
		l.move(l.height)
	case key.Matches(msg, k.Top) && l != nil:
		l.top()
	case key.Matches(msg, k.Bottom) && l != nil:
		l.bottom()
	case key.Matches(msg, k.Left):
		m.sideways(-1)
	case key.Matches(msg, k.Right):
		m.sideways(1)
	case key.Matches(msg, k.NextTab):
		m.switchTab(m.tab + 1)
	case key.Matches(msg, k.PrevTab):
		m.switchTab(m.tab - 1)
	case key.Matches(msg, k.Tabs):
		if m.screen == screenTeam && len(msg.Runes) == 1 {
			m.switchTab(tabID(msg.Runes[0] - '1'))
		}
	case key.Matches(msg, k.Enter):
		m.enter()
	}
}

// scrollHelp moves the help text.
func (m *Model) scrollHelp(msg tea.KeyMsg) {
	k := m.keys
	page := m.bodyHeight() - 1
	switch {
	case key.Matches(msg, k.Up):
		m.scroll--
	case key.Matches(msg, k.Down):
		m.scroll++
	case key.Matches(msg, k.PageUp):
		m.scroll -= page
	case key.Matches(msg, k.PageDown):
		m.scroll += page
	case key.Matches(msg, k.Top):
		m.scroll = 0
	case key.Matches(msg, k.Bottom):
		m.scroll = 1 << 20
	}
	m.scroll = max(0, min(m.scroll, len(m.helpLines())-m.bodyHeight()))
}

// sideways is left/right: the focused metric on the overview, the tab on
// the team screen.
func (m *Model) sideways(d int) {
	switch m.screen {
	case screenOverview:
		m.metric = (m.metric + d + len(overviewMetrics)) % len(overviewMetrics)
	case screenTeam:
		m.switchTab(m.tab + tabID(d))
	}
}

// switchTab selects a tab of the team screen, wrapping around.
func (m *Model) switchTab(t tabID) {
	if m.screen != screenTeam {
		return
	}
	m.tab = (t + numTabs) % numTabs
}

// enter opens what the cursor is on.
func (m *Model) enter() {
	if m.data == nil {
		return
	}
	switch m.screen {
	case screenOverview:
		if i, ok := m.overview.selected(); ok {
			m.openTeam(i)
		}
	case screenTeam:
		m.enterTab()
	case screenStale:
		if i, ok := m.stale.selected(); ok && i < len(m.data.stale) {
			m.openExperiment(m.data.stale[i].exp)
		}
	}
}

// openTeam shows team i on its first tab with fresh lists.
func (m *Model) openTeam(i int) {
	m.teamIdx = i
	m.tab = tabCycle
	for t := range m.tabs {
		m.tabs[t] = list{filter: m.tabs[t].filter}
	}
	m.refilterTeam()
	m.push(screenTeam)
	m.layout()
}

// push shows s, remembering where we came from.
func (m *Model) push(s screenID) {
	m.stack = append(m.stack, m.screen)
	m.screen = s
	m.layout()
}

// pop goes back one screen.
func (m *Model) pop() {
	if n := len(m.stack); n > 0 {
		m.screen = m.stack[n-1]
		m.stack = m.stack[:n-1]
	}
	m.layout()
}

// back is esc: first it clears a filter, then it goes back.
func (m *Model) back() {
	if l := m.currentList(); l != nil && l.filter != "" {
		l.filter = ""
		m.refilterCurrent()
		return
	}
	if m.statusErr {
		m.status, m.statusErr = "", false
	}
	m.pop()
}

// filterKey edits the filter of the current list; the list narrows as
// one types. enter keeps the filter, esc drops it.
func (m *Model) filterKey(msg tea.KeyMsg) tea.Cmd {
	l := m.currentList()
	if l == nil {
		m.filtering = false
		return nil
	}
	switch msg.Type {
	case tea.KeyEnter:
		m.filtering = false
	case tea.KeyEsc:
		m.filtering = false
		l.filter = ""
	case tea.KeyBackspace:
		if r := []rune(l.filter); len(r) > 0 {
			l.filter = string(r[:len(r)-1])
		}
	case tea.KeyCtrlU:
		l.filter = ""
	case tea.KeySpace:
		l.filter += " "
	case tea.KeyRunes:
		for _, r := range msg.Runes {
			if unicode.IsPrint(r) && len(l.filter) < 64 {
				l.filter += string(r)
			}
		}
	case tea.KeyUp:
		l.move(-1)
	case tea.KeyDown:
		l.move(1)
	}
	m.refilterCurrent()
	return nil
}
