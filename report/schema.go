package report

// The JSON schema "pace.snapshot/v1" (SPEC §9). domain carries no JSON tags
// on purpose: these structs are the published contract, and their field
// order is the key order of the output. Fields may be added; none may be
// renamed or removed without a new Schema value. Pointers and nil slices
// that must read as [] are how "unknown is null, empty is []" is kept.

// Schema is the version string of the JSON snapshot.
const Schema = "pace.snapshot/v1"

type jsonSnapshot struct {
	Schema      string      `json:"schema"`
	Org         *string     `json:"org"`
	GeneratedAt string      `json:"generated_at"`
	Window      jsonWindow  `json:"window"`
	Teams       []jsonTeam  `json:"teams"`
	Total       jsonTeam    `json:"total"`
	DataQuality jsonQuality `json:"data_quality"`
	Sources     []jsonSrc   `json:"sources"`
}

type jsonWindow struct {
	Start         string  `json:"start"`
	End           string  `json:"end"`
	Days          float64 `json:"days"`
	PreviousStart string  `json:"previous_start"`
	PreviousEnd   string  `json:"previous_end"`
}

type jsonTeam struct {
	Name             string          `json:"name"`
	Changes          jsonChanges     `json:"changes"`
	CycleTime        jsonMetric      `json:"cycle_time"`
	Coding           jsonMetric      `json:"coding"`
	Pickup           jsonMetric      `json:"pickup"`
	Review           jsonMetric      `json:"review"`
	Deploy           jsonMetric      `json:"deploy"`
	LeadTime         jsonMetric      `json:"lead_time"`
	Deploys          jsonDeploys     `json:"deploys"`
	Experiments      jsonExperiments `json:"experiments"`
	Allocation       jsonAllocation  `json:"allocation"`
	WaitingForReview []jsonWaiting   `json:"waiting_for_review"`
	Guardrails       []jsonGuardrail `json:"guardrails"`
	Trend            jsonTrend       `json:"trend"`
}

type jsonChanges struct {
	Merged       int `json:"merged"`
	Opened       int `json:"opened"`
	BotsExcluded int `json:"bots_excluded"`
}

type jsonStats struct {
	Count int    `json:"count"`
	P50   *int64 `json:"p50_s"`
	P75   *int64 `json:"p75_s"`
	P90   *int64 `json:"p90_s"`
}

type jsonMetric struct {
	jsonStats
	Previous jsonStats `json:"previous"`
}

type jsonDeploys struct {
	Production        int          `json:"production"`
	Failed            int          `json:"failed"`
	PerWeek           *float64     `json:"per_week"`
	DeployDaysPerWeek *float64     `json:"deploy_days_per_week"`
	ChangeFailureRate *float64     `json:"change_failure_rate"`
	Recovery          jsonMetric   `json:"recovery"`
	Dora              jsonDora     `json:"dora"`
	PreviousPerWeek   *float64     `json:"previous_per_week"`
	ByTier            jsonTiers    `json:"by_tier"`
	Failures          []jsonFailed `json:"failures"`
}

type jsonDora struct {
	DeployFrequency   *string `json:"deploy_frequency"`
	LeadTime          *string `json:"lead_time"`
	ChangeFailureRate *string `json:"change_failure_rate"`
	Recovery          *string `json:"recovery"`
}

type jsonTiers struct {
	Production jsonTier `json:"production"`
	Staging    jsonTier `json:"staging"`
	Other      jsonTier `json:"other"`
}

type jsonTier struct {
	Successful        int     `json:"successful"`
	PerWeek           float64 `json:"per_week"`
	DeployDaysPerWeek float64 `json:"deploy_days_per_week"`
}

type jsonFailed struct {
	Repo        string  `json:"repo"`
	Environment string  `json:"environment"`
	URL         *string `json:"url"`
	FailedAt    *string `json:"failed_at"`
	RecoveredAt *string `json:"recovered_at"`
	Recovery    *int64  `json:"recovery_s"`
}

type jsonExperiments struct {
	Running          int              `json:"running"`
	Active           int              `json:"active"`
	Adopted          int              `json:"adopted"`
	Abandoned        int              `json:"abandoned"`
	DecisionsPerWeek float64          `json:"decisions_per_week"`
	Turnaround       jsonMetric       `json:"turnaround"`
	RunDuration      jsonMetric       `json:"run_duration"`
	QueueTime        jsonMetric       `json:"queue_time"`
	TimeToDecision   jsonMetric       `json:"time_to_decision"`
	Stale            []jsonStale      `json:"stale"`
	Zombies          []jsonZombie     `json:"zombies"`
	FastFailures     []jsonFastFailed `json:"fast_failures"`
}

type jsonStale struct {
	Key        string  `json:"key"`
	Repo       string  `json:"repo"`
	Owner      *string `json:"owner"`
	FirstRunAt *string `json:"first_run_at"`
	LastRunAt  *string `json:"last_run_at"`
	Idle       int64   `json:"idle_s"`
	Runs       int     `json:"runs"`
	Source     string  `json:"source"`
}

type jsonZombie struct {
	Key       string  `json:"key"`
	Repo      string  `json:"repo"`
	RunURL    *string `json:"run_url"`
	StartedAt *string `json:"started_at"`
	Running   int64   `json:"running_s"`
	Source    string  `json:"source"`
}

type jsonFastFailed struct {
	Key       string  `json:"key"`
	Repo      string  `json:"repo"`
	Owner     *string `json:"owner"`
	DecidedIn *int64  `json:"decided_in_s"`
	Source    string  `json:"source"`
}

type jsonSplit struct {
	Research    float64 `json:"research"`
	Engineering float64 `json:"engineering"`
}

type jsonAllocation struct {
	Target        *jsonSplit `json:"target"`
	PersonDays    *jsonSplit `json:"person_days"`
	MergedChanges *jsonSplit `json:"merged_changes"`
	Drift         *float64   `json:"drift"`
	TotalDays     float64    `json:"total_person_days"`
}

type jsonWaiting struct {
	Repo    string  `json:"repo"`
	Number  int     `json:"number"`
	Title   string  `json:"title"`
	URL     *string `json:"url"`
	Author  *string `json:"author"`
	ReadyAt *string `json:"ready_at"`
	Wait    int64   `json:"wait_s"`
	Source  string  `json:"source"`
}

type jsonGuardrail struct {
	Metric string   `json:"metric"`
	Rule   string   `json:"rule"`
	Value  *float64 `json:"value"`
	OK     bool     `json:"ok"`
	Unit   string   `json:"unit"`
}

type jsonTrend struct {
	WeekStarts    []string `json:"week_starts"`
	CycleTimeP50  []*int64 `json:"cycle_time_p50_s"`
	Deploys       []*int   `json:"deploys"`
	TurnaroundP50 []*int64 `json:"turnaround_p50_s"`
	LeadTimeP50   []*int64 `json:"lead_time_p50_s"`
	PickupP75     []*int64 `json:"pickup_p75_s"`
	Decisions     []int    `json:"decisions"`
}

type jsonQuality struct {
	NegativeSpans       int `json:"negative_spans"`
	FutureEvents        int `json:"future_events"`
	BotChanges          int `json:"bot_changes"`
	UnattributedChanges int `json:"unattributed_changes"`
}

type jsonSrc struct {
	Name     string   `json:"name"`
	LastSync *string  `json:"last_sync"`
	Errors   []string `json:"errors"`
}
