package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap is the dashboard's one keymap (SPEC §6). The footer shows
// ShortHelp for the current screen; the help screen shows FullHelp.
type keyMap struct {
	Up, Down, Left, Right key.Binding
	PageUp, PageDown      key.Binding
	Top, Bottom           key.Binding
	Enter, Back           key.Binding
	NextTab, PrevTab      key.Binding
	Tabs                  key.Binding // 1-5 jump to a team tab
	Window                key.Binding
	Filter                key.Binding
	Sync                  key.Binding
	Open                  key.Binding
	Stale                 key.Binding
	Errors                key.Binding
	Help                  key.Binding
	Quit                  key.Binding

	// screen selects which keys ShortHelp offers; set by forScreen.
	screen screenID
}

// newKeyMap returns the bindings of SPEC §6 plus paging and the errors view.
func newKeyMap() keyMap {
	return keyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous metric/tab")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next metric/tab")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", " "), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "first")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "last")),
		Enter:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:     key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp("esc", "back")),
		NextTab:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
		PrevTab:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab")),
		Tabs:     key.NewBinding(key.WithKeys("1", "2", "3", "4", "5"), key.WithHelp("1-5", "go to tab")),
		Window:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "window 7/14/30/90d")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Sync:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "sync now")),
		Open:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in browser")),
		Stale:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "stale experiments")),
		Errors:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "sync errors")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// forScreen returns the keymap with the footer tuned to screen s.
func (k keyMap) forScreen(s screenID) keyMap {
	k.screen = s
	return k
}

// ShortHelp is the footer: the keys that matter on the current screen first.
func (k keyMap) ShortHelp() []key.Binding {
	switch k.screen {
	case screenOverview:
		return []key.Binding{k.withHelp(k.Enter, "team"), k.withHelp(k.Left, "metric"), k.Window, k.Filter, k.Stale, k.Sync, k.Help, k.Quit}
	case screenTeam:
		return []key.Binding{k.withHelp(k.NextTab, "next tab"), k.Enter, k.Back, k.Window, k.Filter, k.Open, k.Help, k.Quit}
	case screenChange, screenExperiment:
		return []key.Binding{k.Back, k.Open, k.Stale, k.Help, k.Quit}
	case screenStale:
		return []key.Binding{k.Enter, k.Back, k.Filter, k.Open, k.Help, k.Quit}
	default:
		return []key.Binding{k.Back, k.Help, k.Quit}
	}
}

// withHelp relabels a binding for the footer, where space is short.
func (k keyMap) withHelp(b key.Binding, desc string) key.Binding {
	keys := b.Help().Key
	if b.Help().Key == "←/h" {
		keys = "←→"
	}
	b.SetHelp(keys, desc)
	return b
}

// FullHelp is every key, in columns, for the help screen.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Enter, k.Back, k.NextTab, k.PrevTab, k.Tabs, k.Stale, k.Errors},
		{k.Window, k.Filter, k.Sync, k.Open, k.Help, k.Quit},
	}
}
