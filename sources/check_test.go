package sources

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheckAllKeepsOrder(t *testing.T) {
	var inFlight, most atomic.Int32
	got, err := CheckAll(context.Background(), 20, 3, func(_ context.Context, i int) (RepoAccess, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(time.Millisecond) // let the workers overlap
		return RepoAccess{Repo: fmt.Sprint(i), OK: i%2 == 0}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range got {
		if a.Repo != fmt.Sprint(i) || a.OK != (i%2 == 0) {
			t.Fatalf("entry %d: %+v", i, a)
		}
	}
	if m := most.Load(); m > 3 {
		t.Errorf("%d checks at once, want at most 3", m)
	}
	if !(CheckResult{Repos: got}).Failed() || (CheckResult{Repos: got[:1]}).Failed() {
		t.Error("Failed() disagrees with the entries")
	}
}

// A rejected token stops the check: its error comes back, not the
// cancellation it caused in the others, and no more items start.
func TestCheckAllStopsOnError(t *testing.T) {
	rejected := errors.New("401")
	var started atomic.Int32
	_, err := CheckAll(context.Background(), 50, 1, func(ctx context.Context, i int) (RepoAccess, error) {
		started.Add(1)
		if i == 2 {
			return RepoAccess{}, rejected
		}
		return RepoAccess{OK: true}, ctx.Err()
	})
	if !errors.Is(err, rejected) {
		t.Errorf("err %v, want the rejection", err)
	}
	if n := started.Load(); n != 3 {
		t.Errorf("%d items started, want 3", n)
	}
}

func TestCheckSleepIsBounded(t *testing.T) {
	var slept time.Duration
	sleep := CheckSleep(func(_ context.Context, d time.Duration) error { slept += d; return nil }, 30*time.Second)
	for _, d := range []time.Duration{10 * time.Second, 10 * time.Second, 10 * time.Second} {
		if err := sleep(context.Background(), d); err != nil {
			t.Fatalf("within the bound: %v", err)
		}
	}
	err := sleep(context.Background(), time.Second)
	if err == nil || !strings.Contains(err.Error(), "at most 30s") || slept != 30*time.Second {
		t.Errorf("past the bound: err %v, slept %s", err, slept)
	}
}
