package report

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"slices"
	"strconv"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/textsafe"
)

// CSVColumns returns the header row of `pace snapshot --format csv` (SPEC §9).
func CSVColumns() []string {
	return []string{
		"source", "repo", "number", "url", "title", "author", "team", "category", "draft", "bot",
		"opened_at", "ready_at", "first_commit_at", "first_review_at", "approved_at", "merged_at",
		"closed_at", "deployed_at",
		"coding_s", "pickup_s", "review_s", "deploy_s", "cycle_time_s", "lead_time_s",
	}
}

// writeCSV writes one row per change, bots included (bot=true), that had any
// of its eight events in the window, sorted by (source, repo, number).
// Timestamps after the report's time are left empty and out of the spans, as
// Compute ignores them: a --now in the past gives the rows as of then.
func writeCSV(w *bufio.Writer, rep *domain.Report, ds *domain.Dataset, sel selection) error {
	rows := make([]*domain.Change, 0, len(ds.Changes)/4)
	for i := range ds.Changes {
		c := &ds.Changes[i]
		if !sel.all() && (c.Team == "" || !sel.has(c.Team)) {
			continue
		}
		if eventIn(c, rep.Window) {
			rows = append(rows, c)
		}
	}
	slices.SortFunc(rows, func(a, b *domain.Change) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Repo, b.Repo), cmp.Compare(a.Number, b.Number))
	})
	cw := csv.NewWriter(w)
	header := CSVColumns()
	if err := cw.Write(header); err != nil {
		return err
	}
	now := rep.GeneratedAt
	rec := make([]string, 0, len(header))
	for _, orig := range rows {
		c := asOf(orig, now)
		sp := domain.SpansOf(&c)
		rec = append(rec[:0],
			string(c.Source), csvText(c.Repo), strconv.Itoa(c.Number), textsafe.Clean(c.URL), csvText(c.Title),
			csvText(c.Author), csvText(c.Team), string(c.Category), strconv.FormatBool(c.Draft), strconv.FormatBool(c.Bot),
			rfc3339(c.OpenedAt), rfc3339(c.ReadyAt), rfc3339(c.FirstCommitAt), rfc3339(c.FirstReviewAt),
			rfc3339(c.ApprovedAt), rfc3339(c.MergedAt), rfc3339(c.ClosedAt), rfc3339(c.DeployedAt),
			secs(sp.Coding), secs(sp.Pickup), secs(sp.Review), secs(sp.Deploy), secs(sp.Cycle), secs(sp.Lead),
		)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// events are the eight timestamps that put a change in the CSV.
func events(c *domain.Change) [8]time.Time {
	return [8]time.Time{c.OpenedAt, c.ReadyAt, c.FirstCommitAt, c.FirstReviewAt,
		c.ApprovedAt, c.MergedAt, c.ClosedAt, c.DeployedAt}
}

// eventIn reports whether any of the change's events falls in p.
func eventIn(c *domain.Change, p domain.Period) bool {
	for _, t := range events(c) {
		if p.Contains(t) {
			return true
		}
	}
	return false
}

// asOf returns a shallow copy of c without the timestamps after now, which
// have not happened yet as of the report (domain's rule for spans).
func asOf(c *domain.Change, now time.Time) domain.Change {
	out := *c
	for _, t := range []*time.Time{&out.OpenedAt, &out.ReadyAt, &out.FirstCommitAt, &out.FirstReviewAt,
		&out.ApprovedAt, &out.MergedAt, &out.ClosedAt, &out.DeployedAt} {
		if t.After(now) {
			*t = time.Time{}
		}
	}
	return out
}

// secs is a span in whole seconds, "" when unknown (-1).
func secs(s int64) string {
	if s < 0 {
		return ""
	}
	return strconv.FormatInt(s, 10)
}

// csvText cleans API text for a CSV cell, untruncated, and defuses spreadsheet
// formulas: a title such as "=HYPERLINK(...)" or "@SUM(...)" would run when the
// file is opened in Excel or Sheets, so a leading = + - @ gets a quote
// (OWASP's CSV-injection advice). Scripts see the quote; nothing executes.
func csvText(s string) string {
	s = textsafe.Clean(s)
	if s != "" {
		switch s[0] {
		case '=', '+', '-', '@':
			return "'" + s
		}
	}
	return s
}
