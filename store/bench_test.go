package store

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// Scale 100 of the brief: 150k changes with six activities each, 30k
// deployments and 100k runs (about 1.28 million rows).
const (
	benchChanges     = 150_000
	benchDeployments = 30_000
	benchRuns        = 100_000
)

// rowsOf counts the table rows a dataset came from.
func rowsOf(ds *domain.Dataset) int {
	n := len(ds.Changes) + len(ds.Deployments) + len(ds.Runs)
	for i := range ds.Changes {
		n += len(ds.Changes[i].Activity)
	}
	return n
}

// BenchmarkCommit measures committing pages of 100 changes (with their
// activities and the cursor) to a growing cache.
func BenchmarkCommit(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "pace.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	g := newSynth(1)
	const perPage = 100
	rows := 0
	pageNo := 0
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		p := sources.Page{Key: sources.Key{Source: domain.GitHub, Repo: g.repos[pageNo%len(g.repos)], Stream: sources.Changes}}
		for i := range perPage {
			c := g.change(p.Key.Repo, pageNo*perPage+i+1)
			rows += 1 + len(c.Activity)
			p.Changes = append(p.Changes, c)
		}
		p.Cursor.Since = g.base.Add(time.Duration(pageNo) * time.Minute)
		pageNo++
		b.StartTimer()
		start := time.Now()
		if err := s.Commit(ctx, p); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
	}
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
}

// BenchmarkLoad measures loading a scale-100 cache: wall and CPU time,
// rows/s, bytes allocated (B/op), the peak heap while loading and the heap
// the Dataset keeps once loaded (both from runtime.ReadMemStats).
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	s := buildCache(b, benchChanges, benchDeployments, benchRuns)
	defer s.Close()
	var rows int
	var elapsed, cpu time.Duration
	var peak, kept uint64
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		runtime.GC() // the previous iteration's Dataset must not count as this one's peak
		base := heapNow()
		stop := samplePeak(&peak, base)
		b.StartTimer()
		start, startCPU := time.Now(), processCPU()
		ds, err := s.Load(ctx)
		if err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		cpu += processCPU() - startCPU
		b.StopTimer()
		stop()
		runtime.GC()
		kept = max(kept, heapNow()-base)
		rows += rowsOf(ds)
		runtime.KeepAlive(ds)
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
	// CPU time includes the garbage collector's share of the load.
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(kept)/(1<<20), "kept-heap-MB")
}

// heapNow is the bytes of live and not yet collected heap objects.
func heapNow() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// samplePeak records in *peak the largest heap above base seen every few
// milliseconds until the returned stop is called. ReadMemStats stops the
// world for microseconds; at this rate it costs the load well under 1 %.
func samplePeak(peak *uint64, base uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			if h := heapNow(); h > base {
				*peak = max(*peak, h-base)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// buildCache fills a fresh cache with synthetic data through Commit.
func buildCache(tb testing.TB, changes, deployments, runs int) *Store {
	tb.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(tb.TempDir(), "pace.db"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range newSynth(42).pages(changes, deployments, runs, 1000) {
		if err := s.Commit(ctx, p); err != nil {
			tb.Fatal(err)
		}
	}
	return s
}

// BenchmarkCommitLinks measures committing pages of 100 deploy links to a
// cache of 20k changes, each link shipping one of them (the indexed
// update that copies it onto the change included).
func BenchmarkCommitLinks(b *testing.B) {
	ctx := context.Background()
	s := buildCache(b, 20_000, 0, 0)
	defer s.Close()
	ds, err := s.Load(ctx)
	if err != nil {
		b.Fatal(err)
	}
	const perPage = 100
	links, pageNo := 0, 0
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		p := sources.Page{Key: sources.Key{Source: domain.GitHub, Repo: "acme/repo-000", Stream: sources.Deployments}}
		for i := range perPage {
			c := &ds.Changes[(pageNo*perPage+i)%len(ds.Changes)]
			p.Links = append(p.Links, sources.DeployLink{Source: c.Source, Repo: c.Repo, SHA: c.MergeSHA,
				DeploymentID: fmt.Sprint(pageNo), DeployedAt: c.OpenedAt.Add(200*time.Hour - time.Duration(pageNo)*time.Second)})
		}
		pageNo++
		b.StartTimer()
		start := time.Now()
		if err := s.Commit(ctx, p); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		links += perPage
	}
	b.ReportMetric(float64(links)/elapsed.Seconds(), "links/s")
}
