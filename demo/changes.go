package demo

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pace-dev/pace/domain"
)

// labels are the label sets changes carry. The slices are shared between
// changes and capped, so an append by a consumer copies instead of
// writing into a neighbour's labels.
type labels struct {
	research, spike, experiment, expAbandoned, bug, infra, enhancement, deps []string
}

func newLabels() labels {
	l := func(s ...string) []string { return s[:len(s):len(s)] }
	return labels{
		research: l("research"), spike: l("spike"), experiment: l("experiment"),
		expAbandoned: l("experiment", "abandoned"), bug: l("bug"), infra: l("infra"),
		enhancement: l("enhancement"), deps: l("dependencies"),
	}
}

// arrivals returns n offsets from the start of the history, ascending.
func (g *teamGen) arrivals(n int) []time.Duration {
	offs := make([]time.Duration, n)
	for i := range offs {
		offs[i] = g.r.between(0, history)
	}
	slices.Sort(offs)
	return offs
}

// newChange appends a change with its fixed attributes and returns its index.
func (g *teamGen) newChange(ri int, author, title, branch string, lbls []string, opened time.Time) int {
	rs := &g.spec.repos[ri]
	g.changes = append(g.changes, domain.Change{
		Source: rs.source, Repo: rs.path, Title: title, Author: author, Labels: lbls,
		BaseBranch: rs.base, HeadBranch: branch, OpenedAt: opened,
	})
	g.meta = append(g.meta, meta{repo: ri, revertOf: -1})
	return len(g.changes) - 1
}

// pickPerson picks a member, favouring those who lean to the kind of work.
func (g *teamGen) pickPerson(research bool) *person {
	k := int(b2f(research))
	ps := g.spec.people
	if g.leans[k] == nil {
		w := make([]float64, len(ps))
		for i, p := range ps {
			lean := 1 - p.research
			if research {
				lean = p.research
			}
			w[i] = p.weight * (lean + 0.05)
		}
		g.leans[k] = w
	}
	return &ps[g.r.weighted(g.leans[k])]
}

// reviewers picks n distinct teammates other than the author, by their
// login on src.
func (g *teamGen) reviewers(author string, src domain.Source, n int) []string {
	ps := g.spec.people
	out := make([]string, 0, n)
	for tries := 0; len(out) < n && tries < 20; tries++ {
		l := ps[g.r.intn(len(ps))].on(src)
		if l != author && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// humanChanges invents the team's everyday work: features, fixes, chores
// and research, arriving evenly over the history.
func (g *teamGen) humanChanges() {
	sp := g.spec
	shares := make([]float64, len(sp.repos))
	for i, rs := range sp.repos {
		shares[i] = rs.share
	}
	lb := newLabels()
	for _, off := range g.arrivals(int(math.Round(sp.changesPerWeek * historyWeeks))) {
		opened := g.start.Add(off)
		work, pick := sp.trend(g.now.Sub(opened).Hours() / (7 * 24))
		ri := g.r.weighted(shares)
		rs := &sp.repos[ri]
		var author *person
		research := false
		if len(sp.outsiders) > 0 && g.r.chance(0.03) {
			author = &sp.outsiders[g.r.intn(len(sp.outsiders))]
		} else {
			research = g.r.chance(sp.researchShare)
			author = g.pickPerson(research)
		}
		title, branch, l := g.describe(research, &lb)
		i := g.newChange(ri, author.on(rs.source), title, branch, l, opened)
		g.lifecycle(i, research, work, pick, false)
	}
	for _, ago := range sp.waiting {
		ri := g.r.weighted(shares)
		author := g.pickPerson(false)
		title, branch, l := g.describe(false, &lb)
		i := g.newChange(ri, author.on(sp.repos[ri].source), title, branch, l, g.at(ago))
		g.lifecycle(i, false, 1, 1, true)
	}
}

// describe invents a title, branch and labels. Most research is labelled
// or on a research branch; a little is neither, as in real repos.
func (g *teamGen) describe(research bool, lb *labels) (title, branch string, l []string) {
	r := g.r
	if research {
		title = g.research.title(r)
		if rest, ok := strings.CutPrefix(title, "Spike: "); ok {
			return title, branchOf("spike/", rest), lb.spike
		}
		if r.chance(0.7) {
			if r.chance(0.5) {
				l = lb.research
			}
			return title, branchOf("research/", title), l
		}
		if r.chance(0.85) {
			l = lb.research
		}
		return title, branchOf("feat/", title), l
	}
	switch r.weighted([]float64{0.5, 0.3, 0.2}) {
	case 0:
		if r.chance(0.25) {
			l = lb.enhancement
		}
		title = g.feature.title(r)
		return title, branchOf("feat/", title), l
	case 1:
		if r.chance(0.8) {
			l = lb.bug
		}
		title = g.fix.title(r)
		return title, "fix/" + strings.TrimPrefix(slug(title), "fix-"), l
	}
	if len(g.versions) > 0 && r.chance(0.3) {
		d := &g.versions[r.intn(len(g.versions))]
		d.minor++
		d.patch = 0
		return bumpTitle(*d), "chore/bump-" + slug(d.name) + "-" + strconv.Itoa(d.major) + "-" + strconv.Itoa(d.minor), lb.deps
	}
	if r.chance(0.6) {
		l = lb.infra
	}
	title = g.chore.title(r)
	return title, branchOf("chore/", title), l
}

// lifecycle invents a change's timeline from the team's timing: coding
// (before opening, or as a draft), waiting for a first review, review to
// merge; some are closed unmerged, merged unreviewed, rebased or
// forgotten in the review queue. A stuck change is ready at opening and
// gets no review before now. Whatever lies after now is cut off.
func (g *teamGen) lifecycle(i int, research bool, work, pick float64, stuck bool) {
	r := g.r
	c := &g.changes[i]
	src := c.Source
	t := g.spec.timing
	opened := c.OpenedAt
	resF := 1.0
	if research {
		resF = 1.5
	}
	coding := r.overWeekend(r.logNormal(hours(t.coding*work*resF), 0.9, 10*time.Minute, 12*day))
	draft := !stuck && r.chance(0.2+0.35*b2f(research))
	firstCommit, ready := opened.Add(-coding), opened
	if draft {
		firstCommit, ready = opened.Add(-r.logNormal(40*time.Minute, 0.8, time.Minute, 6*time.Hour)), opened.Add(coding)
	}
	if r.chance(0.03) { // rebased: every commit re-dated after the change was opened
		firstCommit = opened.Add(r.between(5*time.Minute, 3*time.Hour))
	}
	closeUnmerged := !stuck && r.chance(0.06+0.08*b2f(research))
	unreviewed := !closeUnmerged && !stuck && r.chance(g.spec.unreviewed)
	pickup := r.overWeekend(r.logNormal(hours(t.pickup*pick), 0.9, 2*time.Minute, 20*day))
	if r.chance(0.03) { // forgotten in the review queue
		pickup *= time.Duration(6 + r.intn(8))
	}
	if stuck {
		pickup = g.now.Sub(ready) + r.between(time.Hour, 3*day)
	}
	review := r.overWeekend(r.logNormal(hours(t.review*work*(0.8+0.2*resF)), 1, 5*time.Minute, 20*day))
	var firstReview time.Time
	end := ready.Add(r.logNormal(40*time.Minute, 0.8, 2*time.Minute, 8*time.Hour))
	if !unreviewed {
		firstReview = ready.Add(pickup)
		end = firstReview.Add(review)
	}
	neverReady := draft && closeUnmerged && r.chance(0.4)
	if neverReady { // abandoned while still a draft
		end = opened.Add(coding / 2)
		firstReview, ready = time.Time{}, end
	}

	acts := g.scratch[:0]
	commitLogin := func() string {
		if src == domain.GitLab && r.chance(0.15) {
			return "" // commit e-mail not linked to a GitLab account
		}
		return c.Author
	}
	acts = append(acts, domain.Activity{Kind: domain.Commit, Login: commitLogin(), At: firstCommit})
	lastCode := maxTime(ready, firstCommit.Add(10*time.Minute))
	for k := min(r.geometric(0.35), 10); k > 0; k-- {
		at := within(r, firstCommit, lastCode)
		if !firstReview.IsZero() && r.chance(0.3) {
			at = within(r, firstReview, end) // addressing review comments
		}
		acts = append(acts, domain.Activity{Kind: domain.Commit, Login: commitLogin(), At: at})
	}
	revs := g.reviewers(c.Author, src, 1+int(b2f(r.chance(0.3))))
	if len(revs) > 0 && !firstReview.IsZero() {
		kinds := [...]domain.ActivityKind{domain.Review, domain.ReviewComment, domain.Comment, domain.Approval}
		first := kinds[r.weighted([]float64{0.5, 0.2, 0.15, 0.15})]
		acts = append(acts, domain.Activity{Kind: first, Login: revs[0], At: firstReview})
		for k := r.intn(4); k > 0; k-- {
			who, kind := revs[r.intn(len(revs))], domain.ReviewComment
			if r.chance(0.35) {
				who, kind = c.Author, domain.Comment
			}
			acts = append(acts, domain.Activity{Kind: kind, Login: who, At: within(r, firstReview, end)})
		}
		if len(revs) > 1 {
			acts = append(acts, domain.Activity{Kind: domain.Review, Login: revs[1], At: within(r, firstReview, end)})
		}
		if !closeUnmerged && first != domain.Approval {
			gap := min(3*time.Hour, end.Sub(firstReview))
			acts = append(acts, domain.Activity{Kind: domain.Approval, Login: revs[len(revs)-1],
				At: end.Add(-r.between(0, gap))})
		}
	}
	if draft && len(revs) > 0 && ready.Sub(opened) > time.Hour && r.chance(0.08) {
		// a teammate comments on the draft: a "review" before ready
		acts = append(acts, domain.Activity{Kind: domain.Comment, Login: revs[0], At: within(r, opened, ready)})
	}
	if r.chance(0.35) { // the coverage bot comments once CI has run
		at := ready
		if draft {
			at = opened
		}
		acts = append(acts, domain.Activity{Kind: domain.Comment, Login: g.botReviewer[srcIdx(src)],
			At: at.Add(r.between(time.Minute, 6*time.Minute))})
	}
	if closeUnmerged {
		c.ClosedAt = end
		if r.chance(0.5) {
			acts = append(acts, domain.Activity{Kind: domain.Comment, Login: c.Author, At: end})
		}
	} else {
		c.MergedAt = end
		c.MergeSHA = r.sha()
	}
	if !neverReady {
		c.ReadyAt = ready
	}
	g.finish(i, acts)
}

// finish sorts and stores a change's activities, derives the fields a
// source would set from them, and cuts off everything after now.
func (g *teamGen) finish(i int, acts []domain.Activity) {
	c := &g.changes[i]
	slices.SortStableFunc(acts, func(a, b domain.Activity) int { return a.At.Compare(b.At) })
	n := len(acts)
	for n > 0 && g.future(acts[n-1].At) {
		n--
	}
	c.Activity = g.store(acts[:n])
	g.scratch = acts[:0]
	for _, a := range c.Activity {
		switch {
		case a.Kind == domain.Commit:
			c.FirstCommitAt = minTime(c.FirstCommitAt, a.At)
		case a.Login == "" || a.Login == c.Author || isBot(a.Login):
		default:
			c.FirstReviewAt = minTime(c.FirstReviewAt, a.At)
			if a.Kind == domain.Approval {
				c.ApprovedAt = minTime(c.ApprovedAt, a.At)
			}
		}
	}
	if g.future(c.ReadyAt) {
		c.ReadyAt = time.Time{}
	}
	if g.future(c.MergedAt) {
		c.MergedAt, c.MergeSHA = time.Time{}, ""
	}
	if g.future(c.ClosedAt) {
		c.ClosedAt = time.Time{}
	}
	c.Draft = c.ReadyAt.IsZero()
	c.UpdatedAt = maxTime(maxTime(c.OpenedAt, c.ReadyAt), maxTime(c.MergedAt, c.ClosedAt))
	if n > 0 {
		c.UpdatedAt = maxTime(c.UpdatedAt, c.Activity[n-1].At)
	}
}

// isBot recognises the demo's bot accounts; Settings.Bots matches them too.
func isBot(login string) bool {
	return strings.HasSuffix(login, "[bot]") || strings.HasSuffix(login, "-bot")
}

func srcIdx(s domain.Source) int {
	if s == domain.GitLab {
		return 1
	}
	return 0
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// within is uniform in [a, b), a when b is not after a.
func within(r rnd, a, b time.Time) time.Time { return a.Add(r.between(0, b.Sub(a))) }

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
