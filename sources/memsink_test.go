package sources

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
)

func TestMemSinkCommitIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	m := NewMemSink()
	k := Key{Source: domain.GitHub, Repo: "o/r", Stream: Changes}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	page := Page{Key: k, Changes: []domain.Change{{Source: domain.GitHub, Repo: "o/r", Number: 1, Title: "a"}},
		Cursor: Cursor{Since: t0}}
	m.FailCommit = func(Page) error { return errors.New("disk full") }
	if err := m.Commit(ctx, page); err == nil {
		t.Fatal("failed commit reported success")
	}
	if _, ok, _ := m.Cursor(ctx, k); ok || len(m.Changes()) != 0 {
		t.Fatal("a failed commit left items or a cursor")
	}
	m.FailCommit = nil
	if err := m.Commit(ctx, page); err != nil {
		t.Fatal(err)
	}
	page.Changes[0].Title = "b"
	page.Cursor.Since = t0.Add(time.Hour)
	if err := m.Commit(ctx, page); err != nil {
		t.Fatal(err)
	}
	cs := m.Changes()
	cur, _, _ := m.Cursor(ctx, k)
	if len(cs) != 1 || cs[0].Title != "b" || !cur.Since.Equal(t0.Add(time.Hour)) || m.CommitCount() != 2 {
		t.Errorf("after upsert: %+v, cursor %v, %d commits", cs, cur.Since, m.CommitCount())
	}
}

// Links are facts about SHAs: the earliest deployment wins, and a later
// upsert of the change does not erase them. As in the store, a link counts
// only for a merged change and a deployment finished after the merge.
func TestLinksSurviveChangeUpserts(t *testing.T) {
	ctx := context.Background()
	m := NewMemSink()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ch := domain.Change{Source: domain.GitHub, Repo: "o/r", Number: 7, MergeSHA: "abc", MergedAt: t0.Add(30 * time.Minute)}
	late := DeployLink{Source: domain.GitHub, Repo: "o/r", SHA: "abc", DeploymentID: "2", DeployedAt: t0.Add(2 * time.Hour)}
	early := DeployLink{Source: domain.GitHub, Repo: "o/r", SHA: "abc", DeploymentID: "1", DeployedAt: t0.Add(time.Hour)}
	other := DeployLink{Source: domain.GitHub, Repo: "o/other", SHA: "abc", DeploymentID: "9", DeployedAt: t0}
	for _, p := range []Page{
		{Key: Key{Source: domain.GitHub, Repo: "o/r", Stream: Deployments}, Links: []DeployLink{late, other}},
		{Key: Key{Source: domain.GitHub, Repo: "o/r", Stream: Changes}, Changes: []domain.Change{ch}},
		{Key: Key{Source: domain.GitHub, Repo: "o/r", Stream: Deployments}, Links: []DeployLink{early}},
		{Key: Key{Source: domain.GitHub, Repo: "o/r", Stream: Changes}, Changes: []domain.Change{ch}},
	} {
		if err := m.Commit(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	got := m.Changes()[0]
	if !got.DeployExact || got.DeploymentID != "1" || !got.DeployedAt.Equal(early.DeployedAt) {
		t.Errorf("change after links and upserts: %+v", got)
	}

	// A link that finished before the merge, or one for an unmerged change,
	// is left to the domain's fallback.
	before := []domain.Change{{Source: domain.GitHub, Repo: "o/r", Number: 8, MergeSHA: "abc", MergedAt: t0.Add(3 * time.Hour)},
		{Source: domain.GitHub, Repo: "o/r", Number: 9, MergeSHA: "abc"}}
	ApplyLinks(before, m.Links())
	for _, c := range before {
		if c.DeployExact || !c.DeployedAt.IsZero() {
			t.Errorf("#%d got a link it should not: %+v", c.Number, c)
		}
	}
}
