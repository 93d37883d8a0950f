package domain

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// expAcc collects one slot's experiments.
type expAcc struct {
	running, active, adopted, abandoned int
	decisionsWeekly                     [Weeks]int
	turnaround, runDuration, queueTime  metricAcc
	timeToDecision                      metricAcc
	stale, fast, all                    []*Experiment
	zombies                             []Zombie
}

// experiments groups the experiment runs that started before now, finds
// each experiment's change, state and team, and fills the slots. It runs
// beside the change pass: it touches only the slots' experiment fields and
// its own team index (cx.expX).
func (cx *computer) experiments() {
	m := newExpMatcher(cx.s.Experiments)
	if !m.enabled() {
		return
	}
	now := cx.now
	exps := cx.groupRuns(m)
	if len(exps) == 0 {
		return
	}
	// Experiments by the branch of their latest run: one string hash per
	// change finds the candidates, source and repo are compared directly.
	byBranch := make(map[string][]int32, len(exps))
	for i, e := range exps {
		slices.SortStableFunc(e.Runs, func(a, b *Run) int {
			if c := runStart(a).Compare(runStart(b)); c != 0 {
				return c
			}
			return a.CreatedAt.Compare(b.CreatedAt)
		})
		b := e.Runs[len(e.Runs)-1].Branch
		byBranch[b] = append(byBranch[b], int32(i))
	}
	for i := range cx.ds.Changes {
		c := &cx.ds.Changes[i]
		if c.HeadBranch == "" {
			continue
		}
		list, ok := byBranch[c.HeadBranch]
		if !ok || c.Bot || c.OpenedAt.After(now) {
			continue
		}
		for _, j := range list {
			e := exps[j]
			if e.Source == c.Source && e.Repo == c.Repo && (e.Change == nil || c.OpenedAt.After(e.Change.OpenedAt)) {
				e.Change = c
			}
		}
	}
	cls := newClassifier(cx.s.Classify, true)
	teams := make([]int, len(exps))
	for i, e := range exps {
		teams[i] = cx.describe(e, cls)
	}
	// Sorted once, latest run first, so every slot's All comes out in order.
	type sortKey struct {
		t instant // LastRunAt
		i int32
	}
	order := make([]sortKey, len(exps))
	for i, e := range exps {
		order[i] = sortKey{instantOf(e.LastRunAt), int32(i)}
	}
	slices.SortFunc(order, func(a, b sortKey) int {
		if c := compareInstants(b.t, a.t); c != 0 {
			return c
		}
		return compareExperiments(exps[a.i], exps[b.i])
	})
	for _, o := range order {
		e, team := exps[o.i], teams[o.i]
		sl, total := cx.targets(team)
		zombies := cx.zombies(e)
		for _, s := range [2]*slot{sl, total} {
			if s != nil {
				cx.addExperiment(&s.exp, e, zombies)
			}
		}
	}
	cx.exps, cx.expTeams = exps, teams
}

// experimentActivities adds the experiment runs to the allocation, after the
// change pass (they share the allocator, which is not safe for concurrent use).
func (cx *computer) experimentActivities() {
	for i, e := range cx.exps {
		for _, r := range e.Runs {
			cx.alloc.add(r.Source, r.Actor, cx.expTeams[i], e.Repo, e.Category, runStart(r))
		}
	}
}

// describe fills an experiment's owner, team, category and state at now,
// returning its team number (-1: none).
func (cx *computer) describe(e *Experiment, cls *classifier) int {
	now := cx.now
	first, last := e.Runs[0], e.Runs[len(e.Runs)-1]
	e.FirstRunAt, e.LastRunAt = runStart(first), runStart(last)
	e.LastResult = runResultAt(last, now)
	e.IdleSeconds = seconds(now.Sub(e.LastRunAt))
	e.Owner = ""
	for _, r := range e.Runs { // a bot runs the schedule; the owner is the first person
		if r.Actor != "" && !cx.expX.lookup(e.Source, r.Actor).bot {
			e.Owner = r.Actor
			break
		}
		if e.Owner == "" {
			e.Owner = r.Actor
		}
	}
	team := cx.expX.attribute(e.Source, e.Owner, e.Repo)
	e.Team = cx.expX.name(team)
	if e.Change != nil {
		e.Category = e.Change.Category
	} else {
		e.Category = cls.classify(nil, last.Branch)
	}
	e.Status, e.ConcludedAt = cx.conclusion(e)
	if e.Status == "" {
		e.Status = Active
		rules := cx.s.Experiments
		for _, r := range e.Runs {
			if runResultAt(r, now) == InProgress && (rules.MaxRun <= 0 || now.Sub(runStart(r)) < rules.MaxRun) {
				e.Status = Running
			}
		}
		if e.Status == Active && rules.StaleAfter > 0 && now.Sub(e.LastRunAt) >= rules.StaleAfter {
			e.Status = Stale
		}
	}
	return team
}

// conclusion says whether the experiment was decided at or before now:
// adopted when its change merged; abandoned when the change closed unmerged
// or carries the label "abandoned" (concluded at the change's last update,
// or at the last run's finish when that update is unknown or after now).
func (cx *computer) conclusion(e *Experiment) (ExperimentStatus, time.Time) {
	now, c := cx.now, e.Change
	if c == nil {
		return "", time.Time{}
	}
	if t := cut(c.MergedAt, now); !t.IsZero() {
		return Adopted, t
	}
	if t := cut(c.ClosedAt, now); !t.IsZero() {
		return Abandoned, t
	}
	if !hasLabel(c.Labels, "abandoned") {
		return "", time.Time{}
	}
	if t := cut(c.UpdatedAt, now); !t.IsZero() {
		return Abandoned, t
	}
	var t time.Time
	for _, r := range e.Runs {
		if f := cut(r.FinishedAt, now); f.After(t) {
			t = f
		}
	}
	if t.IsZero() {
		t = e.LastRunAt
	}
	return Abandoned, t
}

// zombies lists a live experiment's runs in progress for max_run or longer.
func (cx *computer) zombies(e *Experiment) []Zombie {
	maxRun := cx.s.Experiments.MaxRun
	if maxRun <= 0 || e.Status == Adopted || e.Status == Abandoned {
		return nil
	}
	var out []Zombie
	for _, r := range e.Runs {
		if age := cx.now.Sub(runStart(r)); runResultAt(r, cx.now) == InProgress && age >= maxRun {
			out = append(out, Zombie{Experiment: e, Run: r, Seconds: seconds(age)})
		}
	}
	return out
}

// addExperiment records one experiment in a slot's accumulator.
func (cx *computer) addExperiment(acc *expAcc, e *Experiment, zombies []Zombie) {
	p, now := cx.p, cx.now
	acc.all = append(acc.all, e)
	acc.zombies = append(acc.zombies, zombies...)
	switch e.Status {
	case Running:
		acc.running++
		acc.active++
	case Active:
		acc.active++
	case Stale:
		acc.stale = append(acc.stale, e)
	}
	for i, r := range e.Runs {
		st := runStart(r)
		if i > 0 {
			acc.turnaround.add(p.place(st), seconds(st.Sub(runStart(e.Runs[i-1]))))
		}
		if fin := cut(r.FinishedAt, now); !fin.IsZero() && !r.StartedAt.IsZero() {
			acc.runDuration.add(p.place(fin), nonNegative(fin.Sub(r.StartedAt)))
		}
		if !r.CreatedAt.IsZero() && !r.StartedAt.IsZero() {
			acc.queueTime.add(p.place(r.StartedAt), nonNegative(r.StartedAt.Sub(r.CreatedAt)))
		}
	}
	if e.ConcludedAt.IsZero() {
		return
	}
	w := p.place(e.ConcludedAt)
	ttd := nonNegative(e.ConcludedAt.Sub(e.FirstRunAt))
	acc.timeToDecision.add(w, ttd)
	if w.week >= 0 {
		acc.decisionsWeekly[w.week]++
	}
	if !w.cur {
		return
	}
	if e.Status == Adopted {
		acc.adopted++
		return
	}
	acc.abandoned++
	if ff := cx.s.Experiments.FailFast; ff > 0 && ttd >= 0 && ttd <= seconds(ff) {
		acc.fast = append(acc.fast, e)
	}
}

// nonNegative is d in whole seconds, -1 (unknown) when negative.
func nonNegative(d time.Duration) int64 {
	if d < 0 {
		return -1
	}
	return seconds(d)
}

// experimentReport turns a slot's experiments into its report.
func (p *periods) experimentReport(acc *expAcc) ExperimentReport {
	out := ExperimentReport{
		Running: acc.running, Active: acc.active,
		Adopted: acc.adopted, Abandoned: acc.abandoned,
		DecisionsPerWeek: p.rate(acc.adopted + acc.abandoned),
		DecisionsWeekly:  acc.decisionsWeekly,
		Turnaround:       acc.turnaround.metric(),
		RunDuration:      acc.runDuration.metric(),
		QueueTime:        acc.queueTime.metric(),
		TimeToDecision:   acc.timeToDecision.metric(),
		Stale:            acc.stale,
		Zombies:          acc.zombies,
		FastFailures:     acc.fast,
		All:              acc.all,
	}
	// All arrives sorted (experiments() orders them once for every slot).
	slices.SortFunc(out.Stale, func(a, b *Experiment) int {
		if c := cmp.Compare(b.IdleSeconds, a.IdleSeconds); c != 0 {
			return c
		}
		return compareExperiments(a, b)
	})
	slices.SortFunc(out.Zombies, func(a, b Zombie) int {
		if c := cmp.Compare(b.Seconds, a.Seconds); c != 0 {
			return c
		}
		if c := compareExperiments(a.Experiment, b.Experiment); c != 0 {
			return c
		}
		return strings.Compare(a.Run.ID, b.Run.ID)
	})
	slices.SortFunc(out.FastFailures, func(a, b *Experiment) int {
		if c := b.ConcludedAt.Compare(a.ConcludedAt); c != 0 {
			return c
		}
		return compareExperiments(a, b)
	})
	return out
}

// compareExperiments orders experiments by repo, key and source, for stable listings.
func compareExperiments(a, b *Experiment) int {
	if c := strings.Compare(a.Repo, b.Repo); c != 0 {
		return c
	}
	if c := strings.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return strings.Compare(string(a.Source), string(b.Source))
}
