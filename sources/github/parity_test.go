package github

import (
	"context"
	"encoding/csv"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/github/fakegh"
)

// The panjf2000/ants items Apache DevLake captured, served by the fake and
// synced by pace, must give the instants DevLake's own parser stored in
// its snapshot tables (testdata/devlake, see testdata/README.md).

// readSnapshot reads a DevLake snapshot table as maps by column.
func readSnapshot(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open("testdata/devlake/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no rows", name)
	}
	return out
}

// devlakeTime parses DevLake's "2019-08-20T03:24:27.000+00:00"; "" is zero.
func devlakeTime(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	v, err := time.Parse("2006-01-02T15:04:05.000-07:00", s)
	if err != nil {
		t.Fatalf("bad DevLake time %q: %v", s, err)
	}
	return v
}

func sameInstant(a, b time.Time) bool { return a.IsZero() == b.IsZero() && a.Equal(b) }

// syncAnts syncs the ants capture into a MemSink.
func syncAnts(t *testing.T) (*sources.MemSink, Summary) {
	t.Helper()
	clk := newClock(time.Date(2022, 9, 10, 0, 0, 0, 0, time.UTC))
	srv := newFake(t, clk, fakegh.Options{})
	ants, err := fakegh.LoadAnts()
	if err != nil {
		t.Fatal(err)
	}
	srv.AddRepo(ants)
	o := testOptions(srv, clk, "panjf2000/ants")
	o.Since = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	o.Workflows = []string{"ci.yml", "codeql.yml", "lint.yml"}
	sink := sources.NewMemSink()
	sum, err := Sync(context.Background(), o, sink, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed() {
		t.Fatalf("sync failed: %v", sum.Errors())
	}
	return sink, sum
}

func TestDevLakeParityPullRequests(t *testing.T) {
	sink, _ := syncAnts(t)
	byNum := map[int]domain.Change{}
	for _, c := range sink.Changes() {
		byNum[c.Number] = c
	}
	rows := readSnapshot(t, "_tool_github_pull_requests.csv")
	if len(byNum) != len(rows) {
		t.Errorf("pace stored %d pull requests, DevLake %d", len(byNum), len(rows))
	}
	idToNum := map[string]int{}
	merged := 0
	for _, r := range rows {
		n, _ := strconv.Atoi(r["number"])
		idToNum[r["github_id"]] = n
		c, ok := byNum[n]
		if !ok {
			t.Errorf("#%d missing", n)
			continue
		}
		if want := devlakeTime(t, r["github_created_at"]); !sameInstant(c.OpenedAt, want) {
			t.Errorf("#%d opened %v, DevLake %v", n, c.OpenedAt, want)
		}
		mergedAt := devlakeTime(t, r["merged_at"])
		if !sameInstant(c.MergedAt, mergedAt) {
			t.Errorf("#%d merged %v, DevLake %v", n, c.MergedAt, mergedAt)
		}
		// DevLake keeps closed_at for merged pull requests too; pace's
		// ClosedAt means closed without merge.
		closedAt := devlakeTime(t, r["closed_at"])
		if !mergedAt.IsZero() {
			merged++
			closedAt = time.Time{}
		}
		if !sameInstant(c.ClosedAt, closedAt) {
			t.Errorf("#%d closed %v, DevLake %v", n, c.ClosedAt, closedAt)
		}
		// DevLake stores REST's merge_commit_sha, which GitHub also fills for
		// unmerged pull requests (a test merge); a merge SHA is only real
		// when merged.
		wantSHA := ""
		if !mergedAt.IsZero() {
			wantSHA = r["merge_commit_sha"]
		}
		if c.MergeSHA != wantSHA {
			t.Errorf("#%d merge SHA %q, DevLake %q", n, c.MergeSHA, wantSHA)
		}
		if c.Author != r["author_name"] || c.BaseBranch != r["base_ref"] || c.HeadBranch != r["head_ref"] {
			t.Errorf("#%d author/base/head %q %q %q, DevLake %q %q %q", n, c.Author, c.BaseBranch, c.HeadBranch,
				r["author_name"], r["base_ref"], r["head_ref"])
		}
		if c.Draft != (r["is_draft"] == "1") {
			t.Errorf("#%d draft %v, DevLake %s", n, c.Draft, r["is_draft"])
		}
	}
	if merged == 0 {
		t.Fatal("no merged pull request compared")
	}

	// First commit: the earliest author date of the pull request's commits.
	first := map[int]time.Time{}
	commits := map[int]int{}
	for _, r := range readSnapshot(t, "_tool_github_pull_request_commits.csv") {
		n := idToNum[r["pull_request_id"]]
		at := devlakeTime(t, r["commit_authored_date"])
		if f, ok := first[n]; !ok || at.Before(f) {
			first[n] = at
		}
		commits[n]++
	}
	if len(first) == 0 {
		t.Fatal("no commits compared")
	}
	for n, c := range byNum {
		if !sameInstant(c.FirstCommitAt, first[n]) {
			t.Errorf("#%d first commit %v, DevLake %v", n, c.FirstCommitAt, first[n])
		}
		if got := len(activity(c, domain.Commit)); got != commits[n] {
			t.Errorf("#%d %d commits, DevLake %d", n, got, commits[n])
		}
	}
}

// activity lists a change's activity times of some kinds, sorted.
func activity(c domain.Change, kinds ...domain.ActivityKind) []time.Time {
	var out []time.Time
	for _, a := range c.Activity {
		for _, k := range kinds {
			if a.Kind == k {
				out = append(out, a.At)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func equalTimes(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

func TestDevLakeParityCommentsAndReviews(t *testing.T) {
	sink, _ := syncAnts(t)
	byNum := map[int]domain.Change{}
	for _, c := range sink.Changes() {
		byNum[c.Number] = c
	}
	idToNum := map[string]int{}
	for _, r := range readSnapshot(t, "_tool_github_pull_requests.csv") {
		idToNum[r["github_id"]], _ = strconv.Atoi(r["number"])
	}

	normal, diff := map[int][]time.Time{}, map[int][]time.Time{}
	diffReviews := map[string][]time.Time{} // review id → its comments' times
	diffReviewPR := map[string]int{}
	for _, r := range readSnapshot(t, "_tool_github_pull_request_comments.csv") {
		n, at := idToNum[r["pull_request_id"]], devlakeTime(t, r["github_created_at"])
		switch r["type"] {
		case "NORMAL":
			normal[n] = append(normal[n], at)
		case "DIFF":
			diff[n] = append(diff[n], at)
			diffReviews[r["review_id"]] = append(diffReviews[r["review_id"]], at)
			diffReviewPR[r["review_id"]] = n
		default:
			t.Fatalf("unknown comment type %q", r["type"])
		}
	}
	reviews, approvals := map[int][]time.Time{}, map[int][]time.Time{}
	known := map[string]bool{}
	for _, r := range readSnapshot(t, "_tool_github_pull_request_reviews.csv") {
		n, at := idToNum[r["pull_request_id"]], devlakeTime(t, r["github_submit_at"])
		known[r["github_id"]] = true
		if r["state"] == "APPROVED" {
			approvals[n] = append(approvals[n], at)
		} else {
			reviews[n] = append(reviews[n], at)
		}
	}
	// The capture holds review comments whose reviews it lacks; GitHub made
	// each of those a COMMENTED review, which the fake serves as submitted
	// with its last comment (fakegh.LoadAnts).
	for id, times := range diffReviews {
		if known[id] {
			continue
		}
		last := times[0]
		for _, at := range times {
			if at.After(last) {
				last = at
			}
		}
		reviews[diffReviewPR[id]] = append(reviews[diffReviewPR[id]], last)
	}
	if len(normal) == 0 || len(diff) == 0 || len(reviews) == 0 {
		t.Fatal("nothing to compare")
	}
	for n, c := range byNum {
		for _, cmp := range []struct {
			what string
			got  []time.Time
			want []time.Time
		}{
			{"conversation comments", activity(c, domain.Comment), normal[n]},
			{"review comments", activity(c, domain.ReviewComment), diff[n]},
			{"reviews", activity(c, domain.Review), reviews[n]},
			{"approvals", activity(c, domain.Approval), approvals[n]},
		} {
			sort.Slice(cmp.want, func(i, j int) bool { return cmp.want[i].Before(cmp.want[j]) })
			if !equalTimes(cmp.got, cmp.want) {
				t.Errorf("#%d %s: pace %v, DevLake %v", n, cmp.what, cmp.got, cmp.want)
			}
		}
	}
}

func TestDevLakeParityRuns(t *testing.T) {
	sink, _ := syncAnts(t)
	runs := map[string]domain.Run{}
	for _, r := range sink.Runs() {
		runs[r.ID] = r
	}
	pipes := map[string]map[string]string{}
	for _, p := range readSnapshot(t, "cicd_pipelines.csv") {
		id := p["id"]
		pipes[id[len("github:GithubRun:1:134018330:"):]] = p
	}
	rows := readSnapshot(t, "_tool_github_runs.csv")
	if len(runs) != len(rows) {
		t.Errorf("pace stored %d runs, DevLake %d", len(runs), len(rows))
	}
	for _, r := range rows {
		run, ok := runs[r["id"]]
		if !ok {
			t.Errorf("run %s missing", r["id"])
			continue
		}
		p := pipes[r["id"]]
		if p == nil {
			t.Fatalf("run %s: no cicd_pipelines row", r["id"])
		}
		if !sameInstant(run.CreatedAt, devlakeTime(t, p["created_date"])) {
			t.Errorf("run %s created %v, DevLake %s", r["id"], run.CreatedAt, p["created_date"])
		}
		if !sameInstant(run.StartedAt, devlakeTime(t, p["started_date"])) {
			t.Errorf("run %s started %v, DevLake %s", r["id"], run.StartedAt, p["started_date"])
		}
		// DevLake's result folds cancelled into FAILURE and gives no result
		// to a requested run; pace keeps cancelled apart and counts a
		// requested run as waiting to start.
		want := map[string]domain.Result{"SUCCESS": domain.Success, "FAILURE": domain.Failure}[p["result"]]
		switch {
		case p["original_result"] == "cancelled":
			want = domain.Cancelled
		case p["status"] == "IN_PROGRESS" || p["original_status"] == "REQUESTED":
			want = domain.InProgress
		}
		if run.Result != want {
			t.Errorf("run %s result %q, DevLake %s/%s (%s/%s)", r["id"], run.Result, p["result"], p["status"], p["original_status"], p["original_result"])
		}
		// DevLake sets finished_date to updated_at even for runs still going;
		// pace leaves a run without a conclusion unfinished.
		wantFinish := devlakeTime(t, p["finished_date"])
		if p["original_result"] == "" {
			wantFinish = time.Time{}
		}
		if !sameInstant(run.FinishedAt, wantFinish) {
			t.Errorf("run %s finished %v, DevLake %v", r["id"], run.FinishedAt, wantFinish)
		}
		if run.Workflow != path.Base(r["path"]) || run.Branch != r["head_branch"] || run.SHA != r["head_sha"] || run.Event != r["event"] {
			t.Errorf("run %s: %q %q %q %q, DevLake %q %q %q %q", r["id"], run.Workflow, run.Branch, run.SHA, run.Event,
				path.Base(r["path"]), r["head_branch"], r["head_sha"], r["event"])
		}
	}
}

// The facebook/OpenBIC deployments DevLake captured through GraphQL give
// DevLake's ids, SHAs, environments, refs, URLs and creation times; their
// finish and result follow pace's rule (the first terminal status), read
// from the captured statuses.
func TestDevLakeParityDeployments(t *testing.T) {
	clk := newClock(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	srv := newFake(t, clk, fakegh.Options{})
	repo, err := fakegh.LoadOpenBICDeployments()
	if err != nil {
		t.Fatal(err)
	}
	srv.AddRepo(repo)
	o := testOptions(srv, clk, "facebook/OpenBIC")
	o.Since = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	o.Production = regexp.MustCompile(`^github-pages$`)
	sink := sources.NewMemSink()
	if _, err := Sync(context.Background(), o, sink, nil); err != nil {
		t.Fatal(err)
	}
	got := map[string]domain.Deployment{}
	for _, d := range sink.Deployments() {
		got[d.ID] = d
	}
	rows := readSnapshot(t, "_tool_github_deployments.csv")
	if len(got) != len(rows) {
		t.Errorf("pace stored %d deployments, DevLake %d", len(got), len(rows))
	}
	withStatus := 0
	for _, r := range rows {
		d, ok := got[r["database_id"]]
		if !ok {
			t.Errorf("deployment %s missing", r["database_id"])
			continue
		}
		if d.SHA != r["commit_oid"] || d.Environment != r["environment"] || d.Ref != r["ref_name"] || d.URL != r["url"] {
			t.Errorf("deployment %s: %q %q %q %q, DevLake %q %q %q %q", d.ID, d.SHA, d.Environment, d.Ref, d.URL,
				r["commit_oid"], r["environment"], r["ref_name"], r["url"])
		}
		if !sameInstant(d.CreatedAt, devlakeTime(t, r["created_date"])) {
			t.Errorf("deployment %s created %v, DevLake %s", d.ID, d.CreatedAt, r["created_date"])
		}
	}
	for _, dep := range repo.Deployments {
		d := got[strconv.FormatInt(dep.DatabaseID, 10)]
		var first time.Time
		for _, st := range dep.Statuses {
			if st.State == "SUCCESS" && (first.IsZero() || st.CreatedAt.Before(first)) {
				first = st.CreatedAt
			}
		}
		if len(dep.Statuses) == 0 {
			if d.Result != domain.InProgress || !d.FinishedAt.IsZero() {
				t.Errorf("deployment %s without statuses: %s at %v", d.ID, d.Result, d.FinishedAt)
			}
			continue
		}
		withStatus++
		if d.Result != domain.Success || !d.FinishedAt.Equal(first) {
			t.Errorf("deployment %s: %s at %v, want success at %v", d.ID, d.Result, d.FinishedAt, first)
		}
	}
	if withStatus == 0 {
		t.Fatal("no deployment with statuses compared")
	}
}
