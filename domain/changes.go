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

// changeFacts is what one change contributes, computed once for its team
// and the total.
type changeFacts struct {
	c               *Change
	spans           Spans
	merged, deploy  where // periods of merged_at and deployed_at
	opened, waiting bool
	waitSeconds     int64
}

// changes is the one pass over every change: spans into the duration
// metrics, counts, listings, waiting-for-review, data quality and the
// change-side allocation activities.
func (cx *computer) changes() {
	now := cx.now
	cx.reserveChanges()
	var merged []mergedChange
	for i := range cx.ds.Changes {
		c := &cx.ds.Changes[i]
		tn := cx.changeTeam(i)
		team, total := cx.targets(tn)
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
		f := changeFacts{
			c:      c,
			spans:  spansAt(c, now, &cx.q.NegativeSpans),
			merged: cx.p.place(cut(c.MergedAt, now)),
			deploy: cx.p.place(cut(c.DeployedAt, now)),
			opened: cx.p.cur.Contains(c.OpenedAt),
		}
		if waitingAt(c, now) {
			f.waiting, f.waitSeconds = true, seconds(now.Sub(c.ReadyAt))
		}
		if team != nil {
			team.addChange(&f)
		}
		total.addChange(&f)
		if f.merged.cur {
			merged = append(merged, mergedChange{ChangeSpan{c, f.spans}, int32(tn), instantOf(c.MergedAt)})
		}
		cx.alloc.change(c, tn)
	}
	cx.orderMerged(merged)
}

// mergedChange is a change merged in the window, with its team and sort key.
type mergedChange struct {
	ChangeSpan
	team int32
	at   instant
}

// orderMerged sorts the window's merged changes newest first once and hands
// each slot its share in that order (the total gets them all).
func (cx *computer) orderMerged(merged []mergedChange) {
	slices.SortFunc(merged, func(a, b mergedChange) int {
		if c := compareInstants(b.at, a.at); c != 0 {
			return c
		}
		return compareKeys(a.Change, b.Change)
	})
	total := &cx.slots[len(cx.slots)-1]
	total.merged = make([]ChangeSpan, len(merged))
	for i := range cx.slots[:len(cx.slots)-1] {
		cx.slots[i].merged = make([]ChangeSpan, 0, cx.slots[i].counts.Merged)
	}
	for i, m := range merged {
		total.merged[i] = m.ChangeSpan
		if m.team >= 0 {
			sl := &cx.slots[m.team]
			sl.merged = append(sl.merged, m.ChangeSpan)
		}
	}
}

// reserveChanges sizes every slot's change metrics before the pass: a
// cheap count of where each change's end events fall saves growing (and
// copying) millions of values.
func (cx *computer) reserveChanges() {
	type counts struct{ merged, deployed bucketCount }
	n := make([]counts, len(cx.slots))
	totalSlot := len(cx.slots) - 1
	for i := range cx.ds.Changes {
		c := &cx.ds.Changes[i]
		if c.Bot || c.OpenedAt.After(cx.now) {
			continue
		}
		wm, wd := cx.p.place(cut(c.MergedAt, cx.now)), cx.p.place(cut(c.DeployedAt, cx.now))
		if !wm.any() && !wd.any() {
			continue
		}
		for _, s := range [2]int{cx.changeTeam(i), totalSlot} {
			if s >= 0 {
				n[s].merged.count(wm)
				n[s].deployed.count(wd)
			}
		}
	}
	for i := range cx.slots {
		sl := &cx.slots[i]
		for _, m := range [...]*metricAcc{&sl.coding, &sl.pickup, &sl.review, &sl.cycle} {
			m.reserve(&n[i].merged)
		}
		sl.deploy.reserve(&n[i].deployed)
		sl.lead.reserve(&n[i].deployed)
	}
}

// addChange records one non-bot change's facts in the slot.
func (sl *slot) addChange(f *changeFacts) {
	if w := f.merged; w.any() {
		sl.coding.add(w, f.spans.Coding)
		sl.pickup.add(w, f.spans.Pickup)
		sl.review.add(w, f.spans.Review)
		sl.cycle.add(w, f.spans.Cycle)
		if w.cur {
			sl.counts.Merged++
			sl.mergedCat[catIndex(f.c.Category)]++
		}
	}
	if w := f.deploy; w.any() {
		sl.deploy.add(w, f.spans.Deploy)
		sl.lead.add(w, f.spans.Lead)
	}
	if f.opened {
		sl.counts.Opened++
	}
	if f.waiting {
		sl.waiting = append(sl.waiting, Waiting{Change: f.c, Seconds: f.waitSeconds})
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

// slowestOf picks the ten longest cycle times (known ones only) from
// merged changes listed newest first; ties stay newest first.
func slowestOf(merged []ChangeSpan) []ChangeSpan {
	slowest := make([]ChangeSpan, 0, 10)
	for _, m := range merged {
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
	return slowest
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
