package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/demo"
	"github.com/pace-dev/pace/domain"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the demo organisation")

// goldenNow is the fixed time the goldens are computed at.
var goldenNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// demoReport computes the demo organisation (scale 1) at goldenNow.
func demoReport(tb testing.TB) (*domain.Report, *domain.Dataset) {
	tb.Helper()
	ds, s := demo.Generate(goldenNow, 1)
	return domain.Compute(ds, s, goldenNow), ds
}

func TestGolden(t *testing.T) {
	rep, ds := demoReport(t)
	for _, g := range []struct {
		file string
		opts Options
	}{
		{"demo.txt", Options{Format: FormatText}},
		{"demo.md", Options{Format: FormatMarkdown}},
		{"demo.json", Options{Format: FormatJSON}},
		{"demo.csv", Options{Format: FormatCSV}},
		{"demo-fraud.txt", Options{Format: FormatText, Teams: []string{"fraud ml"}}},
	} {
		t.Run(g.file, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, rep, ds, g.opts); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", g.file)
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run `go test ./report -update` to create it)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s differs from the golden (run `go test ./report -update` and review the diff):\n%s",
					g.file, firstDiff(got, string(want)))
			}
		})
	}
}

// TestDemoTextFits checks the demo's text snapshot the way a reader would:
// every line within 80 columns, every team present, no unknown shown as 0.
func TestDemoTextFits(t *testing.T) {
	rep, ds := demoReport(t)
	for _, opts := range []Options{{}, {TTY: true}, {TTY: true, Color: true}} {
		var b bytes.Buffer
		if err := Write(&b, rep, ds, opts); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		checkWidth(t, out)
		for _, tr := range rep.Teams {
			if !strings.Contains(out, "\n"+tr.Name+"\n") && !strings.Contains(out, tr.Name+"\x1b[0m\n") {
				t.Errorf("%+v: team %q missing", opts, tr.Name)
			}
		}
		if strings.Contains(out, "p50 0s") {
			t.Errorf("%+v: a zero p50 printed; unknown must read —", opts)
		}
	}
}

// TestDemoDeterministic guards the goldens: the same input writes the same bytes.
func TestDemoDeterministic(t *testing.T) {
	for _, f := range Formats() {
		var a, b bytes.Buffer
		rep, ds := demoReport(t)
		if err := Write(&a, rep, ds, Options{Format: f}); err != nil {
			t.Fatal(err)
		}
		rep, ds = demoReport(t)
		if err := Write(&b, rep, ds, Options{Format: f}); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%s output differs between two identical runs:\n%s", f, firstDiff(a.String(), b.String()))
		}
	}
}

// firstDiff shows the first differing line of two outputs.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + "\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(same lines)"
}

func BenchmarkWrite(b *testing.B) {
	for _, scale := range []int{1, 10} {
		ds, s := demo.Generate(goldenNow, scale)
		rep := domain.Compute(ds, s, goldenNow)
		for _, f := range Formats() {
			b.Run(f+"/scale"+strconv.Itoa(scale), func(b *testing.B) {
				b.ReportAllocs()
				var buf bytes.Buffer
				for b.Loop() {
					buf.Reset()
					if err := Write(&buf, rep, ds, Options{Format: f}); err != nil {
						b.Fatal(err)
					}
				}
				b.SetBytes(int64(buf.Len()))
			})
		}
	}
}
