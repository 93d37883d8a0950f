package tui

import (
	"strconv"
	"strings"

	"github.com/pace-dev/pace/domain"
)

// The Experiments tab: what is running, what went stale, how fast the team
// turns a hypothesis around and decides, and the fast failures it learned
// from.

func (m *Model) experimentsTop(td *teamData) []string {
	e := &td.rep.Experiments
	st := m.st
	const lw = 12
	now := pad("Now", lw) + strconv.Itoa(e.Running) + " running · " + strconv.Itoa(e.Active) + " active · " +
		strconv.Itoa(len(e.Stale)) + " stale · " + plural(len(e.Zombies), "zombie run")
	win := pad("Window", lw) + strconv.Itoa(e.Adopted) + " adopted · " + strconv.Itoa(e.Abandoned) + " abandoned · " +
		fmtRate(e.DecisionsPerWeek) + " decisions/week"
	speed := pad("Speed", lw) + "turnaround p50 " + fmtP(e.Turnaround.Current, 50) + " · run p50 " + fmtP(e.RunDuration.Current, 50) +
		" · queue p50 " + fmtP(e.QueueTime.Current, 50) + " · decision p50 " + fmtP(e.TimeToDecision.Current, 50)
	dec := make([]float64, domain.Weeks)
	for i, n := range e.DecisionsWeekly {
		dec[i] = float64(n)
	}
	trend := pad("Decided", lw) + st.Spark.Render(sparkline(dec, 1)) + st.Dim.Render(" per week, 12 weeks · turnaround p50 ")
	tv := make([]float64, domain.Weeks)
	for i, s := range e.Turnaround.Weekly {
		tv[i] = -1
		if s.Known() {
			tv[i] = float64(s.P50)
		}
	}
	trend += st.Spark.Render(sparkline(tv, 1))
	out := clipAll([]string{now, win, speed, trend}, m.width)

	ff := pad("Fast fails", lw)
	if len(e.FastFailures) == 0 {
		ff += st.Dim.Render("none in the window: a quick, instructive \"no\" counts as much as a \"yes\"")
	} else {
		var names []string
		for _, x := range e.FastFailures {
			names = append(names, safe(x.Key)+" "+fmtDur(decidedIn(x)))
		}
		ff += st.Good.Render(strings.Join(names, " · "))
	}
	return append(out, clipAll([]string{ff}, m.width)...)
}

// decidedIn is first run → concluded, or -1.
func decidedIn(e *domain.Experiment) int64 {
	if e.ConcludedAt.IsZero() || e.FirstRunAt.IsZero() || e.ConcludedAt.Before(e.FirstRunAt) {
		return -1
	}
	return int64(e.ConcludedAt.Sub(e.FirstRunAt).Seconds())
}

// expCols sizes experiment columns; the key takes the rest.
func (m *Model) expCols(withTeam bool) (keyW, repoW, ownerW, teamW int) {
	ownerW, repoW = 12, 0
	if m.width >= 100 {
		repoW, ownerW = 20, 14
	}
	if m.width >= 120 {
		repoW = 24
	}
	if withTeam {
		teamW = 12
		if m.width >= 120 {
			teamW = 16
		}
	}
	used := 2 + 11 + 1 + 1 + ownerW + 1 + 4 + 1 + 5 + 1 + 10
	if repoW > 0 {
		used += repoW + 1
	}
	if teamW > 0 {
		used += teamW + 1
	}
	keyW = max(8, m.width-used)
	return
}

func (m *Model) expHeader() string { return m.expHeaderFor(false) }

func (m *Model) expHeaderFor(withTeam bool) string {
	kw, rw, ow, tw := m.expCols(withTeam)
	s := "  " + pad("STATUS", 11) + " " + pad("EXPERIMENT", kw)
	if tw > 0 {
		s += " " + pad("TEAM", tw)
	}
	if rw > 0 {
		s += " " + pad("REPO", rw)
	}
	return s + " " + pad("OWNER", ow) + " " + rfit("RUNS", 4) + " " + rfit("IDLE", 5) + " " + pad("LAST", 10)
}

// expRow is one experiment; withTeam adds the team column (stale list).
func (m *Model) expRow(e *domain.Experiment, withTeam bool) string {
	kw, rw, ow, tw := m.expCols(withTeam)
	status := m.statusText(e.Status)
	if m.data != nil && m.data.zombie[e] {
		status = m.st.Bad.Render(pad("! zombie", 11))
	}
	s := status + " " + fit(e.Key, kw)
	if tw > 0 {
		s += " " + fit(e.Team, tw)
	}
	if rw > 0 {
		s += " " + fit(e.Repo, rw)
	}
	idle := dash
	if e.Status != domain.Adopted && e.Status != domain.Abandoned {
		idle = fmtDur(e.IdleSeconds)
	}
	return s + " " + fit(e.Owner, ow) + " " + rfit(strconv.Itoa(len(e.Runs)), 4) + " " + rfit(idle, 5) + " " + resultText(m.st, e.LastResult)
}

// statusText is an experiment state in 11 cells.
func (m *Model) statusText(s domain.ExperimentStatus) string {
	st := m.st
	switch s {
	case domain.Running:
		return st.Good.Render(pad("● running", 11))
	case domain.Active:
		return pad("○ active", 11)
	case domain.Stale:
		return st.Warn.Render(pad("◷ stale", 11))
	case domain.Adopted:
		return st.Good.Render(pad("✓ adopted", 11))
	case domain.Abandoned:
		return st.Dim.Render(pad("✗ abandoned", 11))
	default:
		return pad(dash, 11)
	}
}
