package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Add drift monitor", "Add drift monitor"},
		{"empty", "", ""},
		{"sgr colour", "\x1b[31mred\x1b[0m title", "red title"},
		{"csi with intermediates", "a\x1b[?25lb\x1b[2 qc", "abc"},
		{"cursor movement", "ok\x1b[2J\x1b[H done", "ok done"},
		{"osc title with BEL", "x\x1b]0;pwned\x07y", "xy"},
		{"osc hyperlink with ST", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"osc 52 clipboard", "a\x1b]52;c;cm0gLXJmIH4=\x07b", "ab"},
		{"unterminated osc swallows rest", "keep\x1b]0;never ends", "keep"},
		{"osc aborted by new escape", "a\x1b]0;t\x1b[31mb", "ab"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"apc", "a\x1b_Gf=100;AAAA\x1b\\b", "ab"},
		{"lone esc at end", "title\x1b", "title"},
		{"lone esc before letter-free byte", "a\x1b\x01b", "ab"},
		{"two byte escape", "a\x1bcb\x1b7c", "abc"},
		{"charset designation", "a\x1b(Bb", "ab"},
		{"8-bit csi as rune", "a\u009b31mb", "ab"},
		{"8-bit osc as rune", "a\u009d0;t\u009cb", "ab"},
		{"other c1 dropped", "a\u0080\u0081b", "ab"},
		{"nel is whitespace", "a\u0085b", "a b"},
		{"c0 dropped", "a\x00\x07\x08b", "ab"},
		{"del dropped", "a\x7fb", "ab"},
		{"newlines and tabs collapse", "line one\r\n\tline  two\n", "line one line two"},
		{"leading and trailing space", "  spaced  ", "spaced"},
		{"unicode separators", "a\u2028b\u2029c", "a b c"},
		{"bidi override removed", "abc\u202egnp.exe", "abcgnp.exe"},
		{"bidi isolates removed", "\u2066x\u2069", "x"},
		{"rtl text kept", "שלום עולם", "שלום עולם"},
		{"rlm kept", "a\u200fb", "a\u200fb"},
		{"emoji and zwj kept", "ship 👩‍💻 it", "ship 👩‍💻 it"},
		{"cjk kept", "修复 bug", "修复 bug"},
		{"invalid utf8 marked", "a\xffb", "a\ufffdb"},
		{"raw 8-bit csi byte marked", "a\x9b31mb", "a\ufffd31mb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"Add drift monitor for embeddings", 12, "Add drift m…"},
		{"Add drift monitor for embeddings", 11, "Add drift…"}, // no space before the ellipsis
		{"abcdef", 4, "abc…"},
		{"abcdef", 1, "…"},
		{"abcdef", 0, ""},
		{"abcdef", -3, ""},
		{"修复修复修复", 7, "修复修…"}, // 6 cells of CJK + 1 for the ellipsis
		{"修复修复修复", 6, "修复…"},  // a wide rune that would overflow is left out
		{"👩‍💻👩‍💻👩‍💻", 5, "👩‍💻👩‍💻…"},
		{"", 5, ""},
	}
	for _, tt := range tests {
		got := Truncate(tt.in, tt.width)
		if got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
		if tt.width > 0 && Width(got) > tt.width {
			t.Errorf("Truncate(%q, %d) is %d cells wide", tt.in, tt.width, Width(got))
		}
	}
}

func TestCleanPlainDoesNotAllocate(t *testing.T) {
	s := "Bump grpc to 1.64 in platform-infra"
	if n := testing.AllocsPerRun(100, func() { _ = Clean(s) }); n != 0 {
		t.Errorf("Clean of plain ASCII allocates %v times", n)
	}
}

// checkClean asserts the properties every output of Clean must have.
func checkClean(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("Clean(%q) = %q: invalid UTF-8", in, out)
	}
	for _, r := range out {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidi(r) {
			t.Fatalf("Clean(%q) = %q keeps control %U", in, out, r)
		}
	}
	if ansi.Strip(out) != out {
		t.Fatalf("Clean(%q) = %q still holds an escape sequence", in, out)
	}
	if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
		t.Fatalf("Clean(%q) = %q: whitespace not collapsed", in, out)
	}
	if again := Clean(out); again != out {
		t.Fatalf("Clean not idempotent: %q -> %q -> %q", in, out, again)
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{
		"plain", "\x1b[31mred", "\x1b]0;t\x07", "\x1bP\x1b\\", "\u009b1m", "a\tb\nc",
		"\u202eabc", "修复 👩‍💻", "\xff\xfe", "\x1b", "\x1b[", "\x1b]8;;u\x1b\\x",
	} {
		f.Add(s, 20)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		out := Clean(s)
		checkClean(t, s, out)
		w = w % 200
		tr := Truncate(out, w)
		if w <= 0 {
			if tr != "" {
				t.Fatalf("Truncate(%q, %d) = %q, want empty", out, w, tr)
			}
			return
		}
		if Width(tr) > w {
			t.Fatalf("Truncate(%q, %d) = %q is %d cells", out, w, tr, Width(tr))
		}
		if Width(out) <= w && tr != out {
			t.Fatalf("Truncate(%q, %d) = %q changed a string that fits", out, w, tr)
		}
		if !strings.HasPrefix(out, strings.TrimSuffix(tr, Ellipsis)) {
			t.Fatalf("Truncate(%q, %d) = %q is not a prefix", out, w, tr)
		}
	})
}
