package syncx

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// limWorld is a Limiter on a test clock that sleeps by moving the clock,
// with its reports kept and a hook run on every sleep.
type limWorld struct {
	now     time.Time
	slept   time.Duration
	reports []sources.Progress
	onSleep func()
	lim     *Limiter
}

func newLimWorld(concurrency int) *limWorld {
	w := &limWorld{now: t0}
	w.lim = NewLimiter(LimiterConfig{
		Source: domain.GitHub, Concurrency: concurrency,
		Now: func() time.Time { return w.now },
		Sleep: func(ctx context.Context, d time.Duration) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			w.now, w.slept = w.now.Add(d), w.slept+d
			if w.onSleep != nil {
				w.onSleep()
			}
			return nil
		},
		Report:  func(_ context.Context, p sources.Progress) { w.reports = append(w.reports, p) },
		Pausing: func(b Budget) string { return "pausing " + b.Resource + "/" + b.Name },
		Resumed: func(res string) string { return "resumed " + res },
	})
	return w
}

func TestLimiterUnknownBudgetNeverPauses(t *testing.T) {
	w := newLimWorld(4)
	if r, l := w.lim.Snapshot("core"); r != -1 || l != -1 {
		t.Errorf("snapshot of an unknown budget = %d, %d", r, l)
	}
	if err := w.lim.Before(context.Background(), "core"); err != nil || w.slept != 0 || len(w.reports) != 0 {
		t.Errorf("err %v, slept %v, %d reports", err, w.slept, len(w.reports))
	}
}

// The reserve is 2 % of the limit, but at least two requests per worker.
func TestLimiterPausesAtTheReserve(t *testing.T) {
	cases := []struct {
		limit, remaining, concurrency int
		pause                         bool
	}{
		{5000, 100, 4, true},
		{5000, 101, 4, false},
		{100, 8, 4, true},
		{100, 9, 4, false},
		{100, 2, 1, true},
		{100, 3, 1, false},
	}
	for _, tc := range cases {
		w := newLimWorld(tc.concurrency)
		w.lim.Update(Budget{Resource: "core", Limit: tc.limit, Remaining: tc.remaining, Reset: t0.Add(time.Minute)})
		if err := w.lim.Before(context.Background(), "core"); err != nil {
			t.Fatal(err)
		}
		if paused := w.slept > 0; paused != tc.pause {
			t.Errorf("%+v: paused %v (slept %v)", tc, paused, w.slept)
		}
	}
}

// A pause lasts until a second after the reset, counts down every ten
// seconds at most, says it is over, and then leaves the budget refilled so that
// other workers do not pause on stale numbers.
func TestLimiterCountdown(t *testing.T) {
	w := newLimWorld(2)
	reset := t0.Add(35 * time.Second)
	w.lim.Update(Budget{Resource: "graphql", Name: "x", Limit: 5000, Remaining: 3, Reset: reset})
	w.lim.Update(Budget{Resource: "graphql", Limit: 5000, Remaining: 2, Reset: reset})
	if err := w.lim.Before(context.Background(), "graphql"); err != nil {
		t.Fatal(err)
	}
	if want := reset.Add(time.Second); !w.now.Equal(want) {
		t.Errorf("resumed at %v, want %v", w.now, want)
	}
	if len(w.reports) != 5 {
		t.Fatalf("%d reports, want 4 countdown steps and the end: %+v", len(w.reports), w.reports)
	}
	for i, p := range w.reports[:4] {
		if !p.WaitUntil.Equal(reset.Add(time.Second)) || p.Remaining != 2 || p.Limit != 5000 || p.Source != domain.GitHub ||
			!strings.HasPrefix(p.Message, "pausing graphql/x (resuming in ") {
			t.Errorf("report %d: %+v", i, p)
		}
	}
	if !strings.HasSuffix(w.reports[0].Message, "(resuming in 36s)") || !strings.HasSuffix(w.reports[3].Message, "(resuming in 6s)") {
		t.Errorf("countdown %q ... %q", w.reports[0].Message, w.reports[3].Message)
	}
	end := w.reports[4]
	// The end is reported with the last numbers the API gave; the refill
	// that follows is only pace's guess.
	if !end.WaitUntil.IsZero() || end.Message != "resumed graphql" || end.Remaining != 2 {
		t.Errorf("end report %+v", end)
	}
	if r, l := w.lim.Snapshot("graphql"); r != 5000 || l != 5000 {
		t.Errorf("after the pause %d of %d", r, l)
	}
}

// An answer during the pause that names a later reset is the truth: the
// end of the pause does not refill over it.
func TestLimiterKeepsNewerBudget(t *testing.T) {
	w := newLimWorld(1)
	w.lim.Update(Budget{Resource: "core", Limit: 60, Remaining: 0, Reset: t0.Add(20 * time.Second)})
	w.onSleep = func() {
		w.lim.Update(Budget{Resource: "core", Limit: 60, Remaining: 1, Reset: t0.Add(time.Hour)})
	}
	if err := w.lim.Pause(context.Background(), "core", t0.Add(20*time.Second), "secondary"); err != nil {
		t.Fatal(err)
	}
	if r, _ := w.lim.Snapshot("core"); r != 1 {
		t.Errorf("remaining %d after the pause, want the newer answer's 1", r)
	}
	if !strings.HasPrefix(w.reports[0].Message, "secondary (resuming in 20s)") {
		t.Errorf("first report %q", w.reports[0].Message)
	}
}

func TestLimiterCancelStopsPause(t *testing.T) {
	w := newLimWorld(1)
	w.lim.Update(Budget{Resource: "core", Limit: 60, Remaining: 0, Reset: t0.Add(time.Hour)})
	ctx, cancel := context.WithCancel(context.Background())
	w.onSleep = cancel
	err := w.lim.Before(ctx, "core")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if r, _ := w.lim.Snapshot("core"); r != 0 {
		t.Errorf("a cut-short pause refilled the budget to %d", r)
	}
}
