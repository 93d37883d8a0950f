package config

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readSeeds(t testing.TB) map[string][]byte {
	t.Helper()
	seeds := map[string][]byte{"example.yaml": Example()}
	files, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seeds in testdata: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds[filepath.Base(f)] = b
	}
	return seeds
}

// FuzzParse feeds Parse arbitrary bytes: it must never panic, and every
// problem it reports must be well formed and point inside the file.
func FuzzParse(f *testing.F) {
	for _, b := range readSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseMode("fuzz.yaml", data, 0o644)
		if err != nil {
			checkProblems(t, data, err)
			return
		}
		if c == nil {
			t.Fatal("nil config without error")
		}
		_ = c.Settings()
		if err := c.Validate(); err != nil {
			t.Fatalf("a parsed config fails Validate: %v", err)
		}
	})
}

func checkProblems(t *testing.T, data []byte, err error) {
	t.Helper()
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("error is %T, not Errors: %v", err, err)
	}
	if len(errs) == 0 {
		t.Fatal("empty Errors returned as an error")
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	for i, p := range errs {
		if p.Line < 0 || p.Line > lines+1 {
			t.Errorf("problem line %d outside a %d-line file: %+v", p.Line, lines, p)
		}
		if p.Msg == "" || p.File != "fuzz.yaml" {
			t.Errorf("malformed problem %+v", p)
		}
		if strings.IndexFunc(p.Key+p.Msg, unsafeRune) >= 0 {
			t.Errorf("control character in %q: %q", p.Key, p.Msg)
		}
		if strings.Contains(p.Msg, "%!") {
			t.Errorf("formatting error in %q", p.Msg)
		}
		if i > 0 && errs[i-1].Line > p.Line {
			t.Errorf("problems not sorted by line: %d after %d", p.Line, errs[i-1].Line)
		}
	}
}

// TestSeeds runs the fuzz seeds as a plain test so `go test` checks them
// and shows that each broken seed is refused with problems.
func TestSeeds(t *testing.T) {
	for name, b := range readSeeds(t) {
		_, err := ParseMode("fuzz.yaml", b, 0o600)
		broken := strings.HasPrefix(name, "broken-") || strings.HasPrefix(name, "aliases")
		if broken != (err != nil) {
			t.Errorf("%s: broken=%v but error = %v", name, broken, err)
		}
		if err != nil {
			checkProblems(t, b, err)
		}
	}
}

// TestAliasFanOut checks that alias and merge fan-out ("billion laughs")
// is neither expanded nor reported thousands of times.
func TestAliasFanOut(t *testing.T) {
	// Nested merges: 9^9 paths, but each anchored mapping is read once.
	b, err := os.ReadFile(filepath.Join("testdata", "aliases.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got := problems(t, string(b))
	want := []string{
		`pace.yaml:1: x0: unknown key; allowed: window, refresh, github, gitlab, teams, deployments, experiments, classify, bots, guardrails`,
		`pace.yaml:1: github.a: unknown key; allowed: base_url, repos, orgs, token`,
		`pace.yaml:1: github.b: unknown key; allowed: base_url, repos, orgs, token`,
		`pace.yaml:1: github.c: unknown key; allowed: base_url, repos, orgs, token`,
	}
	if len(got) != 12 || strings.Join(got[:4], "\n") != strings.Join(want, "\n") {
		t.Errorf("nested merges gave %d problems:\n%s", len(got), strings.Join(got, "\n"))
	}

	// Wide aliasing: too many values to check; one problem, not 60000.
	b, err = os.ReadFile(filepath.Join("testdata", "aliases-wide.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	got = problems(t, string(b))
	if len(got) != 1 || !strings.Contains(got[0], "the file expands to too many values (aliases?); simplify it") {
		t.Errorf("wide aliasing gave %d problems: %.500s", len(got), strings.Join(got, "\n"))
	}
}

func BenchmarkParseExample(b *testing.B) {
	data := Example()
	for b.Loop() {
		if _, err := Parse("example.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseAliasFanOut(b *testing.B) {
	for _, name := range []string{"aliases.yaml", "aliases-wide.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Parse(name, data); err == nil {
					b.Fatal("accepted")
				}
			}
		})
	}
}
