package demo

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
)

// fixedNow is the now every golden in the repo uses (a Thursday morning).
var fixedNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func TestGenerateIsDeterministic(t *testing.T) {
	a, sa := Generate(fixedNow, 1)
	b, sb := Generate(fixedNow, 1)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two Generate calls with the same now differ")
	}
	if !reflect.DeepEqual(sa.Teams, sb.Teams) || !reflect.DeepEqual(sa.Guardrails, sb.Guardrails) {
		t.Fatal("two Generate calls return different settings")
	}
}

// TestGenerateShiftsWithNow checks that every timestamp is an exact offset
// from now: generating at now+Δ equals generating at now shifted by Δ, for
// a Δ that crosses a weekend and is not a whole number of anything.
func TestGenerateShiftsWithNow(t *testing.T) {
	delta := 2*day + 7*time.Hour + 13*time.Minute + 29*time.Second
	a, _ := Generate(fixedNow, 1)
	b, _ := Generate(fixedNow.Add(delta), 1)
	if reflect.DeepEqual(a, b) {
		t.Fatal("datasets at different nows are identical: times are not relative to now")
	}
	shift(a, delta)
	if !reflect.DeepEqual(a, b) {
		for i := range a.Changes {
			if !reflect.DeepEqual(a.Changes[i], b.Changes[i]) {
				t.Fatalf("change %d differs after shifting:\n%+v\n%+v", i, a.Changes[i], b.Changes[i])
			}
		}
		t.Fatal("dataset at now+Δ is not the dataset at now shifted by Δ")
	}
}

// TestNonUTCNow checks that a now in another zone gives UTC timestamps and
// the same instants.
func TestNonUTCNow(t *testing.T) {
	a, _ := Generate(fixedNow, 1)
	b, _ := Generate(fixedNow.In(time.FixedZone("CET", 3600)), 1)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same instant in another zone gives a different dataset")
	}
}

func shift(ds *domain.Dataset, d time.Duration) {
	sh := func(ts ...*time.Time) {
		for _, t := range ts {
			if !t.IsZero() {
				*t = t.Add(d)
			}
		}
	}
	for i := range ds.Changes {
		c := &ds.Changes[i]
		sh(&c.OpenedAt, &c.ReadyAt, &c.UpdatedAt, &c.MergedAt, &c.ClosedAt, &c.FirstCommitAt,
			&c.FirstReviewAt, &c.ApprovedAt, &c.DeployedAt)
		for j := range c.Activity {
			sh(&c.Activity[j].At)
		}
	}
	for i := range ds.Deployments {
		sh(&ds.Deployments[i].CreatedAt, &ds.Deployments[i].FinishedAt)
	}
	for i := range ds.Runs {
		sh(&ds.Runs[i].CreatedAt, &ds.Runs[i].StartedAt, &ds.Runs[i].FinishedAt)
	}
	for i := range ds.Sources {
		sh(&ds.Sources[i].LastSync)
	}
}

func TestSizeAtScaleOne(t *testing.T) {
	ds, s := Generate(fixedNow, 1)
	if n := len(ds.Changes); n < 1350 || n > 1650 {
		t.Errorf("scale 1 has %d changes, want about 1,500", n)
	}
	if len(s.Teams) != 4 {
		t.Errorf("scale 1 has %d teams, want 4", len(s.Teams))
	}
	if len(ds.Deployments) == 0 || len(ds.Runs) == 0 {
		t.Errorf("no deployments (%d) or runs (%d)", len(ds.Deployments), len(ds.Runs))
	}
	if ds.Org != Org || len(ds.Sources) != 2 {
		t.Errorf("org %q with %d sources", ds.Org, len(ds.Sources))
	}
	for _, src := range ds.Sources {
		if age := fixedNow.Sub(src.LastSync); age <= 0 || age > 15*time.Minute {
			t.Errorf("source %s last synced %v before now, want shortly before", src.Name, age)
		}
	}
}

func TestSizeAtScaleHundred(t *testing.T) {
	if testing.Short() {
		t.Skip("scale 100 takes seconds")
	}
	ds, s := Generate(fixedNow, 100)
	if n := len(ds.Changes); n < 135_000 || n > 165_000 {
		t.Errorf("scale 100 has %d changes, want about 150,000", n)
	}
	if len(s.Teams) != 400 {
		t.Errorf("scale 100 has %d teams, want 400", len(s.Teams))
	}
	checkUnique(t, ds)
}

// TestScaleOneIsAPrefix checks the documented property that a larger
// scale starts with the scale-1 organisation.
func TestScaleOneIsAPrefix(t *testing.T) {
	one, s1 := Generate(fixedNow, 1)
	two, s2 := Generate(fixedNow, 2)
	if len(two.Changes) <= len(one.Changes) || len(s2.Teams) != 8 {
		t.Fatalf("scale 2: %d changes, %d teams", len(two.Changes), len(s2.Teams))
	}
	if !reflect.DeepEqual(one.Changes, two.Changes[:len(one.Changes)]) ||
		!reflect.DeepEqual(one.Deployments, two.Deployments[:len(one.Deployments)]) ||
		!reflect.DeepEqual(one.Runs, two.Runs[:len(one.Runs)]) ||
		!reflect.DeepEqual(s1.Teams, s2.Teams[:4]) {
		t.Fatal("scale 2 does not start with scale 1")
	}
	if s2.Teams[4].Name != "Fraud ML 2" || s2.Teams[4].Repos[0] != "acme/fraud-model-2" {
		t.Errorf("second copy named %q with repos %v", s2.Teams[4].Name, s2.Teams[4].Repos)
	}
	checkUnique(t, two)
}

func checkUnique(t *testing.T, ds *domain.Dataset) {
	t.Helper()
	keys := make(map[string]bool, len(ds.Changes))
	for i := range ds.Changes {
		k := ds.Changes[i].Key()
		if keys[k] {
			t.Fatalf("duplicate change %s", k)
		}
		keys[k] = true
	}
	ids := make(map[string]bool, len(ds.Runs)+len(ds.Deployments))
	for _, r := range ds.Runs {
		k := string(r.Source) + ":run:" + r.ID
		if ids[k] {
			t.Fatalf("duplicate run %s", k)
		}
		ids[k] = true
	}
	for _, d := range ds.Deployments {
		k := string(d.Source) + ":deploy:" + d.ID
		if ids[k] {
			t.Fatalf("duplicate deployment %s", k)
		}
		ids[k] = true
	}
}

// TestInvariants checks what any real source would guarantee: UTC times
// not after now, a consistent lifecycle, deployments of merged SHAs.
func TestInvariants(t *testing.T) {
	ds, s := Generate(fixedNow, 1)
	checkUnique(t, ds)
	owned := map[string]string{}
	for _, tm := range s.Teams {
		for _, r := range tm.Repos {
			owned[r] = tm.Name
		}
	}
	ok := func(ts time.Time) bool { return ts.IsZero() || (ts.Location() == time.UTC && !ts.After(fixedNow)) }
	sha := regexp.MustCompile(`^[0-9a-f]{40}$`)
	mergeSHAs := map[string]bool{}
	base := map[string]string{}
	for i := range ds.Changes {
		c := &ds.Changes[i]
		base[c.Repo] = c.BaseBranch
		if owned[c.Repo] == "" {
			t.Errorf("%s: repo owned by no team", c.Key())
		}
		for _, ts := range []time.Time{c.OpenedAt, c.ReadyAt, c.UpdatedAt, c.MergedAt, c.ClosedAt,
			c.FirstCommitAt, c.FirstReviewAt, c.ApprovedAt, c.DeployedAt} {
			if !ok(ts) {
				t.Fatalf("%s: time %v not UTC or after now", c.Key(), ts)
			}
		}
		switch {
		case c.OpenedAt.IsZero() || c.Title == "" || c.Author == "" || c.HeadBranch == "" || c.BaseBranch == "":
			t.Errorf("%s: missing basics %+v", c.Key(), c)
		case c.Merged() && !c.ClosedAt.IsZero():
			t.Errorf("%s: both merged and closed", c.Key())
		case c.Merged() != sha.MatchString(c.MergeSHA):
			t.Errorf("%s: merged=%v with merge SHA %q", c.Key(), c.Merged(), c.MergeSHA)
		case c.Draft != c.ReadyAt.IsZero():
			t.Errorf("%s: draft=%v ready=%v", c.Key(), c.Draft, c.ReadyAt)
		case !c.ReadyAt.IsZero() && c.ReadyAt.Before(c.OpenedAt),
			c.Merged() && c.MergedAt.Before(c.OpenedAt),
			!c.ClosedAt.IsZero() && c.ClosedAt.Before(c.OpenedAt),
			c.UpdatedAt.Before(c.OpenedAt):
			t.Errorf("%s: lifecycle out of order: %+v", c.Key(), c)
		case !c.DeployedAt.IsZero() && (!c.Merged() || c.DeployedAt.Before(c.MergedAt) || !c.DeployExact || c.DeploymentID == ""):
			t.Errorf("%s: deployed %v merged %v exact %v", c.Key(), c.DeployedAt, c.MergedAt, c.DeployExact)
		}
		wantURL := "https://github.com/" + c.Repo + "/pull/" + strconv.Itoa(c.Number)
		if c.Source == domain.GitLab {
			wantURL = "https://gitlab.com/" + c.Repo + "/-/merge_requests/" + strconv.Itoa(c.Number)
		}
		if c.URL != wantURL {
			t.Errorf("%s: URL %q", c.Key(), c.URL)
		}
		for j, a := range c.Activity {
			if !ok(a.At) || (j > 0 && a.At.Before(c.Activity[j-1].At)) {
				t.Fatalf("%s: activity %d at %v out of order or after now", c.Key(), j, a.At)
			}
		}
		if c.Merged() {
			mergeSHAs[c.Repo+"@"+c.MergeSHA] = true
		}
	}
	deploys := map[string]*domain.Deployment{}
	for i := range ds.Deployments {
		d := &ds.Deployments[i]
		deploys[string(d.Source)+":"+d.ID] = d
		if !ok(d.CreatedAt) || !ok(d.FinishedAt) || (!d.FinishedAt.IsZero() && d.FinishedAt.Before(d.CreatedAt)) {
			t.Errorf("deployment %s: created %v finished %v", d.ID, d.CreatedAt, d.FinishedAt)
		}
		if (d.Result == domain.InProgress) != d.FinishedAt.IsZero() {
			t.Errorf("deployment %s: %s but finished %v", d.ID, d.Result, d.FinishedAt)
		}
		if !mergeSHAs[d.Repo+"@"+d.SHA] || d.Ref != base[d.Repo] {
			t.Errorf("deployment %s of %s: SHA %s / ref %q is not a merge into the base branch", d.ID, d.Repo, d.SHA, d.Ref)
		}
	}
	for i := range ds.Changes {
		c := &ds.Changes[i]
		if c.DeploymentID == "" {
			continue
		}
		d := deploys[string(c.Source)+":"+c.DeploymentID]
		if d == nil || d.Repo != c.Repo || d.Result != domain.Success || !d.FinishedAt.Equal(c.DeployedAt) ||
			!s.Production.MatchString(d.Environment) && d.Tier != domain.Production {
			t.Errorf("%s: deployment %s is not a successful production deployment finishing at %v", c.Key(), c.DeploymentID, c.DeployedAt)
		}
	}
	for _, r := range ds.Runs {
		if !ok(r.CreatedAt) || !ok(r.StartedAt) || !ok(r.FinishedAt) || r.CreatedAt.IsZero() ||
			(!r.StartedAt.IsZero() && r.StartedAt.Before(r.CreatedAt)) ||
			(!r.FinishedAt.IsZero() && r.FinishedAt.Before(r.StartedAt)) {
			t.Errorf("run %s: created %v started %v finished %v", r.ID, r.CreatedAt, r.StartedAt, r.FinishedAt)
		}
		if (r.Result == domain.InProgress) != r.FinishedAt.IsZero() {
			t.Errorf("run %s: %s but finished %v", r.ID, r.Result, r.FinishedAt)
		}
		if !strings.HasPrefix(r.URL, "https://") || r.Repo == "" || r.Branch == "" || r.Actor == "" {
			t.Errorf("run %s: incomplete %+v", r.ID, r)
		}
	}
}

// TestSettings checks the demo configuration is what a config file would
// give: four teams with targets, members, repos, and guardrails that name
// real metrics.
func TestSettings(t *testing.T) {
	_, s := Generate(fixedNow, 1)
	want := []string{"Fraud ML", "Platform", "Search Ranking", "Forecasting"}
	for i, tm := range s.Teams {
		if tm.Name != want[i] {
			t.Errorf("team %d is %q, want %q", i, tm.Name, want[i])
		}
		if n := len(tm.Members); n < 5 || n > 10 {
			t.Errorf("%s has %d members", tm.Name, n)
		}
		if tm.Allocation == nil || tm.Allocation.Research+tm.Allocation.Engineering != 100 {
			t.Errorf("%s: allocation target %v", tm.Name, tm.Allocation)
		}
		if len(tm.Repos) == 0 {
			t.Errorf("%s owns no repos", tm.Name)
		}
		for _, g := range tm.Guardrails {
			checkGuardrail(t, g)
		}
	}
	if len(s.Guardrails) == 0 {
		t.Error("no global guardrails")
	}
	for _, g := range s.Guardrails {
		checkGuardrail(t, g)
	}
	if s.Experiments.PipelineRef == nil || len(s.Experiments.Workflows) == 0 || len(s.DeployWorkflows) == 0 ||
		s.Production == nil || s.Staging == nil || len(s.Classify) < 2 || s.Window != 14*day {
		t.Errorf("incomplete settings: %+v", s)
	}
	for _, bot := range []string{"renovate[bot]", "dependabot[bot]", "renovate-bot", "danger-bot", "codecov[bot]"} {
		if !domain.MatchBot(s.Bots, bot) {
			t.Errorf("bot %q is not matched by %v", bot, s.Bots)
		}
	}
}

func checkGuardrail(t *testing.T, g domain.Guardrail) {
	t.Helper()
	if _, ok := domain.GuardrailMetrics[g.Metric]; !ok || g.Rule == "" || !strings.HasPrefix(g.Rule, string(g.Op)+" ") {
		t.Errorf("bad guardrail %+v", g)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Add drift monitor for transaction embeddings":                "add-drift-monitor-transaction-embeddings",
		"Fix flaky integration test for the scoring API":              "fix-flaky-integration-test-scoring",
		"Evaluate 3DS outcome features on last quarter's chargebacks": "evaluate-3ds-outcome-features-last",
		"":   "",
		"--": "",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
