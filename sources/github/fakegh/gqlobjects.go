package fakegh

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The GraphQL objects of the fake: just the fields pace (and a curious
// test) asks for. A valid query asking for another field gets an
// "is not implemented" error, so a new field in pace's queries cannot go
// unnoticed.

type queryRoot struct{ s *Server }

func (q *queryRoot) typeName() string { return "Query" }

func (q *queryRoot) resolve(field string, args map[string]any) (any, error) {
	switch field {
	case "repository":
		owner, name := fmt.Sprint(args["owner"]), fmt.Sprint(args["name"])
		r := q.s.repos[strings.ToLower(owner+"/"+name)]
		if r == nil {
			return nil, notFound{fmt.Sprintf("Could not resolve to a Repository with the name '%s/%s'.", owner, name)}
		}
		return &repoObj{r}, nil
	case "node":
		id := fmt.Sprint(args["id"])
		for _, r := range q.s.repos {
			for _, pr := range r.PRs {
				for _, rv := range pr.Reviews {
					if rv.ID == id {
						return &reviewObj{rv}, nil
					}
				}
			}
		}
		return nil, notFound{fmt.Sprintf("Could not resolve to a node with the global id of '%s'", id)}
	}
	return nil, unimplemented("Query", field)
}

type repoObj struct{ r *Repo }

func (o *repoObj) typeName() string { return "Repository" }

func (o *repoObj) resolve(field string, args map[string]any) (any, error) {
	r := o.r
	switch field {
	case "url":
		return "https://github.com/" + r.FullName(), nil
	case "name":
		return r.Name, nil
	case "nameWithOwner":
		return r.FullName(), nil
	case "isArchived":
		return r.Archived, nil
	case "pullRequests":
		prs := append([]*PR(nil), r.PRs...)
		field, desc := orderArg(args, "CREATED_AT", "ASC")
		key := func(p *PR) time.Time { return p.CreatedAt }
		if field == "UPDATED_AT" {
			key = func(p *PR) time.Time { return p.UpdatedAt }
		}
		sort.SliceStable(prs, func(i, j int) bool {
			a, b := key(prs[i]), key(prs[j])
			if a.Equal(b) {
				return (prs[i].Number > prs[j].Number) == desc
			}
			return a.After(b) == desc
		})
		if states, ok := args["states"].([]any); ok && len(states) > 0 {
			keep := prs[:0]
			for _, p := range prs {
				for _, st := range states {
					if st == p.State {
						keep = append(keep, p)
						break
					}
				}
			}
			prs = keep
		}
		objs := make([]object, len(prs))
		for i, p := range prs {
			objs[i] = &prObj{r: r, p: p}
		}
		return paginate("PullRequestConnection", "pullRequests", objs, args)
	case "pullRequest":
		n, _ := intArg(args["number"])
		for _, p := range r.PRs {
			if p.Number == n {
				return &prObj{r: r, p: p}, nil
			}
		}
		return nil, notFound{fmt.Sprintf("Could not resolve to a PullRequest with the number of %d.", n)}
	case "deployments":
		ds := append([]*Deployment(nil), r.Deployments...)
		_, desc := orderArg(args, "CREATED_AT", "ASC")
		sort.SliceStable(ds, func(i, j int) bool {
			if ds[i].CreatedAt.Equal(ds[j].CreatedAt) {
				return (ds[i].DatabaseID > ds[j].DatabaseID) == desc
			}
			return ds[i].CreatedAt.After(ds[j].CreatedAt) == desc
		})
		objs := make([]object, len(ds))
		for i, d := range ds {
			objs[i] = &deploymentObj{r: r, d: d}
		}
		return paginate("DeploymentConnection", "deployments", objs, args)
	}
	return nil, unimplemented("Repository", field)
}

// orderArg reads an orderBy argument; desc reports DESC.
func orderArg(args map[string]any, defField, defDir string) (field string, desc bool) {
	field, dir := defField, defDir
	if ob, ok := args["orderBy"].(map[string]any); ok {
		if f, ok := ob["field"].(string); ok {
			field = f
		}
		if d, ok := ob["direction"].(string); ok {
			dir = d
		}
	}
	return field, dir == "DESC"
}

type prObj struct {
	r *Repo
	p *PR
}

func (o *prObj) typeName() string { return "PullRequest" }

func (o *prObj) resolve(field string, args map[string]any) (any, error) {
	p := o.p
	switch field {
	case "number":
		return p.Number, nil
	case "url":
		return fmt.Sprintf("https://github.com/%s/pull/%d", o.r.FullName(), p.Number), nil
	case "title":
		return p.Title, nil
	case "author":
		return actorOrNil(p.Author), nil
	case "isDraft":
		return p.Draft, nil
	case "state":
		return p.State, nil
	case "merged":
		return !p.MergedAt.IsZero(), nil
	case "baseRefName":
		return p.BaseRef, nil
	case "headRefName":
		return p.HeadRef, nil
	case "createdAt":
		return p.CreatedAt, nil
	case "updatedAt":
		return p.UpdatedAt, nil
	case "mergedAt":
		return p.MergedAt, nil
	case "closedAt":
		return p.ClosedAt, nil
	case "mergeCommit":
		if p.MergeCommit == "" {
			return nil, nil
		}
		return &commitObj{oid: p.MergeCommit}, nil
	case "labels":
		objs := make([]object, len(p.Labels))
		for i, l := range p.Labels {
			objs[i] = &labelObj{l}
		}
		return paginate("LabelConnection", "labels", objs, args)
	case "commits":
		objs := make([]object, len(p.Commits))
		for i, c := range p.Commits {
			objs[i] = &prCommitObj{c}
		}
		return paginate("PullRequestCommitConnection", "commits", objs, args)
	case "reviews":
		objs := make([]object, len(p.Reviews))
		for i, r := range p.Reviews {
			objs[i] = &reviewObj{r}
		}
		return paginate("PullRequestReviewConnection", "reviews", objs, args)
	case "comments":
		objs := make([]object, len(p.Comments))
		for i, c := range p.Comments {
			objs[i] = &commentObj{c, "IssueComment"}
		}
		return paginate("IssueCommentConnection", "comments", objs, args)
	case "timelineItems":
		want := map[string]bool{}
		if its, ok := args["itemTypes"].([]any); ok {
			for _, it := range its {
				want[timelineType(fmt.Sprint(it))] = true
			}
		}
		var objs []object
		for _, ev := range p.Events {
			if len(want) == 0 || want[ev.Type] {
				objs = append(objs, &eventObj{ev})
			}
		}
		return paginate("PullRequestTimelineItemsConnection", "timelineItems", objs, args)
	}
	return nil, unimplemented("PullRequest", field)
}

// timelineType maps READY_FOR_REVIEW_EVENT to ReadyForReviewEvent.
func timelineType(enum string) string {
	var b strings.Builder
	for _, w := range strings.Split(strings.ToLower(enum), "_") {
		if w != "" {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

type actorObj struct{ login string }

func actorOrNil(login string) any {
	if login == "" {
		return nil
	}
	return &actorObj{login}
}

func (o *actorObj) typeName() string { return "User" }

func (o *actorObj) resolve(field string, _ map[string]any) (any, error) {
	switch field {
	case "login":
		return o.login, nil
	case "url":
		return "https://github.com/" + o.login, nil
	}
	return nil, unimplemented("User", field)
}

type labelObj struct{ name string }

func (o *labelObj) typeName() string { return "Label" }

func (o *labelObj) resolve(field string, _ map[string]any) (any, error) {
	if field == "name" {
		return o.name, nil
	}
	return nil, unimplemented("Label", field)
}

type prCommitObj struct{ c PRCommit }

func (o *prCommitObj) typeName() string { return "PullRequestCommit" }

func (o *prCommitObj) resolve(field string, _ map[string]any) (any, error) {
	if field == "commit" {
		return &commitObj{oid: o.c.SHA, authoredDate: o.c.AuthoredDate, authorLogin: o.c.AuthorLogin, full: true}, nil
	}
	return nil, unimplemented("PullRequestCommit", field)
}

type commitObj struct {
	oid          string
	authoredDate time.Time
	authorLogin  string
	full         bool
}

func (o *commitObj) typeName() string { return "Commit" }

func (o *commitObj) resolve(field string, _ map[string]any) (any, error) {
	switch field {
	case "oid":
		return o.oid, nil
	case "authoredDate":
		if o.full {
			return o.authoredDate, nil
		}
	case "author":
		if o.full {
			return &gitActorObj{o.authorLogin}, nil
		}
	}
	return nil, unimplemented("Commit", field)
}

type gitActorObj struct{ login string }

func (o *gitActorObj) typeName() string { return "GitActor" }

func (o *gitActorObj) resolve(field string, _ map[string]any) (any, error) {
	if field == "user" {
		return actorOrNil(o.login), nil
	}
	return nil, unimplemented("GitActor", field)
}

type reviewObj struct{ r *Review }

func (o *reviewObj) typeName() string { return "PullRequestReview" }

func (o *reviewObj) resolve(field string, args map[string]any) (any, error) {
	r := o.r
	switch field {
	case "id":
		return r.ID, nil
	case "author":
		return actorOrNil(r.Author), nil
	case "state":
		return r.State, nil
	case "submittedAt":
		return r.SubmittedAt, nil
	case "createdAt":
		return r.CreatedAt, nil
	case "comments":
		objs := make([]object, len(r.Comments))
		for i, c := range r.Comments {
			objs[i] = &commentObj{c, "PullRequestReviewComment"}
		}
		return paginate("PullRequestReviewCommentConnection", "comments", objs, args)
	}
	return nil, unimplemented("PullRequestReview", field)
}

type commentObj struct {
	c   Comment
	typ string
}

func (o *commentObj) typeName() string { return o.typ }

func (o *commentObj) resolve(field string, _ map[string]any) (any, error) {
	switch field {
	case "author":
		return actorOrNil(o.c.Author), nil
	case "createdAt":
		return o.c.CreatedAt, nil
	}
	return nil, unimplemented(o.typ, field)
}

type eventObj struct{ e Event }

func (o *eventObj) typeName() string { return o.e.Type }

func (o *eventObj) resolve(field string, _ map[string]any) (any, error) {
	if field == "createdAt" {
		return o.e.At, nil
	}
	return nil, unimplemented(o.e.Type, field)
}

// nodeID makes a GraphQL-looking node id.
func nodeID(prefix string, n int64) string { return prefix + "_" + strconv.FormatInt(n, 36) }
