package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/textsafe"
)

// Width is the number of columns the text format fits in: every line is at
// most this many terminal cells, so a snapshot pastes into a standup and
// reads on an 80-column terminal.
const Width = 80

// Column caps for API text in text lists, in cells; what remains of a line
// goes to its last column (a title or repo), truncated with "…".
const (
	keyCells   = 32
	loginCells = 20
	repoCells  = 36
	titleCells = 60
	labelCells = 13
	waitingTop = 3
)

// palette colours text lines. Its renderer's profile and background are
// set explicitly so writing a snapshot never queries the terminal (a
// background-colour query on a pipe would hang or print garbage).
type palette struct {
	on               bool
	bold, red, green lipgloss.Style
}

func newPalette(w io.Writer, on bool) palette {
	if !on {
		return palette{}
	}
	r := lipgloss.NewRenderer(w, termenv.WithProfile(termenv.ANSI))
	r.SetColorProfile(termenv.ANSI)
	r.SetHasDarkBackground(true)
	return palette{
		on:    true,
		bold:  r.NewStyle().Bold(true),
		red:   r.NewStyle().Foreground(lipgloss.Color("1")),
		green: r.NewStyle().Foreground(lipgloss.Color("2")),
	}
}

// paint renders one line (never several: lipgloss pads multi-line blocks).
func (p palette) paint(st lipgloss.Style, s string) string {
	if !p.on || s == "" {
		return s
	}
	return st.Render(s)
}

// textOut writes the text format line by line, keeping every line within
// Width cells.
type textOut struct {
	w   *bufio.Writer
	pal palette
	ck  clock
}

// put writes one line, cut to Width cells, in style st.
func (o *textOut) put(s string, st *lipgloss.Style) {
	s = textsafe.Truncate(s, Width)
	if st != nil {
		s = o.pal.paint(*st, s)
	}
	o.w.WriteString(s)
	o.w.WriteByte('\n')
}

func writeText(w *bufio.Writer, rep *domain.Report, sel selection, opts Options) error {
	o := &textOut{w: w, pal: newPalette(w, opts.Color), ck: clock{now: rep.GeneratedAt, tty: opts.TTY}}
	o.header(rep)
	for _, t := range sel.teams(rep) {
		o.w.WriteByte('\n')
		o.team(t, true)
	}
	if sel.all() {
		o.w.WriteByte('\n')
		o.team(&rep.Total, false)
	}
	if items := qualityItems(rep.Quality); len(items) > 0 {
		o.w.WriteByte('\n')
		o.put(qualityHeading, &o.pal.bold)
		for _, it := range items {
			o.put("  "+it, nil)
		}
	}
	return nil
}

func (o *textOut) header(rep *domain.Report) {
	title := "pace snapshot"
	if org := textsafe.Clean(rep.Org); org != "" {
		title += " · " + org
	}
	o.put(title, &o.pal.bold)
	o.put(padRight("window", 12)+o.ck.stamp(rep.Window.Start)+" – "+o.ck.stamp(rep.Window.End)+
		" ("+windowLength(rep.Window)+")", nil)
	o.put(padRight("generated", 12)+o.ck.stamp(rep.GeneratedAt), nil)
	if len(rep.Sources) == 0 {
		o.put(padRight("last sync", 12)+"no sources", nil)
		return
	}
	rows := make([][]string, 0, len(rep.Sources))
	for _, s := range rep.Sources {
		errs := ""
		if len(s.Errors) > 0 {
			errs = plural(len(s.Errors), "error", "errors") + ": " + textsafe.Clean(s.Errors[0])
		}
		rows = append(rows, []string{textsafe.Truncate(textsafe.Clean(s.Name), loginCells), o.ck.when(s.LastSync), errs})
	}
	for i, l := range columns("", rows, Width-12) {
		label := ""
		if i == 0 {
			label = "last sync"
		}
		o.put(padRight(label, 12)+l, nil)
	}
}

// team writes one team's block; lists (stale, zombies, fast failures,
// waiting) only for a team, not for the org total, where they would repeat.
func (o *textOut) team(t *domain.TeamReport, lists bool) {
	o.put(textsafe.Clean(t.Name), &o.pal.bold)
	for _, l := range summary(t) {
		s := "  " + padRight(l.label, labelCells) + l.value
		switch l.mark {
		case bad:
			o.put(s, &o.pal.red)
		case good:
			o.put(s, &o.pal.green)
		default:
			o.put(s, nil)
		}
	}
	if !lists {
		return
	}
	e := &t.Experiments
	if len(e.Stale) > 0 {
		o.put("  stale experiments, idle longest first", &o.pal.bold)
		rows := make([][]string, len(e.Stale))
		for i, x := range e.Stale {
			rows[i] = []string{cell(x.Key, keyCells), "idle " + dur(x.IdleSeconds), cell(x.Owner, loginCells), cell(x.Repo, repoCells)}
		}
		o.rows(rows)
	}
	if len(e.Zombies) > 0 {
		o.put("  zombie runs, still running", &o.pal.bold)
		rows := make([][]string, len(e.Zombies))
		for i, z := range e.Zombies {
			rows[i] = []string{cell(z.Experiment.Key, keyCells), "running " + dur(z.Seconds), cell(z.Experiment.Repo, repoCells)}
		}
		o.rows(rows)
	}
	if len(e.FastFailures) > 0 {
		o.put("  fast failures: hypotheses ruled out quickly, well done", &o.pal.green)
		rows := make([][]string, len(e.FastFailures))
		for i, x := range e.FastFailures {
			rows[i] = []string{cell(x.Key, keyCells), "in " + decidedIn(x), cell(x.Owner, loginCells), cell(x.Repo, repoCells)}
		}
		o.rows(rows)
	}
	if n := len(t.Waiting); n > 0 {
		head := "  waiting for review, oldest first"
		if n > waitingTop {
			head += " (" + strconv.Itoa(waitingTop) + " of " + strconv.Itoa(n) + ")"
		}
		o.put(head, &o.pal.bold)
		// Two lines per change: the title is what people recognise, and on
		// one line beside a long repo path it would be cut to a few words.
		top := t.Waiting[:min(n, waitingTop)]
		waits := make([]string, len(top))
		wide := 0
		for i, wt := range top {
			waits[i] = dur(wt.Seconds)
			wide = max(wide, textsafe.Width(waits[i]))
		}
		for i, wt := range top {
			c := wt.Change
			o.put("    "+padRight(waits[i], wide+2)+cell(c.Title, titleCells), nil)
			o.put("    "+strings.Repeat(" ", wide+2)+cell(c.Repo, repoCells)+"#"+strconv.Itoa(c.Number)+
				" by "+cell(c.Author, loginCells), nil)
		}
	}
}

// rows writes list rows indented under a list heading.
func (o *textOut) rows(rows [][]string) {
	for _, l := range columns("    ", rows, Width) {
		o.put(l, nil)
	}
}

// cell cleans API text and caps it at max cells.
func cell(s string, max int) string { return textsafe.Truncate(textsafe.Clean(s), max) }

// decidedIn is how long an experiment took from its first run to its decision.
func decidedIn(x *domain.Experiment) string {
	if x.ConcludedAt.IsZero() || x.FirstRunAt.IsZero() {
		return unknown
	}
	return dur(int64(x.ConcludedAt.Sub(x.FirstRunAt).Seconds()))
}

// columns aligns rows: every cell but the last is padded to its column's
// widest cell plus two spaces, and the last is cut to what is left of width.
// It measures terminal cells, not runes as text/tabwriter does, so a CJK or
// emoji branch name cannot push the columns after it out of line.
func columns(indent string, rows [][]string, width int) []string {
	var widths []int
	for _, r := range rows {
		for i := 0; i < len(r)-1; i++ {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], textsafe.Width(r[i]))
		}
	}
	out := make([]string, len(rows))
	for j, r := range rows {
		var b strings.Builder
		b.WriteString(indent)
		for i := 0; i < len(r)-1; i++ {
			b.WriteString(padRight(r[i], widths[i]+2))
		}
		if len(r) > 0 {
			last := textsafe.Truncate(r[len(r)-1], width-textsafe.Width(b.String()))
			b.WriteString(last)
		}
		out[j] = strings.TrimRight(b.String(), " ")
	}
	return out
}

// padRight pads s with spaces to n cells; a wider s gets one space so the
// next column never touches it.
func padRight(s string, n int) string {
	if w := textsafe.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s + " "
}
