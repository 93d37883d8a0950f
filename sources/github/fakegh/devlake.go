package fakegh

import (
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// devlakeFS holds the real GitHub items Apache DevLake captured for its
// end-to-end tests (Apache-2.0; rows of connection 1 only, see
// testdata/README.md).
//
//go:embed testdata/devlake/*.csv
var devlakeFS embed.FS

// rawRow is one row of a DevLake raw table: an API item and its parent.
type rawRow struct {
	data  map[string]any
	input map[string]any
}

func readRaw(name string) ([]rawRow, error) {
	f, err := devlakeFS.Open("testdata/devlake/" + name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var out []rawRow
	for _, rec := range recs[1:] {
		var r rawRow
		if err := json.Unmarshal([]byte(rec[col["data"]]), &r.data); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if in := rec[col["input"]]; in != "" && in != "null" {
			if err := json.Unmarshal([]byte(in), &r.input); err != nil {
				return nil, fmt.Errorf("%s input: %w", name, err)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// LoadAnts builds panjf2000/ants from DevLake's capture: 49 pull requests
// with their commits, reviews, review comments and conversation comments,
// and 35 Actions runs, translated from REST shapes to what GraphQL serves
// (a merge commit only for merged pull requests, as GraphQL's mergeCommit).
// The capture holds review comments whose reviews it lacks; those reviews
// are rebuilt as GitHub makes them: COMMENTED, by the comments' author,
// submitted with the last of their comments (ID "PRR_rebuilt_<id>").
func LoadAnts() (*Repo, error) {
	repo := &Repo{Owner: "panjf2000", Name: "ants", ID: 134018330}
	prRows, err := readRaw("_raw_github_api_pull_requests.csv")
	if err != nil {
		return nil, err
	}
	byNum := map[int]*PR{}
	for _, r := range prRows {
		d := r.data
		pr := &PR{
			Number:    num(d["number"]),
			Title:     str(d["title"]),
			Author:    str(obj(d["user"])["login"]),
			Draft:     d["draft"] == true,
			BaseRef:   str(obj(d["base"])["ref"]),
			HeadRef:   str(obj(d["head"])["ref"]),
			CreatedAt: ts(d["created_at"]),
			UpdatedAt: ts(d["updated_at"]),
			MergedAt:  ts(d["merged_at"]),
			ClosedAt:  ts(d["closed_at"]),
		}
		for _, l := range list(d["labels"]) {
			pr.Labels = append(pr.Labels, str(obj(l)["name"]))
		}
		switch {
		case !pr.MergedAt.IsZero():
			pr.State, pr.MergeCommit = "MERGED", str(d["merge_commit_sha"])
		case str(d["state"]) == "closed":
			pr.State = "CLOSED"
		default:
			pr.State = "OPEN"
		}
		repo.PRs = append(repo.PRs, pr)
		byNum[pr.Number] = pr
	}

	commits, err := readRaw("_raw_github_api_pull_request_commits.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range commits {
		pr := byNum[num(r.input["Number"])]
		if pr == nil {
			continue
		}
		c := obj(r.data["commit"])
		pr.Commits = append(pr.Commits, PRCommit{SHA: str(r.data["sha"]), AuthorLogin: str(obj(r.data["author"])["login"]),
			AuthoredDate: ts(obj(c["author"])["date"])})
	}

	reviews, err := readRaw("_raw_github_api_pull_request_reviews.csv")
	if err != nil {
		return nil, err
	}
	byReview := map[int64]*Review{}
	for _, r := range reviews {
		pr := byNum[num(r.input["Number"])]
		if pr == nil {
			continue
		}
		id := int64(num(r.data["id"]))
		rv := &Review{ID: str(r.data["node_id"]), Author: str(obj(r.data["user"])["login"]), State: str(r.data["state"]),
			SubmittedAt: ts(r.data["submitted_at"]), CreatedAt: ts(r.data["submitted_at"])}
		if rv.ID == "" {
			rv.ID = "PRR_" + strconv.FormatInt(id, 10)
		}
		pr.Reviews = append(pr.Reviews, rv)
		byReview[id] = rv
	}

	rcs, err := readRaw("_raw_github_api_pull_request_review_comments.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range rcs {
		pr := byNum[lastNum(str(r.data["pull_request_url"]))]
		if pr == nil {
			continue
		}
		id := int64(num(r.data["pull_request_review_id"]))
		c := Comment{Author: str(obj(r.data["user"])["login"]), CreatedAt: ts(r.data["created_at"])}
		rv := byReview[id]
		if rv == nil {
			rv = &Review{ID: "PRR_rebuilt_" + strconv.FormatInt(id, 10), Author: c.Author, State: "COMMENTED",
				CreatedAt: c.CreatedAt, SubmittedAt: c.CreatedAt}
			pr.Reviews = append(pr.Reviews, rv)
			byReview[id] = rv
		}
		rv.Comments = append(rv.Comments, c)
		if c.CreatedAt.After(rv.SubmittedAt) && strings.HasPrefix(rv.ID, "PRR_rebuilt_") {
			rv.SubmittedAt = c.CreatedAt
		}
	}

	comments, err := readRaw("_raw_github_api_comments.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range comments {
		// Issue comments of issues that are not pull requests are not served
		// on any pull request.
		if pr := byNum[lastNum(str(r.data["issue_url"]))]; pr != nil {
			pr.Comments = append(pr.Comments, Comment{Author: str(obj(r.data["user"])["login"]), CreatedAt: ts(r.data["created_at"])})
		}
	}
	for _, pr := range repo.PRs {
		sort.SliceStable(pr.Commits, func(i, j int) bool { return pr.Commits[i].AuthoredDate.Before(pr.Commits[j].AuthoredDate) })
		sort.SliceStable(pr.Reviews, func(i, j int) bool { return pr.Reviews[i].SubmittedAt.Before(pr.Reviews[j].SubmittedAt) })
		sort.SliceStable(pr.Comments, func(i, j int) bool { return pr.Comments[i].CreatedAt.Before(pr.Comments[j].CreatedAt) })
	}

	runs, err := readRaw("_raw_github_api_runs.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		repo.Runs = append(repo.Runs, &Run{ID: int64(num(r.data["id"])), File: path.Base(str(r.data["path"])),
			CreatedAt: ts(r.data["created_at"]), JSON: r.data})
	}
	return repo, nil
}

// LoadOpenBICDeployments builds facebook/OpenBIC with the 7 deployments
// (GraphQL, with statuses) DevLake captured.
func LoadOpenBICDeployments() (*Repo, error) {
	rows, err := readRaw("_raw_github_graphql_deployment.csv")
	if err != nil {
		return nil, err
	}
	repo := &Repo{Owner: "facebook", Name: "OpenBIC", ID: 335709078}
	for _, r := range rows {
		d := r.data
		dep := &Deployment{NodeID: str(d["Id"]), DatabaseID: int64(num(d["DatabaseId"])), Environment: str(d["Environment"]),
			SHA: str(d["CommitOid"]), Ref: str(obj(d["Ref"])["Name"]), State: str(d["State"]), CreatedAt: ts(d["CreatedAt"])}
		for _, st := range list(obj(d["Statuses"])["nodes"]) {
			dep.Statuses = append(dep.Statuses, Status{State: str(obj(st)["state"]), CreatedAt: ts(obj(st)["updatedAt"])})
		}
		repo.Deployments = append(repo.Deployments, dep)
	}
	return repo, nil
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) int {
	switch x := v.(type) {
	case float64:
		return int(x)
	case string:
		n, _ := strconv.Atoi(x)
		return n
	}
	return 0
}

func lastNum(u string) int {
	n, _ := strconv.Atoi(u[strings.LastIndexByte(u, '/')+1:])
	return n
}

func ts(v any) time.Time {
	s, _ := v.(string)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
