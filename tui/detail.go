package tui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/pace-dev/pace/domain"
)

// Detail screens: one change's timeline, one experiment's runs on a time
// axis.

// openChange shows a change's timeline.
func (m *Model) openChange(cs domain.ChangeSpan) {
	m.change = &cs
	m.push(screenChange)
}

// openExperiment shows an experiment's runs.
func (m *Model) openExperiment(e *domain.Experiment) {
	m.exp = e
	m.runs = list{}
	m.runs.setItems(len(e.Runs), func(i int) string { return runText(e.Runs[i]) })
	m.runs.bottom()
	m.push(screenExperiment)
}

// runText is what the filter searches in a run.
func runText(r *domain.Run) string {
	return strings.Join([]string{r.Workflow, r.Name, r.Actor, r.Branch, string(r.Result), r.Event}, " ")
}

// changeState is merged/closed/draft/open.
func changeState(c *domain.Change) string {
	switch {
	case c.Merged():
		return "merged"
	case !c.ClosedAt.IsZero():
		return "closed without merge"
	case c.Draft:
		return "draft"
	default:
		return "open"
	}
}

// viewChange renders the change detail in at most h lines.
func (m *Model) viewChange(h int) []string {
	cs := m.change
	if cs == nil {
		return nil
	}
	c, sp := cs.Change, cs.Spans
	st := m.st
	cat := string(c.Category)
	if cat == "" {
		cat = dash
	}
	out := []string{
		st.Title.Render(clip(safe(c.Repo)+"#"+strconv.Itoa(c.Number), m.width-30)) + st.Dim.Render(" · "+changeState(c)+" · "+cat+" · "+string(c.Source)),
		st.Heading.Render(fit(c.Title, m.width)),
		clip("by "+safe(c.Author)+" · "+safe(c.HeadBranch)+" → "+safe(c.BaseBranch)+labelsText(c.Labels), m.width),
		"",
	}
	type step struct {
		name string
		at   time.Time
		part string
		dur  int64
	}
	deployed := "deployed"
	if !c.DeployedAt.IsZero() && !c.DeployExact {
		deployed = "deployed*"
	}
	pickup, pickupName := sp.Pickup, "pickup"
	if waiting := m.waitingFor(c); waiting >= 0 {
		pickup, pickupName = waiting, "waiting"
	}
	steps := []step{
		{"first commit", c.FirstCommitAt, "coding", sp.Coding},
		{"ready", c.ReadyAt, pickupName, pickup},
		{"first review", c.FirstReviewAt, "review", sp.Review},
		{"merged", c.MergedAt, "deploy", sp.Deploy},
		{deployed, c.DeployedAt, "", 0},
	}
	out = append(out, st.Heading.Render("Timeline"))
	for i, s := range steps {
		dot := "●"
		if s.at.IsZero() {
			dot = st.Dim.Render("○")
		}
		out = append(out, "  "+dot+" "+pad(s.name, 13)+" "+fmtTime(s.at))
		if s.part != "" {
			out = append(out, "  "+st.Parts[i].Render("│")+"   "+st.Parts[i].Render(partGlyphs[i])+" "+pad(s.part, 7)+rfit(fmtDur(s.dur), 5))
		}
	}
	out = append(out, "")
	out = append(out, "cycle time "+fmtDur(sp.Cycle)+" · lead time "+fmtDur(sp.Lead)+st.Dim.Render(" · opened "+fmtTime(c.OpenedAt)+" · approved "+fmtTime(c.ApprovedAt)))
	out = append(out, stacked(st, [4]int64{sp.Coding, pickup, sp.Review, sp.Deploy}, max(10, m.width-2)))
	if deployed != "deployed" {
		out = append(out, st.Dim.Render(clip("* deployment inferred: first successful production deploy of the base branch after the merge", m.width)))
	}
	if c.URL != "" {
		out = append(out, st.Dim.Render(clip("o opens "+safe(c.URL), m.width)))
	}
	return out
}

// waitingFor is how long an open, ready, unreviewed change has waited for
// its first review at the report's now, or -1.
func (m *Model) waitingFor(c *domain.Change) int64 {
	if c.ReadyAt.IsZero() || !c.FirstReviewAt.IsZero() || c.Merged() || !c.ClosedAt.IsZero() || m.data == nil {
		return -1
	}
	now := m.data.report.GeneratedAt
	if now.Before(c.ReadyAt) {
		return -1
	}
	return int64(now.Sub(c.ReadyAt).Seconds())
}

// labelsText is " · labels a, b" or "".
func labelsText(ls []string) string {
	if len(ls) == 0 {
		return ""
	}
	clean := make([]string, len(ls))
	for i, l := range ls {
		clean[i] = safe(l)
	}
	return " · labels " + strings.Join(clean, ", ")
}

// expTop is the experiment detail above its runs list.
func (m *Model) expTop() []string {
	e := m.exp
	st := m.st
	state := string(e.Status)
	switch e.Status {
	case domain.Adopted, domain.Abandoned:
		state += " " + fmtDay(e.ConcludedAt) + ", decided in " + fmtDur(decidedIn(e))
	default:
		state += ", idle " + fmtDur(e.IdleSeconds)
	}
	out := []string{
		st.Title.Render(clip(safe(e.Key), m.width/2)) + st.Dim.Render(clip(" · "+state+" · "+safe(e.Team), m.width-ansiWidth(clip(safe(e.Key), m.width/2)))),
		clip(safe(e.Repo)+" · owner "+safe(e.Owner)+" · "+string(e.Category)+" · "+strconv.Itoa(len(e.Runs))+" runs · first "+fmtTime(e.FirstRunAt)+" · last "+fmtTime(e.LastRunAt), m.width),
	}
	if c := e.Change; c != nil {
		out = append(out, clip("change #"+strconv.Itoa(c.Number)+" ("+changeState(c)+") "+safe(c.Title), m.width))
	} else {
		out = append(out, st.Dim.Render("no change on its branch"))
	}
	end := m.data.report.GeneratedAt
	if end.Before(e.LastRunAt) {
		end = e.LastRunAt
	}
	start := e.FirstRunAt
	out = append(out, st.Heading.Render("Runs on a time axis")+st.Dim.Render(" ✓ success ✗ failure ◌ running ○ cancelled"))
	marks := make([]axisMark, 0, len(e.Runs))
	for _, r := range e.Runs {
		marks = append(marks, axisMark{At: runStart(r), Glyph: runGlyph(r.Result), Style: runStyle(st, r.Result)})
	}
	w := max(10, m.width-2)
	out = append(out, "  "+timeAxis(marks, start, end, w))
	endLabel := "now " + fmtDay(end)
	out = append(out, st.Dim.Render("  "+pad(fmtDay(start), w-ansiWidth(endLabel))+endLabel), "")
	return out
}

// runStart is when a run started (created when it never started).
func runStart(r *domain.Run) time.Time {
	if !r.StartedAt.IsZero() {
		return r.StartedAt
	}
	return r.CreatedAt
}

// runGlyph marks a run on the axis.
func runGlyph(r domain.Result) string {
	switch r {
	case domain.Success:
		return "✓"
	case domain.Failure:
		return "✗"
	case domain.InProgress:
		return "◌"
	default:
		return "○"
	}
}

func runStyle(st Styles, r domain.Result) lipgloss.Style {
	switch r {
	case domain.Success:
		return st.Good
	case domain.Failure:
		return st.Bad
	case domain.InProgress:
		return st.Warn
	default:
		return st.Dim
	}
}

// viewExperiment renders the experiment detail.
func (m *Model) viewExperiment(h int) []string {
	if m.exp == nil {
		return nil
	}
	out := m.expTop()
	title := m.st.Heading.Render("Runs, oldest first")
	if note := m.runs.scrollNote(); note != "" {
		title = joinRight(title, m.st.Dim.Render(note), m.width)
	}
	out = append(out, title, m.st.Dim.Render(m.runHeader()))
	from, to := m.runs.visible()
	for p := from; p < to; p++ {
		out = append(out, m.cursorRow(m.runRow(m.exp.Runs[m.runs.idx[p]]), p == m.runs.cursor))
	}
	if len(m.runs.idx) == 0 {
		out = append(out, m.st.Dim.Render("  no run matches the filter"))
	}
	return out
}

func (m *Model) runCols() (wfW, actorW int) {
	wfW, actorW = 12, 10
	if m.width >= 120 {
		wfW, actorW = 24, 14
	}
	return
}

func (m *Model) runHeader() string {
	ww, aw := m.runCols()
	return "  " + pad("STARTED", 12) + " " + pad("WORKFLOW", ww) + " " + pad("RESULT", 10) + " " + rfit("TOOK", 5) + " " + rfit("QUEUE", 5) + " " + pad("ACTOR", aw) + " NAME"
}

func (m *Model) runRow(r *domain.Run) string {
	ww, aw := m.runCols()
	took, queue := int64(-1), int64(-1)
	if !r.StartedAt.IsZero() && !r.FinishedAt.IsZero() && !r.FinishedAt.Before(r.StartedAt) {
		took = int64(r.FinishedAt.Sub(r.StartedAt).Seconds())
	}
	if !r.StartedAt.IsZero() && !r.CreatedAt.IsZero() && !r.StartedAt.Before(r.CreatedAt) {
		queue = int64(r.StartedAt.Sub(r.CreatedAt).Seconds())
	}
	used := 2 + 12 + 1 + ww + 1 + 10 + 1 + 5 + 1 + 5 + 1 + aw + 1
	return pad(fmtTime(runStart(r)), 12) + " " + fit(r.Workflow, ww) + " " + resultText(m.st, r.Result) + " " + rfit(fmtDur(took), 5) + " " +
		rfit(fmtDur(queue), 5) + " " + fit(r.Actor, aw) + " " + fit(r.Name, max(0, m.width-used))
}
