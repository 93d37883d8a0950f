package github

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/github/fakegh"
)

// incWorld is two repos whose newest deployment and newest train run are
// still in progress when the first sync runs.
func incWorld(t *testing.T, clk *fakeClock) (*fakegh.Server, Options) {
	srv := newFake(t, clk, fakegh.Options{})
	for _, r := range fakegh.Generate(fakegh.GenSpec{Repos: 2, Changes: 160, Runs: 260, Deployments: 50,
		Workflows: []string{"train.yml", "deploy.yml"}, End: faultEnd.Add(-2 * time.Hour), Seed: 21}) {
		d := r.Deployments[len(r.Deployments)-1]
		d.Environment, d.State = "production", "IN_PROGRESS"
		d.Statuses = []fakegh.Status{{State: "QUEUED", CreatedAt: d.CreatedAt.Add(time.Second)}}
		for _, run := range r.Runs {
			if run.File == "train.yml" && run.CreatedAt.After(faultEnd.Add(-2*24*time.Hour)) {
				run.JSON["status"], run.JSON["conclusion"] = "in_progress", nil
				break
			}
		}
		srv.AddRepo(r)
	}
	o := testOptions(srv, clk, "acme/repo-00", "acme/repo-01")
	o.Workflows = []string{"train.yml", "deploy.yml"}
	o.Since = faultEnd.Add(-90 * 24 * time.Hour)
	return srv, o
}

// evolve is what happens between two syncs: a pull request gets a comment,
// new ones are opened and merged, the running deployment and run finish, a
// new production deployment ships the new merges, new runs start.
func evolve(srv *fakegh.Server, now time.Time) {
	repos := []*fakegh.Repo{srv.Repo("acme/repo-00"), srv.Repo("acme/repo-01")}
	srv.Update(func() {
		for _, r := range repos {
			name := r.FullName()
			old := r.PRs[10]
			old.Comments = append(old.Comments, fakegh.Comment{Author: "zoe", CreatedAt: now.Add(-50 * time.Minute)})
			old.UpdatedAt = now.Add(-50 * time.Minute)
			for i := 0; i < 3; i++ {
				n := len(r.PRs) + 1
				at := now.Add(-time.Duration(40-i) * time.Minute)
				sha := fmt.Sprintf("%s-new-merge-%d", name, i)
				r.PRs = append(r.PRs, &fakegh.PR{Number: n, Title: "new", Author: "zoe", BaseRef: "main", HeadRef: "new",
					State: "MERGED", CreatedAt: at.Add(-time.Hour), UpdatedAt: at, MergedAt: at, ClosedAt: at, MergeCommit: sha,
					Commits: []fakegh.PRCommit{{SHA: sha + "c", AuthorLogin: "zoe", AuthoredDate: at.Add(-2 * time.Hour)}}})
				r.History = append(r.History, sha)
			}
			held := r.Deployments[len(r.Deployments)-1]
			held.State = "ACTIVE"
			held.Statuses = append([]fakegh.Status{{State: "SUCCESS", CreatedAt: now.Add(-30 * time.Minute)}}, held.Statuses...)
			r.Deployments = append(r.Deployments, &fakegh.Deployment{NodeID: name + "-new", DatabaseID: 999_000 + int64(len(name)),
				Environment: "production", SHA: r.History[len(r.History)-1], Ref: "main", CreatedAt: now.Add(-20 * time.Minute),
				State: "ACTIVE", Statuses: []fakegh.Status{{State: "SUCCESS", CreatedAt: now.Add(-10 * time.Minute)}}})
			for _, run := range r.Runs {
				if run.JSON["status"] == "in_progress" {
					run.JSON["status"], run.JSON["conclusion"] = "completed", "success"
					run.JSON["updated_at"] = now.Add(-5 * time.Minute).Format(time.RFC3339)
				}
			}
			base := r.Runs[len(r.Runs)-1].JSON
			for i := 0; i < 4; i++ {
				id := int64(77_000_000 + i + len(r.Runs)*10)
				js := map[string]any{}
				for k, v := range base {
					js[k] = v
				}
				created := now.Add(-time.Duration(15-i) * time.Minute)
				js["id"], js["created_at"], js["updated_at"], js["run_started_at"] = id, created.Format(time.RFC3339),
					created.Add(time.Minute).Format(time.RFC3339), created.Format(time.RFC3339)
				js["path"] = ".github/workflows/train.yml"
				r.Runs = append(r.Runs, &fakegh.Run{ID: id, File: "train.yml", CreatedAt: created, JSON: js})
			}
		}
	})
}

// An incremental sync after changes stores what a fresh sync of the
// changed data stores, and proves the new deployment's containment.
func TestIncrementalEqualsFresh(t *testing.T) {
	clk := newClock(faultEnd)
	srv, o := incWorld(t, clk)
	sink := sources.NewMemSink()
	if sum, err := Sync(context.Background(), o, sink, nil); err != nil || sum.Failed() {
		t.Fatalf("first sync: %v %v", err, sum.Errors())
	}
	clk.Sleep(context.Background(), 3*time.Hour)
	evolve(srv, clk.Now())
	srv.ResetCounts()
	if sum, err := Sync(context.Background(), o, sink, nil); err != nil || sum.Failed() {
		t.Fatalf("second sync: %v %v", err, sum.Errors())
	}
	t.Logf("incremental sync: %s", fakegh.FormatCounts(srv.Counts()))

	clk2 := newClock(clk.Now())
	srv2, o2 := incWorld(t, clk2)
	evolve(srv2, clk2.Now())
	fresh := sources.NewMemSink()
	if sum, err := Sync(context.Background(), o2, fresh, nil); err != nil || sum.Failed() {
		t.Fatalf("fresh sync: %v %v", err, sum.Errors())
	}
	sameStore(t, sink, fresh)

	exact := 0
	for _, c := range sink.Changes() {
		if c.Author == "zoe" && c.Title == "new" {
			if !c.DeployExact || c.DeploymentID != fmt.Sprint(999_000+len(c.Repo)) {
				t.Errorf("%s: deployed %v by %q (exact %v)", c.Key(), c.DeployedAt, c.DeploymentID, c.DeployExact)
			}
			exact++
		}
	}
	if exact != 6 {
		t.Errorf("%d new changes found", exact)
	}
	for _, r := range sink.Runs() {
		if r.Result == domain.InProgress {
			t.Errorf("run %s still in progress", r.ID)
		}
	}
	for _, d := range sink.Deployments() {
		if d.Result == domain.InProgress {
			t.Errorf("deployment %s still in progress", d.ID)
		}
	}
}

// Full ignores cursors and ETags: everything is read again.
func TestFullResync(t *testing.T) {
	clk := newClock(faultEnd)
	srv, o := incWorld(t, clk)
	sink := sources.NewMemSink()
	if _, err := Sync(context.Background(), o, sink, nil); err != nil {
		t.Fatal(err)
	}
	firstCount := srv.Total()
	srv.ResetCounts()
	o.Full = true
	if _, err := Sync(context.Background(), o, sink, nil); err != nil {
		t.Fatal(err)
	}
	if srv.Total() != firstCount || len(srv.NotModified()) != 0 {
		t.Errorf("full sync: %d requests (%v 304s), first sync %d", srv.Total(), srv.NotModified(), firstCount)
	}
}
