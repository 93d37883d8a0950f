package tui

import "strconv"

// The stale experiments of the whole organisation, one key (s) from
// anywhere: experiments with no run for stale_after that nobody concluded,
// idle longest first, and the zombie runs still "running".

// staleTop is the stale screen above its list.
func (m *Model) staleTop() []string {
	st := m.st
	after := m.opts.Settings.Experiments.StaleAfter
	title := "Stale experiments across the organisation: " + strconv.Itoa(len(m.data.stale))
	if after > 0 {
		title += " · no run for " + fmtDur(int64(after.Seconds())) + ", not concluded"
	}
	out := []string{st.Heading.Render(clip(title, m.width))}
	zs := m.data.zombies
	if len(zs) == 0 {
		return append(out, st.Dim.Render("No zombie run (in progress longer than max_run)."), "")
	}
	show := min(len(zs), 3)
	out = append(out, st.Warn.Render(clip(strconv.Itoa(len(zs))+" zombie runs, still running long after max_run:", m.width)))
	for _, z := range zs[:show] {
		line := "  ◌ " + fit(z.z.Experiment.Key, 28) + " " + fit(z.team, 14) + " " + fit(z.z.Run.Workflow, 12) + " running for " + fmtDur(z.z.Seconds)
		out = append(out, clipAll([]string{line}, m.width)...)
	}
	if len(zs) > show {
		out = append(out, st.Dim.Render("  … and "+strconv.Itoa(len(zs)-show)+" more"))
	}
	return append(out, "")
}

// viewStale renders the stale screen.
func (m *Model) viewStale(h int) []string {
	out := m.staleTop()
	title := m.st.Heading.Render("Idle longest first")
	if note := m.stale.scrollNote(); note != "" {
		title = joinRight(title, m.st.Dim.Render(note), m.width)
	}
	out = append(out, title, m.st.Dim.Render(m.expHeaderFor(true)))
	if len(m.stale.idx) == 0 {
		msg := "no stale experiment: every experiment ran recently or was decided ✓"
		if m.stale.total > 0 {
			msg = "nothing matches the filter (esc clears it)"
		}
		return append(out, m.st.Dim.Render("  "+msg))
	}
	from, to := m.stale.visible()
	for p := from; p < to; p++ {
		it := m.data.stale[m.stale.idx[p]]
		out = append(out, m.cursorRow(m.expRow(it.exp, true), p == m.stale.cursor))
	}
	return out
}
