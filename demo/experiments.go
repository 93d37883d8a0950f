package demo

import (
	"slices"
	"strconv"
	"time"

	"github.com/pace-dev/pace/domain"
)

// expPlan is an experiment decided in advance: who runs it, when each run
// starts, how it ends.
type expPlan struct {
	repo        int
	slug, title string
	owner       *person
	starts      []time.Time
	fate        expFate
	decided     time.Time
	last        lastRun
	change      bool // a change is opened on its branch
}

// experiments invents the team's experiments: the hand-written stories
// (fast failure, adoption, zombie, stale, running) and a random
// background whose live ones are all active, so the stale list is exactly
// the stories'.
func (g *teamGen) experiments() {
	for _, st := range g.spec.stories {
		g.slugs[st.slug] = true
	}
	for _, st := range g.spec.stories {
		p := expPlan{repo: st.repo, slug: st.slug, title: st.title, owner: g.pickPerson(true),
			fate: st.fate, last: st.last, change: st.runs > 1}
		first, last := g.at(st.firstAgo), g.at(st.lastAgo)
		p.starts = append(p.starts, first)
		if st.runs > 1 {
			mid := make([]time.Time, 0, st.runs-2)
			for range st.runs - 2 {
				mid = append(mid, within(g.r, first.Add(20*time.Minute), last.Add(-20*time.Minute)))
			}
			slices.SortFunc(mid, time.Time.Compare)
			p.starts = append(append(p.starts, mid...), last)
		}
		if st.fate != live {
			p.decided = g.at(st.decideAgo)
		}
		g.experiment(&p)
	}
	for range g.spec.experiments {
		p := g.randomExperiment()
		g.experiment(&p)
	}
}

// nextTopic hands out the team's experiment topics in turn, as a "-v2",
// "-v3"... retry once every topic has been tried.
func (g *teamGen) nextTopic() (slg, title string) {
	tps := g.spec.vocab.topics
	for {
		tp := tps[g.topic%len(tps)]
		round := g.topic / len(tps)
		g.topic++
		slg, title = tp.slug, tp.title
		if round > 0 {
			v := strconv.Itoa(round + 1)
			slg, title = slg+"-v"+v, title+" (v"+v+")"
		}
		if !g.slugs[slg] {
			g.slugs[slg] = true
			return slg, title
		}
	}
}

func (g *teamGen) randomExperiment() expPlan {
	r := g.r
	p := expPlan{owner: g.pickPerson(true)}
	p.slug, p.title = g.nextTopic()
	p.repo = g.spec.expRepos[r.intn(len(g.spec.expRepos))]
	n := 1
	if !r.chance(0.15) {
		n = 2 + min(r.geometric(0.25), 12)
	}
	gaps := make([]time.Duration, n-1)
	var span time.Duration
	for i := range gaps {
		gaps[i] = r.logNormal(g.spec.expGap, 1, 20*time.Minute, 6*day)
		span += gaps[i]
	}
	var last time.Time
	switch r.weighted([]float64{0.35, 0.22, 0.08, 0.05, 0.30}) {
	case 0:
		p.fate, p.decided = adopted, g.at(r.between(3*time.Hour, 96*day))
		last = p.decided.Add(-r.logNormal(2*day, 0.7, 4*time.Hour, 12*day))
	case 1, 3: // abandoned fast: a clear "no" within days
		p.fate, p.decided = abandonedClose, g.at(r.between(3*time.Hour, 96*day))
		last = p.decided.Add(-r.logNormal(20*time.Hour, 0.8, time.Hour, 5*day))
		if r.chance(0.2) {
			p.fate = abandonedLabel
		}
	case 2: // abandoned slowly: weeks of runs before anyone called it
		p.fate, p.decided = abandonedClose, g.at(r.between(3*time.Hour, 96*day))
		last = p.decided.Add(-max(r.between(16*day, 40*day)-span, day))
	default: // still live, and recently run, so active or running
		last = g.at(r.between(30*time.Minute, 6*day))
	}
	t := last.Add(-span)
	p.starts = make([]time.Time, 0, n)
	p.starts = append(p.starts, t)
	for _, gp := range gaps {
		t = t.Add(gp)
		p.starts = append(p.starts, t)
	}
	// a concluded experiment needs its change: that is how pace knows it concluded
	p.change = p.fate != live || r.chance(0.3+0.4*b2f(n > 1))
	return p
}

// experiment emits the plan's runs and the change on its branch.
func (g *teamGen) experiment(p *expPlan) {
	r := g.r
	// what a training run changes between attempts
	variants := [...]string{"lr=3e-4", "lr=1e-3", "seed=17", "seed=42", "epochs=20", "full data",
		"90d window", "no augmentation", "batch=4096", "dropout=0.2"}
	rs := &g.spec.repos[p.repo]
	src := rs.source
	branch := "exp/" + p.slug
	owner := p.owner.on(src)
	failP := 0.18
	if p.fate == abandonedClose || p.fate == abandonedLabel {
		failP = 0.3
	}
	commits := make([]time.Time, 0, len(p.starts))
	for j, s := range p.starts {
		if g.future(s) {
			break
		}
		eval := j > 0 && r.chance(0.3)
		run := domain.Run{Source: src, Repo: rs.path, Branch: branch, SHA: r.sha(), Actor: owner, StartedAt: s}
		variant := variants[r.intn(len(variants))]
		switch {
		case g.spec.benchmarks:
			eval = true
			run.Workflow, run.Name = "eval.yml", "benchmark "+p.slug+" ("+[...]string{"baseline", "candidate"}[j%2]+")"
		case src == domain.GitHub && eval:
			run.Workflow, run.Name = "eval.yml", "eval "+p.slug
		case src == domain.GitHub:
			run.Workflow, run.Name = "train.yml", "train "+p.slug+" ("+variant+")"
		case eval:
			run.Name = "experiment: eval " + p.slug
		default:
			run.Name = "train: " + p.slug + " (" + variant + ")"
		}
		if src == domain.GitLab {
			run.Workflow = run.Name
		}
		run.Event = "workflow_dispatch"
		if src == domain.GitLab {
			run.Event = "web"
		}
		if r.chance(0.4) {
			run.Event = "push"
			commits = append(commits, s.Add(-r.between(time.Minute, 5*time.Minute)))
		} else if r.chance(0.5) {
			commits = append(commits, s.Add(-r.between(10*time.Minute, 3*time.Hour)))
		}
		if j > 0 && r.chance(0.15) {
			run.Actor = g.pickPerson(true).on(src) // a teammate re-runs it
		}
		if j > 0 && src == domain.GitHub && eval && r.chance(0.15) {
			run.Actor, run.Event = "github-actions[bot]", "schedule" // the nightly eval
		}
		run.CreatedAt = s.Add(-r.logNormal(90*time.Second, 1.1, 4*time.Second, 40*time.Minute))
		dur := r.logNormal(100*time.Minute, 0.7, 12*time.Minute, 14*time.Hour)
		if eval {
			dur = r.logNormal(18*time.Minute, 0.6, 4*time.Minute, 2*time.Hour)
		}
		run.Result = domain.Success
		switch x := r.r.Float64(); {
		case x < failP:
			run.Result = domain.Failure
			dur = secs(time.Duration(float64(dur) * (0.05 + 0.45*r.r.Float64())))
		case x < failP+0.04:
			run.Result = domain.Cancelled
			dur = secs(dur / 2)
		}
		run.FinishedAt = s.Add(dur)
		if (j == len(p.starts)-1 && p.last != lastDone) || g.future(run.FinishedAt) {
			run.FinishedAt, run.Result = time.Time{}, domain.InProgress
		}
		g.runs = append(g.runs, run)
	}
	if p.change {
		g.experimentChange(p, owner, commits)
	}
}

// experimentChange opens the draft change on an experiment's branch and
// concludes it as planned: merged (adopted), closed, or labelled abandoned.
func (g *teamGen) experimentChange(p *expPlan, owner string, commits []time.Time) {
	r := g.r
	first, last := p.starts[0], p.starts[len(p.starts)-1]
	opened := first.Add(r.between(10*time.Minute, max(time.Hour, min(last.Sub(first)/2, 2*day))))
	if p.fate != live && !opened.Before(p.decided) {
		opened = first.Add(p.decided.Sub(first) / 3)
	}
	if g.future(opened) {
		return
	}
	lb := newLabels()
	l := lb.experiment
	if p.fate == abandonedLabel {
		l = lb.expAbandoned
	}
	i := g.newChange(p.repo, owner, p.title, "exp/"+p.slug, l, opened)
	c := &g.changes[i]
	acts := g.scratch[:0]
	acts = append(acts, domain.Activity{Kind: domain.Commit, Login: owner, At: first.Add(-r.between(5*time.Minute, 2*time.Hour))})
	for _, t := range commits {
		acts = append(acts, domain.Activity{Kind: domain.Commit, Login: owner, At: t})
	}
	revs := g.reviewers(owner, c.Source, 1)
	if len(revs) > 0 && r.chance(0.5) { // a teammate follows the results on the draft
		acts = append(acts, domain.Activity{Kind: domain.Comment, Login: revs[0], At: within(r, opened, maxTime(last, opened.Add(time.Hour)))})
	}
	switch p.fate {
	case adopted:
		d := p.decided
		ready := maxTime(opened, last).Add(time.Minute)
		ready = ready.Add(secs(time.Duration(float64(d.Sub(ready)) * (0.1 + 0.3*r.r.Float64()))))
		rev := ready.Add(secs(time.Duration(float64(d.Sub(ready)) * (0.1 + 0.5*r.r.Float64()))))
		c.ReadyAt, c.MergedAt, c.MergeSHA = ready, d, r.sha()
		if len(revs) > 0 {
			acts = append(acts,
				domain.Activity{Kind: domain.Review, Login: revs[0], At: rev},
				domain.Activity{Kind: domain.Approval, Login: revs[0], At: d.Add(-r.between(time.Minute, max(2*time.Minute, d.Sub(rev)/2)))})
		}
	case abandonedClose:
		c.ClosedAt = p.decided
		acts = append(acts, domain.Activity{Kind: domain.Comment, Login: owner, At: p.decided})
	case abandonedLabel:
		acts = append(acts, domain.Activity{Kind: domain.Comment, Login: owner, At: p.decided})
	}
	g.finish(i, acts)
	if p.fate == abandonedLabel {
		c := &g.changes[i]
		c.UpdatedAt = maxTime(c.UpdatedAt, p.decided)
	}
}
