package report

import (
	"time"

	"github.com/pace-dev/pace/domain"
)

// fixNow is the fixed "now" of the hand-built fixture.
var fixNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// hostileTitle carries what an attacker could put in a PR title: colour and
// cursor escapes, an OSC window-title change with a hidden hyperlink, a bidi
// override, a newline, a tab and enough words to need truncation.
const hostileTitle = "\x1b[31mRed\x1b[0m alert\x1b]0;pwned\x07 \x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\\n\tfix \u202egnp.exe <b>bold</b> *stars* and a very long tail that keeps going and going"

func ago(d time.Duration) time.Time { return fixNow.Add(-d) }

func f64(v float64) *float64 { return &v }

const (
	h = time.Hour
	d = 24 * time.Hour
)

// fixture returns a small report and dataset by hand: team "Fraud ML" with
// data in every section (some parts unknown), team "Platform" with no data at
// all, and the org total. The numbers need not be consistent with each
// other: the report package prints what it is given.
func fixture() (*domain.Report, *domain.Dataset) {
	waitingChange := &domain.Change{
		Source: domain.GitHub, Repo: "acme/fraud-model", Number: 412, URL: "https://github.com/acme/fraud-model/pull/412",
		Title: hostileTitle, Author: "alice", OpenedAt: ago(80 * h), ReadyAt: ago(76 * h),
	}
	staleRun := &domain.Run{ID: "9", URL: "https://github.com/acme/fraud-model/actions/runs/9", StartedAt: ago(12 * d)}
	stale := &domain.Experiment{
		Source: domain.GitHub, Repo: "acme/fraud-model", Key: "exp/graph-v3\x1b[2J", Owner: "bob",
		Runs: []*domain.Run{staleRun, staleRun}, FirstRunAt: ago(20 * d), LastRunAt: ago(12 * d),
		Status: domain.Stale, IdleSeconds: int64(12 * d / time.Second),
	}
	zombieRun := &domain.Run{ID: "77", URL: "https://github.com/acme/fraud-model/actions/runs/77", StartedAt: ago(31 * h)}
	zombie := &domain.Experiment{Source: domain.GitHub, Repo: "acme/fraud-model", Key: "exp/long-train", Owner: "carol"}
	fast := &domain.Experiment{
		Source: domain.GitLab, Repo: "acme/ml/feature-store", Key: "exp/graph-features-v2", Owner: "dave",
		FirstRunAt: ago(6 * d), ConcludedAt: ago(6*d - 60*h), Status: domain.Abandoned,
	}
	failed := &domain.Deployment{Repo: "acme/fraud-model", Environment: "production", FinishedAt: ago(3 * d),
		URL: "https://github.com/acme/fraud-model/deployments/5"}
	recovered := &domain.Deployment{Repo: "acme/fraud-model", Environment: "production", FinishedAt: ago(3*d - 2*h)}

	fraud := domain.TeamReport{
		Name:    "Fraud ML",
		Changes: domain.ChangeCounts{Merged: 42, Opened: 55, BotsExcluded: 3},
		Coding:  domain.Metric{Current: domain.Stats{Count: 40, P50: 5 * 3600, P75: 9 * 3600, P90: 20 * 3600}},
		Pickup:  domain.Metric{Current: domain.Stats{Count: 41, P50: 3 * 3600, P75: 8 * 3600, P90: 30 * 3600}},
		Review:  domain.Metric{Current: domain.Stats{Count: 41, P50: 9 * 3600, P75: 26 * 3600, P90: 50 * 3600}},
		// Deploy: no data at all (Count 0) must print "—", not 0s.
		CycleTime: domain.Metric{
			Current:  domain.Stats{Count: 42, P50: 31 * 3600, P75: 181440, P90: 388800},
			Previous: domain.Stats{Count: 38, P50: 36 * 3600, P75: 200000, P90: 400000},
		},
		LeadTime: domain.Metric{Current: domain.Stats{Count: 30, P50: 138240, P75: 200000, P90: 300000}},
		Deploys: domain.DeployReport{
			Production: 7, Failed: 1, PerWeek: 3.5, DaysPerWeek: 2, ChangeFailureRate: f64(0.125),
			Recovery:       domain.Metric{Current: domain.Stats{Count: 1, P50: 7200, P75: 7200, P90: 7200}},
			ByTier:         map[domain.Tier]domain.TierDeploys{domain.Production: {Successful: 7, PerWeek: 3.5, DaysPerWeek: 2}},
			Failures:       []domain.Recovery{{Failed: failed, Recovered: recovered, Seconds: 7200}},
			Dora:           domain.Dora{DeployFrequency: "high", LeadTime: "high", ChangeFailureRate: "medium", Recovery: "high"},
			HasDeployments: true,
		},
		Experiments: domain.ExperimentReport{
			Running: 2, Active: 5, Adopted: 1, Abandoned: 2, DecisionsPerWeek: 1.5,
			Turnaround:   domain.Metric{Current: domain.Stats{Count: 12, P50: 6 * 3600, P75: 20 * 3600, P90: 40 * 3600}},
			Stale:        []*domain.Experiment{stale},
			Zombies:      []domain.Zombie{{Experiment: zombie, Run: zombieRun, Seconds: 31 * 3600}},
			FastFailures: []*domain.Experiment{fast},
		},
		Allocation: domain.AllocationReport{
			Target: &domain.Split{Research: 60, Engineering: 40}, PersonDays: &domain.Split{Research: 42, Engineering: 58},
			Drift: f64(-18), TotalDays: 50,
		},
		Waiting: []domain.Waiting{{Change: waitingChange, Seconds: 76 * 3600}},
		Guardrails: []domain.GuardrailResult{
			{Guardrail: domain.Guardrail{Metric: "cycle_time.p50", Op: domain.LE, Value: 24 * 3600, Rule: "<= 24h"}, Value: f64(31 * 3600), OK: false},
			{Guardrail: domain.Guardrail{Metric: "stale_experiments", Op: domain.LE, Value: 2, Rule: "<= 2"}, Value: f64(1), OK: true},
		},
	}
	fraud.CycleTime.Weekly[11] = domain.Stats{Count: 5, P50: 30 * 3600, P75: 40 * 3600, P90: 50 * 3600}
	fraud.Deploys.Weekly[11] = 4

	platform := domain.TeamReport{
		Name: "Platform",
		Guardrails: []domain.GuardrailResult{
			{Guardrail: domain.Guardrail{Metric: "pickup.p75", Op: domain.LE, Value: 8 * 3600, Rule: "<= 8h"}, OK: true},
		},
	}
	total := fraud
	total.Name = "All teams"
	total.Allocation.Target, total.Allocation.Drift = nil, nil

	rep := &domain.Report{
		Org:         "Acme \x1b[5mAnalytics",
		GeneratedAt: fixNow,
		Window:      domain.Period{Start: ago(14 * d), End: fixNow},
		Previous:    domain.Period{Start: ago(28 * d), End: ago(14 * d)},
		Teams:       []domain.TeamReport{fraud, platform},
		Total:       total,
		Quality:     domain.DataQuality{BotChanges: 3, NegativeSpans: 2, FutureEvents: 1, UnattributedChanges: 4},
		Sources: []domain.SourceStatus{
			{Name: "github", LastSync: ago(10 * time.Minute)},
			{Name: "gitlab", LastSync: ago(3 * h), Errors: []string{"acme/ml/x: 404 \x1b[31mnot found"}},
		},
	}
	for i := range domain.Weeks {
		rep.WeekStarts[i] = time.Date(2026, 9, 7, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*i)
	}

	ds := &domain.Dataset{
		Org: rep.Org,
		Changes: []domain.Change{
			// merged in the window, every time known except deployed
			{Source: domain.GitHub, Repo: "acme/fraud-model", Number: 7, URL: "https://github.com/acme/fraud-model/pull/7",
				Title: "Add drift monitor", Author: "bob", Team: "Fraud ML", Category: domain.Research,
				FirstCommitAt: ago(5 * d), OpenedAt: ago(4 * d), ReadyAt: ago(4 * d), FirstReviewAt: ago(3 * d),
				ApprovedAt: ago(2 * d), MergedAt: ago(2 * d)},
			*waitingChange,
			// a bot change, included with bot=true
			{Source: domain.GitHub, Repo: "acme/fraud-model", Number: 3, Title: "Bump grpc", Author: "renovate[bot]",
				Team: "Fraud ML", Category: domain.Engineering, Bot: true, OpenedAt: ago(2 * d)},
			// a formula title on another team
			{Source: domain.GitLab, Repo: "acme/platform", Number: 1, Title: "=HYPERLINK(\"http://x\")", Author: "erin",
				Team: "Platform", Category: domain.Engineering, OpenedAt: ago(1 * d), ReadyAt: ago(1 * d)},
			// merged before the window: left out
			{Source: domain.GitHub, Repo: "acme/fraud-model", Number: 1, Title: "Old", Author: "bob", Team: "Fraud ML",
				OpenedAt: ago(40 * d), MergedAt: ago(30 * d)},
			// deployed after now (a --now in the past): the deploy time is dropped
			{Source: domain.GitHub, Repo: "acme/fraud-model", Number: 9, Title: "Later deploy", Author: "bob", Team: "Fraud ML",
				OpenedAt: ago(3 * d), MergedAt: ago(1 * d), DeployedAt: fixNow.Add(2 * h)},
			// in no team: only without a filter
			{Source: domain.GitHub, Repo: "acme/misc", Number: 2, Title: "Unclaimed", Author: "zed", OpenedAt: ago(1 * d)},
		},
	}
	return rep, ds
}
