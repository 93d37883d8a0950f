package domain

import "time"

// Weeks is the number of weekly trend points (ISO weeks ending with the current one).
const Weeks = 12

// Period is a half-open time range [Start, End).
type Period struct {
	Start, End time.Time
}

// Contains reports whether t falls in [Start, End).
func (p Period) Contains(t time.Time) bool {
	return !t.IsZero() && !t.Before(p.Start) && t.Before(p.End)
}

// Days is the period's length in days.
func (p Period) Days() float64 { return p.End.Sub(p.Start).Hours() / 24 }

// Stats is a nearest-rank summary of durations in whole seconds.
// Count == 0 means "no data": the percentiles are then meaningless and must
// be shown as unknown, never as 0.
type Stats struct {
	Count         int
	P50, P75, P90 int64
}

// Known reports whether the stats hold any value.
func (s Stats) Known() bool { return s.Count > 0 }

// Metric is one duration metric for the window, the window before it and the
// 12 ISO weeks ending with the current one (Weekly[Weeks-1] is this week).
type Metric struct {
	Current  Stats
	Previous Stats
	Weekly   [Weeks]Stats
}

// Spans are one change's parts in whole seconds; -1 means unknown (an end
// or start is missing, or the span would be negative).
type Spans struct {
	Coding, Pickup, Review, Deploy, Cycle, Lead int64
}

// ChangeSpan is a change with its spans, as listed on screens.
type ChangeSpan struct {
	Change *Change
	Spans  Spans
}

// ChangeCounts counts a team's changes in the window.
type ChangeCounts struct {
	Merged       int // merged in the window (non-bot)
	Opened       int // opened in the window (non-bot)
	BotsExcluded int // bot-authored changes with an event in the window, left out of every metric
}

// TierDeploys is deploy frequency for one environment tier in the window.
type TierDeploys struct {
	Successful  int
	PerWeek     float64
	DaysPerWeek float64
}

// Dora holds the DORA 2023 benchmark bucket of each key metric:
// "elite", "high", "medium", "low", or "" when there is no data.
type Dora struct {
	DeployFrequency   string
	LeadTime          string
	ChangeFailureRate string
	Recovery          string
}

// Recovery is a failed production deployment and the success that ended it.
type Recovery struct {
	Failed    *Deployment
	Recovered *Deployment // nil while not yet recovered
	Seconds   int64       // -1 while not recovered
}

// DeployReport is a team's deployments in the window.
type DeployReport struct {
	Production        int      // successful production deployments in the window
	Failed            int      // failed production deployments in the window
	PerWeek           float64  // Production ÷ (window days ÷ 7)
	DaysPerWeek       float64  // distinct UTC days with a successful production deployment ÷ (window days ÷ 7)
	ChangeFailureRate *float64 // failed ÷ finished production deployments; nil with none finished
	Recovery          Metric
	ByTier            map[Tier]TierDeploys
	Weekly            [Weeks]int // successful production deployments per ISO week
	PreviousPerWeek   float64
	Failures          []Recovery    // failed production deployments in the window, newest first
	Recent            []*Deployment // deployments of every tier in the window, newest first
	Dora              Dora
	HasDeployments    bool // the team has any production deployment in the data at all
}

// ExperimentStatus is an experiment's state at `now`.
type ExperimentStatus string

// Experiment states. Running and Active are both "live"; Stale is live but
// idle for stale_after; Adopted and Abandoned are concluded.
const (
	Running   ExperimentStatus = "running"
	Active    ExperimentStatus = "active"
	Stale     ExperimentStatus = "stale"
	Adopted   ExperimentStatus = "adopted"
	Abandoned ExperimentStatus = "abandoned"
)

// Experiment is the runs that share an experiment key, plus the change on
// its branch (SPEC §4), with its state at `now`.
type Experiment struct {
	Source      Source
	Repo        string
	Key         string
	Owner       string // the actor of the first run
	Team        string
	Category    Category
	Runs        []*Run  // oldest first
	Change      *Change // nil when no change is on its branch
	FirstRunAt  time.Time
	LastRunAt   time.Time
	LastResult  Result
	Status      ExperimentStatus
	ConcludedAt time.Time // zero while not concluded
	IdleSeconds int64     // now − last run start
}

// Zombie is an experiment run still in progress after max_run.
type Zombie struct {
	Experiment *Experiment
	Run        *Run
	Seconds    int64 // running for
}

// ExperimentReport is a team's experiments.
type ExperimentReport struct {
	Running, Active  int // at now; Active includes Running, excludes Stale
	Adopted          int // concluded in the window
	Abandoned        int
	DecisionsPerWeek float64       // (Adopted + Abandoned) ÷ (window days ÷ 7)
	DecisionsWeekly  [Weeks]int    // concluded per ISO week
	Turnaround       Metric        // gap between consecutive run starts; counted where the later start falls
	RunDuration      Metric        // started → finished; counted where it finished
	QueueTime        Metric        // created → started; counted where it started
	TimeToDecision   Metric        // first run → concluded; counted where it concluded
	Stale            []*Experiment // idle longest first
	Zombies          []Zombie
	FastFailures     []*Experiment // abandoned within fail_fast, concluded in the window
	All              []*Experiment // every experiment of the team, latest run first
}

// PersonAllocation is one person's active days in the window by category.
type PersonAllocation struct {
	Login       string
	Research    float64 // person-days
	Engineering float64
}

// AllocationReport is a team's research/engineering split in the window.
type AllocationReport struct {
	Target        *Split   // nil: no target agreed
	PersonDays    *Split   // percent of active person-days; nil with none
	MergedChanges *Split   // percent of merged changes; nil with none merged
	Drift         *float64 // research actual − target in points; nil without target or data
	TotalDays     float64
	ByPerson      []PersonAllocation // most active first
}

// Waiting is an open, ready change with no review yet.
type Waiting struct {
	Change  *Change
	Seconds int64 // now − ready_at
}

// GuardrailResult is a guardrail evaluated for a team.
type GuardrailResult struct {
	Guardrail
	Value *float64 // nil: no data, so not breached
	OK    bool
}

// TeamReport holds every metric for one team (or the whole organisation).
type TeamReport struct {
	Name        string
	Members     []Member
	Changes     ChangeCounts
	Coding      Metric
	Pickup      Metric
	Review      Metric
	Deploy      Metric
	CycleTime   Metric
	LeadTime    Metric
	Deploys     DeployReport
	Experiments ExperimentReport
	Allocation  AllocationReport
	Waiting     []Waiting    // oldest first
	Slowest     []ChangeSpan // merged in the window, longest cycle time first (at most 10)
	Merged      []ChangeSpan // merged in the window, newest first
	Guardrails  []GuardrailResult
}

// Breached reports whether any guardrail of the team is breached.
func (t *TeamReport) Breached() bool {
	for _, g := range t.Guardrails {
		if !g.OK {
			return true
		}
	}
	return false
}

// DataQuality counts what pace had to leave out or could not trust.
type DataQuality struct {
	NegativeSpans       int // spans that came out negative (clock skew, rebases): left unknown
	FutureEvents        int // timestamps after now: ignored
	BotChanges          int // bot-authored changes excluded
	UnattributedChanges int // non-bot changes no team claims (they count in the org total)
}

// Report is the result of Compute: every team's metrics at `now`.
type Report struct {
	Org         string
	GeneratedAt time.Time
	Window      Period
	Previous    Period
	WeekStarts  [Weeks]time.Time
	Teams       []TeamReport
	Total       TeamReport // the organisation: each item once
	Quality     DataQuality
	Sources     []SourceStatus
}
