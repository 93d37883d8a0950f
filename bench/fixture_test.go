package bench

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/pace-dev/pace/config"
	"github.com/pace-dev/pace/demo"
	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/report"
	"github.com/pace-dev/pace/store"
)

// fixedNow is the instant every benchmark organisation is generated for.
var fixedNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// TestFixtureIsTheDemo checks that the cache and config a benchmark runs
// pace on compute the same organisation as the demo itself: the snapshot
// JSON of both is identical, so the figures measure the demo's real shape,
// and the runs a sync would not have fetched (plain CI) change nothing.
func TestFixtureIsTheDemo(t *testing.T) {
	ctx := context.Background()
	f, err := Build(ctx, t.TempDir(), fixedNow, 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(f.Config)
	if err != nil {
		t.Fatalf("config.Load refuses the fixture's config: %v", err)
	}
	st, err := store.Open(ctx, f.Cache)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, ws := demo.Generate(fixedNow, 1)
	runs := wantedRuns(want, ws)
	if got.Org != want.Org || len(got.Changes) != len(want.Changes) || len(got.Deployments) != len(want.Deployments) ||
		len(got.Runs) != runs || len(got.Sources) != len(want.Sources) {
		t.Fatalf("cache holds org %q, %d changes, %d deployments, %d runs, %d sources; demo %q, %d, %d, %d (of %d runs), %d",
			got.Org, len(got.Changes), len(got.Deployments), len(got.Runs), len(got.Sources),
			want.Org, len(want.Changes), len(want.Deployments), runs, len(want.Runs), len(want.Sources))
	}
	if runs == 0 || runs == len(want.Runs) {
		t.Errorf("a sync would keep %d of the demo's %d runs: the test no longer shows that the others do not count", runs, len(want.Runs))
	}
	if n := rows(got); f.Rows != n {
		t.Errorf("fixture counts %d rows, the cache holds %d", f.Rows, n)
	}
	gs := cfg.Settings()
	if len(gs.Teams) != len(ws.Teams) || gs.Window != ws.Window || len(gs.Guardrails) != len(ws.Guardrails) {
		t.Errorf("config settings: %d teams, window %v, %d guardrails; demo %d, %v, %d",
			len(gs.Teams), gs.Window, len(gs.Guardrails), len(ws.Teams), ws.Window, len(ws.Guardrails))
	}
	a, b := snapshotJSON(t, got, gs), snapshotJSON(t, want, ws)
	if !bytes.Equal(a, b) {
		t.Errorf("snapshot from the fixture differs from the demo's:\n%s", firstDiff(a, b))
	}
	if len(a) < 10_000 {
		t.Errorf("snapshot is only %d bytes", len(a))
	}
}

// TestPagesKeepEveryItemOnce checks the page split: every item once, pages
// within the size, one stream per (source, repo, stream) and cursors that
// never go back within a stream.
func TestPagesKeepEveryItemOnce(t *testing.T) {
	ds, s := demo.Generate(fixedNow, 2)
	const size = 100
	pages := Pages(ds, s, size)
	var changes, deps, runs int
	last := map[string]time.Time{}
	for _, p := range pages {
		n := len(p.Changes) + len(p.Deployments) + len(p.Runs)
		if n == 0 || n > size {
			t.Fatalf("page %+v holds %d items", p.Key, n)
		}
		if (len(p.Changes) > 0) != (p.Key.Stream == "changes") || (len(p.Deployments) > 0) != (p.Key.Stream == "deployments") {
			t.Fatalf("page %+v holds items of another stream", p.Key)
		}
		for _, c := range p.Changes {
			if c.Repo != p.Key.Repo || c.Source != p.Key.Source {
				t.Fatalf("change %s in page %+v", c.Key(), p.Key)
			}
		}
		for _, r := range p.Runs {
			if r.Repo != p.Key.Repo || r.Source != p.Key.Source || !wanted(s, &r) {
				t.Fatalf("run %s %s %q in page %+v", r.Source, r.Repo, r.Workflow, p.Key)
			}
		}
		k := string(p.Key.Source) + " " + p.Key.Repo + " " + string(p.Key.Stream)
		if p.Cursor.Since.Before(last[k]) {
			t.Errorf("%s: cursor goes back from %v to %v", k, last[k], p.Cursor.Since)
		}
		last[k] = p.Cursor.Since
		changes += len(p.Changes)
		deps += len(p.Deployments)
		runs += len(p.Runs)
	}
	if want := wantedRuns(ds, s); changes != len(ds.Changes) || deps != len(ds.Deployments) || runs != want {
		t.Errorf("pages hold %d changes, %d deployments, %d runs; dataset %d, %d, %d (of %d runs)",
			changes, deps, runs, len(ds.Changes), len(ds.Deployments), want, len(ds.Runs))
	}
	if len(last) < 20 {
		t.Errorf("only %d streams at scale 2", len(last))
	}
}

// wanted is whether a sync fetches r: written from the sources' rules
// (GitHub: the workflow files configured; GitLab: the pipelines the
// experiment rules select or the deploy names list), not from Pages.
func wanted(s domain.Settings, r *domain.Run) bool {
	if r.Source == domain.GitHub {
		return slices.Contains(s.Experiments.Workflows, r.Workflow) || slices.Contains(s.DeployWorkflows, r.Workflow)
	}
	return s.Experiments.PipelineSelected(r.Branch, r.Name) || slices.Contains(s.DeployWorkflows, r.Name)
}

func wantedRuns(ds *domain.Dataset, s domain.Settings) int {
	n := 0
	for i := range ds.Runs {
		if wanted(s, &ds.Runs[i]) {
			n++
		}
	}
	return n
}

func rows(ds *domain.Dataset) int {
	n := len(ds.Changes) + len(ds.Deployments) + len(ds.Runs)
	for i := range ds.Changes {
		n += len(ds.Changes[i].Activity)
	}
	return n
}

func snapshotJSON(t *testing.T, ds *domain.Dataset, s domain.Settings) []byte {
	t.Helper()
	var buf bytes.Buffer
	rep := domain.Compute(ds, s, fixedNow)
	if err := report.Write(&buf, rep, ds, report.Options{Format: "json"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// firstDiff shows the first differing line of two texts with its neighbours.
func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < min(len(la), len(lb)); i++ {
		if !bytes.Equal(la[i], lb[i]) {
			return "line " + strconv.Itoa(i+1) + ":\n fixture: " + string(la[i]) + "\n demo:    " + string(lb[i])
		}
	}
	return "one is a prefix of the other (" + strconv.Itoa(len(la)) + " vs " + strconv.Itoa(len(lb)) + " lines)"
}
