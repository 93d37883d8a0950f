package github

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/pace-dev/pace/domain"
)

// toChange converts a pull request (with its nested pages complete) at the
// border: API shapes stop here.
func toChange(repo string, n *prNode) domain.Change {
	c := domain.Change{
		Source:     domain.GitHub,
		Repo:       repo,
		Number:     n.Number,
		URL:        n.URL,
		Title:      n.Title,
		Author:     login(n.Author),
		Draft:      n.IsDraft,
		BaseBranch: n.BaseRefName,
		HeadBranch: n.HeadRefName,
		OpenedAt:   n.CreatedAt.UTC(),
		UpdatedAt:  n.UpdatedAt.UTC(),
	}
	for _, l := range n.Labels.Nodes {
		c.Labels = append(c.Labels, l.Name)
	}
	if n.MergedAt != nil {
		c.MergedAt = n.MergedAt.UTC()
		if n.MergeCommit != nil {
			c.MergeSHA = n.MergeCommit.Oid
		}
	} else if n.ClosedAt != nil && n.State != "OPEN" {
		c.ClosedAt = n.ClosedAt.UTC()
	}
	c.ReadyAt = readyAt(n)

	for _, cm := range n.Commits.Nodes {
		at := cm.Commit.AuthoredDate.UTC()
		who := ""
		if a := cm.Commit.Author; a != nil {
			who = login(a.User)
		}
		c.Activity = append(c.Activity, domain.Activity{Kind: domain.Commit, Login: who, At: at})
		if !at.IsZero() && (c.FirstCommitAt.IsZero() || at.Before(c.FirstCommitAt)) {
			c.FirstCommitAt = at
		}
	}
	for _, r := range n.Reviews.Nodes {
		// A pending review (and its comments) is invisible to everyone but
		// its author until it is submitted.
		if r.SubmittedAt == nil || r.State == "PENDING" {
			continue
		}
		kind := domain.Review
		if r.State == "APPROVED" {
			kind = domain.Approval
		}
		who := login(r.Author)
		c.Activity = append(c.Activity, domain.Activity{Kind: kind, Login: who, At: r.SubmittedAt.UTC()})
		for _, rc := range r.Comments.Nodes {
			c.Activity = append(c.Activity, domain.Activity{Kind: domain.ReviewComment, Login: login(rc.Author), At: rc.CreatedAt.UTC()})
		}
	}
	for _, cm := range n.Comments.Nodes {
		c.Activity = append(c.Activity, domain.Activity{Kind: domain.Comment, Login: login(cm.Author), At: cm.CreatedAt.UTC()})
	}
	sort.SliceStable(c.Activity, func(i, j int) bool { return c.Activity[i].At.Before(c.Activity[j].At) })
	return c
}

// readyAt is when the pull request left draft: the first ready-for-review
// event if it was opened as a draft, its creation if it was opened ready
// (no events, or a convert-to-draft first), zero while it is a draft.
func readyAt(n *prNode) time.Time {
	if n.IsDraft {
		return time.Time{}
	}
	type ev struct {
		ready bool
		at    time.Time
	}
	var evs []ev
	for _, t := range n.TimelineItems.Nodes {
		switch t.Typename {
		case "ReadyForReviewEvent":
			evs = append(evs, ev{true, t.ReadyForReviewEvent.CreatedAt})
		case "ConvertToDraftEvent":
			evs = append(evs, ev{false, t.ConvertToDraftEvent.CreatedAt})
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at.Before(evs[j].at) })
	if len(evs) > 0 && evs[0].ready {
		return evs[0].at.UTC()
	}
	return n.CreatedAt.UTC()
}

func login(a *actor) string {
	if a == nil {
		return ""
	}
	return a.Login
}

// toDeployment converts a deployment; Tier is left for domain.Prepare.
func toDeployment(repo, repoURL string, n *deploymentNode) domain.Deployment {
	d := domain.Deployment{
		Source:    domain.GitHub,
		Repo:      repo,
		ID:        n.ID,
		SHA:       n.CommitOid,
		CreatedAt: n.CreatedAt.UTC(),
	}
	if n.DatabaseID != nil {
		d.ID = strconv.FormatInt(*n.DatabaseID, 10)
	}
	switch {
	case n.Environment != nil && *n.Environment != "":
		d.Environment = *n.Environment
	case n.LatestEnvironment != nil:
		d.Environment = *n.LatestEnvironment
	}
	if n.Ref != nil {
		d.Ref = n.Ref.Name
	}
	if repoURL != "" && d.Environment != "" {
		d.URL = repoURL + "/deployments/" + url.PathEscape(d.Environment)
	}
	// The first terminal status decides; statuses are read in any order.
	for _, s := range n.Statuses.Nodes {
		var r domain.Result
		switch s.State {
		case "SUCCESS":
			r = domain.Success
		case "FAILURE", "ERROR":
			r = domain.Failure
		case "INACTIVE":
			// Superseded before it finished: it never went live.
			r = domain.Cancelled
		default:
			continue
		}
		if at := s.CreatedAt.UTC(); d.FinishedAt.IsZero() || at.Before(d.FinishedAt) {
			d.FinishedAt, d.Result = at, r
		}
	}
	if d.FinishedAt.IsZero() {
		d.Result = domain.InProgress
		if n.State != nil && (*n.State == "ABANDONED" || *n.State == "DESTROYED") {
			d.Result = domain.Cancelled
		}
	}
	return d
}

// toRun converts an Actions workflow run listed for the workflow file
// file (go-github v60's WorkflowRun has no "path" field; the listing by
// file name says which workflow it is).
func toRun(repo, file string, r *gh.WorkflowRun) domain.Run {
	run := domain.Run{
		Source:   domain.GitHub,
		Repo:     repo,
		ID:       strconv.FormatInt(r.GetID(), 10),
		URL:      r.GetHTMLURL(),
		Workflow: file,
		Name:     r.GetDisplayTitle(),
		Branch:   r.GetHeadBranch(),
		SHA:      r.GetHeadSHA(),
		Actor:    r.GetActor().GetLogin(),
		Event:    r.GetEvent(),
	}
	if run.Name == "" {
		run.Name = r.GetName()
	}
	run.CreatedAt = r.GetCreatedAt().Time.UTC()
	run.StartedAt = r.GetRunStartedAt().Time.UTC()
	run.Result = runResult(r.GetStatus(), r.GetConclusion())
	if run.Result != domain.InProgress && r.GetConclusion() != "" {
		run.FinishedAt = r.GetUpdatedAt().Time.UTC()
	}
	return run
}

// runResult maps an Actions status/conclusion pair. The conclusion decides
// once there is one; neutral, skipped, stale and action_required are no
// verdict at all and stay unknown.
func runResult(status, conclusion string) domain.Result {
	switch strings.ToLower(conclusion) {
	case "success":
		return domain.Success
	case "failure", "timed_out", "startup_failure":
		return domain.Failure
	case "cancelled":
		return domain.Cancelled
	case "":
	default:
		return ""
	}
	switch strings.ToLower(status) {
	case "queued", "in_progress", "waiting", "pending", "requested":
		return domain.InProgress
	}
	return ""
}
