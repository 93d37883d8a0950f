package demo

import (
	"time"

	"github.com/pace-dev/pace/domain"
)

// ciRuns adds the CI runs that are not experiments: a pull-request run
// for about half the changes and a push run on the base branch for some
// merges. GitLab pipelines of merge requests carry no name, so on exp/
// branches they do not pass the experiment pipeline-name filter.
func (g *teamGen) ciRuns() {
	r := g.r
	for i := range g.changes {
		c := &g.changes[i]
		rs := &g.spec.repos[g.meta[i].repo]
		at := c.ReadyAt
		if at.IsZero() {
			at = c.OpenedAt
		}
		if r.chance(0.5) {
			event := "pull_request"
			if rs.source == domain.GitLab {
				event = "merge_request_event"
			}
			g.ciRun(rs, c.HeadBranch, r.sha(), c.Author, event, at.Add(r.between(10*time.Second, 90*time.Second)))
		}
		if c.Merged() && r.chance(0.3) {
			g.ciRun(rs, rs.base, c.MergeSHA, c.Author, "push", c.MergedAt.Add(r.between(5*time.Second, 40*time.Second)))
		}
	}
}

func (g *teamGen) ciRun(rs *repoSpec, branch, sha, actor, event string, created time.Time) {
	if g.future(created) {
		return
	}
	r := g.r
	run := domain.Run{Source: rs.source, Repo: rs.path, Branch: branch, SHA: sha, Actor: actor, Event: event,
		CreatedAt: created, Result: domain.Success}
	if rs.source == domain.GitHub {
		run.Workflow, run.Name = "ci.yml", "CI"
	}
	run.StartedAt = created.Add(r.logNormal(20*time.Second, 0.8, 2*time.Second, 5*time.Minute))
	dur := r.logNormal(7*time.Minute, 0.5, 2*time.Minute, 40*time.Minute)
	switch x := r.r.Float64(); {
	case x < 0.11:
		run.Result = domain.Failure
		dur /= 2
	case x < 0.14:
		run.Result = domain.Cancelled
		dur /= 3
	}
	run.FinishedAt = run.StartedAt.Add(secs(dur))
	if g.future(run.StartedAt) {
		run.StartedAt = time.Time{}
	}
	if g.future(run.FinishedAt) {
		run.FinishedAt, run.Result = time.Time{}, domain.InProgress
	}
	g.runs = append(g.runs, run)
}
