package store

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// synth is a small deterministic generator of cache-shaped data for the
// tests and benchmarks of this package (the demo package has its own; this
// one only needs realistic shapes: few repos and people, many rows).
type synth struct {
	rng    *rand.Rand
	base   time.Time
	repos  []string
	people []string
	labels []string
}

func newSynth(seed uint64) *synth {
	g := &synth{
		rng:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		base:   time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC),
		labels: []string{"research", "experiment", "spike", "bug", "infra", "docs", "needs-review", "p1"},
	}
	for i := range 150 {
		g.repos = append(g.repos, fmt.Sprintf("acme/repo-%03d", i))
	}
	for i := range 400 {
		g.people = append(g.people, fmt.Sprintf("dev%03d", i))
	}
	return g
}

func (g *synth) at(maxHours int) time.Time {
	return g.base.Add(time.Duration(g.rng.IntN(maxHours*3600)) * time.Second)
}

func (g *synth) person() string { return g.people[g.rng.IntN(len(g.people))] }

// change makes change number n of repo with about six activities.
func (g *synth) change(repo string, n int) domain.Change {
	opened := g.at(24 * 180)
	c := domain.Change{
		Source: domain.GitHub, Repo: repo, Number: n,
		URL:        fmt.Sprintf("https://github.com/%s/pull/%d", repo, n),
		Title:      fmt.Sprintf("Change %d: tune the thing in %s", n, repo),
		Author:     g.person(),
		BaseBranch: "main",
		HeadBranch: fmt.Sprintf("feat/%d", n%500),
		OpenedAt:   opened,
		ReadyAt:    opened.Add(time.Duration(g.rng.IntN(3600)) * time.Second),
		UpdatedAt:  opened.Add(72 * time.Hour),
		MergeSHA:   fmt.Sprintf("%040x", g.rng.Uint64()),
	}
	if k := g.rng.IntN(3); k > 0 {
		c.Labels = []string{g.labels[g.rng.IntN(len(g.labels))]}
		if k == 2 {
			c.Labels = append(c.Labels, g.labels[g.rng.IntN(len(g.labels))])
		}
	}
	if g.rng.IntN(10) < 8 {
		c.MergedAt = opened.Add(time.Duration(1+g.rng.IntN(72*3600)) * time.Second)
	} else if g.rng.IntN(2) == 0 {
		c.ClosedAt = opened.Add(48 * time.Hour)
	}
	if g.rng.IntN(4) == 0 && c.Merged() {
		c.DeployExact, c.DeployedAt, c.DeploymentID = true, c.MergedAt.Add(time.Hour), fmt.Sprint(g.rng.IntN(1e6))
	}
	kinds := []domain.ActivityKind{domain.Commit, domain.Commit, domain.Review, domain.ReviewComment, domain.Comment, domain.Approval}
	c.Activity = make([]domain.Activity, 0, 7)
	for i, k := range kinds {
		login := g.person()
		if k == domain.Commit {
			login = c.Author
		}
		c.Activity = append(c.Activity, domain.Activity{Kind: k, Login: login, At: opened.Add(time.Duration(i) * time.Hour)})
	}
	c.FirstCommitAt, c.FirstReviewAt, c.ApprovedAt = opened, opened.Add(2*time.Hour), opened.Add(5*time.Hour)
	return c
}

func (g *synth) deployment(repo string, n int) domain.Deployment {
	created := g.at(24 * 180)
	return domain.Deployment{
		Source: domain.GitHub, Repo: repo, ID: fmt.Sprint(1_000_000 + n),
		URL:         fmt.Sprintf("https://github.com/%s/deployments/%d", repo, n),
		Environment: []string{"production", "staging", "preview"}[n%3],
		SHA:         fmt.Sprintf("%040x", g.rng.Uint64()), Ref: "main",
		CreatedAt: created, FinishedAt: created.Add(7 * time.Minute),
		Result: []domain.Result{domain.Success, domain.Success, domain.Failure}[n%3],
	}
}

func (g *synth) run(repo string, n int) domain.Run {
	created := g.at(24 * 180)
	return domain.Run{
		Source: domain.GitHub, Repo: repo, ID: fmt.Sprint(5_000_000_000 + n),
		URL:      fmt.Sprintf("https://github.com/%s/actions/runs/%d", repo, n),
		Workflow: []string{"train.yml", "eval.yml", "ci.yml", "deploy.yml"}[n%4],
		Name:     fmt.Sprintf("exp-%d training run", n%300), Branch: fmt.Sprintf("exp/idea-%d", n%300),
		SHA: fmt.Sprintf("%040x", g.rng.Uint64()), Actor: g.person(), Event: "push",
		CreatedAt: created, StartedAt: created.Add(30 * time.Second), FinishedAt: created.Add(40 * time.Minute),
		Result: domain.Success,
	}
}

// pages returns the pages of a synthetic cache: changes, deployments and
// runs spread over the repos, pageSize items a page, each page with a
// cursor of its stream.
func (g *synth) pages(changes, deployments, runs, pageSize int) []sources.Page {
	var out []sources.Page
	add := func(stream sources.Stream, n int, fill func(p *sources.Page, repo string, i int)) {
		for start := 0; start < n; start += pageSize {
			repo := g.repos[(start/pageSize)%len(g.repos)]
			p := sources.Page{Key: sources.Key{Source: domain.GitHub, Repo: repo, Stream: stream}}
			for i := start; i < min(n, start+pageSize); i++ {
				fill(&p, repo, i)
			}
			p.Cursor = sources.Cursor{Since: g.base.Add(time.Duration(start) * time.Second), ETag: fmt.Sprintf(`W/"%d"`, start)}
			out = append(out, p)
		}
	}
	add(sources.Changes, changes, func(p *sources.Page, repo string, i int) {
		p.Changes = append(p.Changes, g.change(repo, i+1))
	})
	add(sources.Deployments, deployments, func(p *sources.Page, repo string, i int) {
		p.Deployments = append(p.Deployments, g.deployment(repo, i))
	})
	add(sources.Runs, runs, func(p *sources.Page, repo string, i int) {
		p.Runs = append(p.Runs, g.run(repo, i))
	})
	return out
}
