package fakegh

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"
)

// GenSpec sizes a generated organisation.
type GenSpec struct {
	Owner       string // default "acme"
	Repos       int
	Changes     int           // pull requests per repo
	Runs        int           // workflow runs per repo, split over Workflows
	Deployments int           // per repo: 2 in 3 to production, the rest to staging
	Workflows   []string      // default ["train.yml"]
	End         time.Time     // the newest item is at most this recent
	Span        time.Duration // items spread over [End-Span, End]; default 60 days
	Seed        uint64
}

// Generate builds repos with pull requests (commits, reviews, comments,
// draft → ready events), a linear default-branch history holding every
// merge commit, deployments of commits of that history (with statuses),
// and completed workflow runs. The same spec always gives the same data.
func Generate(spec GenSpec) []*Repo {
	if spec.Owner == "" {
		spec.Owner = "acme"
	}
	if len(spec.Workflows) == 0 {
		spec.Workflows = []string{"train.yml"}
	}
	if spec.Span == 0 {
		spec.Span = 60 * 24 * time.Hour
	}
	rng := rand.New(rand.NewPCG(spec.Seed, 0x9e3779b97f4a7c15))
	people := []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "renovate[bot]"}
	start := spec.End.Add(-spec.Span).Truncate(time.Second)
	at := func(frac float64) time.Time {
		return start.Add(time.Duration(frac * float64(spec.Span))).Truncate(time.Second)
	}
	var repos []*Repo
	for ri := 0; ri < spec.Repos; ri++ {
		r := &Repo{Owner: spec.Owner, Name: fmt.Sprintf("repo-%02d", ri), ID: int64(1000 + ri)}
		sha := func(kind string, n int) string {
			h := sha1.Sum([]byte(r.FullName() + kind + strconv.Itoa(n)))
			return hex.EncodeToString(h[:])
		}
		type merge struct {
			at  time.Time
			sha string
		}
		merges := []merge{{start.Add(-time.Hour), sha("root", 0)}}
		for i := 0; i < spec.Changes; i++ {
			created := at(float64(i) / float64(max(spec.Changes, 1)) * 0.97)
			author := people[rng.IntN(len(people))]
			pr := &PR{Number: i + 1, Title: fmt.Sprintf("change %d", i+1), Author: author, BaseRef: "main",
				HeadRef: fmt.Sprintf("feature/%d", i+1), CreatedAt: created, State: "OPEN"}
			if rng.IntN(5) == 0 {
				pr.Labels = []string{"research"}
				pr.HeadRef = fmt.Sprintf("exp/%d", i+1)
			}
			last := created
			bump := func(d time.Duration) time.Time {
				last = last.Add(d).Truncate(time.Second)
				return last
			}
			for c := 0; c < 1+rng.IntN(4); c++ {
				pr.Commits = append(pr.Commits, PRCommit{SHA: sha("c", i*10+c), AuthorLogin: author,
					AuthoredDate: created.Add(-time.Duration(rng.IntN(48*3600)+60) * time.Second)})
			}
			sort.Slice(pr.Commits, func(a, b int) bool { return pr.Commits[a].AuthoredDate.Before(pr.Commits[b].AuthoredDate) })
			if rng.IntN(4) == 0 {
				pr.Events = append(pr.Events, Event{Type: "ReadyForReviewEvent", At: bump(time.Duration(1+rng.IntN(20)) * time.Hour)})
			}
			for v := 0; v < rng.IntN(4); v++ {
				rv := &Review{ID: nodeID("PRR", int64(ri*1_000_000+i*10+v)), Author: people[rng.IntN(len(people)-1)], State: "COMMENTED"}
				rv.CreatedAt = bump(time.Duration(1+rng.IntN(600)) * time.Minute)
				for c := 0; c < rng.IntN(3); c++ {
					rv.Comments = append(rv.Comments, Comment{Author: rv.Author, CreatedAt: bump(time.Minute)})
				}
				if v > 0 && rng.IntN(2) == 0 {
					rv.State = "APPROVED"
				}
				rv.SubmittedAt = bump(time.Minute)
				pr.Reviews = append(pr.Reviews, rv)
			}
			for c := 0; c < rng.IntN(4); c++ {
				pr.Comments = append(pr.Comments, Comment{Author: people[rng.IntN(len(people))], CreatedAt: bump(time.Duration(1+rng.IntN(120)) * time.Minute)})
			}
			switch k := rng.IntN(10); {
			case k < 8:
				pr.State, pr.MergedAt = "MERGED", bump(time.Duration(1+rng.IntN(48))*time.Hour)
				pr.ClosedAt, pr.MergeCommit = pr.MergedAt, sha("m", i)
				merges = append(merges, merge{pr.MergedAt, pr.MergeCommit})
			case k == 8:
				pr.State, pr.ClosedAt = "CLOSED", bump(time.Duration(1+rng.IntN(72))*time.Hour)
			}
			if last.After(spec.End) {
				last = spec.End
			}
			pr.UpdatedAt = last
			r.PRs = append(r.PRs, pr)
		}
		sort.SliceStable(merges, func(a, b int) bool { return merges[a].at.Before(merges[b].at) })
		for _, m := range merges {
			r.History = append(r.History, m.sha)
		}

		for d := 0; d < spec.Deployments; d++ {
			created := at(float64(d)/float64(max(spec.Deployments, 1))*0.98 + 0.01)
			// Deploy the newest commit merged before the deployment.
			k := sort.Search(len(merges), func(x int) bool { return merges[x].at.After(created) }) - 1
			env := "production"
			if d%3 == 2 {
				env = "staging"
			}
			dep := &Deployment{NodeID: nodeID("DE", int64(ri*100_000+d)), DatabaseID: int64(ri*100_000 + d + 1),
				Environment: env, SHA: merges[max(k, 0)].sha, Ref: "main", CreatedAt: created, State: "ACTIVE"}
			q := created.Add(5 * time.Second)
			run := q.Add(time.Duration(10+rng.IntN(50)) * time.Second)
			end := run.Add(time.Duration(60+rng.IntN(600)) * time.Second)
			final := "SUCCESS"
			if rng.IntN(10) == 0 {
				final, dep.State = "FAILURE", "FAILURE"
			}
			dep.Statuses = []Status{{final, end}, {"IN_PROGRESS", run}, {"QUEUED", q}} // newest first, as GitHub lists them
			r.Deployments = append(r.Deployments, dep)
		}

		for w, file := range spec.Workflows {
			n := spec.Runs / len(spec.Workflows)
			for i := 0; i < n; i++ {
				id := int64(ri)*10_000_000 + int64(w)*1_000_000 + int64(i) + 1
				created := at(float64(i)/float64(max(n, 1))*0.99 + float64(w)*0.001)
				started := created.Add(time.Duration(rng.IntN(120)) * time.Second)
				updated := started.Add(time.Duration(60+rng.IntN(7200)) * time.Second)
				conclusion := "success"
				if rng.IntN(6) == 0 {
					conclusion = "failure"
				}
				branch := "main"
				if file == spec.Workflows[0] {
					branch = fmt.Sprintf("exp/%d", rng.IntN(20))
				}
				r.Runs = append(r.Runs, &Run{ID: id, File: file, CreatedAt: created, JSON: map[string]any{
					"id": id, "name": file, "display_title": fmt.Sprintf("run %d of %s", i+1, file),
					"head_branch": branch, "head_sha": sha("run", int(id)), "path": ".github/workflows/" + file,
					"run_number": i + 1, "event": "push", "status": "completed", "conclusion": conclusion,
					"workflow_id": 500 + w, "html_url": fmt.Sprintf("https://github.com/%s/actions/runs/%d", r.FullName(), id),
					"created_at": created.Format(time.RFC3339), "updated_at": updated.Format(time.RFC3339),
					"run_started_at": started.Format(time.RFC3339), "run_attempt": 1,
					"actor": map[string]any{"login": people[rng.IntN(len(people)-1)], "id": 1, "type": "User"},
				}})
			}
		}
		repos = append(repos, r)
	}
	return repos
}
