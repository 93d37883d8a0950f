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
	out = append(out, st.Warn.Render(clip(plural(len(zs), "zombie run")+", still running long after max_run:", m.width)))
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
	out = append(out, title, m.st.Dim.Render(m.staleHeader()))
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
		out = append(out, m.cursorRow(m.staleRow(it), p == m.stale.cursor))
	}
	return out
}

// staleCols sizes the stale list; the experiment key takes the rest.
func (m *Model) staleCols() (keyW, teamW, repoW, ownerW int) {
	teamW, ownerW = 12, 12
	if m.width >= 100 {
		teamW, ownerW = 15, 14
	}
	if m.width >= 120 {
		teamW, repoW, ownerW = 16, 24, 14
	}
	used := 2 + 5 + 1 + 1 + teamW + 1 + ownerW + 1 + 4 + 1 + 12 + 1 + 10
	if repoW > 0 {
		used += repoW + 1
	}
	return max(8, m.width-used), teamW, repoW, ownerW
}

func (m *Model) staleHeader() string {
	kw, tw, rw, ow := m.staleCols()
	s := "  " + rfit("IDLE", 5) + " " + pad("EXPERIMENT", kw) + " " + pad("TEAM", tw)
	if rw > 0 {
		s += " " + pad("REPO", rw)
	}
	return s + " " + pad("OWNER", ow) + " " + rfit("RUNS", 4) + " " + pad("LAST RUN", 12) + " " + pad("RESULT", 10)
}

func (m *Model) staleRow(it staleItem) string {
	kw, tw, rw, ow := m.staleCols()
	e := it.exp
	s := m.st.Warn.Render(rfit(fmtDur(e.IdleSeconds), 5)) + " " + fit(e.Key, kw) + " " + fit(it.team, tw)
	if rw > 0 {
		s += " " + fit(e.Repo, rw)
	}
	return s + " " + fit(e.Owner, ow) + " " + rfit(strconv.Itoa(len(e.Runs)), 4) + " " + pad(fmtTime(e.LastRunAt), 12) + " " + resultText(m.st, e.LastResult)
}
