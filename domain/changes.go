package domain

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// SpansOf returns one change's parts in whole seconds from every timestamp it
// has; -1 means unknown (SPEC §5):
//
//	coding  first_commit_at → ready_at
//	pickup  ready_at → first_review_at
//	review  first_review_at → merged_at
//	deploy  merged_at → deployed_at
//	cycle   earlier of first_commit_at and opened_at → merged_at
//	lead    earlier of first_commit_at and opened_at → deployed_at
//
// A missing start or end, or an end before the start (clock skew, a review
// while still draft, a rebase), gives -1: a span is never negative.
// Compute uses the same rule but first drops timestamps after its now.
func SpansOf(c *Change) Spans { return spansAt(c, time.Time{}, nil) }

// spansAt is SpansOf as of now (zero: no cut-off), adding the number of
// negative spans to *neg when neg is not nil.
func spansAt(c *Change, now time.Time, neg *int) Spans {
	fc, op := cut(c.FirstCommitAt, now), cut(c.OpenedAt, now)
	rd, fr := cut(c.ReadyAt, now), cut(c.FirstReviewAt, now)
	mg, dp := cut(c.MergedAt, now), cut(c.DeployedAt, now)
	start := earliest(fc, op)
	return Spans{
		Coding: span(fc, rd, neg),
		Pickup: span(rd, fr, neg),
		Review: span(fr, mg, neg),
		Deploy: span(mg, dp, neg),
		Cycle:  span(start, mg, neg),
		Lead:   span(start, dp, neg),
	}
}

// cut drops t when it lies after now (a non-zero now): events after the
// report's now have not happened yet.
func cut(t, now time.Time) time.Time {
	if !now.IsZero() && t.After(now) {
		return time.Time{}
	}
	return t
}

// span is a → b in whole seconds, -1 when either is missing or b is before a.
func span(a, b time.Time, neg *int) int64 {
	if a.IsZero() || b.IsZero() {
		return -1
	}
	d := b.Sub(a)
	if d < 0 {
		if neg != nil {
			*neg++
		}
		return -1
	}
	return seconds(d)
}

// futureEvents counts the change's lifecycle timestamps after now.
func futureEvents(c *Change, now time.Time) int {
	n := 0
	for _, t := range [...]time.Time{c.OpenedAt, c.ReadyAt, c.FirstCommitAt, c.FirstReviewAt,
		c.ApprovedAt, c.MergedAt, c.ClosedAt, c.DeployedAt} {
		if t.After(now) {
			n++
		}
	}
	return n
}

// HadEventIn reports whether the change was opened, became ready, merged,
// closed or deployed in p: the changes a window's listings (and its
// bot-excluded count) are about.
func HadEventIn(c *Change, p Period) bool {
	return p.Contains(c.OpenedAt) || p.Contains(c.ReadyAt) || p.Contains(c.MergedAt) ||
		p.Contains(c.ClosedAt) || p.Contains(c.DeployedAt)
}

// changes is the one pass over every change: spans into the duration
// metrics, counts, listings, waiting-for-review, data quality and the
// change-side allocation activities.
func (cx *computer) changes() {
	now := cx.now
	for i := range cx.ds.Changes {
		c := &cx.ds.Changes[i]
		team, total := cx.targets(cx.teamNumber(c.Team))
		if c.Bot {
			if !c.OpenedAt.After(now) {
				cx.q.BotChanges++
			}
			if HadEventIn(c, cx.p.cur) {
				total.counts.BotsExcluded++
				if team != nil {
					team.counts.BotsExcluded++
				}
			}
			continue
		}
		cx.q.FutureEvents += futureEvents(c, now)
		if c.OpenedAt.After(now) {
			continue // not opened yet as of now
		}
		if team == nil {
			cx.q.UnattributedChanges++
		}
		sp := spansAt(c, now, &cx.q.NegativeSpans)
		cx.addChange(team, c, sp)
		cx.addChange(total, c, sp)
		cx.alloc.change(c, cx.teamNumber(c.Team))
	}
}

// addChange records one non-bot change in a slot (nil: none).
func (cx *computer) addChange(sl *slot, c *Change, sp Spans) {
	if sl == nil {
		return
	}
	now := cx.now
	merged := cut(c.MergedAt, now)
	if w := cx.p.place(merged); w.any() {
		sl.coding.add(w, sp.Coding)
		sl.pickup.add(w, sp.Pickup)
		sl.review.add(w, sp.Review)
		sl.cycle.add(w, sp.Cycle)
		if w.cur {
			sl.counts.Merged++
			sl.merged = append(sl.merged, ChangeSpan{Change: c, Spans: sp})
			sl.mergedCat[catIndex(c.Category)]++
		}
	}
	if w := cx.p.place(cut(c.DeployedAt, now)); w.any() {
		sl.deploy.add(w, sp.Deploy)
		sl.lead.add(w, sp.Lead)
	}
	if cx.p.cur.Contains(c.OpenedAt) {
		sl.counts.Opened++
	}
	if waitingAt(c, now) {
		sl.waiting = append(sl.waiting, Waiting{Change: c, Seconds: seconds(now.Sub(c.ReadyAt))})
	}
}

// waitingAt reports whether the change waits for its first review at now:
// opened, not merged or closed, not draft, ready, and not reviewed yet.
func waitingAt(c *Change, now time.Time) bool {
	return !c.Draft && !c.OpenedAt.After(now) &&
		(c.MergedAt.IsZero() || c.MergedAt.After(now)) &&
		(c.ClosedAt.IsZero() || c.ClosedAt.After(now)) &&
		!c.ReadyAt.IsZero() && !c.ReadyAt.After(now) &&
		(c.FirstReviewAt.IsZero() || c.FirstReviewAt.After(now))
}

// catIndex is 0 for research, 1 for anything else (engineering is the default).
func catIndex(c Category) int {
	if c == Research {
		return 0
	}
	return 1
}

// mergedLists orders a slot's merged changes newest first and picks the
// slowest ten by cycle time (known cycle times only).
func mergedLists(merged []ChangeSpan) (newest, slowest []ChangeSpan) {
	slices.SortFunc(merged, func(a, b ChangeSpan) int {
		if c := b.Change.MergedAt.Compare(a.Change.MergedAt); c != 0 {
			return c
		}
		return compareKeys(a.Change, b.Change)
	})
	slowest = make([]ChangeSpan, 0, 10)
	for _, m := range merged { // newest first, so ties stay newest first
		if m.Spans.Cycle < 0 || (len(slowest) == 10 && m.Spans.Cycle <= slowest[9].Spans.Cycle) {
			continue
		}
		j := 0
		for j < len(slowest) && slowest[j].Spans.Cycle >= m.Spans.Cycle {
			j++
		}
		if len(slowest) < 10 {
			slowest = append(slowest, ChangeSpan{})
		}
		copy(slowest[j+1:], slowest[j:len(slowest)-1])
		slowest[j] = m
	}
	return merged, slowest
}

// sortWaiting puts the longest wait first.
func sortWaiting(w []Waiting) {
	slices.SortFunc(w, func(a, b Waiting) int {
		if c := cmp.Compare(b.Seconds, a.Seconds); c != 0 {
			return c
		}
		return compareKeys(a.Change, b.Change)
	})
}

// compareKeys orders changes by source, repo and number, for stable listings.
func compareKeys(a, b *Change) int {
	if c := strings.Compare(string(a.Source), string(b.Source)); c != 0 {
		return c
	}
	if c := strings.Compare(a.Repo, b.Repo); c != 0 {
		return c
	}
	return cmp.Compare(a.Number, b.Number)
}
