package demo

import (
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/pace-dev/pace/domain"
)

// deploySlot is a moment a repo tries to ship.
type deploySlot struct {
	at   time.Time
	fail *failStory // a scripted failure
	live bool       // still deploying at now
}

// deployments ships every deploying repo's merges: staging first, then
// production; failures are recovered hours later, sometimes by a revert.
func (g *teamGen) deployments() {
	for ri := range g.spec.repos {
		if g.spec.repos[ri].deploy != noDeploys {
			g.deployRepo(ri)
		}
	}
}

func (g *teamGen) deployRepo(ri int) {
	r := g.r
	rs := &g.spec.repos[ri]
	var merged []int // the repo's merges into its base branch, by merge time
	for i := range g.changes {
		if g.meta[i].repo == ri && g.changes[i].Merged() && g.changes[i].BaseBranch == rs.base {
			merged = append(merged, i)
		}
	}
	slices.SortStableFunc(merged, func(a, b int) int { return g.changes[a].MergedAt.Compare(g.changes[b].MergedAt) })
	latest := func(t time.Time) int { // position of the newest merge at or before t, -1 if none
		return sort.Search(len(merged), func(j int) bool { return g.changes[merged[j]].MergedAt.After(t) }) - 1
	}

	var slots []deploySlot
	for _, off := range g.arrivals(int(rs.perWeek*historyWeeks + 0.5)) {
		slots = append(slots, deploySlot{at: g.start.Add(off)})
	}
	for k := range g.spec.failures {
		if f := &g.spec.failures[k]; f.repo == ri {
			slots = append(slots, deploySlot{at: g.at(f.ago), fail: f})
		}
	}
	if rs.perWeek >= 8 { // a busy repo is usually mid-deploy
		slots = append(slots, deploySlot{at: g.at(7 * time.Minute), live: true})
	}
	slices.SortStableFunc(slots, func(a, b deploySlot) int { return a.at.Compare(b.at) })

	shipped, attempted := -1, -1
	var busy time.Time // a failed production waits for its recovery
	for _, sl := range slots {
		t := sl.at
		if sl.fail == nil && t.Before(busy) {
			continue
		}
		k := latest(t.Add(-5 * time.Minute))
		if k < 0 || (sl.fail == nil && !sl.live && k == attempted) {
			continue // nothing new to ship
		}
		sha := g.changes[merged[k]].MergeSHA
		if rs.staging != "" {
			res := domain.Success
			if sl.fail == nil && !sl.live && r.chance(0.05) {
				res = domain.Failure
			}
			g.deploy(rs, rs.staging, domain.Staging, sha, t.Add(-r.between(25*time.Minute, 3*time.Hour)),
				r.logNormal(6*time.Minute, 0.5, 2*time.Minute, 30*time.Minute), res)
			if res == domain.Failure {
				continue // staging caught it; the next slot ships a fix
			}
		}
		attempted = k
		res := domain.Success
		switch x := r.r.Float64(); {
		case sl.fail != nil || x < 0.045:
			res = domain.Failure
		case x < 0.075:
			res = domain.Cancelled
		}
		dur := r.logNormal(9*time.Minute, 0.5, 3*time.Minute, 40*time.Minute)
		if sl.live {
			res, dur = domain.InProgress, 20*time.Minute
		}
		fin, id := g.deploy(rs, rs.production, domain.Production, sha, t, dur, res)
		switch {
		case fin.IsZero():
		case res == domain.Success:
			shipped = g.ship(rs, merged, shipped, k, fin, id)
		case res == domain.Failure:
			after := r.logNormal(150*time.Minute, 0.7, 40*time.Minute, 20*time.Hour)
			revert := r.chance(0.35)
			if sl.fail != nil {
				after, revert = sl.fail.recoverAfter, sl.fail.revert
			}
			recDur := r.logNormal(8*time.Minute, 0.4, 3*time.Minute, 20*time.Minute)
			recFin := fin.Add(after)
			recAt := recFin.Add(-recDur)
			busy = recFin
			if revert && recAt.Sub(fin) > 30*time.Minute {
				rv := g.revert(merged[k], fin.Add(r.between(5*time.Minute, 15*time.Minute)), recAt.Add(-r.between(3*time.Minute, 8*time.Minute)))
				if rv >= 0 {
					at := latest(g.changes[rv].MergedAt) + 1
					merged = slices.Insert(merged, at, rv)
				}
			}
			k2 := latest(recAt.Add(-time.Minute))
			attempted = k2
			fin2, id2 := g.deploy(rs, rs.production, domain.Production, g.changes[merged[k2]].MergeSHA, recAt, recDur, domain.Success)
			if !fin2.IsZero() {
				shipped = g.ship(rs, merged, shipped, k2, fin2, id2)
			}
		}
	}
}

// ship marks the merges after the last shipped one, up to position k, as
// contained in a successful production deployment, when the source can
// tell (otherwise domain.Prepare's fallback decides).
func (g *teamGen) ship(rs *repoSpec, merged []int, shipped, k int, fin time.Time, id string) int {
	if k <= shipped {
		return shipped
	}
	if rs.exact {
		for _, i := range merged[shipped+1 : k+1] {
			if c := &g.changes[i]; c.DeployedAt.IsZero() && !c.MergedAt.After(fin) {
				c.DeployedAt, c.DeploymentID, c.DeployExact = fin, id, true
			}
		}
	}
	return k
}

// deploy records one deployment attempt (or, for a repo that deploys
// through a workflow, the deploy.yml run) and returns when it finished
// (zero while in progress) and its ID.
func (g *teamGen) deploy(rs *repoSpec, env string, tier domain.Tier, sha string, at time.Time, dur time.Duration, res domain.Result) (time.Time, string) {
	if g.future(at) {
		return time.Time{}, ""
	}
	fin := at.Add(dur)
	if res == domain.InProgress || g.future(fin) {
		fin, res = time.Time{}, domain.InProgress
	}
	if rs.deploy == workflowDeploys {
		g.runs = append(g.runs, domain.Run{Source: rs.source, Repo: rs.path, Workflow: "deploy.yml",
			Name: "Deploy to production", Branch: rs.base, SHA: sha, Actor: g.pickPerson(false).on(rs.source),
			Event: "push", CreatedAt: at, StartedAt: at.Add(g.r.between(3*time.Second, 40*time.Second)),
			FinishedAt: fin, Result: res})
		return fin, ""
	}
	seq := int64(len(g.deploys))
	d := domain.Deployment{Source: rs.source, Repo: rs.path, Environment: env, SHA: sha, Ref: rs.base,
		CreatedAt: at, FinishedAt: fin, Result: res}
	if rs.tiered {
		d.Tier = tier
	}
	if rs.source == domain.GitHub {
		d.ID = strconv.FormatInt(1_400_000_000+int64(g.slot)*100_000+seq, 10)
		d.URL = "https://github.com/" + rs.path + "/deployments/" + env
	} else {
		d.ID = strconv.FormatInt(480_000_000+int64(g.slot)*100_000+seq, 10)
		d.URL = "https://gitlab.com/" + rs.path + "/-/environments?search=" + env
	}
	g.deploys = append(g.deploys, d)
	return fin, d.ID
}

// revert opens and merges a revert of change i, the way a team backs out
// a change that broke production. It returns the revert's index, or -1
// when the revert would lie in the future.
func (g *teamGen) revert(i int, opened, merged time.Time) int {
	if g.future(merged) || !merged.After(opened) {
		return -1
	}
	orig := g.changes[i]
	by := g.pickPerson(false)
	rs := &g.spec.repos[g.meta[i].repo]
	author := by.on(rs.source)
	j := g.newChange(g.meta[i].repo, author, `Revert "`+orig.Title+`"`, "revert-"+orig.HeadBranch, nil, opened)
	g.meta[j].revertOf = i
	c := &g.changes[j]
	c.ReadyAt, c.MergedAt, c.MergeSHA = opened, merged, g.r.sha()
	acts := append(g.scratch[:0], domain.Activity{Kind: domain.Commit, Login: author, At: opened.Add(-time.Minute)})
	if g.r.chance(0.6) { // otherwise merged unreviewed: production was down
		if revs := g.reviewers(author, rs.source, 1); len(revs) > 0 {
			acts = append(acts, domain.Activity{Kind: domain.Approval, Login: revs[0], At: within(g.r, opened, merged)})
		}
	}
	g.finish(j, acts)
	return j
}
