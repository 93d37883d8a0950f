package tui

import (
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
)

// Charts are built from plain Unicode block characters: they read at 80x24,
// need no Nerd Font, and stay legible without colour because every series
// has its own glyph.

var sparkLevels = []rune("▁▂▃▄▅▆▇█")

// sparkline draws values (negative = unknown, shown as "·") scaled from 0 to
// the largest value, each point `each` cells wide.
func sparkline(values []float64, each int) string {
	if each < 1 {
		each = 1
	}
	hi := 0.0
	for _, v := range values {
		if v > hi {
			hi = v
		}
	}
	var b strings.Builder
	for _, v := range values {
		r := '·'
		if v >= 0 {
			i := 0
			if hi > 0 {
				i = int(math.Round(v / hi * float64(len(sparkLevels)-1)))
			}
			r = sparkLevels[max(0, min(i, len(sparkLevels)-1))]
		}
		b.WriteString(strings.Repeat(string(r), each))
	}
	return b.String()
}

// hbar is a horizontal bar of frac (0..1) of w cells, eighth-cell precise.
func hbar(frac float64, w int) string {
	if w <= 0 {
		return ""
	}
	frac = math.Max(0, math.Min(1, frac))
	eighths := int(math.Round(frac * float64(w*8)))
	full, rest := eighths/8, eighths%8
	s := strings.Repeat("█", full)
	if rest > 0 {
		s += string([]rune("▏▎▍▌▋▊▉")[rest-1])
	}
	return pad(s, w)
}

// partGlyphs tell the four parts of a cycle apart without colour:
// coding, pickup, review, deploy.
var partGlyphs = [4]string{"█", "▓", "▒", "░"}

// stacked draws parts (negative = unknown, left out) proportionally in w
// cells; a non-zero part gets at least one cell so it never vanishes.
func stacked(st Styles, parts [4]int64, w int) string {
	var total int64
	for _, p := range parts {
		if p > 0 {
			total += p
		}
	}
	if total == 0 || w <= 0 {
		return strings.Repeat(" ", max(w, 0))
	}
	cells := [4]int{}
	used := 0
	for i, p := range parts {
		if p > 0 {
			cells[i] = max(1, int(math.Round(float64(p)/float64(total)*float64(w))))
			used += cells[i]
		}
	}
	// Give or take the rounding error from the widest part.
	for used != w {
		big := 0
		for i := range cells {
			if cells[i] > cells[big] {
				big = i
			}
		}
		if used > w {
			if cells[big] <= 1 {
				break
			}
			cells[big]--
			used--
		} else {
			cells[big]++
			used++
		}
	}
	var b strings.Builder
	for i, n := range cells {
		if n > 0 {
			b.WriteString(st.Parts[i].Render(strings.Repeat(partGlyphs[i], n)))
		}
	}
	return b.String()
}

// allocBar shows the research share (percent, "█") against engineering
// ("░") in w cells with the target research share marked "│". A nil actual
// is an empty bar; a nil target has no marker.
func allocBar(st Styles, actual, target *float64, w int) string {
	if w <= 0 {
		return ""
	}
	cells := make([]string, w)
	res := -1
	if actual != nil {
		res = int(math.Round(*actual / 100 * float64(w)))
	}
	for i := range cells {
		switch {
		case res < 0:
			cells[i] = st.Dim.Render("·")
		case i < res:
			cells[i] = st.Research.Render("█")
		default:
			cells[i] = st.Engineer.Render("░")
		}
	}
	if target != nil {
		t := int(math.Round(*target / 100 * float64(w)))
		t = max(0, min(t, w-1))
		cells[t] = st.Target.Render("│")
	}
	return strings.Join(cells, "")
}

// vbars draws a column chart of counts, `each` cells per column and h rows
// tall, eighth-row precise; the top line is the largest value's label.
func vbars(st Styles, values []int, each, h int) []string {
	hi := 0
	for _, v := range values {
		hi = max(hi, v)
	}
	lines := make([]string, h)
	for row := range h {
		var b strings.Builder
		level := h - 1 - row // 0 is the bottom row
		for _, v := range values {
			g := " "
			if hi > 0 {
				eighths := int(math.Round(float64(v) / float64(hi) * float64(h*8)))
				if v > 0 && eighths == 0 {
					eighths = 1
				}
				switch fill := eighths - level*8; {
				case fill >= 8:
					g = "█"
				case fill > 0:
					g = string(sparkLevels[fill-1])
				}
			}
			b.WriteString(strings.Repeat(g, max(each-1, 1)))
			if each > 1 {
				b.WriteString(" ")
			}
		}
		lines[row] = st.Spark.Render(b.String())
	}
	return lines
}

// axisMark is one point on a time axis.
type axisMark struct {
	At    time.Time
	Glyph string
	Style lipgloss.Style
}

// timeAxis places marks on a w-cell line from start to end; later marks
// win a shared cell. The line itself is "─".
func timeAxis(marks []axisMark, start, end time.Time, w int) string {
	if w <= 0 {
		return ""
	}
	cells := make([]string, w)
	for i := range cells {
		cells[i] = "─"
	}
	span := end.Sub(start)
	for _, m := range marks {
		i := w - 1
		if span > 0 {
			i = int(float64(m.At.Sub(start)) / float64(span) * float64(w-1))
		}
		i = max(0, min(i, w-1))
		cells[i] = m.Style.Render(m.Glyph)
	}
	return strings.Join(cells, "")
}
