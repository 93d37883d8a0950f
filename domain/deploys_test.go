package domain

import (
	"math"
	"testing"
	"time"
)

// platformDeploys is one repo's production history in the window: a success,
// two failures an hour apart recovered by one success, a failure not yet
// recovered, plus staging, previous-window and in-progress deployments.
func platformDeploys() []Deployment {
	d := func(id, env string, res Result, finished time.Duration) Deployment {
		return Deployment{Source: GitHub, Repo: "acme/platform", ID: id, Environment: env, Ref: "main",
			Result: res, CreatedAt: ago(finished + 10*time.Minute), FinishedAt: ago(finished)}
	}
	running := d("d8", "production", InProgress, 0)
	running.CreatedAt, running.FinishedAt = ago(hour), time.Time{}
	release := d("d10", "production", Success, 5*day+12*hour)
	release.Ref = "release"
	return []Deployment{
		d("d1", "production", Success, 10*day),
		d("d2", "production", Failure, 5*day),
		d("d3", "production", Failure, 5*day-hour),
		d("d4", "production", Success, 5*day-3*hour),
		d("d5", "staging", Success, 2*day),
		d("d6", "production", Failure, day),
		d("d7", "production", Success, 20*day),
		running,
		release,
		d("d11", "staging", Success, 5*day+18*hour),
		d("d12", "production", Success, 0), // finishes at now: in no period, but it has happened
	}
}

func TestDeploymentsFailedThenRecovered(t *testing.T) {
	c := merged("acme/platform", 1, "carol", 7*day, 7*day, 6*day+12*hour, 6*day)
	ds := &Dataset{Changes: []Change{c}, Deployments: platformDeploys()}
	r := Compute(ds, testSettings(), testNow)
	d := teamByName(t, r, "Platform").Deploys

	// Finished production deployments in the window: d1 d4 d10 succeeded, d2 d3 d6 failed.
	if d.Production != 3 || d.Failed != 3 {
		t.Errorf("production %d failed %d, want 3 and 3", d.Production, d.Failed)
	}
	if d.ChangeFailureRate == nil || *d.ChangeFailureRate != 0.5 {
		t.Errorf("change failure rate %v, want 0.5", d.ChangeFailureRate)
	}
	if d.PerWeek != 1.5 || d.PreviousPerWeek != 0.5 {
		t.Errorf("per week %v (previous %v), want 1.5 (0.5)", d.PerWeek, d.PreviousPerWeek)
	}
	// Deploy days are the window's 24-hour days from its start (now − 14d):
	// d1 in day 3, d10 (8d12h in) in day 8, d4 (9d3h in) in day 9. Calendar
	// dates would merge d10 and d4 (both Jun 7) but let a 14-day window hold
	// 15 dates, i.e. more than 7 deploy days a week.
	if d.DaysPerWeek != 1.5 {
		t.Errorf("deploy days per week %v, want 1.5", d.DaysPerWeek)
	}
	if st := d.ByTier[Staging]; st.Successful != 2 || st.PerWeek != 1 || st.DaysPerWeek != 1 {
		t.Errorf("staging %+v, want 2 deploys on 2 days", st)
	}
	if ot := d.ByTier[OtherTier]; ot.Successful != 0 {
		t.Errorf("other tier %+v, want none", ot)
	}
	// d2 → d4 is 3h, d3 → d4 is 2h; both counted where d4 finished.
	if want := (Stats{Count: 2, P50: secs(2 * hour), P75: secs(3 * hour), P90: secs(3 * hour)}); d.Recovery.Current != want {
		t.Errorf("recovery %+v, want %+v", d.Recovery.Current, want)
	}
	if len(d.Failures) != 3 {
		t.Fatalf("failures %+v, want 3", d.Failures)
	}
	f := d.Failures
	if f[0].Failed.ID != "d6" || f[0].Recovered == nil || f[0].Recovered.ID != "d12" || f[0].Seconds != secs(day) {
		t.Errorf("newest failure %+v, want d6 recovered by d12 at now (its 1d counted in no period)", f[0])
	}
	if f[1].Failed.ID != "d3" || f[1].Recovered == nil || f[1].Recovered.ID != "d4" || f[1].Seconds != secs(2*hour) {
		t.Errorf("second failure %+v, want d3 recovered by d4 in 2h", f[1])
	}
	if f[2].Failed.ID != "d2" || f[2].Seconds != secs(3*hour) {
		t.Errorf("third failure %+v, want d2 in 3h", f[2])
	}
	// Weeks: d1 Sun Jun 2 is in the week of May 27 (9), d4 and d10 in the week of Jun 3 (10),
	// d7 (May 23) in the week of May 20 (8).
	if d.Weekly[8] != 1 || d.Weekly[9] != 1 || d.Weekly[10] != 2 || d.Weekly[11] != 0 {
		t.Errorf("weekly %v", d.Weekly)
	}
	if len(d.Recent) != 9 || d.Recent[0].ID != "d8" {
		t.Errorf("recent: %d deployments starting %s, want 9 starting with the running d8", len(d.Recent), d.Recent[0].ID)
	}
	// Lead time: opened 7d ago, fallback deploy d4 (d10 deploys another ref, d11 is staging).
	if got := ds.Changes[0]; got.DeploymentID != "d4" || got.DeployExact {
		t.Errorf("fallback chose %q (exact %v), want d4", got.DeploymentID, got.DeployExact)
	}
	lead := teamByName(t, r, "Platform").LeadTime.Current
	if want := one(2*day + 3*hour); lead != want {
		t.Errorf("lead %+v, want %+v", lead, want)
	}
	want := Dora{DeployFrequency: DoraHigh, LeadTime: DoraHigh, ChangeFailureRate: DoraLow, Recovery: DoraHigh}
	if d.Dora != want {
		t.Errorf("DORA %+v, want %+v", d.Dora, want)
	}
	if r.Total.Deploys.Production != 3 || teamByName(t, r, "Fraud ML").Deploys.HasDeployments {
		t.Errorf("total %d deploys; fraud has deployments %v", r.Total.Deploys.Production, teamByName(t, r, "Fraud ML").Deploys.HasDeployments)
	}
}

func TestRecoveryIsPerEnvironment(t *testing.T) {
	deps := []Deployment{
		{Source: GitHub, Repo: "acme/platform", ID: "a", Environment: "prod", Result: Failure, FinishedAt: ago(3 * day)},
		{Source: GitHub, Repo: "acme/platform", ID: "b", Environment: "live", Result: Success, FinishedAt: ago(2 * day)},
		{Source: GitHub, Repo: "acme/platform", ID: "c", Environment: "prod", Result: Success, FinishedAt: ago(day)},
		{Source: GitHub, Repo: "acme/platform", ID: "d", Environment: "prod", Result: Failure, FinishedAt: ago(hour)},
		{Source: GitHub, Repo: "acme/platform", ID: "e", Environment: "prod", Result: Success, FinishedAt: ago(hour)}, // same instant: not "after"
	}
	r := Compute(&Dataset{Deployments: deps}, testSettings(), testNow)
	d := teamByName(t, r, "Platform").Deploys
	if d.Recovery.Current != one(2*day) {
		t.Errorf("recovery %+v, want only a → c (2d)", d.Recovery.Current)
	}
	if d.Failures[0].Failed.ID != "d" || d.Failures[0].Recovered != nil {
		t.Errorf("d %+v: a success at the same instant does not recover it", d.Failures[0])
	}
}

func TestDoraBuckets(t *testing.T) {
	rate := func(f float64) *float64 { return &f }
	stat := func(d time.Duration) Stats { return one(d) }
	cases := []struct{ got, want string }{
		{DoraDeployFrequency(5), DoraElite},
		{DoraDeployFrequency(4.99), DoraHigh},
		{DoraDeployFrequency(1), DoraHigh},
		{DoraDeployFrequency(7.0 / 30), DoraMedium},
		{DoraDeployFrequency(0.2), DoraLow},
		{DoraLeadTime(stat(day - time.Second)), DoraElite},
		{DoraLeadTime(stat(day)), DoraHigh},
		{DoraLeadTime(stat(7 * day)), DoraMedium},
		{DoraLeadTime(stat(30 * day)), DoraLow},
		{DoraLeadTime(Stats{}), ""},
		{DoraChangeFailureRate(rate(0.05)), DoraElite},
		{DoraChangeFailureRate(rate(1.0 / 10)), DoraHigh},
		{DoraChangeFailureRate(rate(0.15)), DoraMedium},
		{DoraChangeFailureRate(rate(0.16)), DoraLow},
		{DoraChangeFailureRate(nil), ""},
		{DoraRecovery(stat(59 * time.Minute)), DoraElite},
		{DoraRecovery(stat(hour)), DoraHigh},
		{DoraRecovery(stat(day)), DoraMedium},
		{DoraRecovery(stat(7 * day)), DoraLow},
		{DoraRecovery(Stats{Count: 1, P50: math.MaxInt64}), DoraLow},
		{DoraRecovery(Stats{}), ""},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

// A deployment every 12 hours: every day of the window has one, and a
// window starting mid-day (15 calendar dates) still gives exactly 7 days a week.
func TestDeployDaysNeverExceedSeven(t *testing.T) {
	var deps []Deployment
	for i := 0; i < 28; i++ {
		at := ago(time.Duration(i)*12*hour + time.Minute)
		deps = append(deps, Deployment{Source: GitHub, Repo: "acme/platform", ID: "d" + string(rune('a'+i)),
			Environment: "production", Result: Success, CreatedAt: at.Add(-time.Minute), FinishedAt: at})
	}
	r := Compute(&Dataset{Deployments: deps}, testSettings(), testNow)
	d := teamByName(t, r, "Platform").Deploys
	if d.Production != 28 || d.DaysPerWeek != 7 {
		t.Errorf("production %d, days per week %v; want 28 and 7", d.Production, d.DaysPerWeek)
	}
}
