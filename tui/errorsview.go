package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// The errors view (e): every error a source, a sync or the metric engine
// reported, newest first, with the selected one in full. The rest of the
// dashboard keeps its data while errors pile up here.

// errAt maps a list position to an error, newest first.
func (m *Model) errAt(i int) sourceError {
	return m.syncErrors[len(m.syncErrors)-1-i]
}

func (m *Model) viewErrors(h int) []string {
	st := m.st
	if len(m.syncErrors) == 0 {
		return []string{st.Good.Render("No source reported an error. ✓")}
	}
	title := st.Heading.Render("Errors, newest first: " + strconv.Itoa(len(m.syncErrors)))
	if note := m.errs.scrollNote(); note != "" {
		title = joinRight(title, st.Dim.Render(note), m.width)
	}
	out := []string{title}
	from, to := m.errs.visible()
	for p := from; p < to; p++ {
		e := m.errAt(m.errs.idx[p])
		row := pad(fmtTime(e.at), 12) + " " + fit(e.what, 28) + " " + fit(e.msg, max(8, m.width-2-12-1-28-1))
		out = append(out, m.cursorRow(row, p == m.errs.cursor))
	}
	if i, ok := m.errs.selected(); ok {
		e := m.errAt(i)
		out = append(out, "", st.Heading.Render(clip(safe(e.what), m.width)))
		for _, l := range strings.Split(ansi.Wrap(safe(e.msg), max(10, m.width-2), " "), "\n") {
			out = append(out, "  "+l)
		}
	}
	return out
}

// errListHeight leaves room for the selected error in full below the list.
func (m *Model) errListHeight() int {
	return max(1, min(len(m.syncErrors), m.bodyHeight()-7))
}
