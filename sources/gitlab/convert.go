package gitlab

import (
	"sort"
	"strings"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/pace-dev/pace/domain"
)

// noteKind is what a merge request note means to pace.
type noteKind int

const (
	noteOther      noteKind = iota // system notes pace does not use (assigned, added commits, ...)
	noteComment                    // a person's comment
	noteDiff                       // a person's comment on the diff
	noteApproved                   // system: approved this merge request
	noteUnapproved                 // system: unapproved this merge request
	noteReviewed                   // system: requested changes
	noteReady                      // system: left draft
	noteDraft                      // system: went back to draft
	noteMerged                     // system: merged
)

// classifyNote reads a note. System notes are matched on their text as
// GitLab has written it over the years ("marked this merge request as
// **ready**" since 14.x, "unmarked as a **Work In Progress**" before),
// without the markdown emphasis and case-insensitively.
func classifyNote(n *gl.Note) noteKind {
	if !n.System {
		if n.Type == gl.DiffNote || n.Type == gl.LegacyDiffNote {
			return noteDiff
		}
		return noteComment
	}
	b := strings.ToLower(strings.TrimSpace(strings.ReplaceAll(n.Body, "*", "")))
	switch {
	case b == "approved this merge request":
		return noteApproved
	case b == "unapproved this merge request":
		return noteUnapproved
	case b == "requested changes" || strings.HasPrefix(b, "requested changes "):
		return noteReviewed
	case strings.HasPrefix(b, "marked this merge request as ready"), b == "marked as ready",
		b == "unmarked as a work in progress", b == "unmarked as a draft":
		return noteReady
	case strings.HasPrefix(b, "marked this merge request as draft"), b == "marked as a work in progress",
		b == "marked as a draft":
		return noteDraft
	case b == "merged":
		return noteMerged
	}
	return noteOther
}

// toChange converts a merge request, its commits and notes at the border:
// API shapes stop here.
func toChange(repo string, mr *gl.BasicMergeRequest, commits []*gl.Commit, notes []*gl.Note) domain.Change {
	c := domain.Change{
		Source:     domain.GitLab,
		Repo:       repo,
		Number:     int(mr.IID),
		URL:        mr.WebURL,
		Title:      mr.Title,
		Author:     username(mr.Author),
		Labels:     append([]string(nil), mr.Labels...),
		Draft:      mr.Draft,
		BaseBranch: mr.TargetBranch,
		HeadBranch: mr.SourceBranch,
		OpenedAt:   utc(mr.CreatedAt),
		UpdatedAt:  mrUpdated(mr),
	}
	sort.SliceStable(notes, func(i, j int) bool { return utc(notes[i].CreatedAt).Before(utc(notes[j].CreatedAt)) })
	var mergedNote time.Time
	type readyEv struct {
		ready bool
		at    time.Time
	}
	var evs []readyEv
	for _, n := range notes {
		at := utc(n.CreatedAt)
		var kind domain.ActivityKind
		switch classifyNote(n) {
		case noteComment:
			kind = domain.Comment
		case noteDiff:
			kind = domain.ReviewComment
		case noteApproved:
			kind = domain.Approval
		case noteUnapproved, noteReviewed:
			// Taking an approval back or asking for changes is a review.
			kind = domain.Review
		case noteReady:
			evs = append(evs, readyEv{true, at})
		case noteDraft:
			evs = append(evs, readyEv{false, at})
		case noteMerged:
			if mergedNote.IsZero() {
				mergedNote = at
			}
		}
		if kind != "" && !at.IsZero() {
			c.Activity = append(c.Activity, domain.Activity{Kind: kind, Login: n.Author.Username, At: at})
		}
	}

	switch mr.State {
	case "merged":
		c.MergedAt = utc(mr.MergedAt)
		if c.MergedAt.IsZero() {
			// Merge requests merged before GitLab recorded merged_at.
			c.MergedAt = mergedNote
		}
		if c.MergedAt.IsZero() {
			c.MergedAt = c.UpdatedAt
		}
		c.MergeSHA = mergeSHA(mr)
	case "closed":
		c.ClosedAt = utc(mr.ClosedAt)
		if c.ClosedAt.IsZero() {
			c.ClosedAt = c.UpdatedAt
		}
	}

	// ReadyAt: zero while a draft; the first "ready" if it was opened as a
	// draft (its first draft/ready event says ready); else its creation.
	if !c.Draft {
		c.ReadyAt = c.OpenedAt
		if len(evs) > 0 && evs[0].ready {
			c.ReadyAt = evs[0].at
		}
	}

	names := nameIndex(mr, notes)
	for _, cm := range commits {
		at := utc(cm.AuthoredDate)
		if at.IsZero() {
			continue
		}
		c.Activity = append(c.Activity, domain.Activity{Kind: domain.Commit, Login: names.resolve(cm.AuthorName), At: at})
		if c.FirstCommitAt.IsZero() || at.Before(c.FirstCommitAt) {
			c.FirstCommitAt = at
		}
	}
	sort.SliceStable(c.Activity, func(i, j int) bool { return c.Activity[i].At.Before(c.Activity[j].At) })
	return c
}

// mergeSHA is the commit a merged merge request left on its target
// branch: the merge commit, else the squash commit, else (a fast-forward
// merge) its head.
func mergeSHA(mr *gl.BasicMergeRequest) string {
	switch {
	case mr.MergeCommitSHA != "":
		return mr.MergeCommitSHA
	case mr.SquashCommitSHA != "":
		return mr.SquashCommitSHA
	}
	return mr.SHA
}

// names maps a commit author's name to a GitLab username. GitLab gives
// commits a name and an email, not an account; a name is resolved only
// when it is the name or username of exactly one person seen on the merge
// request (its author, assignees, reviewers, note authors).
type names map[string]string

func nameIndex(mr *gl.BasicMergeRequest, notes []*gl.Note) names {
	idx := names{}
	add := func(name, user string) {
		if user == "" {
			return
		}
		for _, k := range []string{name, user} {
			k = strings.ToLower(strings.TrimSpace(k))
			if k == "" {
				continue
			}
			if old, ok := idx[k]; ok && old != user {
				idx[k] = "" // ambiguous
				continue
			}
			idx[k] = user
		}
	}
	users := append([]*gl.BasicUser{mr.Author, mr.MergeUser, mr.Assignee}, mr.Assignees...)
	users = append(users, mr.Reviewers...)
	for _, u := range users {
		if u != nil {
			add(u.Name, u.Username)
		}
	}
	for _, n := range notes {
		add(n.Author.Name, n.Author.Username)
	}
	return idx
}

func (n names) resolve(name string) string { return n[strings.ToLower(strings.TrimSpace(name))] }

func username(u *gl.BasicUser) string {
	if u == nil {
		return ""
	}
	return u.Username
}

func utc(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}
