package domain

import "time"

// TotalName is the name of the org total's report.
const TotalName = "All teams"

// computer holds one Compute call's inputs and accumulators.
type computer struct {
	ds    *Dataset
	s     Settings
	now   time.Time
	p     *periods
	x     *teamIndex
	bots  *botMatcher
	alloc *allocator
	slots []slot // one per team of s.Teams, then the org total
	q     DataQuality
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
		x:     newTeamIndex(s.Teams),
		bots:  newBotMatcher(s.Bots),
		slots: make([]slot, len(s.Teams)+1),
	}
	cx.alloc = newAllocator(cx.x, cx.bots, cx.p)

	cx.changes()
	cx.deploys()
	cx.experiments()

	rep := &Report{
		Org:         ds.Org,
		GeneratedAt: now,
		Window:      cx.p.cur,
		Previous:    cx.p.prev,
		WeekStarts:  cx.p.weekStart,
		Teams:       make([]TeamReport, len(s.Teams)),
		Sources:     ds.Sources,
	}
	for i, t := range s.Teams {
		rep.Teams[i] = cx.teamReport(i, t.Name, t.Members, t.Allocation, EffectiveGuardrails(s.Guardrails, t.Guardrails))
	}
	rep.Total = cx.teamReport(len(s.Teams), TotalName, nil, nil, s.Guardrails)
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
	t.Merged, t.Slowest = mergedLists(sl.merged)
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
