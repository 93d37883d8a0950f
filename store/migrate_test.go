package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

func readV1(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "schema_v1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestShippedMigrationUnchanged(t *testing.T) {
	for i, m := range migrations {
		name := fmt.Sprintf("schema_v%d.sql", i+1)
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatalf("%v: freeze every shipped step in testdata", err)
		}
		if m.sql != string(b) {
			t.Errorf("migrations[%d] differs from testdata/%s: a shipped step must not be edited; add a new step instead", i, name)
		}
	}
}

// TestMigrateV1File builds a cache as the first release wrote it, with data
// in it, and opens it with this binary.
func TestMigrateV1File(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	opened := t0.Unix()
	for _, q := range []string{
		readV1(t),
		`INSERT INTO meta (key, value) VALUES ('org', 'acme')`,
		`INSERT INTO changes (id, source, repo, number, title, labels, opened_at, merged_at)
		 VALUES (1, 'github', 'acme/platform', 7, 'from v1', '["bug"]', ` + itoa(opened) + `, ` + itoa(opened+3600) + `)`,
		`INSERT INTO activities (change_id, seq, kind, login, at) VALUES (1, 0, 'review', 'alice', ` + itoa(opened+60) + `)`,
		`INSERT INTO cursors (source, repo, stream, since, etag) VALUES ('github', 'acme/platform', 'changes', ` + itoa(opened) + `, '"e1"')`,
		`PRAGMA user_version = 1`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != len(migrations) {
		t.Errorf("user_version after Open = %d, want %d", version, len(migrations))
	}
	ds := load(t, s)
	if ds.Org != "acme" || len(ds.Changes) != 1 {
		t.Fatalf("v1 data not kept: org %q, %d changes", ds.Org, len(ds.Changes))
	}
	c := ds.Changes[0]
	if c.Title != "from v1" || c.Number != 7 || !c.OpenedAt.Equal(t0) || !c.MergedAt.Equal(t0.Add(time.Hour)) ||
		len(c.Labels) != 1 || c.Labels[0] != "bug" || len(c.Activity) != 1 || c.Activity[0].Login != "alice" {
		t.Errorf("v1 change read back as %+v", c)
	}
	k := sources.Key{Source: domain.GitHub, Repo: "acme/platform", Stream: sources.Changes}
	if cur, ok, err := s.Cursor(ctx, k); err != nil || !ok || !cur.Since.Equal(t0) || cur.ETag != `"e1"` {
		t.Errorf("v1 cursor = %+v, %v, %v", cur, ok, err)
	}
	// The v2 generation works on the migrated file.
	gen := func() string {
		var g string
		if err := s.db.QueryRow(`SELECT value FROM meta WHERE key = 'generation'`).Scan(&g); err != nil {
			t.Fatal(err)
		}
		return g
	}
	before := gen()
	commit(t, s, sources.Page{Key: k, Cursor: sources.Cursor{Since: t0.Add(time.Hour)}})
	if after := gen(); after == before {
		t.Errorf("generation %s did not move on a commit", after)
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestFailedMigrationLeavesFileAsItWas(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	commit(t, s, sources.Page{Changes: []domain.Change{fullChange()}})
	broken := append(append([]migration{}, migrations...),
		migration{sql: `CREATE TABLE extra (x INTEGER);`},
		migration{sql: `CREATE TABLE broken (`})
	_, err := migrate(ctx, s.db, broken)
	if want := fmt.Sprintf("version %d", len(migrations)+2); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("migrate with a broken step: err = %v, want it to name %s", err, want)
	}
	var version, extra int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'extra'").Scan(&extra); err != nil {
		t.Fatal(err)
	}
	if version != len(migrations) || extra != 0 {
		t.Errorf("after a failed migration: version %d (want %d), table extra exists: %v", version, len(migrations), extra == 1)
	}
	if got := load(t, s); len(got.Changes) != 1 {
		t.Errorf("data lost: %d changes", len(got.Changes))
	}
}

// Two processes starting on a missing cache at once must both end up with
// one migrated file (the second waits for the first's migration).
func TestConcurrentFirstOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pace.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			s, err := Open(context.Background(), path)
			if err == nil {
				err = s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var gens int
	if err := s.db.QueryRow(`SELECT count(*) FROM meta WHERE key = 'generation'`).Scan(&gens); err != nil {
		t.Fatal(err)
	}
	if gens != 1 {
		t.Errorf("%d generation rows, want 1", gens)
	}
}
