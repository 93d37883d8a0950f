package fakegl

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"
)

// GenSpec sizes a generated group of projects.
type GenSpec struct {
	Group       string // default "acme/ml"
	Projects    int
	MRs         int // merge requests per project
	Deployments int // per project: 2 in 3 to production, the rest to staging
	Pipelines   int // per project, of which a third are unnamed CI pipelines pace does not want
	// PipelineNames name the wanted pipelines, in turn; default
	// ["train", "deploy"]. The first runs on exp/* refs, the others on main.
	PipelineNames []string
	End           time.Time     // the newest item is at most this recent
	Span          time.Duration // items spread over [End-Span, End]; default 60 days
	Seed          uint64
}

// person is someone who works on the generated projects.
type person struct{ user, name string }

var people = []person{{"alice", "Alice Martin"}, {"bob.smith", "Bob Smith"}, {"carol", "Carol Diaz"},
	{"dave", "Dave Okafor"}, {"erin", "Erin Walsh"}, {"frank", "Frank Li"}, {"grace", "Grace Hopper"},
	{"renovate-bot", "Renovate Bot"}}

// Generate builds projects with merge requests (commits, comments, diff
// comments, approvals and draft/ready system notes; every 40th has more
// than 100 notes), environments with tiers, deployments of merged commits
// with the merge requests each successful one shipped, and pipelines
// (named experiment and deploy pipelines, unnamed CI ones). The same spec
// always gives the same data; every time is a whole millisecond.
func Generate(spec GenSpec) []*Project {
	if spec.Group == "" {
		spec.Group = "acme/ml"
	}
	if len(spec.PipelineNames) == 0 {
		spec.PipelineNames = []string{"train", "deploy"}
	}
	if spec.Span == 0 {
		spec.Span = 60 * 24 * time.Hour
	}
	rng := rand.New(rand.NewPCG(spec.Seed, 0x51ed270b27d5c3a1))
	start := spec.End.Add(-spec.Span).Truncate(time.Second)
	at := func(frac float64) time.Time {
		return start.Add(time.Duration(frac * float64(spec.Span))).Truncate(time.Millisecond)
	}
	var out []*Project
	for pi := 0; pi < spec.Projects; pi++ {
		p := &Project{ID: int64(5000 + pi), Path: fmt.Sprintf("%s/project-%02d", spec.Group, pi)}
		g := &gen{p: p, rng: rng, end: spec.End, base: int64(pi) * 10_000_000}
		g.mrs(spec.MRs, at)
		g.environments()
		g.deployments(spec.Deployments, at)
		g.pipelines(spec.Pipelines, spec.PipelineNames, at)
		out = append(out, p)
	}
	return out
}

// gen builds one project.
type gen struct {
	p      *Project
	rng    *rand.Rand
	end    time.Time
	base   int64 // id offset of this project's items
	noteID int64
	merges []merge // merged merge requests, by merge time
}

type merge struct {
	at  time.Time
	sha string
	iid int64
}

func (g *gen) sha(kind string, n int64) string {
	h := sha1.Sum([]byte(g.p.Path + kind + strconv.FormatInt(n, 10)))
	return hex.EncodeToString(h[:])
}

func (g *gen) who() person { return people[g.rng.IntN(len(people))] }

func user(p person) map[string]any {
	return map[string]any{"id": len(p.user) * 1000, "username": p.user, "name": p.name, "state": "active",
		"avatar_url": "https://gitlab.example.com/uploads/" + p.user + ".png", "web_url": "https://gitlab.example.com/" + p.user}
}

func (g *gen) note(author person, body string, system bool, typ any, at time.Time, iid int64) map[string]any {
	g.noteID++
	return map[string]any{"id": g.base + g.noteID, "type": typ, "body": body, "attachment": nil, "author": user(author),
		"created_at": Stamp(at), "updated_at": Stamp(at), "system": system, "noteable_id": g.base + iid,
		"noteable_type": "MergeRequest", "resolvable": typ == "DiffNote", "confidential": false, "internal": false,
		"noteable_iid": iid, "commands_changes": map[string]any{}}
}

// mrs builds n merge requests created evenly over the span.
func (g *gen) mrs(n int, at func(float64) time.Time) {
	for i := 0; i < n; i++ {
		iid := int64(i + 1)
		created := at(float64(i) / float64(max(n, 1)) * 0.97)
		author := g.who()
		last := created
		bump := func(d time.Duration) time.Time {
			last = last.Add(d).Truncate(time.Millisecond)
			return last
		}
		mr := &MR{}
		branch := fmt.Sprintf("feature/%d", iid)
		var labels []any
		if g.rng.IntN(5) == 0 {
			labels, branch = []any{"research"}, fmt.Sprintf("exp/%d", iid)
		}
		for c := 0; c < 1+g.rng.IntN(4); c++ {
			authored := created.Add(-time.Duration(g.rng.IntN(48*3600)+60) * time.Second)
			name := author.name
			if c%2 == 1 {
				name = author.user
			}
			mr.Commits = append(mr.Commits, map[string]any{"id": g.sha("c", iid*10+int64(c)), "short_id": g.sha("c", iid*10+int64(c))[:8],
				"title": "work", "message": "work\n", "author_name": name, "author_email": author.user + "@example.com",
				"authored_date": Stamp(authored), "committer_name": name, "committer_email": author.user + "@example.com",
				"committed_date": Stamp(authored), "created_at": Stamp(authored), "parent_ids": []any{}})
		}
		sort.Slice(mr.Commits, func(a, b int) bool {
			return ts(mr.Commits[a]["authored_date"]).After(ts(mr.Commits[b]["authored_date"]))
		})
		draft := g.rng.IntN(4) == 0
		mr.Notes = append(mr.Notes, g.note(author, "assigned to @"+author.user, true, nil, bump(time.Minute), iid))
		if draft {
			mr.Notes = append(mr.Notes, g.note(author, "marked this merge request as **ready**", true, nil, bump(time.Duration(1+g.rng.IntN(20))*time.Hour), iid))
			draft = false
		}
		comments := g.rng.IntN(5)
		if i%40 == 7 {
			comments = 110 // more than a page of notes
		}
		for c := 0; c < comments; c++ {
			who, typ := g.who(), any(nil)
			if g.rng.IntN(3) == 0 {
				typ = "DiffNote"
			} else if g.rng.IntN(2) == 0 {
				typ = "DiscussionNote"
			}
			mr.Notes = append(mr.Notes, g.note(who, "looks fine", false, typ, bump(time.Duration(1+g.rng.IntN(300))*time.Minute), iid))
		}
		if g.rng.IntN(2) == 0 {
			mr.Notes = append(mr.Notes, g.note(g.who(), "approved this merge request", true, nil, bump(time.Duration(1+g.rng.IntN(120))*time.Minute), iid))
		}
		js := map[string]any{"id": g.base + iid, "iid": iid, "project_id": g.p.ID, "title": fmt.Sprintf("change %d", iid),
			"description": "", "state": "opened", "created_at": Stamp(created), "merged_by": nil, "merge_user": nil,
			"merged_at": nil, "closed_by": nil, "closed_at": nil, "target_branch": "main", "source_branch": branch,
			"user_notes_count": comments, "author": user(author), "assignees": []any{user(author)}, "assignee": user(author),
			"reviewers": []any{}, "source_project_id": g.p.ID, "target_project_id": g.p.ID, "labels": labels,
			"draft": false, "work_in_progress": false, "merge_status": "can_be_merged", "detailed_merge_status": "mergeable",
			"sha": g.sha("head", iid), "merge_commit_sha": nil, "squash_commit_sha": nil, "squash": false,
			"web_url":    fmt.Sprintf("https://gitlab.example.com/%s/-/merge_requests/%d", g.p.Path, iid),
			"references": map[string]any{"short": fmt.Sprintf("!%d", iid), "full": fmt.Sprintf("%s!%d", g.p.Path, iid)}}
		if labels == nil {
			js["labels"] = []any{}
		}
		switch k := g.rng.IntN(10); {
		case k < 8:
			merger := g.who()
			mergedAt := bump(time.Duration(1+g.rng.IntN(48)) * time.Hour)
			sha := g.sha("m", iid)
			js["state"], js["merged_at"], js["merge_user"], js["merged_by"] = "merged", Stamp(mergedAt), user(merger), user(merger)
			if k == 0 {
				js["squash"], js["squash_commit_sha"] = true, sha // squashed, fast-forwarded: no merge commit
			} else {
				js["merge_commit_sha"] = sha
			}
			mr.Notes = append(mr.Notes, g.note(merger, "merged", true, nil, mergedAt, iid))
			g.merges = append(g.merges, merge{mergedAt, sha, iid})
		case k == 8:
			closer := g.who()
			closedAt := bump(time.Duration(1+g.rng.IntN(72)) * time.Hour)
			js["state"], js["closed_at"], js["closed_by"] = "closed", Stamp(closedAt), user(closer)
			mr.Notes = append(mr.Notes, g.note(closer, "closed", true, nil, closedAt, iid))
		default:
			if g.rng.IntN(2) == 0 {
				js["draft"], js["work_in_progress"] = true, true
				js["title"] = "Draft: " + str(js["title"])
			}
		}
		if last.After(g.end) {
			last = g.end
		}
		js["updated_at"] = Stamp(last)
		mr.JSON = js
		g.p.MRs = append(g.p.MRs, mr)
	}
	sort.SliceStable(g.merges, func(a, b int) bool { return g.merges[a].at.Before(g.merges[b].at) })
}

// environments are production, staging and a review app.
func (g *gen) environments() {
	for i, e := range [][2]string{{"production", "production"}, {"staging", "staging"}, {"review/feature", "development"}} {
		g.p.Environments = append(g.p.Environments, map[string]any{"id": g.base + int64(900+i), "name": e[0],
			"slug": e[0], "external_url": "https://" + e[0] + ".example.com", "state": "available", "tier": e[1]})
	}
}

func (g *gen) env(name string) map[string]any {
	for _, e := range g.p.Environments {
		if e["name"] == name {
			return map[string]any{"id": e["id"], "name": e["name"], "slug": e["slug"], "external_url": e["external_url"]}
		}
	}
	return nil
}

// deployments deploys, n times over the span, the newest commit merged
// before each; a successful one ships the merge requests merged since the
// previous successful deployment of its environment.
func (g *gen) deployments(n int, at func(float64) time.Time) {
	shipped := map[string]int{} // env → merges already shipped
	for d := 0; d < n; d++ {
		created := at(float64(d)/float64(max(n, 1))*0.98 + 0.01)
		k := sort.Search(len(g.merges), func(x int) bool { return g.merges[x].at.After(created) })
		env := "production"
		if d%3 == 2 {
			env = "staging"
		}
		sha := g.sha("root", 0)
		if k > 0 {
			sha = g.merges[k-1].sha
		}
		started := created.Add(time.Duration(10+g.rng.IntN(50)) * time.Second)
		finished := started.Add(time.Duration(60+g.rng.IntN(600)) * time.Second)
		status, job := "success", "success"
		if g.rng.IntN(10) == 0 {
			status, job = "failed", "failed"
		}
		id := g.base + int64(d+1)
		dep := &Deployment{JSON: map[string]any{"id": id, "iid": d + 1, "ref": "main", "sha": sha,
			"created_at": Stamp(created), "updated_at": Stamp(finished), "status": status, "user": user(g.who()),
			"environment": g.env(env),
			"deployable": map[string]any{"id": id + 500_000, "status": job, "stage": "deploy", "name": "deploy " + env,
				"ref": "main", "tag": false, "created_at": Stamp(created), "started_at": Stamp(started),
				"finished_at": Stamp(finished), "duration": finished.Sub(started).Seconds(),
				"pipeline": map[string]any{"id": id + 700_000, "sha": sha, "ref": "main", "status": job}}}}
		if status == "success" {
			for _, m := range g.merges[shipped[env]:k] {
				dep.MRs = append(dep.MRs, m.iid)
			}
			shipped[env] = max(shipped[env], k)
		}
		g.p.Deployments = append(g.p.Deployments, dep)
	}
}

// pipelines builds n pipelines: two in three named (names in turn), the
// rest unnamed CI pipelines on feature branches.
func (g *gen) pipelines(n int, names []string, at func(float64) time.Time) {
	for i := 0; i < n; i++ {
		id := g.base + 3_000_000 + int64(i+1)
		created := at(float64(i)/float64(max(n, 1))*0.99 + 0.001)
		started := created.Add(time.Duration(g.rng.IntN(120)) * time.Second)
		finished := started.Add(time.Duration(60+g.rng.IntN(7200)) * time.Second)
		status := "success"
		if g.rng.IntN(6) == 0 {
			status = "failed"
		}
		var name any
		ref, source := fmt.Sprintf("feature/%d", g.rng.IntN(50)), "push"
		if i%3 != 2 {
			nm := names[(i/3*2+i%3)%len(names)]
			name, ref = nm, "main"
			if nm == names[0] {
				ref = fmt.Sprintf("exp/%d", g.rng.IntN(20))
			}
			if g.rng.IntN(4) == 0 {
				source = "web"
			}
		}
		who := g.who()
		g.p.Pipelines = append(g.p.Pipelines, &Pipeline{JSON: map[string]any{"id": id, "iid": i + 1, "project_id": g.p.ID,
			"sha": g.sha("pipe", id), "ref": ref, "status": status, "source": source, "name": name,
			"created_at": Stamp(created), "updated_at": Stamp(finished), "started_at": Stamp(started),
			"finished_at": Stamp(finished), "committed_at": nil, "duration": int(finished.Sub(started).Seconds()),
			"queued_duration": int(started.Sub(created).Seconds()), "coverage": nil, "before_sha": g.sha("before", id),
			"tag": false, "yaml_errors": nil, "user": user(who),
			"web_url":         fmt.Sprintf("https://gitlab.example.com/%s/-/pipelines/%d", g.p.Path, id),
			"detailed_status": map[string]any{"icon": "status_" + status, "text": status, "label": status, "group": status}}})
	}
}
