package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

var t0 = time.Date(2025, 3, 10, 8, 30, 15, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

// fullChange sets every field a source sets, including hostile text.
func fullChange() domain.Change {
	return domain.Change{
		Source: domain.GitLab, Repo: "acme/ml/feature-store", Number: 4242,
		URL:    "https://gitlab.com/acme/ml/feature-store/-/merge_requests/4242",
		Title:  "Ünïcödé 🚀 RTL \u202eevil\u202c \x1b[31mred\x1b[0m \"quoted\" back\\slash",
		Author: "bob.smith",
		Labels: []string{"research", "a&b<c>", "quote\"d", "back\\slash", "emoji 🧪", "tab\there", "ctl\x01"},
		Draft:  true, BaseBranch: "main", HeadBranch: "exp/näive-bayes",
		OpenedAt: at(0), ReadyAt: at(time.Hour), UpdatedAt: at(50 * time.Hour),
		MergedAt: at(48 * time.Hour), MergeSHA: "0123456789abcdef0123456789abcdef01234567",
		Activity: []domain.Activity{
			{Kind: domain.Commit, Login: "", At: at(-2 * time.Hour)}, // GitLab commit without a login
			{Kind: domain.Commit, Login: "bob.smith", At: at(-time.Hour)},
			{Kind: domain.Review, Login: "alice", At: at(3 * time.Hour)},
			{Kind: domain.ReviewComment, Login: "carol", At: at(4 * time.Hour)},
			{Kind: domain.Comment, Login: "renovate[bot]", At: at(5 * time.Hour)},
			{Kind: domain.Approval, Login: "alice", At: at(6 * time.Hour)},
		},
		FirstCommitAt: at(-2 * time.Hour), FirstReviewAt: at(3 * time.Hour), ApprovedAt: at(6 * time.Hour),
		DeployedAt: at(49 * time.Hour), DeploymentID: "gl-77", DeployExact: true,
	}
}

func commit(t *testing.T, s *Store, p sources.Page) {
	t.Helper()
	if p.Key == (sources.Key{}) {
		p.Key = sources.Key{Source: domain.GitHub, Repo: "acme/platform", Stream: sources.Changes}
	}
	if err := s.Commit(context.Background(), p); err != nil {
		t.Fatal(err)
	}
}

func load(t *testing.T, s *Store) *domain.Dataset {
	t.Helper()
	ds, err := s.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestRoundTripEveryField(t *testing.T) {
	s, _ := openTemp(t)
	full := fullChange()
	// A change with every optional field zero: still draft, no labels, no
	// activity, nothing merged, and a fallback deployment that must not be
	// stored (derived fields neither).
	bare := domain.Change{Source: domain.GitHub, Repo: "acme/platform", Number: 1, OpenedAt: at(0),
		DeployedAt: at(time.Hour), DeploymentID: "fallback", DeployExact: false,
		Category: domain.Research, Team: "Fraud ML", Bot: true}
	// Times in another zone and with nanoseconds come back as whole UTC seconds.
	zoned := domain.Change{Source: domain.GitHub, Repo: "acme/platform", Number: 2,
		OpenedAt: time.Date(2025, 3, 10, 10, 30, 15, 999_999_999, time.FixedZone("CET", 3600)),
		ClosedAt: at(time.Hour), Labels: []string{}, Activity: []domain.Activity{}}
	dep := domain.Deployment{Source: domain.GitHub, Repo: "acme/platform", ID: "981234", URL: "https://x/d/1",
		Environment: "production", Tier: domain.Production, SHA: "abc", Ref: "main",
		CreatedAt: at(0), FinishedAt: at(7 * time.Minute), Result: domain.Failure, Teams: []string{"derived"}}
	depRunning := domain.Deployment{Source: domain.GitLab, Repo: "acme/ml/feature-store", ID: "5", Environment: "Staging 🇪🇺", CreatedAt: at(0)}
	run := domain.Run{Source: domain.GitHub, Repo: "acme/platform", ID: "9000000001", URL: "https://x/r/1",
		Workflow: "train.yml", Name: "exp-42 — sweep", Branch: "exp/42", SHA: "def", Actor: "dave",
		Event: "workflow_dispatch", CreatedAt: at(0), StartedAt: at(time.Minute), FinishedAt: at(time.Hour),
		Result: domain.Cancelled}
	runQueued := domain.Run{Source: domain.GitLab, Repo: "acme/ml/feature-store", ID: "77", CreatedAt: at(0)}

	commit(t, s, sources.Page{Changes: []domain.Change{full, bare, zoned},
		Deployments: []domain.Deployment{dep, depRunning}, Runs: []domain.Run{run, runQueued}})
	if err := s.SetStatus(context.Background(), domain.SourceStatus{Name: "github", LastSync: at(time.Hour),
		Errors: []string{"acme/gone: not found or no access", "x\ny"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(context.Background(), domain.SourceStatus{Name: "gitlab"}); err != nil {
		t.Fatal(err)
	}
	ds := load(t, s)

	wantBare := bare
	wantBare.DeployedAt, wantBare.DeploymentID = time.Time{}, ""
	wantBare.Category, wantBare.Team, wantBare.Bot = "", "", false
	wantZoned := zoned
	wantZoned.OpenedAt = time.Date(2025, 3, 10, 9, 30, 15, 0, time.UTC)
	wantZoned.Labels, wantZoned.Activity = nil, nil // empty and nil are one thing in the cache
	wantChanges := []domain.Change{full, wantBare, wantZoned}
	if !reflect.DeepEqual(ds.Changes, wantChanges) {
		for i := range wantChanges {
			if i < len(ds.Changes) && !reflect.DeepEqual(ds.Changes[i], wantChanges[i]) {
				t.Errorf("change %d:\n got %+v\nwant %+v", i, ds.Changes[i], wantChanges[i])
			}
		}
		t.Fatalf("changes differ (%d loaded, %d want)", len(ds.Changes), len(wantChanges))
	}
	wantDep := dep
	wantDep.Teams = nil
	// Deployments and runs come back in key order: (source, repo, id).
	if want := []domain.Deployment{wantDep, depRunning}; !reflect.DeepEqual(ds.Deployments, want) {
		t.Errorf("deployments:\n got %+v\nwant %+v", ds.Deployments, want)
	}
	if want := []domain.Run{run, runQueued}; !reflect.DeepEqual(ds.Runs, want) {
		t.Errorf("runs:\n got %+v\nwant %+v", ds.Runs, want)
	}
	wantSources := []domain.SourceStatus{
		{Name: "github", LastSync: at(time.Hour), Errors: []string{"acme/gone: not found or no access", "x\ny"}},
		{Name: "gitlab"},
	}
	if !reflect.DeepEqual(ds.Sources, wantSources) {
		t.Errorf("sources:\n got %+v\nwant %+v", ds.Sources, wantSources)
	}
}

func TestLoadInternsRepeatedStrings(t *testing.T) {
	s, _ := openTemp(t)
	commit(t, s, newSynth(3).pages(50, 0, 0, 50)[0])
	ds := load(t, s)
	seen := map[string]*byte{}
	check := func(what, v string) {
		if v == "" {
			return
		}
		p := unsafe.StringData(v)
		if q, ok := seen[v]; ok && q != p {
			t.Fatalf("%s %q is not shared between rows", what, v)
		}
		seen[v] = p
	}
	for _, c := range ds.Changes {
		check("repo", c.Repo)
		check("base branch", c.BaseBranch)
		for _, l := range c.Labels {
			check("label", l)
		}
		for _, a := range c.Activity {
			check("login", a.Login)
		}
	}
}

func TestUpsertReplaces(t *testing.T) {
	s, _ := openTemp(t)
	c := fullChange()
	commit(t, s, sources.Page{Changes: []domain.Change{c}})

	c2 := fullChange()
	c2.Title, c2.Draft, c2.Labels = "renamed", false, []string{"bug"}
	c2.UpdatedAt = at(60 * time.Hour)
	c2.Activity = []domain.Activity{{Kind: domain.Review, Login: "erin", At: at(7 * time.Hour)}}
	d := domain.Deployment{Source: domain.GitHub, Repo: "acme/platform", ID: "1", Result: domain.InProgress, CreatedAt: at(0)}
	commit(t, s, sources.Page{Changes: []domain.Change{c2}, Deployments: []domain.Deployment{d}})
	d.Result, d.FinishedAt = domain.Success, at(time.Minute)
	r := domain.Run{Source: domain.GitHub, Repo: "acme/platform", ID: "1", Result: domain.InProgress}
	commit(t, s, sources.Page{Deployments: []domain.Deployment{d}, Runs: []domain.Run{r}})
	r.Result = domain.Failure
	commit(t, s, sources.Page{Runs: []domain.Run{r}})

	ds := load(t, s)
	if len(ds.Changes) != 1 || len(ds.Deployments) != 1 || len(ds.Runs) != 1 {
		t.Fatalf("duplicates: %d changes, %d deployments, %d runs; want 1 each", len(ds.Changes), len(ds.Deployments), len(ds.Runs))
	}
	if !reflect.DeepEqual(ds.Changes[0], c2) {
		t.Errorf("change not replaced:\n got %+v\nwant %+v", ds.Changes[0], c2)
	}
	if !reflect.DeepEqual(ds.Deployments[0], d) {
		t.Errorf("deployment = %+v, want %+v", ds.Deployments[0], d)
	}
	if ds.Runs[0] != r {
		t.Errorf("run = %+v, want %+v", ds.Runs[0], r)
	}
	// One row per key: the upsert replaced the change and its activities in place.
	var rows int
	if err := s.db.QueryRow("SELECT (SELECT count(*) FROM changes) + (SELECT count(*) FROM deployments) + (SELECT count(*) FROM runs)").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 3 {
		t.Errorf("%d rows in changes, deployments and runs, want 3", rows)
	}
}

func TestUpsertKeepsNewerStoredChange(t *testing.T) {
	s, _ := openTemp(t)
	newer := fullChange()
	commit(t, s, sources.Page{Changes: []domain.Change{newer}})
	older := fullChange()
	older.UpdatedAt = newer.UpdatedAt.Add(-time.Hour)
	older.Title, older.Activity = "stale copy from a slower sync", nil
	commit(t, s, sources.Page{Changes: []domain.Change{older}})
	if got := load(t, s).Changes[0]; !reflect.DeepEqual(got, newer) {
		t.Errorf("an older copy overwrote the stored change:\n got %+v\nwant %+v", got, newer)
	}
}

func TestUpsertKeepsExactDeployment(t *testing.T) {
	s, _ := openTemp(t)
	c := fullChange() // DeployExact
	commit(t, s, sources.Page{Changes: []domain.Change{c}})
	// The changes stream sends the change again, knowing nothing of deployments.
	again := c
	again.DeployExact, again.DeployedAt, again.DeploymentID = false, time.Time{}, ""
	again.Title = "retitled"
	commit(t, s, sources.Page{Changes: []domain.Change{again}})
	got := load(t, s).Changes[0]
	if got.Title != "retitled" || !got.DeployExact || !got.DeployedAt.Equal(c.DeployedAt) || got.DeploymentID != c.DeploymentID {
		t.Errorf("exact deployment lost: %+v", got)
	}
	// A later exact deployment replaces it.
	again.DeployExact, again.DeployedAt, again.DeploymentID = true, at(70*time.Hour), "gl-99"
	commit(t, s, sources.Page{Changes: []domain.Change{again}})
	got = load(t, s).Changes[0]
	if !got.DeployedAt.Equal(at(70*time.Hour)) || got.DeploymentID != "gl-99" {
		t.Errorf("exact deployment not updated: %+v", got)
	}
}

// storedState is what a failed commit must leave untouched.
func storedState(t *testing.T, s *Store, k sources.Key) (*domain.Dataset, sources.Cursor, bool) {
	t.Helper()
	c, ok, err := s.Cursor(context.Background(), k)
	if err != nil {
		t.Fatal(err)
	}
	return load(t, s), c, ok
}

func TestCommitIsAtomic(t *testing.T) {
	s, _ := openTemp(t)
	k := sources.Key{Source: domain.GitHub, Repo: "acme/platform", Stream: sources.Changes}
	g := newSynth(5)
	first := sources.Page{Key: k, Cursor: sources.Cursor{Since: at(0), ETag: `"v1"`}}
	for i := 1; i <= 3; i++ {
		first.Changes = append(first.Changes, g.change(k.Repo, i))
	}
	commit(t, s, first)
	beforeDS, beforeCursor, _ := storedState(t, s, k)

	cases := map[string]func(p *sources.Page){
		"bad change mid-page": func(p *sources.Page) {
			p.Changes[2].Number = 0 // violates CHECK (number > 0) after two good upserts
		},
		"bad activity after good changes": func(p *sources.Page) {
			p.Changes[3].Activity = append(p.Changes[3].Activity, domain.Activity{Kind: "", Login: "x"})
		},
		"bad deployment after the changes": func(p *sources.Page) {
			p.Deployments = []domain.Deployment{{Source: domain.GitHub, Repo: k.Repo, ID: "ok"}, {Source: domain.GitHub, Repo: k.Repo}}
		},
		"bad run after the changes": func(p *sources.Page) {
			p.Runs = []domain.Run{{Source: domain.GitHub, Repo: "", ID: "7"}}
		},
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			p := sources.Page{Key: k, Cursor: sources.Cursor{Since: at(time.Hour), ETag: `"v2"`, Resume: "abc"}}
			for i := 1; i <= 5; i++ { // updates 1..3, inserts 4..5
				c := g.change(k.Repo, i)
				c.Title, c.UpdatedAt = "second pass", at(1000*time.Hour)
				p.Changes = append(p.Changes, c)
			}
			spoil(&p)
			err := s.Commit(context.Background(), p)
			if err == nil {
				t.Fatal("Commit of a spoilt page succeeded")
			}
			if !strings.Contains(err.Error(), "acme/platform") {
				t.Errorf("error %q does not name the stream", err)
			}
			ds, cur, _ := storedState(t, s, k)
			if !reflect.DeepEqual(ds, beforeDS) {
				t.Errorf("items moved after a failed commit: %d changes (want %d)", len(ds.Changes), len(beforeDS.Changes))
			}
			if cur != beforeCursor {
				t.Errorf("cursor moved after a failed commit: %+v, want %+v", cur, beforeCursor)
			}
			if err := s.IntegrityCheck(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
}

// cancelAfter is a context that is cancelled once its Done channel has
// been asked for n times: database/sql and the driver ask before each
// statement, so the commit stops part-way through a page, after some
// upserts have run.
type cancelAfter struct {
	context.Context
	mu   sync.Mutex
	n    int
	once sync.Once
	done chan struct{}
}

func (c *cancelAfter) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n--; c.n < 0 {
		c.once.Do(func() { close(c.done) })
	}
	return c.done
}

func (c *cancelAfter) Err() error {
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

func TestCommitCancelledMidPage(t *testing.T) {
	s, _ := openTemp(t)
	k := sources.Key{Source: domain.GitHub, Repo: "acme/platform", Stream: sources.Changes}
	g := newSynth(6)
	before, beforeCursor, _ := storedState(t, s, k)
	cancelledSomewhere, midPage := false, false
	// Cancel after more and more checks: early ones fail at BEGIN, later
	// ones in the middle of the upserts; none may leave anything behind.
	for n := 1; n < 400; n += 13 {
		p := sources.Page{Key: k, Cursor: sources.Cursor{Since: at(time.Hour)}}
		for i := 1; i <= 20; i++ {
			p.Changes = append(p.Changes, g.change(k.Repo, i))
		}
		ctx := &cancelAfter{Context: context.Background(), n: n, done: make(chan struct{})}
		err := s.Commit(ctx, p)
		if err == nil {
			break // n was enough for the whole page
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("n=%d: err = %v, want context.Canceled", n, err)
		}
		cancelledSomewhere = true
		// Past BEGIN, the error names the change it stopped at.
		midPage = midPage || strings.Contains(err.Error(), "change ")
		ds, cur, ok := storedState(t, s, k)
		if !reflect.DeepEqual(ds, before) || cur != beforeCursor || ok {
			t.Fatalf("n=%d: a cancelled commit left %d changes, cursor %+v (stored %v)", n, len(ds.Changes), cur, ok)
		}
	}
	if !cancelledSomewhere || !midPage {
		t.Fatalf("cancelled: %v, mid-page: %v; the test did not reach the middle of a page", cancelledSomewhere, midPage)
	}
}
