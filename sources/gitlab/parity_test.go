package gitlab

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
)

// The gitlab-data/snowflake_spend items Apache DevLake captured, served by
// the fake and synced by pace, must give the instants DevLake's own parser
// stored in its snapshot tables (testdata/devlake, see testdata/README.md).
// Where pace differs on purpose, the test says so and why.

// syncSnowflake syncs the capture into a MemSink, every pipeline wanted.
func syncSnowflake(t *testing.T) *sources.MemSink {
	t.Helper()
	clk := newClock(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := newFake(t, clk, fakegl.Options{})
	p, err := fakegl.LoadSnowflake()
	if err != nil {
		t.Fatal(err)
	}
	srv.AddProject(p)
	o := testOptions(srv, clk, fakegl.SnowflakePath)
	o.Since = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	o.PipelineRef = regexp.MustCompile(".")
	sink := sources.NewMemSink()
	sum, err := Sync(context.Background(), o, sink, nil)
	if err != nil || sum.Failed() {
		t.Fatalf("sync: %v %v", err, sum.Errors())
	}
	return sink
}

// mrRows is DevLake's merge request rows of both snapshot tables, by iid,
// and the map from GitLab id to iid.
func mrRows(t *testing.T) (map[int]map[string]string, map[string]int) {
	rows := map[int]map[string]string{}
	ids := map[string]int{}
	for _, name := range []string{"_tool_gitlab_merge_requests.csv", "_tool_gitlab_merge_requests_for_mr_notes_test.csv"} {
		for _, r := range readSnapshot(t, name) {
			iid, _ := strconv.Atoi(r["iid"])
			if _, ok := rows[iid]; !ok {
				rows[iid] = r
			}
			ids[r["gitlab_id"]] = iid
		}
	}
	return rows, ids
}

func changesByNumber(sink *sources.MemSink) map[int]domain.Change {
	out := map[int]domain.Change{}
	for _, c := range sink.Changes() {
		out[c.Number] = c
	}
	return out
}

func TestDevLakeParityMergeRequests(t *testing.T) {
	got := changesByNumber(syncSnowflake(t))
	rows, _ := mrRows(t)
	if len(got) != len(rows) {
		t.Errorf("pace stored %d merge requests, DevLake %d", len(got), len(rows))
	}
	merged, closed, drafts := 0, 0, 0
	for iid, r := range rows {
		c, ok := got[iid]
		if !ok {
			t.Errorf("!%d missing", iid)
			continue
		}
		if want := devlakeTime(t, r["gitlab_created_at"]); !sameInstant(c.OpenedAt, want) {
			t.Errorf("!%d opened %v, DevLake %v", iid, c.OpenedAt, want)
		}
		if v, ok := r["gitlab_updated_at"]; ok && !sameInstant(c.UpdatedAt, devlakeTime(t, v)) {
			t.Errorf("!%d updated %v, DevLake %s", iid, c.UpdatedAt, v)
		}
		mergedAt := devlakeTime(t, r["merged_at"])
		if !sameInstant(c.MergedAt, mergedAt) {
			t.Errorf("!%d merged %v, DevLake %v", iid, c.MergedAt, mergedAt)
		}
		// pace's ClosedAt means closed without merge; DevLake's column is
		// GitLab's closed_at, which GitLab leaves null on merged ones.
		closedAt := devlakeTime(t, r["closed_at"])
		if r["state"] == "merged" {
			merged++
			closedAt = time.Time{}
		}
		if !closedAt.IsZero() {
			closed++
		}
		if !sameInstant(c.ClosedAt, closedAt) {
			t.Errorf("!%d closed %v, DevLake %v", iid, c.ClosedAt, closedAt)
		}
		if c.MergeSHA != r["merge_commit_sha"] {
			t.Errorf("!%d merge SHA %q, DevLake %q", iid, c.MergeSHA, r["merge_commit_sha"])
		}
		if c.Author != r["author_username"] || c.BaseBranch != r["target_branch"] || c.HeadBranch != r["source_branch"] ||
			c.URL != r["web_url"] || c.Title != r["title"] {
			t.Errorf("!%d author/base/head/url/title %q %q %q %q %q, DevLake %q %q %q %q %q", iid, c.Author, c.BaseBranch,
				c.HeadBranch, c.URL, c.Title, r["author_username"], r["target_branch"], r["source_branch"], r["web_url"], r["title"])
		}
		if c.Draft != (r["work_in_progress"] == "1") {
			t.Errorf("!%d draft %v, DevLake %s", iid, c.Draft, r["work_in_progress"])
		}
		if c.Draft {
			drafts++
			if !c.ReadyAt.IsZero() {
				t.Errorf("!%d is a draft but ready at %v", iid, c.ReadyAt)
			}
		}
	}
	if merged == 0 || closed == 0 || drafts == 0 {
		t.Fatalf("compared %d merged, %d closed, %d drafts: the capture should have all three", merged, closed, drafts)
	}
	// DevLake stores squash_commit_sha beside merge_commit_sha; pace keeps
	// the merge commit, the one on the target branch.
	for _, r := range readSnapshot(t, "_tool_gitlab_merge_requests.csv") {
		if r["squash_commit_sha"] != "" {
			iid, _ := strconv.Atoi(r["iid"])
			if got[iid].MergeSHA != r["merge_commit_sha"] {
				t.Errorf("!%d squashed and merged: SHA %q, want the merge commit %q", iid, got[iid].MergeSHA, r["merge_commit_sha"])
			}
		}
	}
}

func TestDevLakeParityCommits(t *testing.T) {
	got := changesByNumber(syncSnowflake(t))
	_, ids := mrRows(t)
	first, count := map[int]time.Time{}, map[int]int{}
	for _, r := range readSnapshot(t, "_tool_gitlab_mr_commits.csv") {
		iid, ok := ids[r["merge_request_id"]]
		if !ok {
			t.Fatalf("commit %s of unknown merge request %s", r["commit_sha"], r["merge_request_id"])
		}
		at := devlakeTime(t, r["commit_authored_date"])
		if f, ok := first[iid]; !ok || at.Before(f) {
			first[iid] = at
		}
		count[iid]++
	}
	if len(first) < 5 {
		t.Fatalf("only %d merge requests with commits", len(first))
	}
	for iid, c := range got {
		if !sameInstant(c.FirstCommitAt, first[iid]) {
			t.Errorf("!%d first commit %v, DevLake %v", iid, c.FirstCommitAt, first[iid])
		}
		if n := len(activity(c, domain.Commit)); n != count[iid] {
			t.Errorf("!%d %d commits, DevLake %d", iid, n, count[iid])
		}
	}
}

// Notes: DevLake keeps every note; its comments are the notes people
// wrote plus the approve/unapprove system notes. pace keeps people's
// notes as comments, "approved this merge request" as an approval (with
// its author and time) and "unapproved this merge request" as a review,
// and reads the ready time from the draft/ready system notes.
func TestDevLakeParityNotes(t *testing.T) {
	got := changesByNumber(syncSnowflake(t))
	_, ids := mrRows(t)
	comments, approvals, unapprovals := map[int][]time.Time{}, map[int][]time.Time{}, map[int][]time.Time{}
	approvers := map[int][]string{}
	ready := map[int]time.Time{}
	for _, r := range readSnapshot(t, "_tool_gitlab_mr_notes.csv") {
		iid, at := ids[r["merge_request_id"]], devlakeTime(t, r["gitlab_created_at"])
		body := strings.ToLower(strings.ReplaceAll(r["body"], "*", ""))
		switch {
		case r["is_system"] == "0":
			comments[iid] = append(comments[iid], at)
		case body == "approved this merge request":
			approvals[iid] = append(approvals[iid], at)
			approvers[iid] = append(approvers[iid], r["author_username"])
		case body == "unapproved this merge request":
			unapprovals[iid] = append(unapprovals[iid], at)
		case body == "unmarked as a work in progress" || strings.HasPrefix(body, "marked this merge request as ready"):
			if ready[iid].IsZero() {
				ready[iid] = at
			}
		}
	}
	devlakeComments := map[int][]time.Time{}
	for _, r := range readSnapshot(t, "_tool_gitlab_mr_comments.csv") {
		iid := ids[r["merge_request_id"]]
		devlakeComments[iid] = append(devlakeComments[iid], devlakeTime(t, r["gitlab_created_at"]))
	}
	if len(comments) == 0 || len(approvals) == 0 || len(unapprovals) == 0 || len(ready) == 0 {
		t.Fatal("the capture should have comments, approvals, an unapproval and a ready note")
	}
	for iid, c := range got {
		for _, cmp := range []struct {
			what      string
			got, want []time.Time
		}{
			{"comments", activity(c, domain.Comment, domain.ReviewComment), comments[iid]},
			{"approvals", activity(c, domain.Approval), approvals[iid]},
			{"unapprovals (reviews)", activity(c, domain.Review), unapprovals[iid]},
			{"DevLake's comments", activity(c, domain.Comment, domain.ReviewComment, domain.Approval, domain.Review), devlakeComments[iid]},
		} {
			sort.Slice(cmp.want, func(i, j int) bool { return cmp.want[i].Before(cmp.want[j]) })
			if !equalTimes(cmp.got, cmp.want) {
				t.Errorf("!%d %s: pace %v, DevLake %v", iid, cmp.what, cmp.got, cmp.want)
			}
		}
		var who []string
		for _, a := range c.Activity {
			if a.Kind == domain.Approval {
				who = append(who, a.Login)
			}
		}
		if strings.Join(who, ",") != strings.Join(approvers[iid], ",") {
			t.Errorf("!%d approvers %v, DevLake %v", iid, who, approvers[iid])
		}
		if r, ok := ready[iid]; ok && !c.Draft && !c.ReadyAt.Equal(r) {
			t.Errorf("!%d ready at %v, the ready note says %v", iid, c.ReadyAt, r)
		}
		if _, ok := ready[iid]; !ok && !c.Draft && !c.ReadyAt.Equal(c.OpenedAt) {
			t.Errorf("!%d never a draft, ready at %v, opened %v", iid, c.ReadyAt, c.OpenedAt)
		}
	}
}

// Pipelines: DevLake's snapshot holds the 16 pipelines it read in full.
// pace's result keeps cancelled apart and a finish only for a finished
// pipeline (none of these is unfinished). GitLab's duration is the jobs'
// running time, not finish minus start; pace keeps start and finish.
func TestDevLakeParityPipelines(t *testing.T) {
	runs := map[string]domain.Run{}
	for _, r := range syncSnowflake(t).Runs() {
		runs[r.ID] = r
	}
	cicd := map[string]map[string]string{}
	for _, r := range readSnapshot(t, "cicd_pipelines.csv") {
		cicd[r["id"][strings.LastIndexByte(r["id"], ':')+1:]] = r
	}
	rows := readSnapshot(t, "_tool_gitlab_pipelines.csv")
	for _, r := range rows {
		run, ok := runs[r["gitlab_id"]]
		if !ok {
			t.Errorf("pipeline %s missing", r["gitlab_id"])
			continue
		}
		p := cicd[r["gitlab_id"]]
		if p == nil {
			t.Fatalf("pipeline %s: no cicd_pipelines row", r["gitlab_id"])
		}
		for _, cmp := range []struct {
			what string
			got  time.Time
			want string
		}{
			{"created", run.CreatedAt, r["gitlab_created_at"]}, {"started", run.StartedAt, r["started_at"]},
			{"finished", run.FinishedAt, r["finished_at"]}, {"cicd created", run.CreatedAt, p["created_date"]},
			{"cicd started", run.StartedAt, p["started_date"]}, {"cicd finished", run.FinishedAt, p["finished_date"]},
		} {
			if !sameInstant(cmp.got, devlakeTime(t, cmp.want)) {
				t.Errorf("pipeline %s %s %v, DevLake %s", run.ID, cmp.what, cmp.got, cmp.want)
			}
		}
		want := map[string]domain.Result{"SUCCESS": domain.Success, "FAILURE": domain.Failure}[p["result"]]
		if p["original_status"] == "canceled" {
			want = domain.Cancelled
		}
		if run.Result != want {
			t.Errorf("pipeline %s result %q, DevLake %s (%s)", run.ID, run.Result, p["result"], p["original_status"])
		}
		if run.Branch != r["ref"] || run.SHA != r["sha"] || run.URL != r["web_url"] {
			t.Errorf("pipeline %s: %q %q %q, DevLake %q %q %q", run.ID, run.Branch, run.SHA, run.URL, r["ref"], r["sha"], r["web_url"])
		}
		if run.Actor == "" || run.Event != "merge_request_event" && run.Event != "push" {
			t.Errorf("pipeline %s actor %q event %q", run.ID, run.Actor, run.Event)
		}
	}
	if len(rows) != 16 {
		t.Errorf("%d snapshot rows", len(rows))
	}
}

// Deployments: pace's creation is the deployment's own created_at (DevLake's
// _tool table; its cicd table takes the job's, ~0.1 s earlier), its finish
// the job's finished_at as DevLake's, for a finished deployment only (DevLake
// fills it for running ones too). A failed deployment whose job never ran
// (no finished_at) finishes when GitLab last updated it: pace needs a finish
// for recovery time, DevLake leaves it empty. Results keep canceled apart
// (DevLake: FAILURE); "completed" and "undeployed", which DevLake's authors
// wrote into the capture to cover its status mapping, are not statuses GitLab
// sends, and stay unknown in pace.
func TestDevLakeParityDeployments(t *testing.T) {
	got := map[string]domain.Deployment{}
	for _, d := range syncSnowflake(t).Deployments() {
		got[d.ID] = d
	}
	cicd := map[string]map[string]string{}
	for _, r := range readSnapshot(t, "cicd_deployments.csv") {
		cicd[r["id"][strings.LastIndexByte(r["id"], ':')+1:]] = r
	}
	rows := readSnapshot(t, "_tool_gitlab_deployments.csv")
	if len(got) != len(rows) {
		t.Errorf("pace stored %d deployments, DevLake %d", len(got), len(rows))
	}
	results := map[domain.Result]int{}
	for _, r := range rows {
		d, ok := got[r["deployment_id"]]
		if !ok {
			t.Errorf("deployment %s missing", r["deployment_id"])
			continue
		}
		c := cicd[r["deployment_id"]]
		if d.SHA != r["sha"] || d.Ref != r["ref"] || d.Environment != r["environment"] || d.Environment != c["environment"] {
			t.Errorf("deployment %s: %q %q %q, DevLake %q %q %q", d.ID, d.SHA, d.Ref, d.Environment, r["sha"], r["ref"], r["environment"])
		}
		if !sameInstant(d.CreatedAt, devlakeTime(t, r["created_date"])) {
			t.Errorf("deployment %s created %v, DevLake %s", d.ID, d.CreatedAt, r["created_date"])
		}
		want, terminal := map[string]domain.Result{"success": domain.Success, "failed": domain.Failure, "canceled": domain.Cancelled,
			"created": domain.InProgress, "running": domain.InProgress, "blocked": domain.InProgress}[r["status"]], false
		switch r["status"] {
		case "success", "failed", "canceled":
			terminal = true
			if c["result"] != map[string]string{"success": "SUCCESS", "failed": "FAILURE", "canceled": "FAILURE"}[r["status"]] {
				t.Errorf("deployment %s: DevLake's own result %q for %s", d.ID, c["result"], r["status"])
			}
		}
		if d.Result != want {
			t.Errorf("deployment %s result %q for status %q", d.ID, d.Result, r["status"])
		}
		results[d.Result]++
		wantFinish := time.Time{}
		if terminal {
			wantFinish = devlakeTime(t, c["finished_date"])
			if wantFinish.IsZero() {
				wantFinish = devlakeTime(t, r["updated_date"])
			}
		}
		if !sameInstant(d.FinishedAt, wantFinish) {
			t.Errorf("deployment %s finished %v, want %v (DevLake %q)", d.ID, d.FinishedAt, wantFinish, c["finished_date"])
		}
		wantTier := map[string]domain.Tier{"production": domain.Production, "staging": domain.Staging}[d.Environment]
		if d.Tier != wantTier {
			t.Errorf("deployment %s tier %q, want %q", d.ID, d.Tier, wantTier)
		}
	}
	if results[domain.Success] == 0 || results[domain.Failure] == 0 || results[domain.Cancelled] == 0 || results[domain.InProgress] == 0 {
		t.Errorf("results compared %v: want every kind", results)
	}
}
