package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/pace-dev/pace/demo"
	"github.com/pace-dev/pace/domain"
)

// demoBackend serves the demo organisation at a fixed now, as `pace --demo`
// does; every Load generates it afresh.
type demoBackend struct {
	now   time.Time
	scale int
}

func (b demoBackend) Load(context.Context) (*domain.Dataset, error) {
	ds, _ := demo.Generate(b.now, b.scale)
	return ds, nil
}

func (demoBackend) Sync(context.Context, func(SyncEvent)) error { return nil }

// newDemoModel is a colourless dashboard on the demo at fixedNow.
func newDemoModel(t testing.TB, w, h int) *Model {
	t.Helper()
	_, s := demo.Generate(fixedNow, 1)
	m := newTestModel(demoBackend{now: fixedNow, scale: 1}, s, w, h)
	m.opts.Demo = true
	start(t, m)
	return m
}

// goldenScreens are the keys that lead from the first frame to each screen.
var goldenScreens = []struct {
	name string
	keys []string
}{
	{"overview", nil},
	{"overview_focus_allocation", []string{"right", "right", "right", "right", "right"}},
	{"team_cycle", []string{"enter"}},
	{"team_deploys", []string{"enter", "2"}},
	{"team_experiments", []string{"enter", "3"}},
	{"team_allocation", []string{"enter", "4"}},
	{"team_waiting", []string{"enter", "5"}},
	{"platform_deploys", []string{"down", "enter", "tab"}},
	{"change_detail", []string{"enter", "enter"}},
	{"waiting_change_detail", []string{"enter", "5", "enter"}},
	{"experiment_detail", []string{"enter", "3", "enter"}},
	{"stale", []string{"s"}},
	{"stale_experiment_detail", []string{"s", "enter"}},
	{"help_overview", []string{"?"}},
	{"help_experiments", []string{"enter", "3", "?"}},
	{"filter_typing", []string{"enter", "/", "f", "i", "x"}},
	{"filter_kept", []string{"enter", "/", "f", "i", "x", "enter"}},
	{"window_30d", []string{"w"}},
	{"org_total", []string{"G", "enter"}},
}

func TestGoldenScreens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		w, h := size[0], size[1]
		for _, sc := range goldenScreens {
			t.Run(sc.name+"_"+itoa(w)+"x"+itoa(h), func(t *testing.T) {
				m := newDemoModel(t, w, h)
				press(m, sc.keys...)
				frame := checkFrame(t, m.View(), w, h)
				if n := strings.Count(frame, "\n") + 1; n != h {
					t.Errorf("frame has %d lines, want the full %d", n, h)
				}
				golden.RequireEqual(t, []byte(frame))
			})
		}
	}
}
