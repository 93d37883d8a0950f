package report

import (
	"bufio"
	"net/url"
	"strconv"
	"strings"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/textsafe"
)

// writeMarkdown writes the text format's content as a chat message:
// headings, one table of durations per team, bullet lists, no HTML and no
// ANSI. Times are always RFC3339 UTC: a relative "12m ago" would be wrong
// by the time someone reads the message.
func writeMarkdown(w *bufio.Writer, rep *domain.Report, sel selection, _ Options) error {
	ck := clock{now: rep.GeneratedAt}
	title := "pace snapshot"
	if org := textsafe.Clean(rep.Org); org != "" {
		title += " · " + md(org)
	}
	w.WriteString("## " + title + "\n\n")
	w.WriteString("**Window** " + ck.stamp(rep.Window.Start) + " – " + ck.stamp(rep.Window.End) +
		" (" + windowLength(rep.Window) + ") · **generated** " + ck.stamp(rep.GeneratedAt) + " · **last sync** ")
	if len(rep.Sources) == 0 {
		w.WriteString("no sources")
	}
	for i, s := range rep.Sources {
		if i > 0 {
			w.WriteString(" · ")
		}
		w.WriteString(md(textsafe.Clean(s.Name)) + " " + ck.when(s.LastSync))
		if len(s.Errors) > 0 {
			w.WriteString(" (" + plural(len(s.Errors), "error", "errors") + ": " + md(textsafe.Truncate(textsafe.Clean(s.Errors[0]), titleCells)) + ")")
		}
	}
	w.WriteString("\n")
	for _, t := range sel.teams(rep) {
		mdTeam(w, t, true)
	}
	if sel.all() {
		mdTeam(w, &rep.Total, false)
	}
	if items := qualityItems(rep.Quality); len(items) > 0 {
		w.WriteString("\n**" + capital(qualityHeading) + ":** " + strings.Join(items, " · ") + "\n")
	}
	return nil
}

// mdTeam writes one team's section; the lists of names only for a team, not
// for the org total, where they would repeat.
func mdTeam(w *bufio.Writer, t *domain.TeamReport, lists bool) {
	w.WriteString("\n### " + md(textsafe.Clean(t.Name)) + "\n\n")
	w.WriteString("| metric | p50 | p75 | p90 | count | p50 vs previous window |\n")
	w.WriteString("|---|---:|---:|---:|---:|---|\n")
	for _, r := range []struct {
		name string
		m    domain.Metric
	}{
		{"cycle time", t.CycleTime}, {"coding", t.Coding}, {"pickup", t.Pickup}, {"review", t.Review},
		{"deploy", t.Deploy}, {"lead time", t.LeadTime}, {"recovery", t.Deploys.Recovery},
		{"experiment turnaround", t.Experiments.Turnaround}, {"time to decision", t.Experiments.TimeToDecision},
	} {
		c := r.m.Current
		w.WriteString("| " + r.name + " | " + statDur(c, c.P50) + " | " + statDur(c, c.P75) + " | " +
			statDur(c, c.P90) + " | " + strconv.Itoa(c.Count) + " | " + delta(c, r.m.Previous) + " |\n")
	}
	w.WriteString("\n")
	for _, l := range summary(t) {
		switch l.label {
		case "cycle time", "parts p50":
			continue // in the table
		case "":
			w.WriteString("  - " + l.value + "\n") // a further guardrail breach
			continue
		}
		if l.label == "guardrails" && l.mark == bad {
			w.WriteString("- **Guardrails:**\n  - " + l.value + "\n")
			continue
		}
		w.WriteString("- **" + capital(l.label) + ":** " + l.value + "\n")
		if l.label == "waiting" && lists {
			for _, wt := range t.Waiting[:min(len(t.Waiting), waitingTop)] {
				c := wt.Change
				ref := textsafe.Clean(c.Repo) + "#" + strconv.Itoa(c.Number)
				w.WriteString("  - " + dur(wt.Seconds) + " " + mdLink(ref, c.URL) + " " +
					md(textsafe.Truncate(textsafe.Clean(c.Title), titleCells)) + " by " + md(textsafe.Clean(c.Author)) + "\n")
			}
		}
	}
	if !lists {
		return
	}
	e := &t.Experiments
	if len(e.Stale) > 0 {
		w.WriteString("- **Stale experiments** (idle longest first):\n")
		for _, x := range e.Stale {
			w.WriteString("  - " + mdKey(x.Key) + ": idle " + dur(x.IdleSeconds) + ", owner " +
				md(textsafe.Clean(x.Owner)) + " (" + md(textsafe.Clean(x.Repo)) + ")\n")
		}
	}
	if len(e.Zombies) > 0 {
		w.WriteString("- **Zombie runs** (still running):\n")
		for _, z := range e.Zombies {
			key := mdKey(z.Experiment.Key)
			if z.Run != nil {
				key = mdLink(textsafe.Truncate(textsafe.Clean(z.Experiment.Key), keyCells), z.Run.URL)
			}
			w.WriteString("  - " + key + ": running " + dur(z.Seconds) + " (" + md(textsafe.Clean(z.Experiment.Repo)) + ")\n")
		}
	}
	if len(e.FastFailures) > 0 {
		w.WriteString("- **Fast failures**, hypotheses ruled out quickly, well done:\n")
		for _, x := range e.FastFailures {
			w.WriteString("  - " + mdKey(x.Key) + ": decided in " + decidedIn(x) + ", owner " +
				md(textsafe.Clean(x.Owner)) + " (" + md(textsafe.Clean(x.Repo)) + ")\n")
		}
	}
}

// capital upper-cases a label's first letter for a bullet heading.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// mdKey is an experiment key, cleaned, capped and escaped.
func mdKey(k string) string { return md(textsafe.Truncate(textsafe.Clean(k), keyCells)) }

// mdEscaper backslash-escapes the characters that start markdown syntax
// anywhere in a line (emphasis, code, links, images, tables, HTML, entities,
// strikethrough, headings). '-', '+', '.' and digits only matter at the start
// of a line, where API text never stands here.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `(`, `\(`, `)`, `\)`,
	`<`, `\<`, `>`, `\>`, `|`, `\|`, `~`, `\~`, `!`, `\!`, `#`, `\#`, `&`, `\&`,
)

// md escapes clean text for markdown.
func md(s string) string { return mdEscaper.Replace(s) }

// mdLink is [text](url) when url is an absolute http(s) URL, else the
// escaped text alone: a javascript: or relative link from an API is not
// worth a click.
func mdLink(text, raw string) string {
	u, err := url.Parse(textsafe.Clean(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return md(text)
	}
	return "[" + md(text) + "](" + mdURL.Replace(u.String()) + ")"
}

// mdURL percent-encodes what would end or break a link destination.
var mdURL = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")
