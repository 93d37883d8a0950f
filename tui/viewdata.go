package tui

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/pace-dev/pace/domain"
)

// viewData is a computed report plus everything the screens need sorted or
// gathered in advance, so that View only ever formats values. It is built in
// a tea.Cmd and never changed afterwards.
type viewData struct {
	report  *domain.Report
	window  time.Duration
	teams   []teamData // the report's teams, then the organisation total last
	stale   []staleItem
	zombies []zombieItem
	// zombie marks experiments with a run still "running" past max_run:
	// their state is live, but the list should not call them merely active.
	zombie map[*domain.Experiment]bool
	took   time.Duration // how long Compute took, for the status line
}

// teamData is one team's report and its lists in display order.
type teamData struct {
	rep     *domain.TeamReport
	org     bool                // the organisation total
	byCycle []domain.ChangeSpan // merged in the window, slowest first
}

// staleItem is a stale experiment with the team it belongs to.
type staleItem struct {
	exp  *domain.Experiment
	team string
}

// zombieItem is a run in progress for too long, with its team.
type zombieItem struct {
	z    domain.Zombie
	team string
}

// buildViewData computes the report and arranges it for the screens.
func buildViewData(ds *domain.Dataset, s domain.Settings, now time.Time) *viewData {
	start := time.Now()
	rep := domain.Compute(ds, s, now)
	vd := &viewData{report: rep, window: s.Window, zombie: map[*domain.Experiment]bool{}}
	for _, z := range rep.Total.Experiments.Zombies {
		vd.zombie[z.Experiment] = true
	}
	vd.teams = make([]teamData, 0, len(rep.Teams)+1)
	for i := range rep.Teams {
		vd.teams = append(vd.teams, newTeamData(&rep.Teams[i], false))
	}
	vd.teams = append(vd.teams, newTeamData(&rep.Total, true))
	for i := range rep.Teams {
		t := &rep.Teams[i]
		for _, e := range t.Experiments.Stale {
			vd.stale = append(vd.stale, staleItem{exp: e, team: t.Name})
		}
		for _, z := range t.Experiments.Zombies {
			vd.zombies = append(vd.zombies, zombieItem{z: z, team: t.Name})
		}
	}
	// Experiments no team claims are only in the total: list them too, once.
	seen := make(map[*domain.Experiment]bool, len(vd.stale))
	for _, it := range vd.stale {
		seen[it.exp] = true
	}
	for _, e := range rep.Total.Experiments.Stale {
		if !seen[e] {
			vd.stale = append(vd.stale, staleItem{exp: e, team: e.Team})
		}
	}
	slices.SortStableFunc(vd.stale, func(a, b staleItem) int {
		return cmp.Compare(b.exp.IdleSeconds, a.exp.IdleSeconds)
	})
	vd.took = time.Since(start)
	return vd
}

func newTeamData(t *domain.TeamReport, org bool) teamData {
	td := teamData{rep: t, org: org}
	td.byCycle = slices.Clone(t.Merged)
	slices.SortStableFunc(td.byCycle, func(a, b domain.ChangeSpan) int {
		return cmp.Compare(b.Spans.Cycle, a.Spans.Cycle)
	})
	return td
}

// teamName is how a team is labelled; the total reads as the organisation.
func (td *teamData) name() string {
	if td.org {
		return "All teams"
	}
	return td.rep.Name
}

// changeText is what the filter searches in a change.
func changeText(c *domain.Change) string {
	return strings.Join([]string{c.Repo, "#" + itoa(c.Number), c.Title, c.Author, c.HeadBranch, strings.Join(c.Labels, " ")}, " ")
}

// experimentText is what the filter searches in an experiment.
func experimentText(e *domain.Experiment) string {
	return strings.Join([]string{e.Key, e.Repo, e.Owner, e.Team, string(e.Status)}, " ")
}

// deploymentText is what the filter searches in a deployment.
func deploymentText(d *domain.Deployment) string {
	return strings.Join([]string{d.Repo, d.Environment, string(d.Tier), string(d.Result), d.SHA, d.Ref}, " ")
}
