package domain

import (
	"cmp"
	"math/bits"
	"slices"
	"time"
)

// tiers lists the environment tiers in ByTier order.
var tiers = [...]Tier{Production, Staging, OtherTier}

// tierIndex is a tier's position in tiers; unknown tiers count as other.
func tierIndex(t Tier) int {
	switch t {
	case Production:
		return 0
	case Staging:
		return 1
	}
	return 2
}

// deployAcc collects one slot's deployments.
type deployAcc struct {
	has               bool // any production deployment at all (as of now)
	prodCur, prodPrev int  // successful production deployments
	failedCur, finCur int  // failed / finished (success or failure) production deployments in the window
	weekly            [Weeks]int
	tierCount         [len(tiers)]int
	tierDays          [len(tiers)][]uint64 // bitset of window days with a success
	recovery          metricAcc
	failures          []Recovery
	recent            []*Deployment
}

// resultAt is a deployment's result as of now: in progress until it finished.
// A deployment the source marked terminal without a finish time keeps its
// result but, having no time, counts in no period.
func resultAt(d *Deployment, now time.Time) Result {
	switch {
	case d.FinishedAt.After(now):
		return InProgress
	case d.FinishedAt.IsZero() && (d.Result == "" || d.Result == InProgress):
		return InProgress
	}
	return d.Result
}

// deploys is the one pass over deployments (SPEC §5 deploy frequency,
// change failure rate, recovery), then recovery per environment.
func (cx *computer) deploys() {
	now, p := cx.now, cx.p
	nDays := p.cur.dayCount() // deploy days are the window's days (Period.dayIndex)
	var teamBuf []int
	var recent []*Deployment
	for i := range cx.ds.Deployments {
		d := &cx.ds.Deployments[i]
		created := earliest(d.CreatedAt, d.FinishedAt)
		if created.IsZero() || created.After(now) {
			continue // not there yet as of now
		}
		teamBuf = cx.teamNumbers(d.Teams, teamBuf[:0])
		res := resultAt(d, now)
		ti := tierIndex(d.Tier)
		fin := p.place(cut(d.FinishedAt, now))
		evt := fin
		if res == InProgress {
			evt = p.place(created)
		}
		if evt.cur {
			recent = append(recent, d)
		}
		for k := -1; k < len(teamBuf); k++ {
			sl := &cx.slots[len(cx.slots)-1]
			if k >= 0 {
				sl = &cx.slots[teamBuf[k]]
			}
			acc := &sl.dep
			if res != Success && res != Failure {
				if ti == 0 {
					acc.has = true
				}
				continue
			}
			if res == Success && fin.cur {
				acc.tierCount[ti]++
				if acc.tierDays[ti] == nil {
					acc.tierDays[ti] = make([]uint64, (nDays+63)/64)
				}
				day := p.cur.dayIndex(d.FinishedAt)
				acc.tierDays[ti][day/64] |= 1 << (day % 64)
			}
			if ti != 0 {
				continue
			}
			acc.has = true
			if fin.cur {
				acc.finCur++
				if res == Success {
					acc.prodCur++
				} else {
					acc.failedCur++
				}
			}
			if res == Success && fin.prev {
				acc.prodPrev++
			}
			if res == Success && fin.week >= 0 {
				acc.weekly[fin.week]++
			}
		}
	}
	cx.recoveries()
	cx.recentDeploys(recent)
}

// recentDeploys orders the window's deployments newest first once and
// hands each slot its share, already in order.
func (cx *computer) recentDeploys(recent []*Deployment) {
	type sortKey struct {
		t instant // deployTime
		d *Deployment
	}
	keys := make([]sortKey, len(recent))
	for i, d := range recent {
		keys[i] = sortKey{instantOf(deployTime(d, cx.now)), d}
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if c := compareInstants(b.t, a.t); c != 0 {
			return c
		}
		return cmp.Compare(a.d.ID, b.d.ID)
	})
	total := &cx.slots[len(cx.slots)-1].dep
	total.recent = make([]*Deployment, len(keys))
	var teamBuf []int
	for i, k := range keys {
		total.recent[i] = k.d
		teamBuf = cx.teamNumbers(k.d.Teams, teamBuf[:0])
		for _, t := range teamBuf {
			cx.slots[t].dep.recent = append(cx.slots[t].dep.recent, k.d)
		}
	}
}

// envKey groups production deployments by environment for recovery.
type envKey struct {
	source Source
	repo   string
	env    string
}

// recoveries pairs each failed production deployment with the next
// successful one of the same source, repo and environment finishing after
// it. The duration counts where the success finished; every failure of a
// streak gets its own duration. Failed deployments finished in the window
// are listed whether recovered or not.
func (cx *computer) recoveries() {
	now := cx.now
	groups := make(map[envKey][]*Deployment)
	for i := range cx.ds.Deployments {
		d := &cx.ds.Deployments[i]
		if d.Tier != Production || d.FinishedAt.IsZero() || d.FinishedAt.After(now) {
			continue
		}
		if r := d.Result; r == Success || r == Failure {
			k := envKey{d.Source, d.Repo, d.Environment}
			groups[k] = append(groups[k], d)
		}
	}
	var teamBuf []int
	for _, g := range groups {
		slices.SortStableFunc(g, func(a, b *Deployment) int { return a.FinishedAt.Compare(b.FinishedAt) })
		var pending []*Deployment
		settle := func(f *Deployment, ok *Deployment) {
			rec := Recovery{Failed: f, Seconds: -1}
			if ok != nil {
				rec.Recovered, rec.Seconds = ok, seconds(ok.FinishedAt.Sub(f.FinishedAt))
			}
			teamBuf = cx.teamNumbers(f.Teams, teamBuf[:0])
			inWindow := cx.p.cur.Contains(f.FinishedAt)
			var w where
			if ok != nil {
				w = cx.p.place(ok.FinishedAt)
			}
			for k := -1; k < len(teamBuf); k++ {
				sl := &cx.slots[len(cx.slots)-1]
				if k >= 0 {
					sl = &cx.slots[teamBuf[k]]
				}
				if ok != nil {
					sl.dep.recovery.add(w, rec.Seconds)
				}
				if inWindow {
					sl.dep.failures = append(sl.dep.failures, rec)
				}
			}
		}
		for _, d := range g {
			if d.Result == Failure {
				pending = append(pending, d)
				continue
			}
			kept := pending[:0]
			for _, f := range pending {
				if f.FinishedAt.Before(d.FinishedAt) {
					settle(f, d)
				} else {
					kept = append(kept, f) // finished at the same instant: not "after" it
				}
			}
			pending = kept
		}
		for _, f := range pending {
			settle(f, nil)
		}
	}
}

// deployReport turns a slot's deployments into its report; lead (the
// slot's lead time in the window) feeds the DORA lead-time bucket.
func (p *periods) deployReport(acc *deployAcc, lead Stats) DeployReport {
	out := DeployReport{
		Production:      acc.prodCur,
		Failed:          acc.failedCur,
		PerWeek:         p.rate(acc.prodCur),
		PreviousPerWeek: p.rate(acc.prodPrev),
		Recovery:        acc.recovery.metric(),
		Weekly:          acc.weekly,
		HasDeployments:  acc.has,
		ByTier:          make(map[Tier]TierDeploys, len(tiers)),
	}
	for i, t := range tiers {
		days := 0
		for _, w := range acc.tierDays[i] {
			days += bits.OnesCount64(w)
		}
		out.ByTier[t] = TierDeploys{Successful: acc.tierCount[i], PerWeek: p.rate(acc.tierCount[i]), DaysPerWeek: p.rate(days)}
	}
	out.DaysPerWeek = out.ByTier[Production].DaysPerWeek
	if acc.finCur > 0 {
		r := float64(acc.failedCur) / float64(acc.finCur)
		out.ChangeFailureRate = &r
	}
	out.Failures = acc.failures
	slices.SortFunc(out.Failures, func(a, b Recovery) int {
		if c := b.Failed.FinishedAt.Compare(a.Failed.FinishedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.Failed.ID, b.Failed.ID)
	})
	out.Recent = acc.recent // ordered by recentDeploys
	out.Dora = Dora{
		LeadTime:          DoraLeadTime(lead),
		ChangeFailureRate: DoraChangeFailureRate(out.ChangeFailureRate),
		Recovery:          DoraRecovery(out.Recovery.Current),
	}
	if acc.has {
		out.Dora.DeployFrequency = DoraDeployFrequency(out.DaysPerWeek)
	}
	return out
}

// deployTime is when a deployment finished, or was created while running at now.
func deployTime(d *Deployment, now time.Time) time.Time {
	if !d.FinishedAt.IsZero() && !d.FinishedAt.After(now) {
		return d.FinishedAt
	}
	return earliest(d.CreatedAt, d.FinishedAt)
}
