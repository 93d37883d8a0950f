package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

func TestCursorRoundTrip(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	k := sources.Key{Source: domain.GitLab, Repo: "acme/ml/feature-store", Stream: sources.Runs}
	if c, ok, err := s.Cursor(ctx, k); err != nil || ok || c != (sources.Cursor{}) {
		t.Fatalf("missing cursor = %+v, %v, %v; want zero, false, nil", c, ok, err)
	}
	steps := []sources.Cursor{
		{Resume: "page=3", PassHigh: at(5 * time.Hour), ETag: `W/"abc"`}, // a pass under way
		{Since: at(5 * time.Hour), ETag: `W/"def"`},                      // the pass completed
	}
	for _, want := range steps {
		commit(t, s, sources.Page{Key: k, Cursor: want})
		got, ok, err := s.Cursor(ctx, k)
		if err != nil || !ok || got != want {
			t.Fatalf("cursor = %+v, %v, %v; want %+v", got, ok, err, want)
		}
	}
	other := k
	other.Stream = sources.Deployments
	if _, ok, _ := s.Cursor(ctx, other); ok {
		t.Error("a cursor of one stream is visible under another")
	}
	if err := s.Commit(ctx, sources.Page{Key: sources.Key{Source: domain.GitHub, Stream: sources.Runs}}); err == nil {
		t.Error("Commit accepted a page without a repo in its key")
	}
}

func TestSetStatusReplaces(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if err := s.SetStatus(ctx, domain.SourceStatus{Name: "github", LastSync: at(0), Errors: []string{"boom"}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStatus(ctx, domain.SourceStatus{Name: "github", LastSync: at(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	want := []domain.SourceStatus{{Name: "github", LastSync: at(time.Hour)}}
	if got := load(t, s).Sources; !reflect.DeepEqual(got, want) {
		t.Errorf("sources = %+v, want %+v", got, want)
	}
	if err := s.SetStatus(ctx, domain.SourceStatus{}); err == nil {
		t.Error("SetStatus accepted an empty name")
	}
}
