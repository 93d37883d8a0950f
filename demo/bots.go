package demo

import (
	"math"
	"strconv"
	"time"

	"github.com/pace-dev/pace/domain"
)

// botChanges invents dependency updates: dependabot and renovate open
// them, teammates approve most, some auto-merge, some are superseded.
func (g *teamGen) botChanges() {
	var repos []int
	for i, rs := range g.spec.repos {
		if len(rs.bots) > 0 {
			repos = append(repos, i)
		}
	}
	if len(repos) == 0 || len(g.versions) == 0 {
		return
	}
	r := g.r
	lb := newLabels()
	for _, off := range g.arrivals(int(math.Round(0.55 * historyWeeks * float64(len(repos))))) {
		ri := repos[r.intn(len(repos))]
		rs := &g.spec.repos[ri]
		bot := rs.bots[r.intn(len(rs.bots))]
		d := &g.versions[r.intn(len(g.versions))]
		from := d.version()
		if r.chance(0.3) {
			d.minor, d.patch = d.minor+1, 0
		} else {
			d.patch++
		}
		to := d.version()
		var title, branch string
		switch bot {
		case "dependabot[bot]":
			title, branch = "Bump "+d.name+" from "+from+" to "+to, "dependabot/"+slug(d.name)+"-"+to
		case "renovate[bot]":
			title, branch = "Update dependency "+d.name+" to v"+to, "renovate/"+slug(d.name)+"-"+strconv.Itoa(d.major)+".x"
		default:
			title, branch = "chore(deps): update dependency "+d.name+" to v"+to, "renovate/"+slug(d.name)+"-"+to
		}
		opened := g.start.Add(off)
		i := g.newChange(ri, bot, title, branch, lb.deps, opened)
		c := &g.changes[i]
		c.ReadyAt = opened
		acts := append(g.scratch[:0], domain.Activity{Kind: domain.Commit, Login: bot,
			At: opened.Add(-r.between(20*time.Second, 2*time.Minute))})
		switch r.weighted([]float64{0.12, 0.3, 0.58}) {
		case 0: // superseded by a newer update
			c.ClosedAt = opened.Add(r.logNormal(4*day, 0.6, day, 20*day))
		case 1: // auto-merged once CI passed
			c.MergedAt = opened.Add(r.logNormal(50*time.Minute, 0.6, 10*time.Minute, 6*time.Hour))
			if rs.source == domain.GitHub {
				acts = append(acts, domain.Activity{Kind: domain.Approval, Login: "renovate-approve[bot]",
					At: c.MergedAt.Add(-time.Minute)})
			}
		default: // a teammate approves
			revs := g.reviewers("", rs.source, 1)
			appr := opened.Add(r.logNormal(hours(g.spec.timing.pickup*2), 1, 10*time.Minute, 10*day))
			acts = append(acts, domain.Activity{Kind: domain.Approval, Login: revs[0], At: appr})
			c.MergedAt = appr.Add(r.between(time.Minute, 2*time.Hour))
		}
		if !c.MergedAt.IsZero() {
			c.MergeSHA = r.sha()
		}
		g.finish(i, acts)
	}
}
