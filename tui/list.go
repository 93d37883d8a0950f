package tui

import "strings"

// list is the cursor, scroll offset and filter of one scrollable list. It
// holds indices into the screen's own item slice, so filtering never copies
// items and View only walks the visible rows.
type list struct {
	cursor int // position in idx
	offset int // first visible position in idx
	height int // visible rows, pushed down by SetSize
	filter string
	idx    []int // items that pass the filter, in order
	total  int   // items before filtering
}

// setItems rebuilds the filtered view over n items, keeping the cursor on
// the same position when it still exists. text gives an item's searchable
// text; it is only called when a filter is set.
func (l *list) setItems(n int, text func(i int) string) {
	l.total = n
	l.idx = l.idx[:0]
	q := strings.ToLower(strings.TrimSpace(l.filter))
	for i := range n {
		if q == "" || strings.Contains(strings.ToLower(text(i)), q) {
			l.idx = append(l.idx, i)
		}
	}
	l.clamp()
}

// setHeight sets how many rows are visible.
func (l *list) setHeight(h int) {
	l.height = max(h, 1)
	l.clamp()
}

// move moves the cursor by d rows.
func (l *list) move(d int) {
	l.cursor += d
	l.clamp()
}

// top and bottom jump to the ends.
func (l *list) top()    { l.cursor = 0; l.clamp() }
func (l *list) bottom() { l.cursor = len(l.idx) - 1; l.clamp() }

// clamp keeps cursor in range and visible.
func (l *list) clamp() {
	if l.height < 1 {
		l.height = 1
	}
	l.cursor = max(0, min(l.cursor, len(l.idx)-1))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = max(0, min(l.offset, len(l.idx)-l.height))
}

// selected is the item under the cursor.
func (l *list) selected() (int, bool) {
	if l.cursor < 0 || l.cursor >= len(l.idx) {
		return 0, false
	}
	return l.idx[l.cursor], true
}

// visible returns the positions [from, to) of idx on screen.
func (l *list) visible() (from, to int) {
	return l.offset, min(len(l.idx), l.offset+l.height)
}

// scrollNote says where the visible rows sit, e.g. "12-30 of 84", or ""
// when everything fits.
func (l *list) scrollNote() string {
	from, to := l.visible()
	if from == 0 && to == len(l.idx) && l.filter == "" {
		return ""
	}
	s := itoa(from+1) + "-" + itoa(to) + " of " + itoa(len(l.idx))
	if to == 0 {
		s = "0 of " + itoa(len(l.idx))
	}
	if l.filter != "" {
		s += " (filter: " + l.filter + ", " + itoa(l.total) + " in all)"
	}
	return s
}
