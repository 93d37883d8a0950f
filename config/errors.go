package config

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one thing wrong with a config file, located by file, line and
// key so the user can go straight to it.
type Problem struct {
	File string // the file as the user named it
	Line int    // 1-based; 0 when no line applies (e.g. a default value)
	Key  string // the key path, e.g. "teams[1].allocation"
	Msg  string // what is wrong and, where useful, "; allowed: ..."
}

// String formats the problem as `file:line: key: msg`.
func (p Problem) String() string {
	var b strings.Builder
	file := p.File
	if file == "" {
		file = "config"
	}
	b.WriteString(file)
	if p.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(p.Line))
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Errors is every problem found in a config file, sorted by line. It is the
// error Parse, Load and Validate return, so callers can list each problem.
type Errors []Problem

// Error prints one problem per line.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, p := range e {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// collector gathers problems while a config is checked. Paths that already
// failed their type check are remembered so the semantic checks do not pile
// a second, confusing problem on the same value.
type collector struct {
	file  string
	lines map[string]int
	bad   map[string]bool
	list  Errors
}

func newCollector(file string, lines map[string]int, bad map[string]bool) *collector {
	if lines == nil {
		lines = map[string]int{}
	}
	if bad == nil {
		bad = map[string]bool{}
	}
	return &collector{file: file, lines: lines, bad: bad}
}

// add records a semantic problem at the line the key was written on.
func (c *collector) add(path, format string, args ...any) {
	if c.under(path) {
		return
	}
	c.list = append(c.list, Problem{File: c.file, Line: lineOf(c.lines, path), Key: path, Msg: fmt.Sprintf(format, args...)})
}

// addAt records a structural problem (wrong type, unknown key) at a known
// line and marks the path so later checks leave it alone.
func (c *collector) addAt(line int, path, format string, args ...any) {
	c.bad[path] = true
	c.list = append(c.list, Problem{File: c.file, Line: line, Key: path, Msg: fmt.Sprintf(format, args...)})
}

// under reports whether path or one of its parents failed a type check.
func (c *collector) under(path string) bool {
	for p := path; p != ""; p = parentPath(p) {
		if c.bad[p] {
			return true
		}
	}
	return false
}

// lineOf finds the line of path, or of its nearest written parent when the
// key itself was not written (a default or a missing field).
func lineOf(lines map[string]int, path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if l, ok := lines[p]; ok {
			return l
		}
	}
	return 0
}

// parentPath strips the last ".key" or "[i]" of a key path.
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// tokenShape matches the formats of GitHub and GitLab access tokens, so a
// token pasted in the wrong place is still kept out of error text.
var tokenShape = regexp.MustCompile(`(gh[pousr]_[A-Za-z0-9_]{8,}|github_pat_[A-Za-z0-9_]{8,}|glpat-[A-Za-z0-9_-]{8,})`)

// finish sorts the problems by line and removes every secret from their
// text: tokens must never reach a terminal, a log or a CI transcript.
func finish(list Errors, secrets []string) Errors {
	if len(list) == 0 {
		return nil
	}
	out := make(Errors, len(list))
	for i, p := range list {
		p.Key = scrub(p.Key, secrets)
		p.Msg = scrub(p.Msg, secrets)
		out[i] = p
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return escapeControls(tokenShape.ReplaceAllString(s, "[redacted]"))
}

// escapeControls writes control characters and bidi overrides as Go
// escapes: a key or regexp in a hostile file must not drive the terminal
// that prints the problem.
func escapeControls(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || r == utf8.RuneError || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) || r == 0x200E || r == 0x200F
}
