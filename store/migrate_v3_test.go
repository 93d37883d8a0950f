package store

import (
	"cmp"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// writeV2 builds a version-2 cache at path holding ds, its rows laid out as
// the v2 schema had them (one column per field, activities in their own
// table, labels as JSON).
func writeV2(t *testing.T, path string, ds *domain.Dataset) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, f := range []string{"schema_v1.sql", "schema_v2.sql"} {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		exec(string(b))
	}
	exec(`PRAGMA user_version = 2`)
	exec(`INSERT INTO meta (key, value) VALUES ('org', ?)`, ds.Org)
	for i, c := range ds.Changes {
		labels, err := encodeStrings(c.Labels)
		if err != nil {
			t.Fatal(err)
		}
		deployedAt, deploymentID := int64(0), ""
		if c.DeployExact {
			deployedAt, deploymentID = unix(c.DeployedAt), c.DeploymentID
		}
		id := int64(10 + 3*i) // v2 ids need not be dense; v3 keeps them
		exec(`INSERT INTO changes (id, source, repo, number, url, title, author, labels, draft, base_branch,
			head_branch, opened_at, ready_at, updated_at, merged_at, closed_at, merge_sha, first_commit_at,
			first_review_at, approved_at, deployed_at, deployment_id, deploy_exact)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			id, string(c.Source), c.Repo, c.Number, c.URL, c.Title, c.Author, labels, c.Draft, c.BaseBranch,
			c.HeadBranch, unix(c.OpenedAt), unix(c.ReadyAt), unix(c.UpdatedAt), unix(c.MergedAt), unix(c.ClosedAt),
			c.MergeSHA, unix(c.FirstCommitAt), unix(c.FirstReviewAt), unix(c.ApprovedAt), deployedAt, deploymentID,
			c.DeployExact)
		// Stored out of seq order, to show the migration sorts by seq.
		for seq := len(c.Activity) - 1; seq >= 0; seq-- {
			a := c.Activity[seq]
			exec(`INSERT INTO activities (change_id, seq, kind, login, at) VALUES (?,?,?,?,?)`,
				id, seq, string(a.Kind), a.Login, unix(a.At))
		}
	}
	for _, d := range ds.Deployments {
		exec(`INSERT INTO deployments (source, repo, id, url, environment, tier, sha, ref, created_at, finished_at, result)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)`, string(d.Source), d.Repo, d.ID, d.URL, d.Environment, string(d.Tier),
			d.SHA, d.Ref, unix(d.CreatedAt), unix(d.FinishedAt), string(d.Result))
	}
	for _, r := range ds.Runs {
		exec(`INSERT INTO runs (source, repo, id, url, workflow, name, branch, sha, actor, event, created_at,
			started_at, finished_at, result) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, string(r.Source), r.Repo, r.ID,
			r.URL, r.Workflow, r.Name, r.Branch, r.SHA, r.Actor, r.Event, unix(r.CreatedAt), unix(r.StartedAt),
			unix(r.FinishedAt), string(r.Result))
	}
	exec(`INSERT INTO cursors (source, repo, stream, since, etag) VALUES ('github', 'acme/platform', 'changes', ?, '"e2"')`, unix(t0))
}

// TestMigrateV2File opens a version-2 cache full of data: every row must
// come back from the packed v3 tables exactly as v2 held it.
func TestMigrateV2File(t *testing.T) {
	ctx := context.Background()
	g := newSynth(21)
	want := &domain.Dataset{Org: "acme"}
	full := fullChange()
	full.Activity = append(full.Activity, domain.Activity{Kind: "deploy_note", Login: "zoe"}, // a kind the codec does not know, no time
		domain.Activity{Kind: domain.Comment, Login: "alice", At: at(-3 * time.Hour)}) // time going backwards
	want.Changes = append(want.Changes, full, domain.Change{Source: domain.GitHub, Repo: "acme/platform", Number: 3})
	for i := range 40 {
		want.Changes = append(want.Changes, g.change(g.repos[i%3], 100+i))
	}
	for i := range 12 {
		want.Deployments = append(want.Deployments, g.deployment(g.repos[i%2], i))
		want.Runs = append(want.Runs, g.run(g.repos[i%2], i))
	}
	want.Deployments = append(want.Deployments, domain.Deployment{Source: domain.GitLab, Repo: "acme/ml", ID: "7"})
	want.Runs = append(want.Runs, domain.Run{Source: domain.GitLab, Repo: "acme/ml", ID: "8", Name: "ü 🚀"})
	path := filepath.Join(t.TempDir(), "v2.db")
	writeV2(t, path, want)

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The rows the migration rewrote do not linger in the WAL.
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() != 0 {
		t.Errorf("WAL after the migration: %v, %v; want an empty file", fi.Size(), err)
	}
	var left int
	if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_v2' OR name = 'activities'`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d v2 tables left after the migration", left)
	}
	got := load(t, s)
	sortKeyed(want)
	for i := range want.Changes {
		if i < len(got.Changes) && !reflect.DeepEqual(got.Changes[i], want.Changes[i]) {
			t.Errorf("change %d:\n got %+v\nwant %+v", i, got.Changes[i], want.Changes[i])
		}
	}
	if len(got.Changes) != len(want.Changes) || !reflect.DeepEqual(got.Deployments, want.Deployments) ||
		!reflect.DeepEqual(got.Runs, want.Runs) || got.Org != "acme" {
		t.Fatalf("migrated cache differs: %d changes (want %d), %d deployments (want %d), %d runs (want %d), org %q",
			len(got.Changes), len(want.Changes), len(got.Deployments), len(want.Deployments), len(got.Runs), len(want.Runs), got.Org)
	}
	k := sources.Key{Source: domain.GitHub, Repo: "acme/platform", Stream: sources.Changes}
	if cur, ok, err := s.Cursor(ctx, k); err != nil || !ok || cur.ETag != `"e2"` {
		t.Errorf("cursor after migration = %+v, %v, %v", cur, ok, err)
	}
	// The migrated file takes new pages, links included, and stays healthy.
	i := slices.IndexFunc(want.Changes, func(c domain.Change) bool { return c.Merged() && c.Number >= 100 })
	c := want.Changes[i]
	commitLinks(t, s, sources.DeployLink{Source: c.Source, Repo: c.Repo, SHA: c.MergeSHA, DeploymentID: "L", DeployedAt: c.MergedAt.Add(time.Minute)})
	c.UpdatedAt = c.UpdatedAt.Add(time.Hour)
	commit(t, s, sources.Page{Changes: []domain.Change{c}})
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	if got := load(t, s).Changes[i]; !got.DeployExact || got.DeploymentID != "L" {
		t.Errorf("migrated change did not take its deploy link: %+v", got)
	}
}

// sortKeyed puts deployments and runs in Load's order, (source, repo, id).
func sortKeyed(ds *domain.Dataset) {
	slices.SortFunc(ds.Deployments, func(a, b domain.Deployment) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Repo, b.Repo), cmp.Compare(a.ID, b.ID))
	})
	slices.SortFunc(ds.Runs, func(a, b domain.Run) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Repo, b.Repo), cmp.Compare(a.ID, b.ID))
	})
}
