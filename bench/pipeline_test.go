//go:build linux

package bench

import (
	"context"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/pace-dev/pace/config"
	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/report"
	"github.com/pace-dev/pace/store"
)

// benchPipeline runs what `pace snapshot` does, in process, and reports
// each step's share of the time: reading the config, opening the cache,
// loading it, computing the metrics (Prepare included, as on a fresh
// load) and writing the text report. It is where a profile of a slow
// snapshot starts (-cpuprofile, -memprofile).
func benchPipeline(b *testing.B, f *Fixture) {
	ctx := context.Background()
	var cfgT, openT, loadT, computeT, writeT time.Duration
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		base := heapNow()
		stop := samplePeak(&peak, base)
		b.StartTimer()
		t0 := time.Now()
		cfg, err := config.Load(f.Config)
		if err != nil {
			b.Fatal(err)
		}
		s := cfg.Settings()
		t1 := time.Now()
		st, err := store.Open(ctx, f.Cache)
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		ds, err := st.Load(ctx)
		if err != nil {
			b.Fatal(err)
		}
		st.Close()
		t3 := time.Now()
		rep := domain.Compute(ds, s, f.Now)
		t4 := time.Now()
		if err := report.Write(io.Discard, rep, ds, report.Options{Format: report.FormatText}); err != nil {
			b.Fatal(err)
		}
		t5 := time.Now()
		b.StopTimer()
		stop()
		b.StartTimer()
		cfgT += t1.Sub(t0)
		openT += t2.Sub(t1)
		loadT += t3.Sub(t2)
		computeT += t4.Sub(t3)
		writeT += t5.Sub(t4)
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(b.N) }
	b.ReportMetric(ms(cfgT), "config-ms")
	b.ReportMetric(ms(openT), "open-ms")
	b.ReportMetric(ms(loadT), "load-ms")
	b.ReportMetric(ms(computeT), "compute-ms")
	b.ReportMetric(ms(writeT), "write-ms")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
