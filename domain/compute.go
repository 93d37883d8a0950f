package domain

import (
	"sync"
	"sync/atomic"
	"time"
)

// TotalName is the name of the org total's report.
const TotalName = "All teams"

// computer holds one Compute call's inputs and accumulators.
type computer struct {
	ds    *Dataset
	s     Settings
	now   time.Time
	p     *periods
	x     *teamIndex // for the change pass and the allocation
	expX  *teamIndex // for the experiment pass, which runs at the same time
	alloc *allocator
	slots []slot // one per team of s.Teams, then the org total
	q     DataQuality

	exps     []*Experiment
	expTeams []int // team position of exps[i], -1 for none
}

// slot accumulates one team's (or the total's) metrics.
type slot struct {
	coding, pickup, review, deploy, cycle, lead metricAcc

	counts    ChangeCounts
	merged    []ChangeSpan
	waiting   []Waiting
	mergedCat [2]int // research, engineering
	dep       deployAcc
	exp       expAcc
}

// Compute returns every metric of SPEC §5 for every team of s.Teams (in
// order) and the org total, at now:
//
//   - the window is [now−s.Window, now), the previous window the same length
//     before it, and the weeks the 12 ISO weeks (Monday 00:00 UTC) ending with
//     now's, each cut at now; a non-positive s.Window means 14 days;
//   - a change counts in the period of its metric's end event (merged_at for
//     coding, pickup, review and cycle time; deployed_at for deploy and lead
//     time), with spans as SpansOf after dropping timestamps after now;
//   - events after now are ignored everywhere, so a past now gives the report
//     as of then as far as the timestamps allow; changes opened after now do
//     not exist yet;
//   - bot-authored changes are left out of every metric and counted per team
//     (ChangeCounts.BotsExcluded: with an event in the window, see HadEventIn);
//   - the total ("All teams") counts every non-bot change, deployment and
//     experiment once, including unattributed ones, with the global
//     guardrails and no allocation target.
//
// Report.Quality covers the whole dataset as of now, not just the window:
// NegativeSpans (spans of non-bot changes that came out negative),
// FutureEvents (lifecycle timestamps of non-bot changes after now),
// BotChanges (bot-authored changes opened by now) and UnattributedChanges
// (non-bot changes opened by now that no team claims).
//
// Compute calls Prepare, which does nothing when ds was already prepared
// with equal settings, so calling Compute again with another s.Window (the
// TUI's window key) only reads ds. Stats with Count 0 mean no data; no
// field is ever NaN.
func Compute(ds *Dataset, s Settings, now time.Time) *Report {
	Prepare(ds, s)
	now = now.UTC()
	window := s.Window
	if window <= 0 {
		window = 14 * 24 * time.Hour
	}
	cx := &computer{
		ds: ds, s: s, now: now,
		p:     newPeriods(now, window),
		slots: make([]slot, len(s.Teams)+1),
	}
	cx.x = newTeamIndex(s.Teams, newBotMatcher(s.Bots))
	cx.expX = newTeamIndex(s.Teams, newBotMatcher(s.Bots))
	cx.alloc = newAllocator(cx.x, cx.p)

	// Changes on this goroutine, deployments then experiments on another:
	// they write disjoint fields of the slots and use separate caches.
	var wg sync.WaitGroup
	wg.Go(func() {
		cx.deploys()
		cx.experiments()
	})
	cx.changes()
	wg.Wait()
	cx.experimentActivities()

	rep := &Report{
		Org:         ds.Org,
		GeneratedAt: now,
		Window:      cx.p.cur,
		Previous:    cx.p.prev,
		WeekStarts:  cx.p.weekStart,
		Teams:       make([]TeamReport, len(s.Teams)),
		Sources:     ds.Sources,
	}
	// Summarising is independent per slot: two workers, one per core; the
	// total, the largest, first so the teams balance the other worker.
	var next atomic.Int32
	work := func() {
		for w := int(next.Add(1) - 1); w <= len(s.Teams); w = int(next.Add(1) - 1) {
			if w == 0 {
				rep.Total = cx.teamReport(len(s.Teams), TotalName, nil, nil, s.Guardrails)
				continue
			}
			t := &s.Teams[w-1]
			rep.Teams[w-1] = cx.teamReport(w-1, t.Name, t.Members, t.Allocation, EffectiveGuardrails(s.Guardrails, t.Guardrails))
		}
	}
	wg.Go(work)
	work()
	wg.Wait()
	rep.Quality = cx.q
	return rep
}

// teamReport assembles one slot's report.
func (cx *computer) teamReport(i int, name string, members []Member, target *Split, rules []Guardrail) TeamReport {
	sl := &cx.slots[i]
	t := TeamReport{
		Name:      name,
		Members:   members,
		Changes:   sl.counts,
		Coding:    sl.coding.metric(),
		Pickup:    sl.pickup.metric(),
		Review:    sl.review.metric(),
		Deploy:    sl.deploy.metric(),
		CycleTime: sl.cycle.metric(),
		LeadTime:  sl.lead.metric(),
		Waiting:   sl.waiting,
	}
	t.Merged, t.Slowest = sl.merged, slowestOf(sl.merged)
	sortWaiting(t.Waiting)
	t.Deploys = cx.p.deployReport(&sl.dep, t.LeadTime.Current)
	t.Experiments = cx.p.experimentReport(&sl.exp)
	if target != nil {
		tg := *target
		target = &tg
	}
	t.Allocation = cx.alloc.report(i, sl.mergedCat, target)
	for _, g := range rules {
		t.Guardrails = append(t.Guardrails, EvaluateGuardrail(g, &t))
	}
	return t
}

// teamNumber is the position of a team name in s.Teams, -1 for "" or unknown.
func (cx *computer) teamNumber(name string) int {
	if name == "" {
		return -1
	}
	if t, ok := cx.x.byName[name]; ok {
		return t
	}
	return -1
}

// changeTeam is the team position of ds.Changes[i] as Prepare attributed it.
func (cx *computer) changeTeam(i int) int {
	if ct := cx.ds.prep.changeTeam; i < len(ct) {
		return int(ct[i])
	}
	return cx.teamNumber(cx.ds.Changes[i].Team)
}

// teamNumbers appends the positions of names (unknown ones skipped) to buf.
func (cx *computer) teamNumbers(names []string, buf []int) []int {
	for _, n := range names {
		if t := cx.teamNumber(n); t >= 0 && !containsInt(buf, t) {
			buf = append(buf, t)
		}
	}
	return buf
}

// targets returns the slot of team t (nil for -1) and the total's slot.
func (cx *computer) targets(t int) (team, total *slot) {
	total = &cx.slots[len(cx.slots)-1]
	if t >= 0 {
		team = &cx.slots[t]
	}
	return team, total
}
