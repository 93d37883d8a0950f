package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// View draws the whole screen from precomputed data: exactly height lines,
// none wider than the terminal.
func (m *Model) View() string {
	lines := make([]string, 0, m.height)
	lines = append(lines, m.viewHeader(), m.viewSubheader())
	body := m.viewBody(m.bodyHeight())
	if len(body) > m.bodyHeight() {
		body = body[:m.bodyHeight()]
	}
	lines = append(lines, body...)
	for len(lines) < m.height-2 {
		lines = append(lines, "")
	}
	lines = append(lines, m.viewStatus(), m.help.ShortHelpView(m.keys.forScreen(m.screen).ShortHelp()))
	// The last guard: nothing may wrap, whatever a screen produced.
	for i, l := range lines {
		if ansi.StringWidth(l) > m.width {
			lines[i] = ansi.Truncate(l, m.width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

// viewHeader is organisation, window, last sync and sync progress. When
// it does not fit, the window's dates go first, then the organisation name
// and the word "window" shrink; the sync state stays.
func (m *Model) viewHeader() string {
	for _, try := range []struct {
		orgW    int
		compact int // 0 full, 1 no dates, 2 no dates and no "window"
	}{{max(8, m.width/3), 0}, {max(8, m.width/3), 1}, {12, 2}} {
		left, right := m.headerLeft(try.orgW), m.headerRight(try.compact)
		if ansiWidth(left)+2+ansiWidth(right) <= m.width {
			return joinRight(left, right, m.width)
		}
	}
	left := m.headerLeft(12)
	right := ansi.Truncate(m.headerRight(2), max(m.width-ansiWidth(left)-2, 0), "…")
	return joinRight(left, right, m.width)
}

// headerLeft is "pace · Org DEMO" with the organisation in orgW cells.
func (m *Model) headerLeft(orgW int) string {
	st := m.st
	left := st.Title.Render("pace")
	if m.ds != nil && m.ds.Org != "" {
		left += " · " + st.Heading.Render(clip(safe(m.ds.Org), orgW))
	}
	if m.opts.Demo {
		left += " " + st.Demo.Render("DEMO")
	}
	return left
}

// headerRight is the window, then the sync state; compact drops the
// window's dates (1) and the word "window" (2).
func (m *Model) headerRight(compact int) string {
	st := m.st
	var parts []string
	win := "window " + fmtWindow(m.window)
	if compact == 2 {
		win = fmtWindow(m.window)
	}
	if m.data != nil && m.data.window == m.window && compact == 0 {
		p := m.data.report.Window
		win += " " + p.Start.UTC().Format("Jan 02") + "–" + p.End.UTC().Format("Jan 02")
	}
	if m.computing && m.data != nil {
		win += " (computing)"
	}
	parts = append(parts, win)
	switch {
	case m.syncing:
		parts = append(parts, m.progressText())
	case m.ds != nil:
		parts = append(parts, "synced "+fmtAgo(m.opts.Now(), newestSync(m.ds)))
	}
	s := strings.Join(parts, " · ")
	if m.showSpinner && m.working() {
		s = m.spin.View() + " " + s
	}
	if n := len(m.syncErrors); n > 0 {
		s += " " + st.Bad.Render("✗"+strconv.Itoa(n))
	}
	return st.Dim.Render(s)
}

// progressText is the running sync in a few words.
func (m *Model) progressText() string {
	p := m.progress
	if !p.WaitUntil.IsZero() {
		left := p.WaitUntil.Sub(m.opts.Now())
		if left > 0 {
			return "rate limited, resuming in " + fmtDur(int64(left.Seconds()))
		}
	}
	s := "syncing"
	if p.Source != "" {
		s += " " + safe(p.Source)
	}
	if p.Repo != "" {
		s += " " + clip(safe(p.Repo), 24)
	}
	if p.Stream != "" {
		s += " " + safe(p.Stream)
	}
	if p.Items > 0 {
		s += " " + strconv.Itoa(p.Items)
	}
	if p.Message != "" && p.Repo == "" {
		s += ": " + clip(safe(p.Message), 30)
	}
	return s
}

// viewSubheader is the breadcrumb or the team's tabs.
func (m *Model) viewSubheader() string {
	st := m.st
	switch m.screen {
	case screenTeam:
		return m.viewTabBar()
	case screenOverview:
		return st.Dim.Render("Overview")
	case screenChange:
		return st.Dim.Render(clip(m.crumb()+" › change", m.width))
	case screenExperiment:
		return st.Dim.Render(clip(m.crumb()+" › experiment", m.width))
	case screenStale:
		return st.Dim.Render("Stale experiments")
	case screenHelp:
		return st.Dim.Render("Help")
	case screenErrors:
		return st.Dim.Render("Errors")
	}
	return ""
}

// crumb names where a detail was opened from.
func (m *Model) crumb() string {
	for i := len(m.stack) - 1; i >= 0; i-- {
		switch m.stack[i] {
		case screenTeam:
			if td := m.team(); td != nil {
				return safe(td.name()) + " › " + tabNames[m.tab]
			}
		case screenStale:
			return "Stale experiments"
		}
	}
	return "Overview"
}

// viewBody renders the current screen, or the loading/failed state.
func (m *Model) viewBody(h int) []string {
	st := m.st
	if m.screen == screenHelp {
		return m.viewHelp(h)
	}
	if m.screen == screenErrors {
		return m.viewErrors(h)
	}
	switch {
	case m.phase == phaseFailed && m.data == nil:
		msg := "unknown error"
		if m.loadErr != nil {
			msg = m.loadErr.Error()
		}
		out := []string{"", st.Bad.Render("Could not load the data.")}
		for _, l := range strings.Split(ansi.Wrap(safe(msg), max(10, m.width-2), " "), "\n") {
			out = append(out, "  "+l)
		}
		return append(out, "", st.Dim.Render("r retries a sync · e lists errors · q quits"))
	case m.data == nil:
		if m.showSpinner {
			return []string{"", "  " + m.spin.View() + " loading…"}
		}
		return []string{""}
	}
	if len(m.data.report.Teams) == 0 && m.screen == screenOverview {
		return []string{"", st.Heading.Render("No team is configured."),
			"Add teams (name, members, repos, allocation) to the config: pace config init writes a commented example.",
			st.Dim.Render("The organisation total is still on the All teams row:"), "",
			m.ovRow(&m.data.teams[len(m.data.teams)-1], m.ovLayout(), true)}
	}
	switch m.screen {
	case screenTeam:
		return m.viewTeam(h)
	case screenChange:
		return m.viewChange(h)
	case screenExperiment:
		return m.viewExperiment(h)
	case screenStale:
		return m.viewStale(h)
	default:
		return m.viewOverview(h)
	}
}

// viewStatus is the filter input, else the last message, else a note on
// data quality.
func (m *Model) viewStatus() string {
	st := m.st
	if m.filtering {
		l := m.currentList()
		q := ""
		if l != nil {
			q = l.filter
		}
		return st.Input.Render("/"+clip(safe(q), m.width-30)+"█") + st.Dim.Render("  enter keep · esc clear")
	}
	if m.status != "" {
		if m.statusErr {
			return st.StatusErr.Render(clip(safe(m.status), m.width))
		}
		return st.Status.Render(clip(safe(m.status), m.width))
	}
	if l := m.currentList(); l != nil && l.filter != "" {
		return st.Input.Render(clip("filter: "+safe(l.filter), m.width-20)) + st.Dim.Render("  / edit · esc clear")
	}
	if m.data != nil {
		q := m.data.report.Quality
		var notes []string
		if q.BotChanges > 0 {
			notes = append(notes, strconv.Itoa(q.BotChanges)+" bot changes excluded")
		}
		if q.NegativeSpans > 0 {
			notes = append(notes, strconv.Itoa(q.NegativeSpans)+" negative spans left unknown")
		}
		if q.FutureEvents > 0 {
			notes = append(notes, strconv.Itoa(q.FutureEvents)+" future timestamps ignored")
		}
		if q.UnattributedChanges > 0 {
			notes = append(notes, strconv.Itoa(q.UnattributedChanges)+" changes in no team")
		}
		if len(notes) > 0 {
			return st.Status.Render(clip("data: "+strings.Join(notes, " · "), m.width))
		}
	}
	return ""
}
