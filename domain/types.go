// Package domain holds pace's normalised data model (SPEC §4) and the pure
// metric functions over it (SPEC §5). It does no I/O and imports only the
// standard library: every function that depends on the time takes `now`.
package domain

import (
	"strconv"
	"time"
)

// Source names the system an item came from.
type Source string

// The sources pace reads.
const (
	GitHub Source = "github"
	GitLab Source = "gitlab"
)

// Category is the research/engineering class of a piece of work.
type Category string

// The two categories of the allocation split; engineering is the default.
const (
	Research    Category = "research"
	Engineering Category = "engineering"
)

// Tier is a deployment environment's tier.
type Tier string

// Environment tiers. Only production counts for DORA metrics.
const (
	Production Tier = "production"
	Staging    Tier = "staging"
	OtherTier  Tier = "other"
)

// Result is the outcome of a deployment or a CI run.
type Result string

// Results of deployments and runs. The zero value means unknown.
const (
	Success    Result = "success"
	Failure    Result = "failure"
	InProgress Result = "in_progress"
	Cancelled  Result = "cancelled"
)

// ActivityKind says what a person did on a change.
type ActivityKind string

// Kinds of activity on a change. Review, ReviewComment, Comment and Approval
// count as a review for first_review_at when done by someone other than the
// author and not a bot; Approval also sets approved_at; Commit carries the
// commit's author date and feeds first_commit_at and allocation person-days.
const (
	Commit        ActivityKind = "commit"
	Review        ActivityKind = "review"
	ReviewComment ActivityKind = "review_comment"
	Comment       ActivityKind = "comment"
	Approval      ActivityKind = "approval"
)

// Activity is one dated thing a person did on a change.
type Activity struct {
	Kind  ActivityKind
	Login string // may be empty when the API gives no login (e.g. a GitLab commit author)
	At    time.Time
}

// Change is a pull request (GitHub) or merge request (GitLab). A zero
// time.Time means "did not happen" or "unknown"; all times are UTC.
type Change struct {
	Source     Source
	Repo       string // "owner/name" or the GitLab project path
	Number     int
	URL        string
	Title      string
	Author     string
	Labels     []string
	Draft      bool // draft now
	BaseBranch string
	HeadBranch string

	OpenedAt time.Time
	// ReadyAt is when the change left draft; = OpenedAt if never draft; zero while still draft.
	ReadyAt   time.Time
	UpdatedAt time.Time
	MergedAt  time.Time
	ClosedAt  time.Time // closed without merge (zero when merged)
	MergeSHA  string

	// Activity holds commits, reviews, comments and approvals. When it is
	// non-empty, Prepare derives FirstCommitAt, FirstReviewAt and ApprovedAt
	// from it (excluding the author and bots); otherwise the fields are kept
	// as the source set them.
	Activity []Activity

	FirstCommitAt time.Time // earliest author date of its commits
	FirstReviewAt time.Time // earliest review/comment/approval by a non-author, non-bot
	ApprovedAt    time.Time // earliest approval by a non-author, non-bot

	// DeployedAt is the finish of the first successful production deployment
	// containing MergeSHA. A source that knows exact containment sets it and
	// DeploymentID; otherwise Prepare fills it with the fallback of SPEC §5.
	DeployedAt   time.Time
	DeploymentID string
	DeployExact  bool // containment known from the API, not the fallback

	// Derived by Prepare from Settings; sources leave them empty.
	Category Category
	Team     string // "" when no team claims it
	Bot      bool   // author matches Settings.Bots
}

// Key identifies a change across sources.
func (c *Change) Key() string { return string(c.Source) + ":" + c.Repo + "#" + strconv.Itoa(c.Number) }

// Merged reports whether the change was merged.
func (c *Change) Merged() bool { return !c.MergedAt.IsZero() }

// Deployment is one deployment to an environment.
type Deployment struct {
	Source      Source
	Repo        string
	ID          string
	URL         string
	Environment string
	Tier        Tier // set by the source when the API knows it (GitLab), else by Prepare from Settings
	SHA         string
	Ref         string // branch or tag deployed, when known
	CreatedAt   time.Time
	FinishedAt  time.Time // first terminal status; zero while in progress
	Result      Result

	Teams []string // derived by Prepare (SPEC §5 attribution)
}

// Run is a CI run: a GitHub Actions workflow run or a GitLab pipeline.
type Run struct {
	Source     Source
	Repo       string
	ID         string
	URL        string
	Workflow   string // workflow file name (e.g. "train.yml") or GitLab pipeline name
	Name       string // display name (Actions run name / pipeline name or title)
	Branch     string
	SHA        string
	Actor      string
	Event      string
	CreatedAt  time.Time
	StartedAt  time.Time
	FinishedAt time.Time
	Result     Result
}

// SourceStatus tells when a source was last synced and what went wrong.
type SourceStatus struct {
	Name     string
	LastSync time.Time
	Errors   []string
}

// Dataset is everything pace knows, as read from the cache or the demo
// generator. Metric functions never modify the caller's slices except
// through Prepare, which fills derived fields in place.
type Dataset struct {
	Org         string
	Changes     []Change
	Deployments []Deployment
	Runs        []Run
	Sources     []SourceStatus

	prep *prepState // what Prepare last derived, so Compute can skip a second Prepare
}
