package gitlab

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pace-dev/pace/sources"
)

// Every stream here is one list endpoint read with
// updated_after=<watermark>&order_by=updated_at&sort=asc, so a pass reads
// items oldest update first and can commit as it goes: everything before
// the last committed item is stored, and the cursor says so.
//
// GitLab pages by offset, which shifts when an item already read is
// updated during the pass (it moves to the end and the item after the page
// boundary slides into the page just read, unseen). So a pass never asks
// for page 2 of a query whose watermark it has moved: it asks page 1 of
// updated_after=<new watermark> instead, a keyset over (updated_at, id)
// built from the time filter. Items of the watermark's own second come
// back and are recognised (Cursor.Resume holds them); page numbers are
// used only when a whole page shares one second.
//
// The store keeps times in whole seconds, so the watermark (Cursor.Since)
// is a second, and Resume lists "id:unix-ms" of every stored item updated
// within it: an item is new when it was updated at or after that second
// and is not listed with that exact update time. The query asks a second
// earlier than the watermark, so an instance that reads updated_after as
// strictly after still returns the watermark's second.

// keyset is where a stream's pass stands.
type keyset struct {
	since time.Time       // watermark: every item updated before it is stored
	seen  map[int64]int64 // id → updated_at (ms) of stored items updated within since's second
}

// readKeyset decodes a stored cursor.
func readKeyset(c sources.Cursor) keyset {
	k := keyset{since: c.Since.UTC().Truncate(time.Second), seen: map[int64]int64{}}
	for _, f := range strings.Split(c.Resume, ",") {
		id, ms, ok := strings.Cut(f, ":")
		if !ok {
			continue
		}
		i, err1 := strconv.ParseInt(id, 10, 64)
		m, err2 := strconv.ParseInt(ms, 10, 64)
		if err1 == nil && err2 == nil {
			k.seen[i] = m
		}
	}
	return k
}

// cursor encodes k for the sink.
func (k keyset) cursor() sources.Cursor {
	ids := make([]int64, 0, len(k.seen))
	for id := range k.seen {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10) + ":" + strconv.FormatInt(k.seen[id], 10)
	}
	return sources.Cursor{Since: k.since, Resume: strings.Join(parts, ",")}
}

// isNew reports whether an item still has to be stored: updated at or
// after the watermark (floor on a first pass) and not stored with this
// update time.
func (k keyset) isNew(id int64, updated, floor time.Time) bool {
	w := k.since
	if w.IsZero() {
		w = floor
	}
	if updated.Before(w) {
		return false
	}
	ms, ok := k.seen[id]
	return !ok || ms != updated.UnixMilli()
}

// advance records that an item was stored (items come in update order).
func (k *keyset) advance(id int64, updated time.Time) {
	s := updated.UTC().Truncate(time.Second)
	if s.After(k.since) {
		k.since, k.seen = s, map[int64]int64{}
	}
	if s.Equal(k.since) {
		k.seen[id] = updated.UnixMilli()
	}
}

// passSpec describes one stream's pass to runPass.
type passSpec[T any] struct {
	key sources.Key
	// list returns one page of items updated at or after `after`, oldest
	// update first, and whether there is a next page.
	list func(ctx context.Context, after time.Time, page int) ([]T, bool, error)
	// ident gives an item's id and update time.
	ident func(T) (int64, time.Time)
	// process turns new items (in update order) into a page to store.
	// hold, when not zero, is the earliest update time among them that a
	// later pass must read again (an answer GitLab has not completed yet);
	// the watermark then stays before it.
	process func(ctx context.Context, items []T) (page sources.Page, hold time.Time, err error)
}

// chunkSize bounds the work a killed pass loses: new items are processed
// and committed this many at a time.
const chunkSize = 25

// runPass runs one pass of a stream and returns how many items it stored.
func runPass[T any](ctx context.Context, c *client, sink sources.Sink, spec passSpec[T]) (int, error) {
	stored, ok, err := sink.Cursor(ctx, spec.key)
	if err != nil {
		return 0, fmt.Errorf("reading cursor: %w", err)
	}
	if c.o.Full || !ok {
		stored = sources.Cursor{}
	}
	ks := readKeyset(stored)
	floor := c.o.Since
	var hold time.Time
	items, commits := 0, 0

	commit := func(page sources.Page) error {
		page.Key = spec.key
		switch {
		case !hold.IsZero():
			page.Cursor = sources.Cursor{Since: hold.UTC().Truncate(time.Second)}
		case ks.since.IsZero():
			page.Cursor = sources.Cursor{Since: floor}
		default:
			page.Cursor = ks.cursor()
		}
		if err := sink.Commit(ctx, page); err != nil {
			return fmt.Errorf("storing page: %w", err)
		}
		commits++
		items += len(page.Changes) + len(page.Deployments) + len(page.Runs)
		c.report(ctx, sources.Progress{Items: items})
		return nil
	}

	for pageNo := 1; ; {
		after := ks.since
		if after.IsZero() {
			after = floor
		}
		list, more, err := spec.list(ctx, after.Add(-time.Second), pageNo)
		if err != nil {
			return items, err
		}
		before := ks.since
		var fresh []T
		for _, it := range list {
			if id, u := spec.ident(it); ks.isNew(id, u, floor) {
				fresh = append(fresh, it)
			}
		}
		for len(fresh) > 0 {
			n := min(chunkSize, len(fresh))
			chunk := fresh[:n]
			fresh = fresh[n:]
			page, h, err := spec.process(ctx, chunk)
			if err != nil {
				return items, err
			}
			if !h.IsZero() && (hold.IsZero() || h.Before(hold)) {
				hold = h
			}
			for _, it := range chunk {
				ks.advance(spec.ident(it))
			}
			if err := commit(page); err != nil {
				return items, err
			}
		}
		if !more || len(list) == 0 {
			break
		}
		if ks.since.After(before) {
			pageNo = 1
		} else {
			// A page of one second's items, or of items already stored:
			// the watermark cannot move, so page on within this query.
			pageNo++
		}
	}
	if commits == 0 && (!ok || stored.Since.IsZero() || c.o.Full) {
		// Nothing new: record the stream as synced from its floor.
		if err := commit(sources.Page{}); err != nil {
			return items, err
		}
	}
	return items, nil
}
