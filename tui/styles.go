package tui

import (
	"io"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles is every style the dashboard uses, bound to one renderer so that
// NO_COLOR (an Ascii profile) strips all of them at once. Colours adapt to
// light and dark backgrounds.
type Styles struct {
	Title     lipgloss.Style // organisation name in the header
	Demo      lipgloss.Style // the DEMO badge
	Heading   lipgloss.Style // section headings and column headers
	Focus     lipgloss.Style // the focused column header
	Dim       lipgloss.Style // secondary text
	Selected  lipgloss.Style // the cursor row
	TabOn     lipgloss.Style
	TabOff    lipgloss.Style
	Good      lipgloss.Style // guardrail held, improvement
	Bad       lipgloss.Style // guardrail breached, regression, failure
	Warn      lipgloss.Style // stale, waiting long
	Research  lipgloss.Style // research share of a bar
	Engineer  lipgloss.Style // engineering share of a bar
	Target    lipgloss.Style // target marker
	Parts     [4]lipgloss.Style
	Spark     lipgloss.Style
	Status    lipgloss.Style
	StatusErr lipgloss.Style
	Input     lipgloss.Style
	Help      help.Styles
}

// newStyles binds the palette to r.
func newStyles(r *lipgloss.Renderer) Styles {
	c := func(light, dark string) lipgloss.AdaptiveColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	var (
		accent = c("#5A3FC0", "#A89BFF")
		dim    = c("#6B6B6B", "#8A8A8A")
		good   = c("#1B7F3B", "#5FD68A")
		bad    = c("#B3261E", "#FF7A70")
		warn   = c("#9A6700", "#E3B341")
		resC   = c("#8A4FD8", "#C59BFF")
		engC   = c("#2F6FB0", "#6CB6FF")
	)
	s := r.NewStyle
	keyStyle := s().Foreground(accent)
	descStyle := s().Foreground(dim)
	return Styles{
		Title:     s().Bold(true).Foreground(accent),
		Demo:      s().Bold(true).Foreground(warn),
		Heading:   s().Bold(true),
		Focus:     s().Bold(true).Underline(true).Foreground(accent),
		Dim:       s().Foreground(dim),
		Selected:  s().Bold(true).Foreground(accent),
		TabOn:     s().Bold(true).Foreground(accent),
		TabOff:    s().Foreground(dim),
		Good:      s().Foreground(good),
		Bad:       s().Foreground(bad),
		Warn:      s().Foreground(warn),
		Research:  s().Foreground(resC),
		Engineer:  s().Foreground(engC),
		Target:    s().Bold(true),
		Parts:     [4]lipgloss.Style{s().Foreground(resC), s().Foreground(warn), s().Foreground(engC), s().Foreground(good)},
		Spark:     s().Foreground(accent),
		Status:    s().Foreground(dim),
		StatusErr: s().Foreground(bad),
		Input:     s().Foreground(accent),
		Help: help.Styles{
			Ellipsis:       descStyle,
			ShortKey:       keyStyle,
			ShortDesc:      descStyle,
			ShortSeparator: descStyle,
			FullKey:        keyStyle,
			FullDesc:       descStyle,
			FullSeparator:  descStyle,
		},
	}
}

// newRenderer returns the renderer the styles are bound to. Colourless
// output uses an Ascii profile on a discarded writer so nothing ever queries
// the terminal; otherwise the background is resolved now, before the program
// owns standard input, because a query from inside View would race with
// bubbletea's input reader.
func newRenderer(opts Options) *lipgloss.Renderer {
	if opts.NoColor {
		r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
		r.SetColorProfile(termenv.Ascii)
		r.SetHasDarkBackground(true)
		return r
	}
	r := opts.Renderer
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	r.HasDarkBackground()
	return r
}
