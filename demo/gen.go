package demo

import (
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/pace-dev/pace/domain"
)

// history is how far back the demo reaches: 14 weeks, enough for the 12
// weekly points and part of a previous 90-day window.
const (
	historyWeeks = 14
	history      = historyWeeks * 7 * day
)

// meta is what the generator remembers about a change until numbering.
type meta struct {
	repo     int
	revertOf int // index of the change this one reverts, -1 if none
}

// buffers are a team's working slices, reused from one team to the next:
// emit copies everything out, so only the activity arena (which the
// emitted changes point into) must be fresh for each team.
type buffers struct {
	changes []domain.Change
	meta    []meta
	deploys []domain.Deployment
	runs    []domain.Run
	order   []int
}

// teamGen invents the history of one team. Its state is its own: teams
// are generated one after the other into the same dataset.
type teamGen struct {
	now   time.Time
	spec  *teamSpec
	slot  int // position of the team in the organisation, for unique IDs
	r     rnd
	start time.Time // now - history

	changes []domain.Change
	meta    []meta
	deploys []domain.Deployment
	runs    []domain.Run

	arena   []domain.Activity // backing store shared by the changes' Activity slices
	scratch []domain.Activity

	research, feature, fix, chore titler
	versions                      []dep           // current version of each dependency
	slugs                         map[string]bool // experiment branches taken (lookups only)
	topic                         int
	botReviewer                   [2]string    // by source: GitHub, GitLab
	leans                         [2][]float64 // pickPerson's weights: engineering, research
}

func newTeamGen(now time.Time, spec *teamSpec, slot int, buf *buffers) *teamGen {
	g := &teamGen{
		now:      now,
		spec:     spec,
		slot:     slot,
		r:        newRnd(uint64(slot)),
		start:    now.Add(-history),
		versions: slices.Clone(spec.vocab.deps),
		slugs:    make(map[string]bool),
		changes:  buf.changes[:0],
		meta:     buf.meta[:0],
		deploys:  buf.deploys[:0],
		runs:     buf.runs[:0],
	}
	g.research = titler{groups: spec.vocab.research}
	g.feature = titler{groups: spec.vocab.feature}
	g.fix = titler{groups: spec.vocab.fix}
	g.chore = titler{groups: spec.vocab.chore}
	g.botReviewer = [2]string{"codecov[bot]", "danger-bot"}
	if slot%2 == 1 {
		g.botReviewer[0] = "sonarcloud[bot]"
	}
	return g
}

// generate runs the stages in dependency order: experiment changes and
// everyday changes exist before deployments ship them; CI runs follow the
// changes; numbers are given last, in opening order per repo.
func (g *teamGen) generate() {
	g.experiments()
	g.humanChanges()
	g.botChanges()
	g.deployments()
	g.ciRuns()
}

// emit appends the team's items to ds in their final order: changes by
// repo and number, deployments and runs by creation time, with IDs and
// URLs given in that order. It hands the working slices back to buf.
func (g *teamGen) emit(ds *domain.Dataset, buf *buffers) {
	order := buf.order[:0]
	for i := range g.changes {
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(g.meta[a].repo, g.meta[b].repo),
			g.changes[a].OpenedAt.Compare(g.changes[b].OpenedAt))
	})
	next := make([]int, len(g.spec.repos))
	for i, rs := range g.spec.repos {
		next[i] = rs.firstNumber
	}
	for _, i := range order {
		rs := &g.spec.repos[g.meta[i].repo]
		c := &g.changes[i]
		c.Number = next[g.meta[i].repo]
		next[g.meta[i].repo] += g.numberStep(rs)
		c.URL = changeURL(rs, c.Number)
	}
	for i := range g.changes {
		if o := g.meta[i].revertOf; o >= 0 && g.changes[i].Source == domain.GitHub {
			g.changes[i].HeadBranch = "revert-" + strconv.Itoa(g.changes[o].Number) + "-" + g.changes[o].HeadBranch
		}
	}
	for _, i := range order {
		ds.Changes = append(ds.Changes, g.changes[i])
	}

	slices.SortStableFunc(g.deploys, func(a, b domain.Deployment) int { return a.CreatedAt.Compare(b.CreatedAt) })
	ds.Deployments = append(ds.Deployments, g.deploys...)

	slices.SortStableFunc(g.runs, func(a, b domain.Run) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for i := range g.runs {
		run := &g.runs[i]
		if run.Source == domain.GitHub {
			run.ID = strconv.FormatInt(9_100_000_000+int64(g.slot)*1_000_000+int64(i), 10)
			run.URL = "https://github.com/" + run.Repo + "/actions/runs/" + run.ID
		} else {
			run.ID = strconv.FormatInt(1_300_000_000+int64(g.slot)*1_000_000+int64(i), 10)
			run.URL = "https://gitlab.com/" + run.Repo + "/-/pipelines/" + run.ID
		}
	}
	ds.Runs = append(ds.Runs, g.runs...)
	*buf = buffers{changes: g.changes[:0], meta: g.meta[:0], deploys: g.deploys[:0], runs: g.runs[:0], order: order[:0]}
}

// numberStep is the gap to the next change number: GitHub issues and pull
// requests share one sequence, GitLab merge requests have their own.
func (g *teamGen) numberStep(rs *repoSpec) int {
	if rs.source == domain.GitHub {
		return 1 + g.r.intn(3)
	}
	return 1
}

func changeURL(rs *repoSpec, n int) string {
	if rs.source == domain.GitHub {
		return "https://github.com/" + rs.path + "/pull/" + strconv.Itoa(n)
	}
	return "https://gitlab.com/" + rs.path + "/-/merge_requests/" + strconv.Itoa(n)
}

// titler hands out a group's title combinations in a shuffled order so
// that titles do not repeat until every combination has been used.
type titler struct {
	groups []group
	order  []int
	next   int
}

func (t *titler) title(r rnd) string {
	if t.next == len(t.order) {
		total := 0
		for _, gr := range t.groups {
			total += len(gr.templates) * len(gr.nouns)
		}
		t.order = r.r.Perm(total)
		t.next = 0
	}
	k := t.order[t.next]
	t.next++
	for _, gr := range t.groups {
		n := len(gr.templates) * len(gr.nouns)
		if k < n {
			return fill(gr.templates[k/len(gr.nouns)], gr.nouns[k%len(gr.nouns)])
		}
		k -= n
	}
	return ""
}

// fill puts noun in place of the template's %s.
func fill(template, noun string) string {
	for i := 0; i+1 < len(template); i++ {
		if template[i] == '%' && template[i+1] == 's' {
			return template[:i] + noun + template[i+2:]
		}
	}
	return template
}

// store copies a change's activities into the team's arena so that
// thousands of changes share a few large allocations.
func (g *teamGen) store(acts []domain.Activity) []domain.Activity {
	if len(acts) == 0 {
		return nil
	}
	if cap(g.arena)-len(g.arena) < len(acts) {
		g.arena = make([]domain.Activity, 0, max(4096, len(acts)))
	}
	s := len(g.arena)
	g.arena = append(g.arena, acts...)
	return g.arena[s:len(g.arena):len(g.arena)]
}

// at is now minus ago.
func (g *teamGen) at(ago time.Duration) time.Time { return g.now.Add(-ago) }

// future reports whether t has not happened yet at now.
func (g *teamGen) future(t time.Time) bool { return t.After(g.now) }
