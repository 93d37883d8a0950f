package gitlab

import (
	"encoding/csv"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
)

// readSnapshot reads a DevLake snapshot table as maps by column.
func readSnapshot(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open("testdata/devlake/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no rows", name)
	}
	return out
}

// devlakeTime parses DevLake's "2019-08-20T03:24:27.000+00:00"; "" is zero.
func devlakeTime(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	v, err := time.Parse("2006-01-02T15:04:05.000-07:00", s)
	if err != nil {
		t.Fatalf("bad DevLake time %q: %v", s, err)
	}
	return v
}

func sameInstant(a, b time.Time) bool { return a.IsZero() == b.IsZero() && a.Equal(b) }

// activity lists a change's activity times of some kinds, sorted.
func activity(c domain.Change, kinds ...domain.ActivityKind) []time.Time {
	var out []time.Time
	for _, a := range c.Activity {
		for _, k := range kinds {
			if a.Kind == k {
				out = append(out, a.At)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func equalTimes(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}
