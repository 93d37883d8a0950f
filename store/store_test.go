package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// openTemp opens a fresh cache in the test's temporary directory.
func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache", "pace.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestOpenCreatesPrivateFileAndDirectory(t *testing.T) {
	s, path := openTemp(t)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("cache file mode = %o, want 600", got)
	}
	di, err := os.Stat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if got := di.Mode().Perm(); got != 0o700 {
		t.Errorf("cache directory mode = %o, want 700", got)
	}
	// The WAL sidecars hold the same data; SQLite gives them the file's mode.
	if err := s.SetOrg(context.Background(), "acme"); err != nil {
		t.Fatal(err)
	}
	for _, side := range []string{"-wal", "-shm"} {
		fi, err := os.Stat(path + side)
		if err != nil {
			t.Fatalf("%s: %v (WAL mode not on?)", side, err)
		}
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Errorf("%s mode = %o, want 600", side, got)
		}
	}
}

func TestOpenTightensLooseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pace.db")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // the umask may have narrowed it
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode after Open = %o, want 600", got)
	}
}

func TestOpenSetsPragmas(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	want := map[string]string{
		"journal_mode": "wal",
		"busy_timeout": "5000",
		"foreign_keys": "1",
		"synchronous":  "1", // NORMAL
		"user_version": "3",
		"page_size":    "16384",
	}
	// Every pooled connection must carry them, so ask on several at once.
	conns := make([]*sql.Conn, 3)
	for i := range conns {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	for i, c := range conns {
		for pragma, w := range want {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != w {
				t.Errorf("conn %d: PRAGMA %s = %q, want %q", i, pragma, got, w)
			}
		}
	}
	if len(migrations) != 3 {
		t.Errorf("test expects schema version 3, binary knows %d: update want", len(migrations))
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a?b#c%d e")
	path := filepath.Join(dir, "pace.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetOrg(context.Background(), "acme"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the given path: %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "pace.db") {
			t.Errorf("stray file %q: the path was misread as a URI", e.Name())
		}
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	s, path := openTemp(t)
	if _, err := s.db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(context.Background(), path)
	if err == nil {
		t.Fatal("Open of a schema-99 file succeeded")
	}
	for _, w := range []string{"99", "newer", "upgrade pace"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
	// The file must be left as it was, not downgraded.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != 99 {
		t.Errorf("user_version after refused Open = %d, want 99", v)
	}
}

func TestOpenRefusesForeignDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE notes (body TEXT)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "not a pace cache") {
		t.Fatalf("Open of a foreign SQLite file: err = %v, want 'not a pace cache'", err)
	}
	// Refused means untouched: not switched to WAL, mode not changed.
	db, err = sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "delete" {
		t.Errorf("journal_mode of the refused file = %q, want delete", mode)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode of the refused file changed: %v %v", fi.Mode(), err)
	}
}

func TestOpenRefusesNonDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte(strings.Repeat("not sqlite at all\n", 200)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), path); err == nil {
		t.Fatal("Open of a text file succeeded")
	}
}

func TestIntegrityCheck(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	for _, p := range newSynth(7).pages(600, 50, 50, 100) {
		if err := s.Commit(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatalf("healthy cache: %v", err)
	}
	var pageSize, pages int64
	if err := s.db.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	s.Close() // the last close checkpoints the WAL into the file

	// Scribble over the middle of a b-tree page past the schema page.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	junk := []byte(strings.Repeat("\xff\x00\x13", int(pageSize)/3))
	if _, err := f.WriteAt(junk, pageSize*(pages/2)); err != nil {
		t.Fatal(err)
	}
	f.Close()

	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open of a file with a damaged data page: %v", err)
	}
	defer s2.Close()
	err = s2.IntegrityCheck(ctx)
	if err == nil {
		t.Fatal("IntegrityCheck passed a damaged file")
	}
	if !strings.Contains(err.Error(), "integrity check") {
		t.Errorf("error %q does not say what failed", err)
	}
}

func TestSetOrg(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	for _, name := range []string{"acme", "Acme Research ⚗️"} {
		if err := s.SetOrg(ctx, name); err != nil {
			t.Fatal(err)
		}
		ds, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ds.Org != name {
			t.Errorf("Org = %q, want %q", ds.Org, name)
		}
	}
}

func TestLoadCancelled(t *testing.T) {
	s, _ := openTemp(t)
	for _, p := range newSynth(8).pages(300, 10, 10, 100) {
		commit(t, s, p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if ds, err := s.Load(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Load with a cancelled context = %v, %v; want context.Canceled", ds != nil, err)
	}
}
