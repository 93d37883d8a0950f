package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// counterPage is page k of the concurrency test: pageSize new changes, a
// new run, and change #1 rewritten with title k and k%7 activities, so a
// Dataset that mixes two commits shows it.
func counterPage(g *synth, k, pageSize int) sources.Page {
	p := sources.Page{Key: sources.Key{Source: domain.GitHub, Repo: "acme/platform", Stream: sources.Changes},
		Cursor: sources.Cursor{Since: t0.Add(time.Duration(k) * time.Minute)}}
	counter := domain.Change{Source: domain.GitHub, Repo: "acme/platform", Number: 1,
		Title: strconv.Itoa(k), UpdatedAt: t0.Add(time.Duration(k) * time.Second)}
	for i := range k % 7 {
		counter.Activity = append(counter.Activity, domain.Activity{Kind: domain.Comment, Login: "bot", At: t0.Add(time.Duration(i) * time.Second)})
	}
	p.Changes = append(p.Changes, counter)
	for i := range pageSize {
		p.Changes = append(p.Changes, g.change("acme/platform", 2+k*pageSize+i))
	}
	p.Runs = []domain.Run{g.run("acme/platform", k)}
	return p
}

// checkCounter verifies that ds is exactly the state after some page k.
func checkCounter(ds *domain.Dataset, pageSize int) (int, error) {
	if len(ds.Changes) == 0 && len(ds.Runs) == 0 {
		return -1, nil // before the first page
	}
	if len(ds.Changes) == 0 || ds.Changes[0].Number != 1 {
		return 0, fmt.Errorf("no counter change among %d changes", len(ds.Changes))
	}
	c := ds.Changes[0]
	k, err := strconv.Atoi(c.Title)
	if err != nil {
		return 0, fmt.Errorf("counter title %q", c.Title)
	}
	if got, want := len(ds.Changes), 1+(k+1)*pageSize; got != want {
		return k, fmt.Errorf("page %d: %d changes, want %d", k, got, want)
	}
	if got, want := len(c.Activity), k%7; got != want {
		return k, fmt.Errorf("page %d: counter has %d activities, want %d", k, got, want)
	}
	if got, want := len(ds.Runs), k+1; got != want {
		return k, fmt.Errorf("page %d: %d runs, want %d", k, got, want)
	}
	for _, ch := range ds.Changes[1:] {
		if len(ch.Activity) != 6 {
			return k, fmt.Errorf("page %d: change %d has %d activities, want 6", k, ch.Number, len(ch.Activity))
		}
	}
	// The status is a write of its own after each page: it shows page k,
	// or k-1 while page k's status is not written yet.
	status := -1
	if len(ds.Sources) == 1 && len(ds.Sources[0].Errors) == 1 {
		status, _ = strconv.Atoi(ds.Sources[0].Errors[0])
	}
	if status != k && status != k-1 {
		return k, fmt.Errorf("page %d: source status %+v", k, ds.Sources)
	}
	return k, nil
}

// TestConcurrentReaderWriter is the TUI-beside-`pace sync` case: two Stores
// on one file (as two processes would have), one committing pages in a
// loop, the other loading. Every Load must be one committed state and
// neither side may see SQLITE_BUSY.
func TestConcurrentReaderWriter(t *testing.T) {
	ctx := context.Background()
	_, path := openTemp(t)
	writer, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	reader, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()

	const pages, pageSize = 150, 20
	g := newSynth(11)
	var wg sync.WaitGroup
	writeErr := make(chan error, 1)
	done := make(chan struct{})
	wg.Go(func() {
		defer close(done)
		for k := range pages {
			if err := writer.Commit(ctx, counterPage(g, k, pageSize)); err != nil {
				writeErr <- fmt.Errorf("page %d: %w", k, err)
				return
			}
			if err := writer.SetStatus(ctx, domain.SourceStatus{Name: "github", Errors: []string{strconv.Itoa(k)}}); err != nil {
				writeErr <- err
				return
			}
		}
	})
	loads, last := 0, -1
	seen := map[int]bool{}
	for stop := false; !stop; {
		select {
		case <-done:
			stop = true
		default:
		}
		// Alternate one lane and several, so both paths meet the writer.
		ds, err := reader.load(ctx, 1+loads%3)
		if errors.Is(err, errMoved) {
			continue
		}
		if err != nil {
			t.Fatalf("load %d: %v", loads, err)
		}
		k, err := checkCounter(ds, pageSize)
		if err != nil {
			t.Fatalf("load %d saw a mixed state: %v", loads, err)
		}
		if k < last {
			t.Fatalf("load %d went back in time: page %d after %d", loads, k, last)
		}
		last = k
		seen[k] = true
		loads++
	}
	wg.Wait()
	select {
	case err := <-writeErr:
		t.Fatal(err)
	default:
	}
	if len(seen) < 2 {
		t.Errorf("the reader saw %d distinct states in %d loads: it did not overlap the writer", len(seen), loads)
	}
	t.Logf("%d loads saw %d distinct committed states", loads, len(seen))
	ds, err := reader.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if k, err := checkCounter(ds, pageSize); err != nil || k != pages-1 {
		t.Errorf("final state: page %d, %v", k, err)
	}
	if err := reader.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

// The lanes split the changes into id ranges; any number of lanes must
// give the same Dataset.
func TestLoadLanesAgree(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	for _, p := range newSynth(9).pages(1234, 77, 201, 100) {
		commit(t, s, p)
	}
	commit(t, s, sources.Page{Changes: []domain.Change{{Source: domain.GitHub, Repo: "acme/z", Number: 1}}})
	s.minRange = 100 // split even this small cache into ranges
	want, err := s.load(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Changes) != 1235 || rowsOf(want) != 1235+1234*6+77+201 {
		t.Fatalf("one lane loaded %d changes, %d rows", len(want.Changes), rowsOf(want))
	}
	agree := func() {
		t.Helper()
		for lanes := 2; lanes <= 8; lanes++ {
			got, err := s.load(ctx, lanes)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%d lanes load a different Dataset than one lane", lanes)
			}
		}
	}
	agree()
	// With a gap in the ids, ranges can no longer be sized from them; the
	// load falls back to one range and still agrees.
	if _, err := s.db.Exec(`DELETE FROM changes WHERE id = 600`); err != nil {
		t.Fatal(err)
	}
	want.Changes = append(want.Changes[:599:599], want.Changes[600:]...)
	agree()
}
