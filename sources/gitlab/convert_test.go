package gitlab

import (
	"regexp"
	"testing"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/pace-dev/pace/domain"
)

func TestClassifyNote(t *testing.T) {
	sys := func(body string) *gl.Note { return &gl.Note{System: true, Body: body} }
	for _, tc := range []struct {
		n    *gl.Note
		want noteKind
	}{
		{&gl.Note{Body: "LGTM"}, noteComment},
		{&gl.Note{Body: "nit", Type: gl.DiscussionNote}, noteComment},
		{&gl.Note{Body: "nit", Type: gl.DiffNote}, noteDiff},
		{&gl.Note{Body: "old nit", Type: gl.LegacyDiffNote}, noteDiff},
		// A person may write the words of a system note: only system notes count.
		{&gl.Note{Body: "approved this merge request"}, noteComment},
		{sys("approved this merge request"), noteApproved},
		{sys("unapproved this merge request"), noteUnapproved},
		{sys("requested changes"), noteReviewed},
		{sys("marked this merge request as **ready**"), noteReady},
		{sys("Marked this merge request as ready"), noteReady},
		{sys("unmarked as a **Work In Progress**"), noteReady},
		{sys("unmarked as a **Draft**"), noteReady},
		{sys("marked this merge request as **draft**"), noteDraft},
		{sys("marked as a **Work In Progress**"), noteDraft},
		{sys("merged"), noteMerged},
		{sys("mentioned in commit abc"), noteOther},
		{sys("added 1 commit\n\n<ul><li>abc - x</li></ul>"), noteOther},
		{sys("approved this merge request and 2 others"), noteOther},
	} {
		if got := classifyNote(tc.n); got != tc.want {
			t.Errorf("%q (system %v, type %q): %d, want %d", tc.n.Body, tc.n.System, tc.n.Type, got, tc.want)
		}
	}
}

func at(h int) *time.Time {
	t := time.Date(2026, 1, 5, h, 0, 0, 0, time.UTC)
	return &t
}

func note(system bool, body, user string, h int) *gl.Note {
	n := &gl.Note{System: system, Body: body, CreatedAt: at(h)}
	n.Author.Username = user
	return n
}

// Ready time: the first "ready" of a merge request opened as a draft, its
// creation when it was opened ready (even if it went to draft and back),
// none while it is a draft.
func TestReadyAt(t *testing.T) {
	mr := func(draft bool) *gl.BasicMergeRequest {
		return &gl.BasicMergeRequest{IID: 1, State: "opened", Draft: draft, CreatedAt: at(1), UpdatedAt: at(9),
			Author: &gl.BasicUser{Username: "ann"}}
	}
	ready := func(h int) *gl.Note { return note(true, "marked this merge request as **ready**", "ann", h) }
	draft := func(h int) *gl.Note { return note(true, "marked this merge request as **draft**", "ann", h) }
	for _, tc := range []struct {
		name  string
		draft bool
		notes []*gl.Note
		want  *time.Time
	}{
		{"never a draft", false, nil, at(1)},
		{"opened as a draft", false, []*gl.Note{ready(3)}, at(3)},
		{"draft, ready, draft, ready", false, []*gl.Note{ready(5), draft(4), ready(3)}, at(3)},
		{"opened ready, to draft and back", false, []*gl.Note{draft(2), ready(4)}, at(1)},
		{"still a draft", true, []*gl.Note{ready(3), draft(4)}, nil},
	} {
		c := toChange("g/p", mr(tc.draft), nil, tc.notes)
		want := time.Time{}
		if tc.want != nil {
			want = *tc.want
		}
		if !c.ReadyAt.Equal(want) {
			t.Errorf("%s: ready at %v, want %v", tc.name, c.ReadyAt, want)
		}
	}
}

// Commit authors are GitLab names, not accounts: a name becomes a login
// only when exactly one person on the merge request has it.
func TestCommitLogins(t *testing.T) {
	mr := &gl.BasicMergeRequest{IID: 2, State: "merged", CreatedAt: at(5), MergedAt: at(8), MergeCommitSHA: "m",
		Author:    &gl.BasicUser{Username: "ann", Name: "Ann Lee"},
		Reviewers: []*gl.BasicUser{{Username: "bo", Name: "Bo"}, {Username: "bo2", Name: "Bo"}}}
	notes := []*gl.Note{note(false, "hi", "cy", 6)}
	notes[0].Author.Name = "Cy Young"
	commits := []*gl.Commit{
		{AuthorName: "Ann Lee", AuthoredDate: at(2)},
		{AuthorName: "ann", AuthoredDate: at(3)},
		{AuthorName: "cy young", AuthoredDate: at(4)},
		{AuthorName: "Bo", AuthoredDate: at(4)}, // two people are called Bo
		{AuthorName: "Dee", AuthoredDate: at(4)},
	}
	c := toChange("g/p", mr, commits, notes)
	var logins []string
	for _, a := range c.Activity {
		if a.Kind == domain.Commit {
			logins = append(logins, a.Login)
		}
	}
	want := []string{"ann", "ann", "cy", "", ""}
	if len(logins) != len(want) {
		t.Fatalf("logins %q", logins)
	}
	for i := range want {
		if logins[i] != want[i] {
			t.Errorf("commit %d: login %q, want %q", i, logins[i], want[i])
		}
	}
	if !c.FirstCommitAt.Equal(*at(2)) {
		t.Errorf("first commit %v", c.FirstCommitAt)
	}
}

func TestMergeSHAAndStates(t *testing.T) {
	base := func() *gl.BasicMergeRequest {
		return &gl.BasicMergeRequest{IID: 3, CreatedAt: at(1), UpdatedAt: at(9), SHA: "head"}
	}
	m := base()
	m.State, m.MergedAt, m.MergeCommitSHA, m.SquashCommitSHA = "merged", at(5), "merge", "squash"
	if c := toChange("g/p", m, nil, nil); c.MergeSHA != "merge" || !c.MergedAt.Equal(*at(5)) || !c.ClosedAt.IsZero() {
		t.Errorf("merge commit: %q %v %v", c.MergeSHA, c.MergedAt, c.ClosedAt)
	}
	m.MergeCommitSHA = ""
	if c := toChange("g/p", m, nil, nil); c.MergeSHA != "squash" {
		t.Errorf("squash: %q", c.MergeSHA)
	}
	m.SquashCommitSHA = ""
	if c := toChange("g/p", m, nil, nil); c.MergeSHA != "head" {
		t.Errorf("fast-forward: %q", c.MergeSHA)
	}
	// Merged before GitLab recorded merged_at: the "merged" note says when.
	m.MergedAt = nil
	if c := toChange("g/p", m, nil, []*gl.Note{note(true, "merged", "x", 7)}); !c.MergedAt.Equal(*at(7)) {
		t.Errorf("merged note: %v", c.MergedAt)
	}
	cl := base()
	cl.State, cl.ClosedAt, cl.MergeCommitSHA = "closed", at(6), "test-merge"
	if c := toChange("g/p", cl, nil, nil); !c.ClosedAt.Equal(*at(6)) || c.MergeSHA != "" || !c.MergedAt.IsZero() {
		t.Errorf("closed: %v %q %v", c.ClosedAt, c.MergeSHA, c.MergedAt)
	}
	op := base()
	op.State = "locked"
	if c := toChange("g/p", op, nil, nil); !c.ClosedAt.IsZero() || !c.MergedAt.IsZero() {
		t.Errorf("locked: %+v", c)
	}
}

// Every pipeline status GitLab documents maps to a result, and only final
// ones finish.
func TestPipelineResults(t *testing.T) {
	for status, want := range map[string]struct {
		r     domain.Result
		final bool
	}{
		"success": {domain.Success, true}, "failed": {domain.Failure, true}, "canceled": {domain.Cancelled, true},
		"skipped": {"", true}, "canceling": {domain.Cancelled, false}, "created": {domain.InProgress, false},
		"waiting_for_resource": {domain.InProgress, false}, "preparing": {domain.InProgress, false},
		"waiting_for_callback": {domain.InProgress, false}, "pending": {domain.InProgress, false},
		"running": {domain.InProgress, false}, "manual": {domain.InProgress, false}, "scheduled": {domain.InProgress, false},
		"something-new": {"", false},
	} {
		r, final := pipelineResult(status)
		if r != want.r || final != want.final {
			t.Errorf("%s: %q %v, want %q %v", status, r, final, want.r, want.final)
		}
		p := &gl.Pipeline{ID: 7, Status: status, CreatedAt: at(1), StartedAt: at(2), FinishedAt: at(3), Name: "train", Ref: "exp/a",
			Source: "schedule", User: &gl.BasicUser{Username: "ann"}}
		run := toRun("g/p", p)
		if run.FinishedAt.IsZero() == final || run.Workflow != "train" || run.Name != "train" || run.Event != "schedule" || run.Actor != "ann" {
			t.Errorf("%s: run %+v", status, run)
		}
	}
}

func TestToDeployment(t *testing.T) {
	d := &gl.Deployment{ID: 42, SHA: "s", Ref: "main", Status: "success", CreatedAt: at(1), UpdatedAt: at(9),
		Environment: &gl.Environment{ID: 7, Name: "prod-eu"}}
	d.Deployable.FinishedAt = at(3)
	dep := toDeployment("g/sub/p", "https://gitlab.example.com/gl", d, map[string]domain.Tier{"prod-eu": domain.Production})
	if dep.URL != "https://gitlab.example.com/gl/g/sub/p/-/environments/7" || dep.Tier != domain.Production ||
		!dep.FinishedAt.Equal(*at(3)) || dep.Result != domain.Success || dep.ID != "42" {
		t.Errorf("%+v", dep)
	}
	// No job (a deployment created through the API): it finished when last updated.
	d.Deployable.FinishedAt, d.Status = nil, "failed"
	if dep := toDeployment("g/p", "", d, nil); !dep.FinishedAt.Equal(*at(9)) || dep.Result != domain.Failure || dep.Tier != "" {
		t.Errorf("%+v", dep)
	}
	d.Status = "running"
	if dep := toDeployment("g/p", "", d, nil); !dep.FinishedAt.IsZero() || dep.Result != domain.InProgress {
		t.Errorf("%+v", dep)
	}
}

// Which pipelines are fetched follows domain's experiment and deployment
// rules.
func TestWantPipeline(t *testing.T) {
	o := Options{PipelineRef: regexp.MustCompile(`^exp/`), PipelineName: regexp.MustCompile(`(?i)train`), DeployPipelines: []string{"deploy"}}
	for _, tc := range []struct {
		ref, name string
		want      bool
	}{
		{"exp/a", "Train model", true}, {"exp/a", "lint", false}, {"main", "train", false},
		{"main", "deploy", true}, {"exp/a", "deploy", true}, {"main", "", false}, {"main", "deploy-eu", false},
	} {
		if got := o.wantPipeline(tc.ref, tc.name); got != tc.want {
			t.Errorf("%s %q: %v", tc.ref, tc.name, got)
		}
	}
	if (Options{}).pipelinesWanted() || !(Options{DeployPipelines: []string{"d"}}).pipelinesWanted() {
		t.Error("pipelinesWanted")
	}
	// The same rules written again (fresh regexps) name the same stream.
	same := Options{PipelineRef: regexp.MustCompile(`^exp/`), PipelineName: regexp.MustCompile(`(?i)train`), DeployPipelines: []string{"deploy"}}
	if RunsStream(o) == RunsStream(Options{PipelineRef: o.PipelineRef}) || RunsStream(o) != RunsStream(same) {
		t.Error("RunsStream must change with the rules and only with them")
	}
}

// The cursor round-trips through the sink's fields, and an item is new
// unless it is stored with the same update time.
func TestKeyset(t *testing.T) {
	floor := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var k keyset
	k.seen = map[int64]int64{}
	t1 := floor.Add(time.Hour + 250*time.Millisecond)
	t2 := floor.Add(time.Hour + 900*time.Millisecond)
	if !k.isNew(1, t1, floor) || k.isNew(9, floor.Add(-time.Millisecond), floor) {
		t.Fatal("first pass: isNew")
	}
	k.advance(1, t1)
	k.advance(2, t2)
	k2 := readKeyset(k.cursor())
	if !k2.since.Equal(floor.Add(time.Hour)) || len(k2.seen) != 2 {
		t.Fatalf("round trip: %+v", k2)
	}
	if k2.isNew(1, t1, floor) || k2.isNew(2, t2, floor) || !k2.isNew(3, t1, floor) ||
		!k2.isNew(1, t1.Add(time.Millisecond), floor) || k2.isNew(4, floor.Add(time.Hour-time.Millisecond), floor) {
		t.Error("isNew after round trip")
	}
	k2.advance(5, floor.Add(2*time.Hour))
	if len(k2.seen) != 1 || !k2.since.Equal(floor.Add(2*time.Hour)) {
		t.Errorf("advance to a new second: %+v", k2)
	}
}
