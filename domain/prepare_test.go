package domain

import (
	"reflect"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestAttributionPersonInTwoTeams(t *testing.T) {
	s := testSettings()
	ds := &Dataset{Changes: []Change{
		{Source: GitHub, Repo: "acme/platform", Number: 1, Author: "bob"},      // both teams: Platform holds the repo
		{Source: GitHub, Repo: "acme/fraud-model", Number: 2, Author: "BOB"},   // both teams: Fraud ML holds it
		{Source: GitHub, Repo: "acme/elsewhere", Number: 3, Author: "bob"},     // neither: first listed
		{Source: GitHub, Repo: "acme/platform", Number: 4, Author: "mallory"},  // in no team: the repo's team
		{Source: GitHub, Repo: "acme/elsewhere", Number: 5, Author: "mallory"}, // nobody's
		{Source: GitLab, Repo: "acme/platform", Number: 6, Author: "bob.smith"},
		{Source: GitHub, Repo: "acme/platform", Number: 7, Author: "bob.smith"}, // member on GitLab only
	}}
	Prepare(ds, s)
	want := []string{"Platform", "Fraud ML", "Fraud ML", "Platform", "", "Fraud ML", "Platform"}
	for i, c := range ds.Changes {
		if c.Team != want[i] {
			t.Errorf("change #%d by %s in %s: team %q, want %q", c.Number, c.Author, c.Repo, c.Team, want[i])
		}
	}
	r := Compute(ds, s, testNow)
	if r.Quality.UnattributedChanges != 1 {
		t.Errorf("unattributed %d, want 1", r.Quality.UnattributedChanges)
	}
}

func TestClassify(t *testing.T) {
	s := testSettings()
	s.Classify = append(s.Classify, ClassifyRule{Category: Engineering, Labels: []string{"bug"}},
		ClassifyRule{Category: Research, Branches: []*regexp.Regexp{regexp.MustCompile(`^ml-`)}})
	ds := &Dataset{Changes: []Change{
		{Number: 1, Labels: []string{"Research"}, HeadBranch: "fix/x"},
		{Number: 2, HeadBranch: "exp/new-loss"},
		{Number: 3, Labels: []string{"bug"}, HeadBranch: "ml-tuning"}, // "bug" rule comes first
		{Number: 4, HeadBranch: "ml-tuning"},
		{Number: 5, HeadBranch: "feature/login"},
	}}
	Prepare(ds, s)
	want := []Category{Research, Research, Engineering, Research, Engineering}
	for i, c := range ds.Changes {
		if c.Category != want[i] {
			t.Errorf("change #%d: %q, want %q", c.Number, c.Category, want[i])
		}
	}
}

func TestDeployFallbackVersusExact(t *testing.T) {
	s := testSettings()
	exact := merged("acme/platform", 1, "carol", 3*day, 3*day, 0, 2*day)
	exact.DeployedAt, exact.DeploymentID, exact.DeployExact = ago(30*hour), "gl-9", true
	fallback := merged("acme/platform", 2, "carol", 3*day, 3*day, 0, 2*day)
	emptyRef := merged("acme/fraud-model", 3, "alice", 3*day, 3*day, 0, 2*day)
	notYet := merged("acme/platform", 4, "carol", 3*day, 3*day, 0, hour)
	stale := merged("acme/platform", 5, "carol", 3*day, 3*day, 0, 2*day)
	stale.DeployedAt, stale.DeploymentID = ago(47*hour), "old-guess" // not exact: recomputed
	deps := []Deployment{
		{Source: GitHub, Repo: "acme/platform", ID: "before", Environment: "production", Ref: "main", Result: Success, FinishedAt: ago(3 * day)},
		{Source: GitHub, Repo: "acme/platform", ID: "failed", Environment: "production", Ref: "main", Result: Failure, FinishedAt: ago(40 * hour)},
		{Source: GitHub, Repo: "acme/platform", ID: "staging", Environment: "staging", Ref: "main", Result: Success, FinishedAt: ago(39 * hour)},
		{Source: GitHub, Repo: "acme/platform", ID: "tag", Environment: "production", Ref: "v1.2", Result: Success, FinishedAt: ago(38 * hour)},
		{Source: GitLab, Repo: "acme/platform", ID: "other-source", Environment: "production", Ref: "main", Result: Success, FinishedAt: ago(37 * hour)},
		{Source: GitHub, Repo: "acme/platform", ID: "good", Environment: "production", Ref: "main", Result: Success, FinishedAt: ago(36 * hour)},
		{Source: GitHub, Repo: "acme/platform", ID: "later", Environment: "production", Ref: "main", Result: Success, FinishedAt: ago(12 * hour)},
		{Source: GitHub, Repo: "acme/fraud-model", ID: "noref", Environment: "prod", Result: Success, FinishedAt: ago(day)},
	}
	ds := &Dataset{Changes: []Change{exact, fallback, emptyRef, notYet, stale}, Deployments: deps}
	Prepare(ds, s)
	cs := ds.Changes
	if cs[0].DeploymentID != "gl-9" || !cs[0].DeployedAt.Equal(ago(30*hour)) || !cs[0].DeployExact {
		t.Errorf("exact change changed: %q %v", cs[0].DeploymentID, cs[0].DeployedAt)
	}
	if cs[1].DeploymentID != "good" || !cs[1].DeployedAt.Equal(ago(36*hour)) || cs[1].DeployExact {
		t.Errorf("fallback: %q at %v exact %v, want good at 36h ago", cs[1].DeploymentID, cs[1].DeployedAt, cs[1].DeployExact)
	}
	if cs[2].DeploymentID != "noref" {
		t.Errorf("empty ref deployment not used: %q", cs[2].DeploymentID)
	}
	if cs[3].DeploymentID != "" || !cs[3].DeployedAt.IsZero() {
		t.Errorf("merged after the last deployment but deployed: %q", cs[3].DeploymentID)
	}
	if cs[4].DeploymentID != "good" {
		t.Errorf("a non-exact guess was kept: %q", cs[4].DeploymentID)
	}
	r := Compute(ds, s, testNow)
	// Deploy spans counted: exact 18h (#1), good 12h (#2, #5); #3 in Fraud ML.
	plat := teamByName(t, r, "Platform")
	if want := (Stats{Count: 3, P50: secs(12 * hour), P75: secs(18 * hour), P90: secs(18 * hour)}); plat.Deploy.Current != want {
		t.Errorf("deploy %+v, want %+v", plat.Deploy.Current, want)
	}
}

func TestDeploymentTeamsFromShippedChanges(t *testing.T) {
	s := testSettings()
	a := merged("acme/shared", 1, "alice", 3*day, 3*day, 0, 2*day)
	c := merged("acme/shared", 2, "carol", 3*day, 3*day, 0, 2*day)
	m := merged("acme/shared", 3, "mallory", 3*day, 3*day, 0, 2*day)
	ds := &Dataset{Changes: []Change{c, a, m}, Deployments: []Deployment{
		{Source: GitHub, Repo: "acme/shared", ID: "s1", Environment: "production", Ref: "main", Result: Success, FinishedAt: ago(day)},
		{Source: GitHub, Repo: "acme/platform", ID: "p1", Environment: "production", Result: Success, FinishedAt: ago(day)},
		{Source: GitHub, Repo: "acme/shared", ID: "s0", Environment: "production", Result: Success, FinishedAt: ago(5 * day)},
	}}
	Prepare(ds, s)
	if got := ds.Deployments[0].Teams; !slices.Equal(got, []string{"Fraud ML", "Platform"}) {
		t.Errorf("shared deployment teams %q, want both in team order", got)
	}
	if got := ds.Deployments[1].Teams; !slices.Equal(got, []string{"Platform"}) {
		t.Errorf("platform deployment teams %q", got)
	}
	if got := ds.Deployments[2].Teams; got != nil {
		t.Errorf("a deployment that shipped nothing has teams %q", got)
	}
	r := Compute(ds, s, testNow)
	if teamByName(t, r, "Fraud ML").Deploys.Production != 1 || teamByName(t, r, "Platform").Deploys.Production != 2 || r.Total.Deploys.Production != 3 {
		t.Errorf("deploys fraud %d platform %d total %d, want 1, 2, 3",
			teamByName(t, r, "Fraud ML").Deploys.Production, teamByName(t, r, "Platform").Deploys.Production, r.Total.Deploys.Production)
	}
}

func TestPrepareIdempotentAndUndoable(t *testing.T) {
	s := testSettings()
	s.DeployWorkflows = []string{"deploy.yml"}
	build := func() *Dataset {
		return &Dataset{
			Changes: []Change{merged("acme/platform", 1, "carol", 3*day, 3*day, 2*day, 2*day)},
			Deployments: []Deployment{
				{Source: GitHub, Repo: "acme/platform", ID: "1", Environment: "live-eu", Result: Success, FinishedAt: ago(30 * hour)},
				{Source: GitLab, Repo: "acme/platform", ID: "2", Environment: "eu", Tier: Production, Result: Success, FinishedAt: ago(20 * hour)},
			},
			Runs: []Run{{Source: GitHub, Repo: "acme/platform", ID: "77", Workflow: ".github/workflows/deploy.yml",
				Branch: "main", SHA: "abc", CreatedAt: ago(25 * hour), StartedAt: ago(25 * hour), FinishedAt: ago(24 * hour), Result: Success}},
		}
	}
	ds := build()
	Prepare(ds, s)
	if len(ds.Deployments) != 3 || ds.Deployments[2].ID != "run:77" || ds.Deployments[2].Tier != Production || ds.Deployments[2].Ref != "main" {
		t.Fatalf("run deployment missing: %+v", ds.Deployments)
	}
	if ds.Deployments[0].Tier != OtherTier { // "live-eu" does not match ^(prod|production|live)$
		t.Errorf("tier %q, want other", ds.Deployments[0].Tier)
	}
	if ds.Changes[0].DeploymentID != "run:77" {
		t.Errorf("fallback %q, want the run deployment", ds.Changes[0].DeploymentID)
	}
	once := *ds
	once.Changes, once.Deployments = slices.Clone(ds.Changes), slices.Clone(ds.Deployments)
	Prepare(ds, s)
	ds.prep.key = "" // force the full work again: same result
	Prepare(ds, s)
	if !reflect.DeepEqual(once.Changes, ds.Changes) || !reflect.DeepEqual(once.Deployments, ds.Deployments) {
		t.Errorf("second Prepare changed the dataset")
	}

	// New settings: no deploy workflow, a wider production pattern.
	s2 := s
	s2.DeployWorkflows = nil
	s2.Production = regexp.MustCompile(`(?i)^live`)
	Prepare(ds, s2)
	if len(ds.Deployments) != 2 {
		t.Fatalf("run deployment not removed: %d deployments", len(ds.Deployments))
	}
	if ds.Deployments[0].Tier != Production || ds.Deployments[1].Tier != Production {
		t.Errorf("tiers %q %q, want derived tier redone and source tier kept", ds.Deployments[0].Tier, ds.Deployments[1].Tier)
	}
	if ds.Changes[0].DeploymentID != "1" {
		t.Errorf("fallback %q, want deployment 1 now that it is production", ds.Changes[0].DeploymentID)
	}
	fresh := build()
	Prepare(fresh, s2)
	if !reflect.DeepEqual(fresh.Changes, ds.Changes) || !reflect.DeepEqual(fresh.Deployments, ds.Deployments) {
		t.Errorf("re-prepared dataset differs from one prepared once with the new settings")
	}
}

// TestComputeOnlyReadsAPreparedDataset runs Computes for several windows at
// once on one dataset (the TUI's window key while a render reads the last
// report); run with -race to catch any write.
func TestComputeOnlyReadsAPreparedDataset(t *testing.T) {
	s := testSettings()
	ds := &Dataset{
		Changes:     []Change{merged("acme/platform", 1, "carol", 3*day, 3*day, 2*day, 2*day)},
		Deployments: platformDeploys(),
		Runs:        []Run{{Source: GitHub, Repo: "acme/platform", ID: "1", Workflow: "train.yml", Branch: "exp/a", Actor: "carol", StartedAt: ago(day)}},
	}
	Prepare(ds, s)
	before := *ds
	before.Changes, before.Deployments = slices.Clone(ds.Changes), slices.Clone(ds.Deployments)
	var wg sync.WaitGroup
	for _, w := range []int{7, 14, 30, 90} {
		wg.Go(func() {
			s := s
			s.Window = time.Duration(w) * day
			Compute(ds, s, testNow)
		})
	}
	wg.Wait()
	if !reflect.DeepEqual(before.Changes, ds.Changes) || !reflect.DeepEqual(before.Deployments, ds.Deployments) {
		t.Errorf("Compute modified a prepared dataset")
	}
}
