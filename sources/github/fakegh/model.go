package fakegh

import (
	"time"
)

// Repo is one repository the fake serves: its pull requests, deployments,
// workflow runs and the linear history of its default branch (what
// compare answers from).
type Repo struct {
	Owner, Name string
	ID          int64
	Archived    bool
	PRs         []*PR
	Deployments []*Deployment
	Runs        []*Run
	// History is the default branch's commits, oldest first; compare
	// base...head lists the commits after base up to head.
	History []string
}

// FullName is "owner/name".
func (r *Repo) FullName() string { return r.Owner + "/" + r.Name }

// PR is a pull request as GitHub's GraphQL API describes it.
type PR struct {
	Number      int
	Title       string
	Author      string // "" for a deleted account
	Labels      []string
	Draft       bool
	State       string // OPEN, CLOSED or MERGED
	BaseRef     string
	HeadRef     string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	MergedAt    time.Time // zero when not merged
	ClosedAt    time.Time // zero when open
	MergeCommit string    // set only when merged (GraphQL mergeCommit)
	Commits     []PRCommit
	Reviews     []*Review
	Comments    []Comment
	Events      []Event
}

// PRCommit is a commit of a pull request.
type PRCommit struct {
	SHA          string
	AuthorLogin  string // "" when the commit's author is not linked to a user
	AuthoredDate time.Time
}

// Review is a pull request review and its comments.
type Review struct {
	ID          string // GraphQL node id
	Author      string
	State       string    // APPROVED, COMMENTED, CHANGES_REQUESTED, DISMISSED, PENDING
	SubmittedAt time.Time // zero while pending
	CreatedAt   time.Time
	Comments    []Comment
}

// Comment is a conversation comment or a review comment.
type Comment struct {
	Author    string
	CreatedAt time.Time
}

// Event is a timeline event: "ReadyForReviewEvent" or "ConvertToDraftEvent".
type Event struct {
	Type string
	At   time.Time
}

// Deployment is a deployment and its statuses.
type Deployment struct {
	NodeID      string
	DatabaseID  int64
	Environment string
	SHA         string
	Ref         string
	State       string // DeploymentState, e.g. ACTIVE, INACTIVE, IN_PROGRESS
	CreatedAt   time.Time
	Statuses    []Status // in the order GraphQL lists them (newest first on github.com)
}

// Status is one deployment status.
type Status struct {
	State     string // DeploymentStatusState: SUCCESS, FAILURE, ERROR, INACTIVE, IN_PROGRESS, QUEUED, PENDING, WAITING
	CreatedAt time.Time
}

// Run is an Actions workflow run: its REST JSON as served, and what the
// fake filters and orders by.
type Run struct {
	ID        int64
	File      string // workflow file name, e.g. "ci.yml"
	CreatedAt time.Time
	JSON      map[string]any
}
