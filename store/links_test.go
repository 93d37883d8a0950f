package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

var deploysKey = sources.Key{Source: domain.GitHub, Repo: "acme/platform", Stream: sources.Deployments}

// merged is a merged change of acme/platform.
func merged(n int, sha string, mergedAt time.Time) domain.Change {
	return domain.Change{Source: domain.GitHub, Repo: "acme/platform", Number: n,
		OpenedAt: mergedAt.Add(-time.Hour), MergedAt: mergedAt, MergeSHA: sha, UpdatedAt: mergedAt}
}

func link(sha, id string, deployedAt time.Time) sources.DeployLink {
	return sources.DeployLink{Source: domain.GitHub, Repo: "acme/platform", SHA: sha, DeploymentID: id, DeployedAt: deployedAt}
}

func commitLinks(t *testing.T, s *Store, links ...sources.DeployLink) {
	t.Helper()
	commit(t, s, sources.Page{Key: deploysKey, Links: links})
}

// deployOf returns the exact deployment Load gives change number n.
func deployOf(t *testing.T, s *Store, n int) (exact bool, at time.Time, id string) {
	t.Helper()
	for _, c := range load(t, s).Changes {
		if c.Number == n {
			return c.DeployExact, c.DeployedAt, c.DeploymentID
		}
	}
	t.Fatalf("change %d not loaded", n)
	return false, time.Time{}, ""
}

func wantDeploy(t *testing.T, s *Store, n int, at time.Time, id string) {
	t.Helper()
	exact, got, gotID := deployOf(t, s, n)
	if at.IsZero() {
		if exact || !got.IsZero() || gotID != "" {
			t.Errorf("change %d: exact deployment %v %q, want none", n, got, gotID)
		}
		return
	}
	if !exact || !got.Equal(at) || gotID != id {
		t.Errorf("change %d: deployment exact=%v %v %q, want exact %v %q", n, exact, got, gotID, at, id)
	}
}

func TestLinkBeforeChange(t *testing.T) {
	s, _ := openTemp(t)
	commitLinks(t, s, link("aaa", "d1", at(3*time.Hour)))
	commit(t, s, sources.Page{Changes: []domain.Change{merged(1, "aaa", at(time.Hour))}})
	wantDeploy(t, s, 1, at(3*time.Hour), "d1")
}

func TestChangeBeforeLink(t *testing.T) {
	s, _ := openTemp(t)
	commit(t, s, sources.Page{Changes: []domain.Change{merged(1, "aaa", at(time.Hour)), merged(2, "bbb", at(time.Hour))}})
	wantDeploy(t, s, 1, time.Time{}, "")
	commitLinks(t, s, link("aaa", "d1", at(3*time.Hour)))
	wantDeploy(t, s, 1, at(3*time.Hour), "d1")
	wantDeploy(t, s, 2, time.Time{}, "") // another SHA
}

func TestLinkEarliestWins(t *testing.T) {
	early, late := link("aaa", "early", at(2*time.Hour)), link("aaa", "late", at(5*time.Hour))
	tie := link("aaa", "tie", at(2*time.Hour))
	cases := map[string][][]sources.DeployLink{
		"early then late":   {{early}, {late}},
		"late then early":   {{late}, {early}},
		"one page":          {{late, early}},
		"tie keeps first":   {{early}, {tie}, {late}},
		"change in between": {{late}, nil, {early}},
	}
	for name, pages := range cases {
		for _, changeFirst := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/change first %v", name, changeFirst), func(t *testing.T) {
				s, _ := openTemp(t)
				c := merged(1, "aaa", at(time.Hour))
				if changeFirst {
					commit(t, s, sources.Page{Changes: []domain.Change{c}})
				}
				for _, p := range pages {
					if p == nil {
						commit(t, s, sources.Page{Changes: []domain.Change{c}})
						continue
					}
					commitLinks(t, s, p...)
				}
				if !changeFirst {
					commit(t, s, sources.Page{Changes: []domain.Change{c}})
				}
				wantDeploy(t, s, 1, early.DeployedAt, "early")
			})
		}
	}
}

func TestLinkRules(t *testing.T) {
	s, _ := openTemp(t)
	mergedAt := at(10 * time.Hour)
	open := merged(4, "ddd", time.Time{}) // GitHub gives open PRs a test-merge SHA
	open.MergedAt = time.Time{}
	exactEarly := merged(5, "eee", mergedAt)
	exactEarly.DeployExact, exactEarly.DeployedAt, exactEarly.DeploymentID = true, mergedAt.Add(time.Hour), "src-early"
	exactLate := merged(6, "fff", mergedAt)
	exactLate.DeployExact, exactLate.DeployedAt, exactLate.DeploymentID = true, mergedAt.Add(9*time.Hour), "src-late"
	otherRepo := merged(7, "ggg", mergedAt)
	otherRepo.Repo = "acme/other"
	otherSource := merged(8, "hhh", mergedAt)
	otherSource.Source = domain.GitLab
	commit(t, s, sources.Page{Changes: []domain.Change{
		merged(1, "aaa", mergedAt), merged(2, "bbb", mergedAt), merged(3, "ccc", mergedAt),
		open, exactEarly, exactLate, otherRepo, otherSource,
	}})
	commitLinks(t, s,
		link("aaa", "before-merge", mergedAt.Add(-time.Minute)),
		link("bbb", "at-merge", mergedAt),
		link("ccc", "after-merge", mergedAt.Add(time.Second)),
		link("ddd", "unmerged", mergedAt.Add(time.Hour)),
		link("eee", "link-late", mergedAt.Add(2*time.Hour)),
		link("fff", "link-early", mergedAt.Add(2*time.Hour)),
		link("ggg", "wrong-repo", mergedAt.Add(time.Hour)),
		link("hhh", "wrong-source", mergedAt.Add(time.Hour)),
	)
	wantDeploy(t, s, 1, time.Time{}, "") // deployed before its merge: left to the fallback
	wantDeploy(t, s, 2, time.Time{}, "") // not after the merge either
	wantDeploy(t, s, 3, mergedAt.Add(time.Second), "after-merge")
	wantDeploy(t, s, 4, time.Time{}, "")
	wantDeploy(t, s, 5, mergedAt.Add(time.Hour), "src-early") // the source's is earlier
	wantDeploy(t, s, 6, mergedAt.Add(2*time.Hour), "link-early")
	wantDeploy(t, s, 7, time.Time{}, "")
	wantDeploy(t, s, 8, time.Time{}, "")

	// The changes stream sends change 3 again (a new comment), knowing
	// nothing of deployments: the link stays.
	again := merged(3, "ccc", mergedAt)
	again.Title, again.UpdatedAt = "retitled", mergedAt.Add(24*time.Hour)
	commit(t, s, sources.Page{Changes: []domain.Change{again}})
	wantDeploy(t, s, 3, mergedAt.Add(time.Second), "after-merge")
	// Once merged, the open change gets its link.
	open.MergedAt = mergedAt
	open.UpdatedAt = mergedAt.Add(time.Hour)
	commit(t, s, sources.Page{Changes: []domain.Change{open}})
	wantDeploy(t, s, 4, mergedAt.Add(time.Hour), "unmerged")
}

// A link without a SHA or a time cannot date a change: it is skipped and
// the rest of its page stored.
func TestLinkWithoutSHAOrTimeSkipped(t *testing.T) {
	s, _ := openTemp(t)
	commit(t, s, sources.Page{Changes: []domain.Change{merged(1, "aaa", at(time.Hour))}})
	commitLinks(t, s, link("", "no-sha", at(2*time.Hour)), link("aaa", "no-time", time.Time{}), link("aaa", "good", at(3*time.Hour)))
	wantDeploy(t, s, 1, at(3*time.Hour), "good")
	if n := countLinks(t, s); n != 1 {
		t.Errorf("%d links stored, want 1", n)
	}
}

// countLinks is how many deploy links are stored.
func countLinks(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM deploy_links`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A page of deployments with their links is stored whole or not at all:
// a link whose page failed must not have touched the changes either.
func TestLinksAtomicWithPage(t *testing.T) {
	s, _ := openTemp(t)
	commit(t, s, sources.Page{Changes: []domain.Change{merged(1, "aaa", at(time.Hour)), merged(2, "bbb", at(time.Hour))}})
	commitLinks(t, s, link("bbb", "d0", at(9*time.Hour)))
	before, beforeCursor, _ := storedState(t, s, deploysKey)
	page := func() sources.Page {
		return sources.Page{Key: deploysKey, Cursor: sources.Cursor{Since: at(time.Hour), ETag: `"v2"`},
			Deployments: []domain.Deployment{{Source: domain.GitHub, Repo: "acme/platform", ID: "d1", Result: domain.Success}},
			Links:       []sources.DeployLink{link("aaa", "d1", at(2*time.Hour)), link("bbb", "d1", at(2*time.Hour))}}
	}
	spoilers := map[string]func(p *sources.Page){
		"link without a repo after good ones": func(p *sources.Page) {
			bad := link("ccc", "d1", at(2*time.Hour))
			bad.Repo = ""
			p.Links = append(p.Links, bad)
		},
		"bad run before the links": func(p *sources.Page) {
			p.Runs = []domain.Run{{Source: domain.GitHub, Repo: "acme/platform"}}
		},
	}
	for name, spoil := range spoilers {
		t.Run(name, func(t *testing.T) {
			p := page()
			spoil(&p)
			if err := s.Commit(context.Background(), p); err == nil {
				t.Fatal("Commit of a spoilt page succeeded")
			}
			ds, cur, _ := storedState(t, s, deploysKey)
			if !reflect.DeepEqual(ds, before) || cur != beforeCursor || countLinks(t, s) != 1 {
				t.Errorf("a failed page left traces: links %d, cursor %+v", countLinks(t, s), cur)
			}
		})
	}
	// Cancelled part-way through the links: nothing either.
	for n := 1; n < 200; n += 7 {
		ctx := &cancelAfter{Context: context.Background(), n: n, done: make(chan struct{})}
		err := s.Commit(ctx, page())
		if err == nil {
			break
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("n=%d: %v", n, err)
		}
		ds, cur, _ := storedState(t, s, deploysKey)
		if !reflect.DeepEqual(ds, before) || cur != beforeCursor || countLinks(t, s) != 1 {
			t.Fatalf("n=%d: a cancelled page left traces", n)
		}
	}
	// And the same page, unspoilt, lands whole.
	commit(t, s, page())
	wantDeploy(t, s, 1, at(2*time.Hour), "d1")
	wantDeploy(t, s, 2, at(2*time.Hour), "d1")
	if countLinks(t, s) != 2 {
		t.Errorf("%d links stored, want 2", countLinks(t, s))
	}
}

// linkWorld is a random set of changes and links over a few SHAs, some
// links before their change's merge, some SHAs claimed several times.
func linkWorld(rng *rand.Rand) ([]domain.Change, []sources.DeployLink) {
	var changes []domain.Change
	var links []sources.DeployLink
	for n := 1; n <= 60; n++ {
		sha := fmt.Sprintf("%040x", n)
		c := merged(n, sha, at(time.Duration(rng.IntN(100))*time.Hour))
		if rng.IntN(5) == 0 {
			c.MergedAt = time.Time{}
		}
		changes = append(changes, c)
		for k := range rng.IntN(4) {
			d := c.OpenedAt.Add(time.Duration(rng.IntN(90)-30) * time.Hour)
			links = append(links, link(sha, fmt.Sprintf("dep-%d-%d", n, k), d))
		}
	}
	return changes, links
}

// expectedDeploy is the rule of the brief, stated plainly: the earliest
// link of the SHA, when it finished after the merge.
func expectedDeploy(c domain.Change, links []sources.DeployLink) (time.Time, string) {
	var best *sources.DeployLink
	for i := range links {
		l := &links[i]
		if l.SHA == c.MergeSHA && (best == nil || l.DeployedAt.Before(best.DeployedAt)) {
			best = l
		}
	}
	if best == nil || c.MergedAt.IsZero() || !best.DeployedAt.After(c.MergedAt) {
		return time.Time{}, ""
	}
	return best.DeployedAt, best.DeploymentID
}

// Whatever order changes and links arrive in, pages of a few items each,
// the result is the same and follows the rule.
func TestLinksOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	changes, links := linkWorld(rng)
	// Ties would make "earliest" depend on arrival order; keep them apart.
	seen := map[string]bool{}
	for i := range links {
		for k := links[i].SHA + links[i].DeployedAt.String(); seen[k]; k = links[i].SHA + links[i].DeployedAt.String() {
			links[i].DeployedAt = links[i].DeployedAt.Add(time.Minute)
		}
		seen[links[i].SHA+links[i].DeployedAt.String()] = true
	}
	var first *domain.Dataset
	for trial := range 4 {
		s, _ := openTemp(t)
		var pages []sources.Page
		for i := 0; i < len(changes); i += 7 {
			pages = append(pages, sources.Page{Changes: changes[i:min(i+7, len(changes))]})
		}
		for i := 0; i < len(links); i += 5 {
			pages = append(pages, sources.Page{Key: deploysKey, Links: links[i:min(i+5, len(links))]})
		}
		rng.Shuffle(len(pages), func(i, j int) { pages[i], pages[j] = pages[j], pages[i] })
		for _, p := range pages {
			commit(t, s, p)
		}
		ds := load(t, s)
		sort.Slice(ds.Changes, func(i, j int) bool { return ds.Changes[i].Number < ds.Changes[j].Number })
		applied := 0
		for _, c := range ds.Changes {
			wantAt, wantID := expectedDeploy(c, links)
			if c.DeployExact != !wantAt.IsZero() || !c.DeployedAt.Equal(wantAt) || c.DeploymentID != wantID {
				t.Fatalf("trial %d change %d: exact=%v %v %q, want %v %q", trial, c.Number, c.DeployExact, c.DeployedAt, c.DeploymentID, wantAt, wantID)
			}
			if c.DeployExact {
				applied++
			}
		}
		if applied < 10 || applied > len(changes)-10 {
			t.Fatalf("only %d of %d changes linked: the world does not exercise both sides of the rule", applied, len(changes))
		}
		if first == nil {
			first = ds
		} else if !reflect.DeepEqual(ds.Changes, first.Changes) {
			t.Fatalf("trial %d: another arrival order gave another result", trial)
		}
	}
}

// When every link finished after its change's merge, the store agrees
// with sources.MemSink, the sink the sources are tested against.
func TestLinksAgreeWithMemSink(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	changes, links := linkWorld(rng)
	for i := range changes {
		changes[i].MergedAt = at(-time.Duration(40+i) * time.Hour) // before every link
	}
	s, _ := openTemp(t)
	mem := sources.NewMemSink()
	pages := []sources.Page{{Key: deploysKey, Links: links[:len(links)/2]}, {Changes: changes}, {Key: deploysKey, Links: links[len(links)/2:]}}
	for _, p := range pages {
		if p.Key == (sources.Key{}) {
			p.Key = sources.Key{Source: domain.GitHub, Repo: "acme/platform", Stream: sources.Changes}
		}
		commit(t, s, p)
		if err := mem.Commit(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	want := map[int]domain.Change{}
	for _, c := range mem.Changes() {
		want[c.Number] = c
	}
	for _, c := range load(t, s).Changes {
		w := want[c.Number]
		if c.DeployExact != w.DeployExact || !c.DeployedAt.Equal(w.DeployedAt) || c.DeploymentID != w.DeploymentID {
			t.Errorf("change %d: store %v %v %q, MemSink %v %v %q", c.Number, c.DeployExact, c.DeployedAt, c.DeploymentID,
				w.DeployExact, w.DeployedAt, w.DeploymentID)
		}
	}
}

// The link lookups use the merge_sha index, not a scan of every change.
func TestLinkQueriesUseIndex(t *testing.T) {
	s, _ := openTemp(t)
	for _, q := range []string{applyLink, applyLinkToChange} {
		args := []any{"github", "acme/platform", "aaa"}
		if q == applyLinkToChange {
			args = []any{int64(1)}
		}
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		joined := strings.Join(plan, "; ")
		if strings.Contains(joined, "SCAN") {
			t.Errorf("query plan scans a table: %s\n%s", joined, q)
		}
	}
}
