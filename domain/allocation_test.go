package domain

import (
	"testing"
	"time"
)

// TestAllocation hand-computes person-days for three people over two days:
//
//	Jun 10  alice  commit on R (research) + review of E1 (engineering)    Fraud ML 0.5/0.5
//	        bob    comment on R (Fraud ML, research)                      Fraud ML 1.0 research
//	        bob    commit on P1 + P1 merged (Platform, engineering)       Platform 1.0 engineering
//	Jun 11  alice  opens E2 (engineering)                                 Fraud ML 1.0 engineering
//	        carol  experiment run (research) + review of E2 (not her team) Platform 0.5/0.5
//
// The org total sees each person-day once: bob's Jun 10 is 0.5/0.5 there.
//
// Person-days are the window's 24-hour days, which start at 12:00 UTC here
// (now is 12:00, the window now − 14d), so "Jun 10 h" below is placed at
// Jun 10 12:00 + h: every activity of a listed day stays in one window day.
func TestAllocation(t *testing.T) {
	jun := func(d, h int) time.Time { return time.Date(2024, 6, d, 12+h, 0, 0, 0, time.UTC) }
	old := ago(20 * day)
	r := Change{Source: GitHub, Repo: "acme/fraud-model", Number: 1, Author: "alice", Labels: []string{"research"},
		OpenedAt: old, ReadyAt: old, MergedAt: jun(10, 16), Activity: []Activity{
			{Kind: Commit, Login: "alice", At: jun(10, 9)},
			{Kind: Comment, Login: "bob", At: jun(10, 11)},
			{Kind: Commit, Login: "mallory", At: jun(10, 12)},       // in no team
			{Kind: Review, Login: "renovate[bot]", At: jun(11, 12)}, // a bot
			{Kind: Commit, Login: "", At: jun(11, 13)},              // no login
		}}
	e1 := Change{Source: GitHub, Repo: "acme/fraud-model", Number: 2, Author: "bob", OpenedAt: old, ReadyAt: old,
		Activity: []Activity{{Kind: Review, Login: "alice", At: jun(10, 15)}}}
	e2 := Change{Source: GitHub, Repo: "acme/fraud-model", Number: 3, Author: "alice", OpenedAt: jun(11, 10), ReadyAt: jun(11, 10),
		Activity: []Activity{{Kind: Review, Login: "carol", At: jun(11, 14)}}}
	p1 := Change{Source: GitHub, Repo: "acme/platform", Number: 4, Author: "bob", OpenedAt: old, ReadyAt: old, MergedAt: jun(10, 12),
		Activity: []Activity{{Kind: Commit, Login: "bob", At: jun(10, 10)}}}
	botPR := Change{Source: GitHub, Repo: "acme/fraud-model", Number: 5, Author: "dependabot", OpenedAt: jun(9, 1), ReadyAt: jun(9, 1),
		Activity: []Activity{{Kind: Review, Login: "alice", At: jun(9, 2)}}} // left out with the bot's change
	run := Run{Source: GitHub, Repo: "acme/platform", ID: "1", Workflow: "train.yml", Branch: "exp/p", Actor: "carol",
		CreatedAt: jun(11, 8), StartedAt: jun(11, 8), FinishedAt: jun(11, 9), Result: Success}
	rep := Compute(&Dataset{Changes: []Change{r, e1, e2, p1, botPR}, Runs: []Run{run}}, testSettings(), testNow)

	fraud := teamByName(t, rep, "Fraud ML").Allocation
	if fraud.TotalDays != 3 || *fraud.PersonDays != (Split{Research: 50, Engineering: 50}) {
		t.Errorf("fraud: %v days, split %+v, want 3 days 50/50", fraud.TotalDays, fraud.PersonDays)
	}
	if fraud.Drift == nil || *fraud.Drift != 20 {
		t.Errorf("fraud drift %v, want +20 points (50 − 30)", fraud.Drift)
	}
	if fraud.MergedChanges == nil || *fraud.MergedChanges != (Split{Research: 100}) {
		t.Errorf("fraud merged split %+v, want all research", fraud.MergedChanges)
	}
	wantPeople := []PersonAllocation{{Login: "alice", Research: 0.5, Engineering: 1.5}, {Login: "bob", Research: 1}}
	if len(fraud.ByPerson) != 2 || fraud.ByPerson[0] != wantPeople[0] || fraud.ByPerson[1] != wantPeople[1] {
		t.Errorf("fraud by person %+v, want %+v", fraud.ByPerson, wantPeople)
	}

	plat := teamByName(t, rep, "Platform").Allocation
	if plat.TotalDays != 2 || *plat.PersonDays != (Split{Research: 25, Engineering: 75}) || plat.Drift != nil || plat.Target != nil {
		t.Errorf("platform: %v days, split %+v, drift %v, want 2 days 25/75 and no target", plat.TotalDays, plat.PersonDays, plat.Drift)
	}
	if *plat.MergedChanges != (Split{Engineering: 100}) {
		t.Errorf("platform merged split %+v", plat.MergedChanges)
	}

	total := rep.Total.Allocation
	if total.TotalDays != 4 || *total.PersonDays != (Split{Research: 37.5, Engineering: 62.5}) || total.Drift != nil {
		t.Errorf("total: %v days, split %+v, drift %v, want 4 days 37.5/62.5, no drift", total.TotalDays, total.PersonDays, total.Drift)
	}
}

func TestAllocationIgnoresActivityOutsideWindow(t *testing.T) {
	c := Change{Source: GitHub, Repo: "acme/platform", Number: 1, Author: "carol", OpenedAt: ago(30 * day), ReadyAt: ago(30 * day),
		Activity: []Activity{{Kind: Commit, Login: "carol", At: ago(15 * day)}, {Kind: Commit, Login: "carol", At: testNow}}}
	a := teamByName(t, Compute(&Dataset{Changes: []Change{c}}, testSettings(), testNow), "Platform").Allocation
	if a.TotalDays != 0 || a.PersonDays != nil || len(a.ByPerson) != 0 {
		t.Errorf("allocation %+v, want nothing", a)
	}
}

// Someone active every 12 hours is active on each of the window's 14 days,
// never on 15, though a window starting at 12:00 touches 15 calendar dates.
func TestPersonDaysNeverExceedWindowDays(t *testing.T) {
	var acts []Activity
	for i := 0; i < 28; i++ {
		acts = append(acts, Activity{Kind: Commit, Login: "carol", At: ago(time.Duration(i)*12*hour + time.Minute)})
	}
	c := Change{Source: GitHub, Repo: "acme/platform", Number: 1, Author: "carol", OpenedAt: ago(30 * day), ReadyAt: ago(30 * day), Activity: acts}
	rep := Compute(&Dataset{Changes: []Change{c}}, testSettings(), testNow)
	if got := teamByName(t, rep, "Platform").Allocation.TotalDays; got != 14 {
		t.Errorf("person-days %v, want 14", got)
	}
}
