package domain

// Formulas gives, for every metric key, the one-line formula behind the
// number (SPEC §5), for the help screen and the README. Keys follow the
// snapshot JSON and guardrail names; FormulaOrder lists them for display.
var Formulas = map[string]string{
	"coding":     "coding: first commit → ready for review; merged changes, counted where merged_at falls",
	"pickup":     "pickup: ready for review → first review, review comment, comment or approval by someone else (not a bot); counted where merged_at falls",
	"review":     "review: first review → merged; counted where merged_at falls",
	"deploy":     "deploy: merged → first successful production deployment containing it (exact where the API tells, else first of the base branch finished after the merge); counted where deployed_at falls",
	"cycle_time": "cycle time: earlier of first commit and opened → merged; merged changes in the window",
	"lead_time":  "lead time for changes: earlier of first commit and opened → deployed to production; counted where deployed_at falls (DORA)",

	"deploy_frequency":     "deploy frequency: successful production deployments ÷ (window days ÷ 7); deploy days: days of the window (24 h from its start) with one ÷ (window days ÷ 7); also per tier",
	"deploys_per_week":     "deploys per week: successful production deployments finished in the window ÷ (window days ÷ 7)",
	"deploy_days_per_week": "deploy days per week: days of the window (24 h from its start) with a successful production deployment ÷ (window days ÷ 7)",
	"change_failure_rate":  "change failure rate: failed ÷ (successful + failed) production deployments finished in the window",
	"recovery":             "recovery time: failed production deployment finished → next successful one of the same repo and environment finished; counted where the success finished",
	"dora":                 "DORA 2023 buckets: deploy frequency elite ≥ 5 deploy-days/week, high ≥ 1, medium ≥ 1/month; lead time p50 elite < 1 day, high < 1 week, medium < 1 month; change failure rate ≤ 5 %, ≤ 10 %, ≤ 15 %; recovery p50 < 1 h, < 1 day, < 1 week; else low",

	"turnaround":         "experiment turnaround: gap between consecutive run starts of one experiment; counted where the later start falls",
	"run_duration":       "run duration: experiment run started → finished; counted where it finished",
	"queue_time":         "queue time: experiment run created → started; counted where it started",
	"time_to_decision":   "time to decision: first run → concluded (adopted: its change merged; abandoned: closed unmerged or labelled abandoned); counted where concluded",
	"fast_failures":      "fast failures: experiments abandoned within fail_fast of their first run, concluded in the window",
	"decisions":          "decisions: experiments concluded (adopted + abandoned) in the window; per week = count ÷ (window days ÷ 7)",
	"decisions_per_week": "decisions per week: experiments adopted or abandoned in the window ÷ (window days ÷ 7)",
	"stale_experiments":  "stale experiments: not concluded and no run started for stale_after",
	"zombie_runs":        "zombie runs: experiment runs still in progress max_run or more after they started",

	"allocation":         "allocation: share of active person-days per category; a member's day (24 h of the window, from its start) is split evenly over the categories of what they touched (commits, changes opened/reviewed/merged, experiment runs)",
	"merged_changes":     "merged changes split: share of changes merged in the window per category",
	"allocation_drift":   "drift: research share of person-days − research target, in percentage points",
	"waiting_for_review": "waiting for review: open, ready, non-draft changes with no review yet; wait = now − ready",

	"percentiles": "p50/p75/p90 are nearest-rank: the smallest value with at least p % of values at or below it (median of an even count is the lower middle)",
	"periods":     "window: [now − window, now); previous: the window before it; trend: the 12 ISO weeks (Monday 00:00 UTC) ending with this one",
	"exclusions":  "bot-authored changes are excluded (counted); negative spans (clock skew, rebases) are unknown; events after now are ignored",
}

// FormulaOrder lists the keys of Formulas in the order a help screen shows them.
var FormulaOrder = []string{
	"cycle_time", "coding", "pickup", "review", "deploy", "lead_time",
	"deploy_frequency", "deploys_per_week", "deploy_days_per_week", "change_failure_rate", "recovery", "dora",
	"turnaround", "run_duration", "queue_time", "time_to_decision", "fast_failures",
	"decisions", "decisions_per_week", "stale_experiments", "zombie_runs",
	"allocation", "merged_changes", "allocation_drift", "waiting_for_review",
	"percentiles", "periods", "exclusions",
}
