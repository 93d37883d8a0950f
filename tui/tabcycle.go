package tui

import (
	"strconv"
	"strings"

	"github.com/pace-dev/pace/domain"
)

// The Cycle and Waiting tabs: where a change's time goes, and which
// changes wait for a reviewer right now.

// cycleTop is the Cycle tab above its list: the stats of every part, then
// the stacked p50 breakdown.
func (m *Model) cycleTop(td *teamData) []string {
	t := td.rep
	const lw = 14
	g := func(i int, s string) string { return m.st.Parts[i].Render(partGlyphs[i]) + " " + s }
	out := []string{
		m.st.Heading.Render(statsHeader(lw)),
		g(0, "") + m.statsLine("coding", &t.Coding, lw-2),
		g(1, "") + m.statsLine("pickup", &t.Pickup, lw-2),
		g(2, "") + m.statsLine("review", &t.Review, lw-2),
		g(3, "") + m.statsLine("deploy", &t.Deploy, lw-2),
		m.st.Heading.Render(m.statsLine("cycle time", &t.CycleTime, lw)),
		m.statsLine("lead time", &t.LeadTime, lw),
	}
	parts := [4]int64{-1, -1, -1, -1}
	for i, s := range []domain.Stats{t.Coding.Current, t.Pickup.Current, t.Review.Current, t.Deploy.Current} {
		if s.Known() {
			parts[i] = s.P50
		}
	}
	bw := m.width - lw - 1
	if parts == [4]int64{-1, -1, -1, -1} {
		out = append(out, pad("p50 breakdown", lw)+m.st.Dim.Render("no merged change in the window"))
	} else {
		out = append(out, pad("p50 breakdown", lw)+stacked(m.st, parts, bw))
	}
	counts := "merged " + strconv.Itoa(t.Changes.Merged) + " · opened " + strconv.Itoa(t.Changes.Opened) +
		" · bot changes excluded " + strconv.Itoa(t.Changes.BotsExcluded)
	return append(out, m.st.Dim.Render(clip(counts, m.width)))
}

// changeLabel is "fraud-model#1234": the repo's last path segment unless
// the terminal has room for all of it.
func (m *Model) changeLabel(c *domain.Change) string {
	repo := c.Repo
	if m.width < 120 {
		if i := strings.LastIndex(repo, "/"); i >= 0 {
			repo = repo[i+1:]
		}
	}
	return repo + "#" + strconv.Itoa(c.Number)
}

// changeCols sizes the change columns: label, title (the rest), author.
func (m *Model) changeCols(fixed int) (labelW, titleW, authorW int) {
	labelW, authorW = 22, 12
	if m.width >= 100 {
		authorW = 14
	}
	if m.width >= 120 {
		labelW, authorW = 32, 14
	}
	titleW = max(8, m.width-2-fixed-labelW-authorW-3)
	return
}

// wideParts is whether the Cycle rows show every part too.
func (m *Model) wideParts() bool { return m.width >= 120 }

func (m *Model) cycleHeader() string {
	fixed := 6
	if m.wideParts() {
		fixed += 4 * 7
	}
	lw, tw, aw := m.changeCols(fixed)
	s := "  " + rfit("CYCLE", 5) + " " + pad("CHANGE", lw) + " " + pad("TITLE", tw) + " " + pad("AUTHOR", aw)
	if m.wideParts() {
		for _, p := range []string{"CODING", "PICKUP", "REVIEW", "DEPLOY"} {
			s += " " + rfit(p, 6)
		}
	}
	return s
}

func (m *Model) cycleRow(cs *domain.ChangeSpan) string {
	fixed := 6
	if m.wideParts() {
		fixed += 4 * 7
	}
	lw, tw, aw := m.changeCols(fixed)
	c := cs.Change
	s := rfit(fmtDur(cs.Spans.Cycle), 5) + " " + fit(m.changeLabel(c), lw) + " " + fit(c.Title, tw) + " " + fit(c.Author, aw)
	if m.wideParts() {
		for _, v := range []int64{cs.Spans.Coding, cs.Spans.Pickup, cs.Spans.Review, cs.Spans.Deploy} {
			s += " " + rfit(fmtDur(v), 6)
		}
	}
	return s
}

// waitingTop is the Waiting tab above its list.
func (m *Model) waitingTop(td *teamData) []string {
	w := td.rep.Waiting
	if len(w) == 0 {
		return []string{m.st.Good.Render("Nothing waits for a reviewer."), ""}
	}
	var over1d int
	for _, x := range w {
		if x.Seconds > 86400 {
			over1d++
		}
	}
	have, waits := "changes have", "wait"
	if len(w) == 1 {
		have = "change has"
	}
	if over1d == 1 {
		waits = "waits"
	}
	line := strconv.Itoa(len(w)) + " open, ready " + have + " no review yet; " + strconv.Itoa(over1d) +
		" " + waits + " more than a day. Oldest: " + fmtDur(w[0].Seconds) + "."
	return []string{clip(line, m.width), ""}
}

func (m *Model) waitHeader() string {
	lw, tw, aw := m.changeCols(6 + 13)
	return "  " + rfit("WAIT", 5) + " " + pad("CHANGE", lw) + " " + pad("TITLE", tw) + " " + pad("AUTHOR", aw) + " " + pad("READY", 12)
}

func (m *Model) waitRow(w *domain.Waiting) string {
	lw, tw, aw := m.changeCols(6 + 13)
	c := w.Change
	age := rfit(fmtDur(w.Seconds), 5)
	if w.Seconds > 86400 {
		age = m.st.Warn.Render(age)
	}
	return age + " " + fit(m.changeLabel(c), lw) + " " + fit(c.Title, tw) + " " + fit(c.Author, aw) + " " + pad(fmtTime(c.ReadyAt), 12)
}
