// Package textsafe makes text that came from an API (titles, branch names,
// labels, logins, repo names, error messages) safe to print on a terminal or
// in a report: nothing in it can move the cursor, change colours, set the
// window title, hide text, reorder the line or break the layout.
//
// Clean is deliberately its own parser rather than a call to
// github.com/charmbracelet/x/ansi.Strip: Strip keeps C0 controls (BEL, BS,
// CR, LF...) and C1 controls written as UTF-8 runes (U+009B is CSI on
// terminals that honour 8-bit controls), and it knows nothing of Unicode bidi
// overrides. The tests use ansi.Strip as an oracle instead.
package textsafe

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

const (
	esc = 0x1b
	bel = 0x07
	// C1 controls that open a sequence, as runes.
	c1DCS = 0x90
	c1SOS = 0x98
	c1CSI = 0x9b
	c1ST  = 0x9c
	c1OSC = 0x9d
	c1PM  = 0x9e
	c1APC = 0x9f
	c1NEL = 0x85
)

// Clean returns s with every control character and terminal escape sequence
// removed (CSI, OSC, DCS, SOS, PM, APC, two-byte ESC sequences, a lone ESC,
// their 8-bit C1 forms, other C0/C1 controls and DEL), Unicode bidi
// embeddings/overrides/isolates removed (they can make a title display as
// something else), invalid UTF-8 replaced by U+FFFD, and every run of
// whitespace (newlines, tabs, line/paragraph separators) collapsed to one
// space, trimmed at both ends. It never truncates: see Truncate.
func Clean(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending: written before the next visible rune
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			r = utf8.RuneError // invalid byte: keep a visible marker, not the byte
		}
		i += n
		switch {
		case r == esc:
			i = skipEscape(s, i)
		case r == c1CSI:
			i = skipCSI(s, i)
		case r == c1OSC, r == c1DCS, r == c1SOS, r == c1PM, r == c1APC:
			i = skipString(s, i)
		case isSpace(r):
			space = b.Len() > 0
		case r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0, isBidi(r):
			// dropped
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII without doubled or edge
// spaces, the common case, so Clean can return it without allocating.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f {
			return false
		}
		if c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}

// isSpace reports whether r is whitespace that Clean folds into one space.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', c1NEL, 0xa0, 0x2028, 0x2029, 0x3000:
		return true
	}
	return false
}

// isBidi reports whether r is a bidi embedding, override or isolate control
// (the "Trojan Source" characters). Implicit marks (LRM, RLM, ALM) stay: they
// cannot reorder text outside their own run and real RTL text uses them.
func isBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// skipEscape skips what follows an ESC at s[i:] and returns the index after
// the sequence. A lone ESC (at the end, or before a byte that starts no
// sequence) is dropped alone.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipString(s, i+1)
	case c >= 0x20 && c <= 0x2f: // intermediates, then one final byte (e.g. ESC ( B)
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case c >= 0x30 && c <= 0x7e: // two-byte sequence (ESC 7, ESC c, ESC M...)
		return i + 1
	}
	return i
}

// skipCSI skips a control sequence's parameter and intermediate bytes and its
// final byte. A byte that cannot belong to a CSI ends it early (as terminals
// abort it) and is then read as ordinary input.
func skipCSI(s string, i int) int {
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 0x20 && c <= 0x3f: // parameters and intermediates
			i++
		case c >= 0x40 && c <= 0x7e: // final byte
			return i + 1
		default:
			return i
		}
	}
	return i
}

// skipString skips the body of an OSC, DCS, SOS, PM or APC string up to and
// including its terminator: BEL, ESC \ or the C1 ST. An unterminated string
// swallows the rest of s, as it would on a terminal; losing the tail of a
// hostile title is better than printing half an escape sequence.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == bel:
			return i + 1
		case s[i] == esc:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i // an ESC that is not ST aborts the string and starts a new sequence
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + len("\u009c")
		}
		i++
	}
	return i
}

// Ellipsis is what Truncate appends to a shortened string.
const Ellipsis = "…"

// Truncate shortens s to at most width terminal cells, counting wide runes
// (CJK, most emoji) as two and keeping grapheme clusters whole, and ends a
// shortened string with Ellipsis (trailing spaces before it are dropped). It
// measures width like lipgloss does, so a TUI column and a report agree. Pass
// it text that went through Clean; width <= 0 gives "".
func Truncate(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if ansi.StringWidth(s) <= width {
		return s
	}
	cut := ansi.Truncate(s, width-ansi.StringWidth(Ellipsis), "")
	return strings.TrimRight(cut, " ") + Ellipsis
}

// Width is the number of terminal cells s takes, measured as Truncate does.
func Width(s string) int { return ansi.StringWidth(s) }
