package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/pace-dev/pace/domain"
)

// Layout: the root owns the terminal size and pushes the visible height of
// every list down (SetSize), so that Update scrolls exactly as View draws.

// chromeLines are the lines around the body: header, sub-header, status
// line and footer.
const chromeLines = 4

// bodyHeight is the number of lines between the chrome.
func (m *Model) bodyHeight() int { return max(1, m.height-chromeLines) }

// setSize is the resize entry point.
func (m *Model) setSize(w, h int) {
	m.width, m.height = max(w, 20), max(h, 8)
	m.help.Width = m.width
	m.layout()
}

// SetSize resizes the dashboard (the same as a tea.WindowSizeMsg).
func (m *Model) SetSize(w, h int) { m.setSize(w, h) }

// layout recomputes every visible list's height for the current size.
func (m *Model) layout() {
	body := m.bodyHeight()
	m.overview.setHeight(m.ovRows())
	if td := m.team(); td != nil {
		for t := range numTabs {
			top := len(m.tabTop(td, t))
			m.tabs[t].setHeight(body - top - 2)
		}
	}
	if m.data != nil {
		m.stale.setHeight(body - len(m.staleTop()) - 2)
	}
	if m.exp != nil && m.data != nil {
		m.runs.setHeight(body - len(m.expTop()) - 2)
	}
	m.errs.setHeight(m.errListHeight())
}

// currentList is the list the cursor keys and the filter act on.
func (m *Model) currentList() *list {
	switch m.screen {
	case screenOverview:
		return &m.overview
	case screenTeam:
		return &m.tabs[m.tab]
	case screenStale:
		return &m.stale
	case screenExperiment:
		return &m.runs
	case screenErrors:
		return &m.errs
	}
	return nil
}

// refilterAll re-applies every filter to freshly computed data.
func (m *Model) refilterAll() {
	if m.data == nil {
		return
	}
	teams := m.data.teams
	m.overview.setItems(len(teams), func(i int) string { return teams[i].name() })
	m.refilterTeam()
	stale := m.data.stale
	m.stale.setItems(len(stale), func(i int) string { return experimentText(stale[i].exp) })
}

// refilterTeam re-applies the filters of the current team's tabs.
func (m *Model) refilterTeam() {
	td := m.team()
	if td == nil {
		return
	}
	for t := range numTabs {
		m.tabs[t].setItems(tabCount(td, t), func(i int) string { return tabText(td, t, i) })
	}
}

// refilterCurrent re-applies the filter of the list on screen.
func (m *Model) refilterCurrent() {
	switch m.screen {
	case screenTeam:
		td := m.team()
		if td != nil {
			t := m.tab
			m.tabs[t].setItems(tabCount(td, t), func(i int) string { return tabText(td, t, i) })
		}
	case screenExperiment:
		if e := m.exp; e != nil {
			m.runs.setItems(len(e.Runs), func(i int) string { return runText(e.Runs[i]) })
		}
	case screenErrors:
		m.errs.setItems(len(m.syncErrors), func(i int) string { e := m.errAt(i); return e.what + " " + e.msg })
	default:
		m.refilterAll()
	}
}

// focusedURL is the link of what the cursor is on, for the o key.
func (m *Model) focusedURL() string {
	switch m.screen {
	case screenChange:
		if m.change != nil {
			return m.change.Change.URL
		}
	case screenExperiment:
		if i, ok := m.runs.selected(); ok && m.exp != nil {
			return m.exp.Runs[i].URL
		}
		return experimentURL(m.exp)
	case screenStale:
		if i, ok := m.stale.selected(); ok {
			return experimentURL(m.data.stale[i].exp)
		}
	case screenTeam:
		td := m.team()
		i, ok := m.tabs[m.tab].selected()
		if td == nil || !ok {
			return ""
		}
		switch m.tab {
		case tabCycle:
			return td.byCycle[i].Change.URL
		case tabDeploys:
			return td.rep.Deploys.Recent[i].URL
		case tabExperiments:
			return experimentURL(td.rep.Experiments.All[i])
		case tabWaiting:
			return td.rep.Waiting[i].Change.URL
		}
	}
	return ""
}

// experimentURL is the experiment's change, else its latest run.
func experimentURL(e *domain.Experiment) string {
	if e == nil {
		return ""
	}
	if e.Change != nil && e.Change.URL != "" {
		return e.Change.URL
	}
	if n := len(e.Runs); n > 0 {
		return e.Runs[n-1].URL
	}
	return ""
}

// open is the o key: http and https links only, through the injected opener.
func (m *Model) open() tea.Cmd {
	u := m.focusedURL()
	if err := checkURL(u); err != nil {
		m.setStatus(err.Error(), false)
		return nil
	}
	if m.opts.OpenURL == nil {
		m.setStatus("no browser opener: "+clip(safe(u), m.width-22), false)
		return nil
	}
	m.setStatus("opening "+clip(safe(u), m.width-10), false)
	return openCmd(m.opts.OpenURL, u)
}
