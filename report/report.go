// Package report writes `pace snapshot`: a computed domain.Report as
// standup-ready text, a markdown chat message, the versioned JSON schema
// "pace.snapshot/v1" (SPEC §9), or one CSV row per change.
//
// Every string that came from an API (titles, branches, logins, repo names,
// source errors) goes through textsafe.Clean before it is written, so a
// hostile title cannot drive the reader's terminal. Text never queries the
// terminal: colour uses a lipgloss renderer whose profile and background are
// set, not detected.
//
// Durations read one way everywhere (see dur): "42s", "45m", "2.5h", "31h",
// "3.2d"; values pace does not know print as "—" in text and markdown and
// as null in JSON, never as 0.
package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pace-dev/pace/domain"
)

// Options says how to write a snapshot.
type Options struct {
	Format string   // "text" (default), "markdown", "json", "csv"
	Color  bool     // ANSI colour (only when stdout is a TTY and NO_COLOR is unset; main decides)
	TTY    bool     // relative times ("3h ago") on a TTY; RFC3339 UTC otherwise
	Teams  []string // only these teams (names, case-insensitive); empty = all
}

// The accepted --format values.
const (
	FormatText     = "text"
	FormatMarkdown = "markdown"
	FormatJSON     = "json"
	FormatCSV      = "csv"
)

// Formats lists the accepted --format values, the default first.
func Formats() []string {
	return []string{FormatText, FormatMarkdown, FormatJSON, FormatCSV}
}

// Write renders rep (and, for csv, the changes of ds) to w. ds must be the
// dataset rep was computed from (Compute fills the changes' team, category
// and bot flag); only csv reads it, so the other formats accept nil. An
// unknown format or team is an error and nothing is written.
func Write(w io.Writer, rep *domain.Report, ds *domain.Dataset, opts Options) error {
	if rep == nil {
		return errors.New("report: no report to write")
	}
	if err := CheckTeams(rep, opts.Teams); err != nil {
		return err
	}
	format := opts.Format
	if format == "" {
		format = FormatText
	}
	if !slices.Contains(Formats(), format) {
		return fmt.Errorf("unknown format %q: use one of %s", format, strings.Join(Formats(), ", "))
	}
	if format == FormatCSV && ds == nil {
		return errors.New("report: csv needs the dataset the report was computed from")
	}
	sel := selection{names: opts.Teams}
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch format {
	case FormatText:
		err = writeText(bw, rep, sel, opts)
	case FormatMarkdown:
		err = writeMarkdown(bw, rep, sel, opts)
	case FormatJSON:
		err = writeJSON(bw, rep, sel)
	case FormatCSV:
		err = writeCSV(bw, rep, ds, sel)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// CheckTeams returns an error naming every team of teams that rep does not
// hold (case-insensitively) and listing the known ones, so main can exit 2
// before writing anything.
func CheckTeams(rep *domain.Report, teams []string) error {
	var missing []string
	for _, want := range teams {
		if !slices.ContainsFunc(rep.Teams, func(t domain.TeamReport) bool { return strings.EqualFold(t.Name, want) }) {
			missing = append(missing, fmt.Sprintf("%q", want))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	known := make([]string, len(rep.Teams))
	for i, t := range rep.Teams {
		known[i] = fmt.Sprintf("%q", t.Name)
	}
	what := "unknown team "
	if len(missing) > 1 {
		what = "unknown teams "
	}
	if len(known) == 0 {
		return errors.New(what + strings.Join(missing, ", ") + ": no teams are configured")
	}
	return errors.New(what + strings.Join(missing, ", ") + "; known teams: " + strings.Join(known, ", "))
}

// selection is the --team filter: empty selects every team.
type selection struct {
	names []string
}

// all reports whether no filter is set.
func (s selection) all() bool { return len(s.names) == 0 }

// has reports whether team is selected.
func (s selection) has(team string) bool {
	return s.all() || slices.ContainsFunc(s.names, func(n string) bool { return strings.EqualFold(n, team) })
}

// teams returns the selected teams of rep in report order.
func (s selection) teams(rep *domain.Report) []*domain.TeamReport {
	out := make([]*domain.TeamReport, 0, len(rep.Teams))
	for i := range rep.Teams {
		if s.has(rep.Teams[i].Name) {
			out = append(out, &rep.Teams[i])
		}
	}
	return out
}
