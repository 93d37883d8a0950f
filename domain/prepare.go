package domain

import (
	"cmp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// prepState remembers what Prepare did to a dataset, so that Prepare can
// skip work it already did with the same settings (the TUI's window key
// recomputes on the same dataset) and undo its own derivations when the
// settings change.
type prepState struct {
	key         string  // settings fingerprint and the dataset's sizes after Prepare
	derivedTier []bool  // Deployments[i].Tier was set by Prepare, not the source
	changeTeam  []int32 // Changes[i].Team as a position in Settings.Teams, -1 for none
}

// runDeployPrefix marks the deployments Prepare makes from deploy-workflow runs.
const runDeployPrefix = "run:"

// Prepare fills the derived fields of ds in place from s (SPEC §5):
//
//   - Change.Bot: the author matches s.Bots (MatchBot).
//   - Change.Category: the first ClassifyRule with a label equal
//     (case-insensitively) to one of the change's, or a regexp matching its
//     head branch; Engineering when none matches.
//   - Change.Team: the author's team (login equal case-insensitively and
//     Member.Source "" or the change's source); an author in several teams
//     goes to the one whose Repos hold the change, else the first listed; an
//     author in no team to the first team whose Repos hold the change; else "".
//   - FirstCommitAt, FirstReviewAt, ApprovedAt from Activity: the earliest
//     Commit; the earliest Review/ReviewComment/Comment/Approval whose login is
//     set, is not the author's (case-insensitively) and is not a bot; the
//     earliest such Approval. Commits and reviews are derived separately:
//     when Activity holds no commit (or no review-kind entry) at all, the
//     source's value for those fields is kept, as it is when Activity is empty.
//   - Deployment.Tier when the source left it empty: Production regexp on the
//     environment, else Staging, else OtherTier.
//   - Runs whose Workflow is in s.DeployWorkflows (equal, or the basename of a
//     path) become extra production deployments with ID "run:"+Run.ID.
//   - Deploy fallback for a merged change whose deployment the source did not
//     know exactly (DeployExact false): the first successful production
//     deployment of the same source and repo whose Ref is the change's base
//     branch (or empty) finishing after the merge sets DeployedAt and
//     DeploymentID. Deployments finishing after a report's now are ignored by
//     Compute, which then shows the change as not yet deployed.
//   - Deployment.Teams: the teams whose Repos hold its repo; when none does,
//     every team with a change it shipped (Change.DeploymentID), in team order.
//
// Prepare is idempotent, and a second call with equal settings on a dataset
// of unchanged size does nothing, so Compute can call it every time. It
// writes to ds: call it (or Compute) once before sharing ds between
// goroutines; later Computes with the same settings only read.
func Prepare(ds *Dataset, s Settings) {
	fp := fingerprint(s)
	if ds.prep != nil && ds.prep.key == fp+sizes(ds) {
		return
	}
	undoPrepare(ds)
	bots := newBotMatcher(s.Bots)
	x := newTeamIndex(s.Teams, bots)
	cls := newClassifier(s.Classify, false)

	teamOf := make([]int32, len(ds.Changes))
	for i := range ds.Changes {
		c := &ds.Changes[i]
		c.Bot = bots.match(c.Author)
		c.Category = cls.classify(c.Labels, c.HeadBranch)
		t := x.attribute(c.Source, c.Author, c.Repo)
		teamOf[i] = int32(t)
		c.Team = x.name(t)
		deriveActivity(c, bots)
		if !c.DeployExact {
			c.DeployedAt, c.DeploymentID = time.Time{}, ""
		}
	}

	derived := deriveTiers(ds, s)
	addRunDeployments(ds, s.DeployWorkflows)
	derived = append(derived, make([]bool, len(ds.Deployments)-len(derived))...)
	deployFallback(ds)
	attributeDeployments(ds, x, teamOf)

	ds.prep = &prepState{key: fp + sizes(ds), derivedTier: derived, changeTeam: teamOf}
}

// undoPrepare removes what an earlier Prepare added, so the next one starts
// from the source's data: deployments made from runs and derived tiers.
func undoPrepare(ds *Dataset) {
	if ds.prep == nil {
		return
	}
	dt := ds.prep.derivedTier
	if len(dt) == len(ds.Deployments) { // otherwise the caller changed the slice: keep its tiers
		for i, d := range dt {
			if d {
				ds.Deployments[i].Tier = ""
			}
		}
	}
	ds.Deployments = slices.DeleteFunc(ds.Deployments, func(d Deployment) bool {
		return strings.HasPrefix(d.ID, runDeployPrefix)
	})
	ds.prep = nil
}

// fingerprint identifies the settings Prepare depends on (not the window,
// experiments or guardrails, which only Compute reads).
func fingerprint(s Settings) string {
	var b strings.Builder
	sep := func(parts ...string) {
		for _, p := range parts {
			b.WriteString(p)
			b.WriteByte(0)
		}
		b.WriteByte(1)
	}
	for _, t := range s.Teams {
		sep("team", t.Name)
		for _, m := range t.Members {
			sep(string(m.Source), m.Login)
		}
		sep(t.Repos...)
	}
	sep(s.Bots...)
	sep(regexpString(s.Production), regexpString(s.Staging))
	sep(s.DeployWorkflows...)
	for _, r := range s.Classify {
		sep(string(r.Category))
		sep(r.Labels...)
		for _, re := range r.Branches {
			sep(regexpString(re))
		}
	}
	return b.String()
}

// sizes is part of the fingerprint: a dataset that grew needs a new Prepare.
func sizes(ds *Dataset) string {
	return strconv.Itoa(len(ds.Changes)) + "/" + strconv.Itoa(len(ds.Deployments)) + "/" + strconv.Itoa(len(ds.Runs))
}

// deriveActivity sets FirstCommitAt, FirstReviewAt and ApprovedAt from the
// change's activity (see Prepare).
func deriveActivity(c *Change, bots *botMatcher) {
	if len(c.Activity) == 0 {
		return
	}
	var commit, review, approved time.Time
	hasCommit, hasReview := false, false
	for _, a := range c.Activity {
		if a.At.IsZero() {
			continue
		}
		switch a.Kind {
		case Commit:
			hasCommit = true
			commit = earliest(commit, a.At)
		case Review, ReviewComment, Comment, Approval:
			hasReview = true
			if a.Login == "" || strings.EqualFold(a.Login, c.Author) || bots.match(a.Login) {
				continue
			}
			review = earliest(review, a.At)
			if a.Kind == Approval {
				approved = earliest(approved, a.At)
			}
		}
	}
	if hasCommit {
		c.FirstCommitAt = commit
	}
	if hasReview {
		c.FirstReviewAt, c.ApprovedAt = review, approved
	}
}

// earliest is the earlier of two times, ignoring zero ones.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// deriveTiers sets the tier of deployments the source left without one and
// reports which ones it set.
func deriveTiers(ds *Dataset, s Settings) []bool {
	derived := make([]bool, len(ds.Deployments))
	cache := make(map[string]Tier)
	for i := range ds.Deployments {
		d := &ds.Deployments[i]
		if d.Tier != "" {
			continue
		}
		t, ok := cache[d.Environment]
		if !ok {
			t = tierOf(d.Environment, s)
			cache[d.Environment] = t
		}
		d.Tier, derived[i] = t, true
	}
	return derived
}

// tierOf classifies an environment name by the settings' patterns.
func tierOf(env string, s Settings) Tier {
	switch {
	case s.Production != nil && s.Production.MatchString(env):
		return Production
	case s.Staging != nil && s.Staging.MatchString(env):
		return Staging
	}
	return OtherTier
}

// addRunDeployments appends a production deployment for every run of a
// deploy workflow.
func addRunDeployments(ds *Dataset, workflows []string) {
	if len(workflows) == 0 {
		return
	}
	for i := range ds.Runs {
		r := &ds.Runs[i]
		if !workflowIn(workflows, r.Workflow) {
			continue
		}
		res := r.Result
		if res == "" && r.FinishedAt.IsZero() {
			res = InProgress
		}
		ds.Deployments = append(ds.Deployments, Deployment{
			Source: r.Source, Repo: r.Repo, ID: runDeployPrefix + r.ID, URL: r.URL,
			Environment: r.Workflow, Tier: Production, SHA: r.SHA, Ref: r.Branch,
			CreatedAt: r.CreatedAt, FinishedAt: r.FinishedAt, Result: res,
		})
	}
}

// workflowIn reports whether workflow is listed, as is or by its basename
// (a source may keep ".github/workflows/deploy.yml").
func workflowIn(list []string, workflow string) bool {
	if workflow == "" {
		return false
	}
	base := workflow
	if i := strings.LastIndexByte(workflow, '/'); i >= 0 {
		base = workflow[i+1:]
	}
	for _, w := range list {
		if w == workflow || w == base {
			return true
		}
	}
	return false
}

// repoKey names a repo of a source.
type repoKey struct {
	source Source
	repo   string
}

// shipped is one successful production deployment, as the fallback searches it.
type shipped struct {
	at instant // FinishedAt
	i  int32   // index in Dataset.Deployments
}

// deployFallback sets DeployedAt/DeploymentID of merged changes whose
// deployment is not known exactly. Deployments are grouped by repo and ref
// and sorted once, then each change costs a repo lookup and two binary
// searches: O((changes+deploys) log deploys).
func deployFallback(ds *Dataset) {
	groups := make(map[repoKey]map[string][]shipped)
	for i := range ds.Deployments {
		d := &ds.Deployments[i]
		if d.Tier == Production && d.Result == Success && !d.FinishedAt.IsZero() {
			k := repoKey{d.Source, d.Repo}
			refs := groups[k]
			if refs == nil {
				refs = make(map[string][]shipped, 1)
				groups[k] = refs
			}
			refs[d.Ref] = append(refs[d.Ref], shipped{instantOf(d.FinishedAt), int32(i)})
		}
	}
	if len(groups) == 0 {
		return
	}
	for _, refs := range groups {
		for _, g := range refs {
			slices.SortFunc(g, func(a, b shipped) int {
				if c := compareInstants(a.at, b.at); c != 0 {
					return c
				}
				return cmp.Compare(a.i, b.i)
			})
		}
	}
	firstAfter := func(g []shipped, t instant) (shipped, bool) {
		j := sort.Search(len(g), func(j int) bool { return compareInstants(g[j].at, t) > 0 })
		if j == len(g) {
			return shipped{}, false
		}
		return g[j], true
	}
	for i := range ds.Changes {
		c := &ds.Changes[i]
		if c.DeployExact || c.MergedAt.IsZero() {
			continue
		}
		refs := groups[repoKey{c.Source, c.Repo}]
		if refs == nil {
			continue
		}
		merged := instantOf(c.MergedAt)
		best, ok := firstAfter(refs[""], merged)
		if c.BaseBranch != "" {
			if b, found := firstAfter(refs[c.BaseBranch], merged); found && (!ok || compareInstants(b.at, best.at) <= 0) {
				best, ok = b, true
			}
		}
		if ok {
			d := &ds.Deployments[best.i]
			c.DeployedAt, c.DeploymentID = d.FinishedAt, d.ID
		}
	}
}

// shipKey names a deployment by what changes refer to it with.
type shipKey struct {
	source   Source
	repo, id string
}

// attributeDeployments sets Deployment.Teams (see Prepare).
func attributeDeployments(ds *Dataset, x *teamIndex, teamOf []int32) {
	byRepo := make(map[string][]string)
	for repo, ts := range x.repoTeams {
		names := make([]string, len(ts))
		for i, t := range ts {
			names[i] = x.name(t)
		}
		byRepo[repo] = names
	}
	shipped := make(map[shipKey][]int)
	for i := range ds.Changes {
		c := &ds.Changes[i]
		if c.DeploymentID == "" || teamOf[i] < 0 || len(x.repoTeams[c.Repo]) > 0 {
			continue
		}
		k := shipKey{c.Source, c.Repo, c.DeploymentID}
		if t := int(teamOf[i]); !containsInt(shipped[k], t) {
			shipped[k] = append(shipped[k], t)
		}
	}
	for i := range ds.Deployments {
		d := &ds.Deployments[i]
		if names, ok := byRepo[d.Repo]; ok {
			d.Teams = names // shared between deployments of the repo: read-only
			continue
		}
		ts := shipped[shipKey{d.Source, d.Repo, d.ID}]
		if len(ts) == 0 {
			d.Teams = nil
			continue
		}
		slices.Sort(ts)
		d.Teams = make([]string, len(ts))
		for j, t := range ts {
			d.Teams[j] = x.name(t)
		}
	}
}
