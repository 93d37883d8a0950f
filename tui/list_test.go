package tui

import (
	"strings"
	"testing"
)

func TestListFilterAndScroll(t *testing.T) {
	items := []string{"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}
	text := func(i int) string { return items[i] }
	var l list
	l.setHeight(3)
	l.setItems(len(items), text)
	if from, to := l.visible(); from != 0 || to != 3 {
		t.Fatalf("visible %d-%d, want 0-3", from, to)
	}
	l.move(4)
	if i, _ := l.selected(); items[i] != "epsilon" {
		t.Fatalf("cursor on %q, want epsilon", items[i])
	}
	if from, to := l.visible(); from != 2 || to != 5 {
		t.Fatalf("after moving down, visible %d-%d, want 2-5 (cursor kept on screen)", from, to)
	}
	l.move(100)
	if i, _ := l.selected(); items[i] != "theta" {
		t.Fatalf("cursor past the end on %q, want the last item", items[i])
	}
	l.move(-100)
	if l.cursor != 0 || l.offset != 0 {
		t.Fatalf("cursor %d offset %d after moving past the start", l.cursor, l.offset)
	}

	l.filter = "ETA" // case-insensitive
	l.setItems(len(items), text)
	var got []string
	for _, i := range l.idx {
		got = append(got, items[i])
	}
	if strings.Join(got, ",") != "beta,zeta,eta,theta" {
		t.Fatalf("filter ETA kept %v", got)
	}
	if !strings.Contains(l.scrollNote(), "of 4") || !strings.Contains(l.scrollNote(), "8 in all") {
		t.Errorf("scroll note %q does not say 4 of 8", l.scrollNote())
	}
	l.filter = "nothing"
	l.setItems(len(items), text)
	if _, ok := l.selected(); ok {
		t.Fatal("an empty filtered list has a selection")
	}
	l.move(1) // must not panic or go negative
	if l.cursor != 0 {
		t.Fatalf("cursor %d on an empty list", l.cursor)
	}
}
