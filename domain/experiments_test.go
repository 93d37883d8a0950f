package domain

import (
	"regexp"
	"testing"
	"time"
)

// expRun is a finished (1h) or, with running, in-progress experiment run
// created 5 minutes before it started.
func expRun(id, branch, actor string, started time.Duration, running bool) Run {
	r := Run{Source: GitHub, Repo: "acme/fraud-model", ID: id, Workflow: "train.yml", Name: "train " + branch,
		Branch: branch, Actor: actor, CreatedAt: ago(started + 5*time.Minute), StartedAt: ago(started)}
	if running {
		r.Result = InProgress
	} else {
		r.Result, r.FinishedAt = Success, ago(started-hour)
	}
	return r
}

func experimentDataset() *Dataset {
	closedE := Change{Source: GitHub, Repo: "acme/fraud-model", Number: 50, Author: "alice", HeadBranch: "exp/e",
		OpenedAt: ago(7 * day), ReadyAt: ago(7 * day), ClosedAt: ago(3 * day)}
	closedF := Change{Source: GitHub, Repo: "acme/fraud-model", Number: 51, Author: "alice", HeadBranch: "exp/f",
		OpenedAt: ago(31 * day), ReadyAt: ago(31 * day), ClosedAt: ago(10 * day)}
	mergedG := Change{Source: GitHub, Repo: "acme/fraud-model", Number: 52, Author: "alice", HeadBranch: "exp/g",
		OpenedAt: ago(10 * day), ReadyAt: ago(10 * day), MergedAt: ago(4 * day)}
	oldG := mergedG // an older change on the same branch: the latest opened wins
	oldG.Number, oldG.OpenedAt, oldG.MergedAt, oldG.ClosedAt = 40, ago(60*day), time.Time{}, ago(59*day)
	gitlab := Run{Source: GitLab, Repo: "acme/ml/fs", ID: "h1", Workflow: "train", Name: "train nightly", Branch: "exp/h",
		Actor: "bob.smith", CreatedAt: ago(day), StartedAt: ago(day), FinishedAt: ago(23 * hour), Result: Failure}
	gitlabMain := gitlab
	gitlabMain.ID, gitlabMain.Branch = "m1", "main"
	ci := expRun("ci", "exp/a", "alice", 3*day, false)
	ci.Workflow = "ci.yml"
	future := expRun("fut", "exp/z", "alice", 0, true)
	future.CreatedAt, future.StartedAt = testNow.Add(hour), testNow.Add(hour)
	return &Dataset{
		Changes: []Change{closedE, closedF, mergedG, oldG},
		Runs: []Run{
			expRun("a1", "exp/a", "alice", 2*day, false),
			expRun("b1", "exp/b", "alice", 10*day, false),
			expRun("c1", "exp/c", "github-actions[bot]", 3*day, false),
			expRun("c2", "exp/c", "carol", 30*hour, true),
			expRun("d1", "exp/d", "bob", 2*hour, true),
			expRun("e2", "exp/e", "alice", 5*day, false),
			expRun("e1", "exp/e", "alice", 6*day, false),
			expRun("f1", "exp/f", "alice", 30*day, false),
			expRun("f2", "exp/f", "alice", 25*day, false),
			expRun("g1", "exp/g", "alice", 9*day, false),
			expRun("g2", "exp/g", "alice", 8*day, false),
			gitlab, gitlabMain, ci, future,
		},
	}
}

func TestExperiments(t *testing.T) {
	ds := experimentDataset()
	r := Compute(ds, testSettings(), testNow)
	fraud := teamByName(t, r, "Fraud ML").Experiments
	plat := teamByName(t, r, "Platform").Experiments

	byKey := map[string]*Experiment{}
	for _, e := range r.Total.Experiments.All {
		byKey[e.Key] = e
	}
	wantStatus := map[string]ExperimentStatus{
		"exp/a": Active, "exp/b": Stale, "exp/c": Active, "exp/d": Running,
		"exp/e": Abandoned, "exp/f": Abandoned, "exp/g": Adopted, "exp/h": Active,
	}
	if len(byKey) != len(wantStatus) {
		t.Errorf("experiments %v, want %d", keys(r.Total.Experiments.All), len(wantStatus))
	}
	for k, want := range wantStatus {
		e := byKey[k]
		if e == nil {
			t.Errorf("experiment %s missing", k)
			continue
		}
		if e.Status != want {
			t.Errorf("%s: status %s, want %s", k, e.Status, want)
		}
	}

	a := byKey["exp/a"] // one run: no turnaround, but a status and idle time
	if len(a.Runs) != 1 || a.IdleSeconds != secs(2*day) || a.Owner != "alice" || a.Team != "Fraud ML" || a.Category != Research {
		t.Errorf("exp/a: %d runs, idle %d, owner %q, team %q, category %q", len(a.Runs), a.IdleSeconds, a.Owner, a.Team, a.Category)
	}
	c := byKey["exp/c"] // started by a bot on schedule, then carol: carol owns it
	if c.Owner != "carol" || c.Team != "Platform" || c.LastResult != InProgress {
		t.Errorf("exp/c: owner %q team %q last %q", c.Owner, c.Team, c.LastResult)
	}
	if g := byKey["exp/g"]; g.Change == nil || g.Change.Number != 52 || !g.ConcludedAt.Equal(ago(4*day)) {
		t.Errorf("exp/g change %v concluded %v, want #52 at 4d ago", g.Change, g.ConcludedAt)
	}
	if h := byKey["exp/h"]; h.Source != GitLab || h.Team != "Fraud ML" || h.LastResult != Failure {
		t.Errorf("exp/h: %+v", h)
	}

	if fraud.Running != 1 || fraud.Active != 3 || fraud.Adopted != 1 || fraud.Abandoned != 2 {
		t.Errorf("fraud running %d active %d adopted %d abandoned %d, want 1 3 1 2", fraud.Running, fraud.Active, fraud.Adopted, fraud.Abandoned)
	}
	if fraud.DecisionsPerWeek != 1.5 {
		t.Errorf("decisions per week %v, want 3 ÷ 2", fraud.DecisionsPerWeek)
	}
	if len(fraud.Stale) != 1 || fraud.Stale[0].Key != "exp/b" || len(fraud.Zombies) != 0 {
		t.Errorf("fraud stale %v zombies %d", keys(fraud.Stale), len(fraud.Zombies))
	}
	if len(fraud.FastFailures) != 1 || fraud.FastFailures[0].Key != "exp/e" {
		t.Errorf("fast failures %v, want exp/e (3d ≤ 14d; exp/f took 20d)", keys(fraud.FastFailures))
	}
	if want := (Stats{Count: 3, P50: secs(5 * day), P75: secs(20 * day), P90: secs(20 * day)}); fraud.TimeToDecision.Current != want {
		t.Errorf("time to decision %+v, want %+v", fraud.TimeToDecision.Current, want)
	}
	if want := (Stats{Count: 2, P50: secs(day), P75: secs(day), P90: secs(day)}); fraud.Turnaround.Current != want {
		t.Errorf("turnaround %+v, want %+v (exp/e and exp/g, 1d each)", fraud.Turnaround.Current, want)
	}
	if want := one(5 * day); fraud.Turnaround.Previous != want {
		t.Errorf("turnaround previous %+v, want exp/f's 5d", fraud.Turnaround.Previous)
	}
	// Queue time: the 7 GitHub runs started in the window waited 5 minutes, the GitLab one 0.
	if want := (Stats{Count: 8, P50: 300, P75: 300, P90: 300}); fraud.QueueTime.Current != want {
		t.Errorf("queue %+v, want %+v", fraud.QueueTime.Current, want)
	}
	if plat.Active != 1 || plat.Running != 0 || len(plat.Zombies) != 1 {
		t.Fatalf("platform active %d running %d zombies %d, want 1 0 1", plat.Active, plat.Running, len(plat.Zombies))
	}
	if z := plat.Zombies[0]; z.Run.ID != "c2" || z.Seconds != secs(30*hour) {
		t.Errorf("zombie %s for %d s, want c2 for 30h", z.Run.ID, z.Seconds)
	}
	if want := one(42 * hour); plat.Turnaround.Current != want {
		t.Errorf("platform turnaround %+v, want 3d − 30h", plat.Turnaround.Current)
	}
	if r.Total.Experiments.Adopted != 1 || r.Total.Experiments.Abandoned != 2 || len(r.Total.Experiments.Zombies) != 1 {
		t.Errorf("total %+v", r.Total.Experiments)
	}
}

func TestExperimentStaleBoundaryAndPastNow(t *testing.T) {
	ds := &Dataset{Runs: []Run{expRun("a1", "exp/a", "alice", 7*day, false)}}
	s := testSettings()
	e := Compute(ds, s, testNow).Total.Experiments.All[0]
	if e.Status != Stale {
		t.Errorf("idle exactly stale_after: %s, want stale", e.Status)
	}
	e = Compute(ds, s, testNow.Add(-time.Second)).Total.Experiments.All[0]
	if e.Status != Active {
		t.Errorf("idle one second less: %s, want active", e.Status)
	}
	// As of 30 minutes after it started, the run was still in progress.
	e = Compute(ds, s, ago(7*day-30*time.Minute)).Total.Experiments.All[0]
	if e.Status != Running || e.LastResult != InProgress {
		t.Errorf("as of mid-run: %s / %s, want running / in progress", e.Status, e.LastResult)
	}
	if n := len(Compute(ds, s, ago(8*day)).Total.Experiments.All); n != 0 {
		t.Errorf("as of before its first run: %d experiments, want 0", n)
	}
}

func TestExperimentKeysAndLabel(t *testing.T) {
	s := testSettings()
	s.Experiments.KeyPattern = regexp.MustCompile(`^exp[-/](\w+)`)
	r1 := expRun("1", "exp/lr", "alice", 3*day, false)
	r1.Name = "exp-lr sweep 1"
	r2 := expRun("2", "exp/lr-2", "alice", 2*day, false)
	r2.Name = "exp/lr again"
	r3 := expRun("3", "exp/other", "alice", day, false)
	r3.Name = "nightly" // no match: keyed by its branch
	label := Change{Source: GitHub, Repo: "acme/fraud-model", Number: 7, Author: "alice", HeadBranch: "exp/lr-2",
		Labels: []string{"Abandoned"}, OpenedAt: ago(3 * day), ReadyAt: ago(3 * day), UpdatedAt: ago(36 * hour)}
	r := Compute(&Dataset{Changes: []Change{label}, Runs: []Run{r1, r2, r3}}, s, testNow)
	all := r.Total.Experiments.All
	if len(all) != 2 || all[0].Key != "exp/other" || all[1].Key != "lr" || len(all[1].Runs) != 2 {
		t.Fatalf("experiments %v, want exp/other and lr (2 runs)", keys(all))
	}
	lr := all[1]
	if lr.Status != Abandoned || !lr.ConcludedAt.Equal(ago(36*hour)) || lr.Change.Number != 7 {
		t.Errorf("lr: %s at %v (change %v), want abandoned by label at its last update", lr.Status, lr.ConcludedAt, lr.Change)
	}
}

func keys(es []*Experiment) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Key)
	}
	return out
}

// A pipelines rule with only a name (or only a ref) selects by that rule
// alone, as the config's comment promises; with neither, no pipeline is an
// experiment run.
func TestPipelineSelected(t *testing.T) {
	ref, name := regexp.MustCompile(`^exp/`), regexp.MustCompile(`(?i)train`)
	cases := []struct {
		rules     ExperimentRules
		ref, name string
		want      bool
	}{
		{ExperimentRules{PipelineRef: ref, PipelineName: name}, "exp/a", "train: a", true},
		{ExperimentRules{PipelineRef: ref, PipelineName: name}, "exp/a", "lint", false},
		{ExperimentRules{PipelineRef: ref, PipelineName: name}, "main", "train: a", false},
		{ExperimentRules{PipelineName: name}, "main", "Train nightly", true},
		{ExperimentRules{PipelineName: name}, "main", "deploy", false},
		{ExperimentRules{PipelineRef: ref}, "exp/b", "", true},
		{ExperimentRules{}, "exp/b", "train", false},
	}
	for i, c := range cases {
		if got := c.rules.PipelineSelected(c.ref, c.name); got != c.want {
			t.Errorf("case %d: PipelineSelected(%q, %q) = %v, want %v", i, c.ref, c.name, got, c.want)
		}
		m := newExpMatcher(c.rules)
		r := &Run{Source: GitLab, Branch: c.ref, Name: c.name}
		if got := m.isExperiment(r); got != c.want {
			t.Errorf("case %d: isExperiment = %v, want %v", i, got, c.want)
		}
	}
}
