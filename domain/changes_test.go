package domain

import (
	"testing"
	"time"
)

func TestSpansScenarios(t *testing.T) {
	unknown := int64(-1)
	tests := []struct {
		name     string
		change   Change
		want     Spans
		negative int
	}{
		{
			name: "draft then ready",
			change: Change{FirstCommitAt: ago(11 * day), OpenedAt: ago(10 * day), ReadyAt: ago(8 * day),
				FirstReviewAt: ago(7 * day), MergedAt: ago(6 * day), DeployedAt: ago(6*day - 2*hour)},
			want: Spans{Coding: secs(3 * day), Pickup: secs(day), Review: secs(day), Deploy: secs(2 * hour),
				Cycle: secs(5 * day), Lead: secs(5*day + 2*hour)},
		},
		{
			name:   "no review",
			change: Change{FirstCommitAt: ago(3 * day), OpenedAt: ago(2 * day), ReadyAt: ago(2 * day), MergedAt: ago(day)},
			want:   Spans{Coding: secs(day), Pickup: unknown, Review: unknown, Deploy: unknown, Cycle: secs(2 * day), Lead: unknown},
		},
		{
			name: "review before ready: pickup unknown and counted, review still known",
			change: Change{FirstCommitAt: ago(11 * day), OpenedAt: ago(10 * day), ReadyAt: ago(8 * day),
				FirstReviewAt: ago(9 * day), MergedAt: ago(6 * day)},
			want:     Spans{Coding: secs(3 * day), Pickup: unknown, Review: secs(3 * day), Deploy: unknown, Cycle: secs(5 * day), Lead: unknown},
			negative: 1,
		},
		{
			name: "first commit authored after the change was opened (rebase)",
			change: Change{OpenedAt: ago(5 * day), ReadyAt: ago(5 * day), FirstCommitAt: ago(4 * day),
				FirstReviewAt: ago(3 * day), MergedAt: ago(day)},
			want:     Spans{Coding: unknown, Pickup: secs(2 * day), Review: secs(2 * day), Deploy: unknown, Cycle: secs(4 * day), Lead: unknown},
			negative: 1,
		},
		{
			name:   "closed unmerged",
			change: Change{FirstCommitAt: ago(3 * day), OpenedAt: ago(3 * day), ReadyAt: ago(3 * day), FirstReviewAt: ago(2 * day), ClosedAt: ago(day)},
			want:   Spans{Coding: 0, Pickup: secs(day), Review: unknown, Deploy: unknown, Cycle: unknown, Lead: unknown},
		},
		{
			name:     "merged before opened (impossible timestamps)",
			change:   Change{OpenedAt: ago(day), ReadyAt: ago(day), MergedAt: ago(2 * day)},
			want:     Spans{Coding: unknown, Pickup: unknown, Review: unknown, Deploy: unknown, Cycle: unknown, Lead: unknown},
			negative: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.change
			if got := SpansOf(&c); got != tt.want {
				t.Errorf("SpansOf = %+v\nwant      %+v", got, tt.want)
			}
			neg := 0
			spansAt(&c, testNow, &neg)
			if neg != tt.negative {
				t.Errorf("negative spans = %d, want %d", neg, tt.negative)
			}
		})
	}
}

func TestSpansIgnoreEventsAfterNow(t *testing.T) {
	c := Change{OpenedAt: ago(3 * day), ReadyAt: ago(3 * day), FirstReviewAt: ago(2 * day),
		MergedAt: ago(day), DeployedAt: testNow.Add(hour)}
	sp := spansAt(&c, testNow, nil)
	if sp.Deploy != -1 || sp.Lead != -1 {
		t.Errorf("deploy after now gave deploy=%d lead=%d, want unknown", sp.Deploy, sp.Lead)
	}
	sp = spansAt(&c, ago(36*hour), nil) // as of before the merge
	if sp.Review != -1 || sp.Cycle != -1 || sp.Pickup != secs(day) {
		t.Errorf("as of before the merge: %+v, want review/cycle unknown, pickup 1d", sp)
	}
}

// TestComputeChanges runs the span scenarios through Compute: the periods a
// change counts in, counts, listings and data-quality notes.
func TestComputeChanges(t *testing.T) {
	s := testSettings()
	draft := merged("acme/fraud-model", 1, "alice", 11*day, 10*day, 7*day, 6*day)
	draft.ReadyAt = ago(8 * day)
	noReview := merged("acme/fraud-model", 2, "alice", 3*day, 2*day, 0, day)
	reviewFirst := merged("acme/fraud-model", 3, "alice", 11*day, 10*day, 9*day, 6*day)
	reviewFirst.ReadyAt = ago(8 * day)
	closed := Change{Source: GitHub, Repo: "acme/fraud-model", Number: 4, Author: "alice",
		OpenedAt: ago(3 * day), ReadyAt: ago(3 * day), ClosedAt: ago(day)}
	prevWindow := merged("acme/fraud-model", 5, "alice", 20*day, 20*day, 19*day, 18*day)
	future := merged("acme/fraud-model", 6, "alice", day, day, 0, 0)
	future.MergedAt = testNow.Add(day) // merged after now: still open as of now
	botChange := merged("acme/fraud-model", 7, "renovate[bot]", 2*day, 2*day, day, day)
	ds := &Dataset{Changes: []Change{draft, noReview, reviewFirst, closed, prevWindow, future, botChange}}

	r := Compute(ds, s, testNow)
	fraud := teamByName(t, r, "Fraud ML")

	// Cycle times in the window: 5d (draft), 2d (no review), 5d (review first).
	if want := (Stats{Count: 3, P50: secs(5 * day), P75: secs(5 * day), P90: secs(5 * day)}); fraud.CycleTime.Current != want {
		t.Errorf("cycle current = %+v, want %+v", fraud.CycleTime.Current, want)
	}
	if want := one(2 * day); fraud.CycleTime.Previous != want {
		t.Errorf("cycle previous = %+v, want %+v", fraud.CycleTime.Previous, want)
	}
	// Pickup: only the draft-then-ready change has one (1d); review-first is negative.
	if want := one(day); fraud.Pickup.Current != want {
		t.Errorf("pickup current = %+v, want %+v", fraud.Pickup.Current, want)
	}
	// Review: 1d (draft) and 3d (review first); nearest-rank median of 2 is the lower.
	if want := (Stats{Count: 2, P50: secs(day), P75: secs(3 * day), P90: secs(3 * day)}); fraud.Review.Current != want {
		t.Errorf("review current = %+v, want %+v", fraud.Review.Current, want)
	}
	if fraud.Deploy.Current.Known() || fraud.LeadTime.Current.Known() {
		t.Errorf("never-deployed changes gave deploy %+v lead %+v, want no data", fraud.Deploy.Current, fraud.LeadTime.Current)
	}
	if want := (ChangeCounts{Merged: 3, Opened: 5, BotsExcluded: 1}); fraud.Changes != want {
		t.Errorf("counts = %+v, want %+v", fraud.Changes, want)
	}
	if len(fraud.Merged) != 3 || fraud.Merged[0].Change.Number != 2 {
		t.Errorf("merged list %v, want 3 newest first starting with #2", numbers(fraud.Merged))
	}
	if len(fraud.Slowest) != 3 || fraud.Slowest[2].Change.Number != 2 {
		t.Errorf("slowest %v, want #2 (2d) last", numbers(fraud.Slowest))
	}
	// Waiting: only #6 (opened 1d ago, merged after now, no review).
	if len(fraud.Waiting) != 1 || fraud.Waiting[0].Change.Number != 6 || fraud.Waiting[0].Seconds != secs(day) {
		t.Errorf("waiting = %+v, want #6 for 1d", fraud.Waiting)
	}
	// Week of the merges: draft and reviewFirst merged Thu Jun 6 12:00 (week 10),
	// noReview Tue Jun 11 12:00 (week 11).
	if fraud.CycleTime.Weekly[10].Count != 2 || fraud.CycleTime.Weekly[11] != one(2*day) {
		t.Errorf("weekly cycle: w10 %+v w11 %+v", fraud.CycleTime.Weekly[10], fraud.CycleTime.Weekly[11])
	}
	want := DataQuality{NegativeSpans: 1, FutureEvents: 1, BotChanges: 1}
	if r.Quality != want {
		t.Errorf("quality = %+v, want %+v", r.Quality, want)
	}
	if r.Total.CycleTime.Current != fraud.CycleTime.Current || r.Total.Name != TotalName {
		t.Errorf("total %q cycle %+v, want the only team's", r.Total.Name, r.Total.CycleTime.Current)
	}
}

func numbers(cs []ChangeSpan) []int {
	var out []int
	for _, c := range cs {
		out = append(out, c.Change.Number)
	}
	return out
}

func TestOnlyBotReviewsAreNoReview(t *testing.T) {
	s := testSettings()
	c := Change{Source: GitHub, Repo: "acme/fraud-model", Number: 9, Author: "alice",
		OpenedAt: ago(2 * day), ReadyAt: ago(2 * day),
		FirstReviewAt: ago(day), // the source counted the bot: Prepare must not
		Activity: []Activity{
			{Kind: Commit, Login: "alice", At: ago(3 * day)},
			{Kind: Review, Login: "coderabbit[bot]", At: ago(47 * hour)},
			{Kind: Approval, Login: "Renovate", At: ago(46 * hour)},
			{Kind: Comment, Login: "ALICE", At: ago(45 * hour)}, // the author herself
			{Kind: Comment, Login: "", At: ago(44 * hour)},      // no login
		}}
	ds := &Dataset{Changes: []Change{c}}
	r := Compute(ds, s, testNow)
	got := &ds.Changes[0]
	if !got.FirstReviewAt.IsZero() || !got.ApprovedAt.IsZero() {
		t.Errorf("first review %v approved %v, want none", got.FirstReviewAt, got.ApprovedAt)
	}
	if !got.FirstCommitAt.Equal(ago(3 * day)) {
		t.Errorf("first commit %v, want %v", got.FirstCommitAt, ago(3*day))
	}
	fraud := teamByName(t, r, "Fraud ML")
	if len(fraud.Waiting) != 1 || fraud.Waiting[0].Seconds != secs(2*day) {
		t.Errorf("waiting = %+v, want the change for 2d", fraud.Waiting)
	}

	// A human review after the bots becomes the first review and approval.
	ds.Changes[0].Activity = append(ds.Changes[0].Activity, Activity{Kind: Approval, Login: "carol", At: ago(20 * hour)})
	ds.prep = nil
	Prepare(ds, s)
	if got := ds.Changes[0]; !got.FirstReviewAt.Equal(ago(20*hour)) || !got.ApprovedAt.Equal(ago(20*hour)) {
		t.Errorf("after carol's approval: first review %v approved %v", got.FirstReviewAt, got.ApprovedAt)
	}
}

func TestWaitingExcludesDraftsAndReviewed(t *testing.T) {
	base := Change{Source: GitHub, Repo: "acme/platform", Author: "carol", OpenedAt: ago(3 * day), ReadyAt: ago(2 * day)}
	draft := base
	draft.Number, draft.Draft, draft.ReadyAt = 1, true, time.Time{}
	reviewed := base
	reviewed.Number, reviewed.FirstReviewAt = 2, ago(day)
	reviewedLater := base
	reviewedLater.Number, reviewedLater.FirstReviewAt = 3, testNow.Add(hour) // after now: still waiting
	older := base
	older.Number, older.OpenedAt, older.ReadyAt = 4, ago(6*day), ago(5*day)
	ds := &Dataset{Changes: []Change{draft, reviewed, reviewedLater, older}}
	plat := teamByName(t, Compute(ds, testSettings(), testNow), "Platform")
	if len(plat.Waiting) != 2 || plat.Waiting[0].Change.Number != 4 || plat.Waiting[1].Change.Number != 3 {
		t.Fatalf("waiting = %+v, want #4 then #3", plat.Waiting)
	}
	if plat.Waiting[0].Seconds != secs(5*day) {
		t.Errorf("oldest waits %d s, want %d", plat.Waiting[0].Seconds, secs(5*day))
	}
}

func TestWeeklyBucketsAtWeekBoundary(t *testing.T) {
	monday := time.Date(2024, 6, 10, 0, 0, 0, 0, time.UTC)
	a := merged("acme/platform", 1, "carol", 0, 0, 0, 0)
	a.FirstCommitAt, a.OpenedAt, a.ReadyAt, a.MergedAt = monday.Add(-hour), monday.Add(-hour), monday.Add(-hour), monday
	b := a
	b.Number, b.MergedAt = 2, monday.Add(-time.Second)
	ds := &Dataset{Changes: []Change{a, b}}
	plat := teamByName(t, Compute(ds, testSettings(), testNow), "Platform")
	if w := plat.CycleTime.Weekly[11]; w != one(hour) {
		t.Errorf("this week = %+v, want one change of 1h", w)
	}
	if w := plat.CycleTime.Weekly[10]; w != one(hour-time.Second) {
		t.Errorf("last week = %+v, want one change of 59m59s", w)
	}
}

func TestEmptyWindowHasNoData(t *testing.T) {
	old := merged("acme/platform", 1, "carol", 200*day, 200*day, 199*day, 198*day)
	ds := &Dataset{Changes: []Change{old}, Deployments: []Deployment{
		{Source: GitHub, Repo: "acme/platform", ID: "1", Environment: "production", Result: Success,
			CreatedAt: ago(150 * day), FinishedAt: ago(150 * day)},
	}}
	r := Compute(ds, testSettings(), testNow)
	for _, tr := range append(r.Teams, r.Total) {
		for name, m := range map[string]Metric{"coding": tr.Coding, "pickup": tr.Pickup, "review": tr.Review,
			"deploy": tr.Deploy, "cycle": tr.CycleTime, "lead": tr.LeadTime, "recovery": tr.Deploys.Recovery,
			"turnaround": tr.Experiments.Turnaround, "ttd": tr.Experiments.TimeToDecision} {
			if m.Current.Known() || m.Previous.Known() {
				t.Errorf("%s %s: %+v, want no data", tr.Name, name, m)
			}
			for i, w := range m.Weekly {
				if w.Known() {
					t.Errorf("%s %s week %d: %+v, want no data", tr.Name, name, i, w)
				}
			}
		}
		d := tr.Deploys
		if d.ChangeFailureRate != nil || d.PerWeek != 0 || d.DaysPerWeek != 0 {
			t.Errorf("%s deploys %+v, want nothing", tr.Name, d)
		}
		if d.Dora.LeadTime != "" || d.Dora.ChangeFailureRate != "" || d.Dora.Recovery != "" {
			t.Errorf("%s DORA %+v, want no buckets but deploy frequency", tr.Name, d.Dora)
		}
		if tr.Allocation.PersonDays != nil || tr.Allocation.Drift != nil || tr.Allocation.MergedChanges != nil {
			t.Errorf("%s allocation %+v, want nil shares", tr.Name, tr.Allocation)
		}
		for _, g := range tr.Guardrails {
			if g.Value != nil && g.Metric != "stale_experiments" {
				t.Errorf("%s guardrail %s value %v, want unknown", tr.Name, g.Metric, *g.Value)
			}
		}
	}
	// Platform deployed once long ago: it has deployments, so its frequency is "low", not "".
	if got := teamByName(t, r, "Platform").Deploys.Dora.DeployFrequency; got != DoraLow {
		t.Errorf("platform deploy frequency bucket %q, want low", got)
	}
	if got := teamByName(t, r, "Fraud ML").Deploys.Dora.DeployFrequency; got != "" {
		t.Errorf("fraud deploy frequency bucket %q, want empty (no deployments at all)", got)
	}
}
