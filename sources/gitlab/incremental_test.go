package gitlab

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
)

var incProjects = []string{"acme/ml/project-00", "acme/ml/project-01"}

// incWorld is two projects whose newest deployment and newest train
// pipeline are still running when the first sync runs.
func incWorld(t *testing.T, clk *fakeClock) (*fakegl.Server, Options) {
	srv := newFake(t, clk, fakegl.Options{})
	for _, p := range fakegl.Generate(fakegl.GenSpec{Projects: 2, MRs: 160, Deployments: 50, Pipelines: 260,
		End: faultEnd.Add(-2 * time.Hour), Seed: 21}) {
		d := p.Deployments[len(p.Deployments)-1].JSON
		d["status"], d["environment"] = "running", p.Deployments[0].JSON["environment"]
		fakegl.Obj(d["deployable"])["status"], fakegl.Obj(d["deployable"])["finished_at"] = "running", nil
		for i := len(p.Pipelines) - 1; i >= 0; i-- {
			if pl := p.Pipelines[i].JSON; pl["name"] == "train" {
				pl["status"], pl["finished_at"] = "running", nil
				break
			}
		}
		srv.AddProject(p)
	}
	o := testOptions(srv, clk, incProjects...)
	o.PipelineRef = regexp.MustCompile(`^exp/`)
	o.PipelineName = regexp.MustCompile(`^train$`)
	o.DeployPipelines = []string{"deploy"}
	o.Since = faultEnd.Add(-90 * 24 * time.Hour)
	return srv, o
}

// evolve is what happens between two syncs: a merge request gets a
// comment, new ones are opened and merged, the running deployment and
// pipeline finish, a new production deployment ships the new merges, and
// 130 pipelines are updated in the same millisecond (more than a page).
func evolve(srv *fakegl.Server, now time.Time) {
	projects := []*fakegl.Project{srv.Project(incProjects[0]), srv.Project(incProjects[1])}
	srv.Update(func() {
		for _, p := range projects {
			path := p.Path
			old := p.MRs[10]
			old.Notes = append(old.Notes, map[string]any{"id": 9_000_000 + len(path), "type": nil, "body": "one more thing",
				"author": map[string]any{"username": "zoe", "name": "Zoe"}, "system": false,
				"created_at": fakegl.Stamp(now.Add(-50 * time.Minute))})
			old.JSON["updated_at"] = fakegl.Stamp(now.Add(-50 * time.Minute))
			var iids []int64
			for i := 0; i < 3; i++ {
				iid := int64(len(p.MRs) + 1)
				at := now.Add(-time.Duration(40-i) * time.Minute)
				js := map[string]any{}
				for k, v := range p.MRs[0].JSON {
					js[k] = v
				}
				js["id"], js["iid"], js["title"], js["state"] = 8_000_000+iid+int64(len(path)), iid, "new", "merged"
				js["author"] = map[string]any{"username": "zoe", "name": "Zoe"}
				js["created_at"], js["updated_at"], js["merged_at"] = fakegl.Stamp(at.Add(-time.Hour)), fakegl.Stamp(at), fakegl.Stamp(at)
				js["merge_commit_sha"], js["squash_commit_sha"] = fmt.Sprintf("%s-new-merge-%d", path, i), nil
				p.MRs = append(p.MRs, &fakegl.MR{JSON: js, Commits: []map[string]any{{"id": fmt.Sprintf("%s-c%d", path, i),
					"author_name": "Zoe", "authored_date": fakegl.Stamp(at.Add(-2 * time.Hour))}}})
				iids = append(iids, iid)
			}
			held := p.Deployments[len(p.Deployments)-1].JSON
			held["status"], held["updated_at"] = "success", fakegl.Stamp(now.Add(-30*time.Minute))
			fakegl.Obj(held["deployable"])["status"], fakegl.Obj(held["deployable"])["finished_at"] = "success", fakegl.Stamp(now.Add(-30*time.Minute))
			nd := map[string]any{}
			for k, v := range held {
				nd[k] = v
			}
			nd["id"], nd["iid"] = int64(7_000_000+len(path)), len(p.Deployments)+1
			nd["created_at"], nd["updated_at"] = fakegl.Stamp(now.Add(-20*time.Minute)), fakegl.Stamp(now.Add(-10*time.Minute))
			nd["deployable"] = map[string]any{"status": "success", "finished_at": fakegl.Stamp(now.Add(-10 * time.Minute))}
			p.Deployments = append(p.Deployments, &fakegl.Deployment{JSON: nd, MRs: iids})
			for _, pl := range p.Pipelines {
				if pl.JSON["status"] == "running" {
					pl.JSON["status"], pl.JSON["finished_at"] = "success", fakegl.Stamp(now.Add(-5*time.Minute))
					pl.JSON["updated_at"] = fakegl.Stamp(now.Add(-5 * time.Minute))
				}
			}
			base := p.Pipelines[0].JSON
			for i := 0; i < 130; i++ {
				js := map[string]any{}
				for k, v := range base {
					js[k] = v
				}
				created := now.Add(-time.Duration(20+i) * time.Minute)
				js["id"], js["iid"], js["name"], js["ref"] = int64(6_000_000+i+1000*len(path)), 10_000+i, "train", fmt.Sprintf("exp/new-%d", i%7)
				js["created_at"], js["started_at"] = fakegl.Stamp(created), fakegl.Stamp(created)
				js["finished_at"], js["updated_at"] = fakegl.Stamp(now.Add(-15*time.Minute)), fakegl.Stamp(now.Add(-15*time.Minute))
				p.Pipelines = append(p.Pipelines, &fakegl.Pipeline{JSON: js})
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
	inProgress := 0
	for _, d := range sink.Deployments() {
		if d.Result == domain.InProgress {
			inProgress++
		}
	}
	if inProgress != 2 {
		t.Fatalf("%d deployments in progress after the first sync, want 2", inProgress)
	}
	clk.Sleep(context.Background(), 3*time.Hour)
	evolve(srv, clk.Now())
	srv.ResetCounts()
	if sum, err := Sync(context.Background(), o, sink, nil); err != nil || sum.Failed() {
		t.Fatalf("second sync: %v %v", err, sum.Errors())
	}
	counts := srv.Counts()
	t.Logf("incremental sync: %s", fakegl.FormatCounts(counts))
	// 2 projects: the touched merge request and 3 new ones (commits and
	// notes each), the two changed deployments, the finished pipeline and
	// the 130 new ones.
	if counts["mr:notes"] != 8 || counts["mr:commits"] != 8 || counts["pipeline"] != 2*131 || counts["environments"] != 2 {
		t.Errorf("incremental sync read more or less than what changed: %s", fakegl.FormatCounts(counts))
	}

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
		if c.Author == "zoe" {
			if !c.DeployExact || c.DeploymentID != fmt.Sprint(7_000_000+len(c.Repo)) || c.FirstCommitAt.IsZero() {
				t.Errorf("%s: deployed %v by %q (exact %v)", c.Key(), c.DeployedAt, c.DeploymentID, c.DeployExact)
			}
			exact++
		}
		if c.Number == 11 && len(activity(c, domain.Comment)) == 0 {
			t.Errorf("%s: the new comment was not read", c.Key())
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
	cursorsCovered(t, srv, sink, o)
}

// Full ignores cursors: everything is read again.
func TestFullResync(t *testing.T) {
	clk := newClock(faultEnd)
	srv, o := incWorld(t, clk)
	sink := sources.NewMemSink()
	if _, err := Sync(context.Background(), o, sink, nil); err != nil {
		t.Fatal(err)
	}
	first := srv.Counts()
	srv.ResetCounts()
	o.Full = true
	if _, err := Sync(context.Background(), o, sink, nil); err != nil {
		t.Fatal(err)
	}
	if got := srv.Counts(); fakegl.FormatCounts(got) != fakegl.FormatCounts(first) {
		t.Errorf("full sync: %s, first sync %s", fakegl.FormatCounts(got), fakegl.FormatCounts(first))
	}
}

// GitLab links the merge requests a deployment shipped in a background
// job after it succeeds. A production deployment read within linkWait of
// its finish with none linked is read again by the next sync, which then
// finds its merge requests; once linked, it is not read again.
func TestRecentDeploymentWithoutLinksIsReadAgain(t *testing.T) {
	clk := newClock(faultEnd)
	srv := newFake(t, clk, fakegl.Options{})
	ps := fakegl.Generate(fakegl.GenSpec{Projects: 1, MRs: 40, Deployments: 12, End: faultEnd.Add(-time.Hour), Seed: 3})
	p := ps[0]
	var last *fakegl.Deployment // the newest production deployment that shipped something
	for _, d := range p.Deployments {
		if len(d.MRs) > 0 && fakegl.Obj(d.JSON["environment"])["name"] == "production" {
			last = d
		}
	}
	if last == nil {
		t.Fatal("fixture: no production deployment shipped anything")
	}
	shipped := last.MRs
	last.MRs = nil
	last.JSON["status"] = "success"
	fin := faultEnd.Add(-2 * time.Minute)
	last.JSON["updated_at"] = fakegl.Stamp(fin)
	fakegl.Obj(last.JSON["deployable"])["finished_at"] = fakegl.Stamp(fin)
	srv.AddProject(p)
	o := testOptions(srv, clk, p.Path)
	o.Since = faultEnd.Add(-90 * 24 * time.Hour)
	sink := sources.NewMemSink()
	if sum, err := Sync(context.Background(), o, sink, nil); err != nil || sum.Failed() {
		t.Fatalf("%v %v", err, sum.Errors())
	}
	for _, c := range sink.Changes() {
		if c.DeployExact && c.DeploymentID == fmt.Sprint(last.ID()) {
			t.Fatalf("linked before GitLab linked: %s", c.Key())
		}
	}

	clk.Sleep(context.Background(), 5*time.Minute)
	srv.Update(func() { last.MRs = shipped }) // the background job ran; updated_at unchanged
	srv.ResetCounts()
	if sum, err := Sync(context.Background(), o, sink, nil); err != nil || sum.Failed() {
		t.Fatalf("%v %v", err, sum.Errors())
	}
	if n := srv.Counts()["deployment:mrs"]; n == 0 {
		t.Fatal("the held deployment was not read again")
	}
	linked := 0
	for _, c := range sink.Changes() {
		if c.DeployExact && c.DeploymentID == fmt.Sprint(last.ID()) {
			linked++
		}
	}
	if linked != len(shipped) {
		t.Errorf("%d changes linked to the deployment, it shipped %d", linked, len(shipped))
	}

	clk.Sleep(context.Background(), 30*time.Minute)
	srv.ResetCounts()
	if _, err := Sync(context.Background(), o, sink, nil); err != nil {
		t.Fatal(err)
	}
	if c := srv.Counts(); c["deployments"] != 1 || c["deployment:mrs"] != 0 || srv.Total() != 2 {
		t.Errorf("third sync of unchanged data: %s", fakegl.FormatCounts(c))
	}
}
