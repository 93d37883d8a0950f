package tui

import (
	"strconv"
	"strings"

	"github.com/pace-dev/pace/domain"
)

// team returns the team on screen.
func (m *Model) team() *teamData {
	if m.data == nil || m.teamIdx < 0 || m.teamIdx >= len(m.data.teams) {
		return nil
	}
	return &m.data.teams[m.teamIdx]
}

// viewTabBar is the team screen's second line: the team and its tabs.
func (m *Model) viewTabBar() string {
	td := m.team()
	if td == nil {
		return ""
	}
	var tabs []string
	for i, n := range tabNames {
		label := strconv.Itoa(i+1) + " " + n
		if tabID(i) == tabWaiting {
			label += " " + strconv.Itoa(len(td.rep.Waiting))
		}
		if tabID(i) == m.tab {
			tabs = append(tabs, m.st.TabOn.Render("["+label+"]"))
		} else {
			tabs = append(tabs, m.st.TabOff.Render(" "+label+" "))
		}
	}
	bar := strings.Join(tabs, "")
	room := m.width - ansiWidth(bar) - 2
	return m.st.Title.Render(fit(td.name(), max(4, min(room, 30)))) + "  " + bar
}

// tabTop renders the fixed part of a tab above its list.
func (m *Model) tabTop(td *teamData, t tabID) []string {
	switch t {
	case tabCycle:
		return m.cycleTop(td)
	case tabDeploys:
		return m.deploysTop(td)
	case tabExperiments:
		return m.experimentsTop(td)
	case tabAllocation:
		return m.allocationTop(td)
	default:
		return m.waitingTop(td)
	}
}

// viewTeam renders the current tab in exactly h lines: the fixed part,
// then the list with its title and column header.
func (m *Model) viewTeam(h int) []string {
	td := m.team()
	if td == nil {
		return nil
	}
	out := m.tabTop(td, m.tab)
	l := &m.tabs[m.tab]
	title, header := m.tabListHead(td, m.tab)
	if note := l.scrollNote(); note != "" {
		title = joinRight(title, m.st.Dim.Render(note), m.width)
	}
	out = append(out, title, m.st.Dim.Render(header))
	if len(l.idx) == 0 {
		out = append(out, m.st.Dim.Render("  "+m.emptyText(td, m.tab, l)))
		return out
	}
	from, to := l.visible()
	for p := from; p < to; p++ {
		out = append(out, m.tabRow(td, m.tab, l.idx[p], p == l.cursor))
	}
	return out
}

// tabListHead is a tab list's title and column header.
func (m *Model) tabListHead(td *teamData, t tabID) (string, string) {
	h := m.st.Heading.Render
	switch t {
	case tabCycle:
		return h("Slowest changes merged in the window"), m.cycleHeader()
	case tabDeploys:
		return h("Deployments in the window, newest first"), m.deployHeader()
	case tabExperiments:
		return h("Experiments, latest run first"), m.expHeader()
	case tabAllocation:
		return h("By person: active days in the window"), m.personHeader()
	default:
		return h("Waiting for review, oldest first"), m.waitHeader()
	}
}

// tabRow renders item i of a tab's list.
func (m *Model) tabRow(td *teamData, t tabID, i int, sel bool) string {
	var row string
	switch t {
	case tabCycle:
		row = m.cycleRow(&td.byCycle[i])
	case tabDeploys:
		row = m.deployRow(td, td.rep.Deploys.Recent[i])
	case tabExperiments:
		row = m.expRow(td.rep.Experiments.All[i], false)
	case tabAllocation:
		row = m.personRow(&td.rep.Allocation.ByPerson[i])
	default:
		row = m.waitRow(&td.rep.Waiting[i])
	}
	return m.cursorRow(row, sel)
}

// cursorRow prefixes a row with the cursor mark, which also reads without
// colour.
func (m *Model) cursorRow(row string, sel bool) string {
	if sel {
		return m.st.Selected.Render("▸ ") + row
	}
	return "  " + row
}

// emptyText says why a list is empty.
func (m *Model) emptyText(td *teamData, t tabID, l *list) string {
	if l.total > 0 {
		return "nothing matches the filter " + strconv.Quote(l.filter) + " (esc clears it)"
	}
	switch t {
	case tabCycle:
		return "no change was merged in the last " + fmtWindow(m.window)
	case tabDeploys:
		if !td.rep.Deploys.HasDeployments {
			return "no production deployment in the data: check the deployments settings"
		}
		return "no deployment in the last " + fmtWindow(m.window)
	case tabExperiments:
		return "no experiment runs: check the experiments settings"
	case tabAllocation:
		return "nobody was active in the window"
	default:
		return "no change is waiting for review ✓"
	}
}

// tabCount is the number of items in a tab's list.
func tabCount(td *teamData, t tabID) int {
	switch t {
	case tabCycle:
		return len(td.byCycle)
	case tabDeploys:
		return len(td.rep.Deploys.Recent)
	case tabExperiments:
		return len(td.rep.Experiments.All)
	case tabAllocation:
		return len(td.rep.Allocation.ByPerson)
	default:
		return len(td.rep.Waiting)
	}
}

// tabText is what the filter searches in item i of a tab.
func tabText(td *teamData, t tabID, i int) string {
	switch t {
	case tabCycle:
		return changeText(td.byCycle[i].Change)
	case tabDeploys:
		return deploymentText(td.rep.Deploys.Recent[i])
	case tabExperiments:
		return experimentText(td.rep.Experiments.All[i])
	case tabAllocation:
		return td.rep.Allocation.ByPerson[i].Login
	default:
		return changeText(td.rep.Waiting[i].Change)
	}
}

// enterTab opens the detail of the item under the cursor.
func (m *Model) enterTab() {
	td := m.team()
	if td == nil {
		return
	}
	i, ok := m.tabs[m.tab].selected()
	if !ok {
		return
	}
	switch m.tab {
	case tabCycle:
		m.openChange(td.byCycle[i])
	case tabWaiting:
		w := td.rep.Waiting[i]
		m.openChange(domain.ChangeSpan{Change: w.Change, Spans: domain.SpansOf(w.Change)})
	case tabExperiments:
		m.openExperiment(td.rep.Experiments.All[i])
	case tabDeploys:
		m.setStatus("o opens this deployment in the browser", false)
	case tabAllocation:
		m.setStatus("allocation by person has no detail view", false)
	}
}

// statsLine is one metric row: p50/p75/p90, count, previous p50, delta and
// a 12-week sparkline of the p50.
func (m *Model) statsLine(label string, mt *domain.Metric, labelW int) string {
	c := mt.Current
	vals := make([]float64, domain.Weeks)
	for i, s := range mt.Weekly {
		vals[i] = -1
		if s.Known() {
			vals[i] = float64(s.P50)
		}
	}
	n := dash
	if c.Known() {
		n = strconv.Itoa(c.Count)
	}
	d := fmtDelta(c, mt.Previous)
	ds := m.st.Dim
	if strings.HasPrefix(d, "▲") {
		ds = m.st.Bad
	} else if strings.HasPrefix(d, "▼") {
		ds = m.st.Good
	}
	return pad(label, labelW) + rfit(fmtP(c, 50), 6) + rfit(fmtP(c, 75), 6) + rfit(fmtP(c, 90), 6) + rfit(n, 6) +
		rfit(fmtP(mt.Previous, 50), 7) + " " + ds.Render(pad(d, 6)) + " " + m.st.Spark.Render(sparkline(vals, m.sparkEach()))
}

// sparkEach is how many cells a weekly point takes: two when there is room.
func (m *Model) sparkEach() int {
	if m.width >= 120 {
		return 2
	}
	return 1
}

// statsHeader heads a block of statsLine rows.
func statsHeader(labelW int) string {
	return pad("", labelW) + rfit("p50", 6) + rfit("p75", 6) + rfit("p90", 6) + rfit("n", 6) + rfit("prev", 7) + " " + pad("Δ", 6) + " 12 weeks"
}
