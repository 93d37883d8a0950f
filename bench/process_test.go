//go:build linux

package bench

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pace-dev/pace/store"
)

// scaleFlag sizes the organisation of BenchmarkOrg: 100 is the issue's
// large organisation (400 teams, ~150k changes and ~930k activities over
// 14 weeks); smaller values help when profiling a change quickly.
var scaleFlag = flag.Int("bench.scale", 100, "demo scale of BenchmarkOrg's cache")

// BenchmarkOrg measures pace on a cache holding the demo organisation at
// -bench.scale (default 100): the cache load and the snapshot's steps in
// process, `pace snapshot` as a whole process, and the dashboard's first
// frame as a whole process in a pseudo-terminal. The cache, the config and
// the binaries are built once, outside every timer.
func BenchmarkOrg(b *testing.B) {
	scale := *scaleFlag
	b.Run("scale="+strconv.Itoa(scale), func(b *testing.B) {
		dir := b.TempDir()
		start := time.Now()
		f, err := Build(context.Background(), dir, fixedNow, scale)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("fixture: %d rows in %d pages, built in %v", f.Rows, f.Pages, time.Since(start).Round(time.Millisecond))
		bins := buildBinaries(b, dir)
		b.Run("load", func(b *testing.B) { benchLoad(b, f) })
		b.Run("pipeline", func(b *testing.B) { benchPipeline(b, f) })
		b.Run("snapshot", func(b *testing.B) { benchSnapshot(b, f, bins) })
		b.Run("firstframe", func(b *testing.B) { benchFirstFrame(b, f, bins) })
	})
}

// binaries are the programs a process benchmark runs: pace, and peakrss
// to start it and report its peak RSS.
type binaries struct{ pace, peakrss string }

// buildBinaries builds pace and peakrss from this module into dir.
func buildBinaries(tb testing.TB, dir string) binaries {
	tb.Helper()
	bins := binaries{pace: filepath.Join(dir, "pace"), peakrss: filepath.Join(dir, "peakrss")}
	for bin, pkg := range map[string]string{bins.pace: "github.com/pace-dev/pace", bins.peakrss: "github.com/pace-dev/pace/bench/peakrss"} {
		cmd := exec.Command("go", "build", "-o", bin, pkg)
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	return bins
}

// command is pace with args, started through peakrss, which writes pace's
// peak RSS and CPU time to rssFile.
func (bins binaries) command(rssFile string, args ...string) *exec.Cmd {
	return exec.Command(bins.peakrss, append([]string{rssFile, bins.pace}, args...)...)
}

// usage is what peakrss reports of a finished process.
type usage struct {
	rssKiB int64         // peak resident set
	cpu    time.Duration // user and system CPU time
}

// readUsage reads the line peakrss wrote: peak RSS in KiB, user and
// system CPU time in microseconds.
func readUsage(file string) (usage, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return usage{}, err
	}
	f := strings.Fields(string(b))
	if len(f) != 3 {
		return usage{}, fmt.Errorf("peakrss wrote %q", b)
	}
	var n [3]int64
	for i := range n {
		if n[i], err = strconv.ParseInt(f[i], 10, 64); err != nil {
			return usage{}, fmt.Errorf("peakrss wrote %q", b)
		}
	}
	return usage{rssKiB: n[0], cpu: time.Duration(n[1]+n[2]) * time.Microsecond}, nil
}

// benchLoad measures store.Load of the fixture's cache: rows/s, CPU time
// and the peak heap while loading (the process's memory budget is mostly
// the loaded Dataset).
func benchLoad(b *testing.B, f *Fixture) {
	ctx := context.Background()
	st, err := store.Open(ctx, f.Cache)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	var peak uint64
	var wall, cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		base := heapNow()
		stop := samplePeak(&peak, base)
		b.StartTimer()
		t0, c0 := time.Now(), processCPU()
		ds, err := st.Load(ctx)
		if err != nil {
			b.Fatal(err)
		}
		wall += time.Since(t0)
		cpu += processCPU() - c0
		b.StopTimer()
		stop()
		if n := rows(ds); n != f.Rows {
			b.Fatalf("loaded %d rows, the fixture wrote %d", n, f.Rows)
		}
		runtime.KeepAlive(ds)
		b.StartTimer()
	}
	b.ReportMetric(float64(f.Rows)*float64(b.N)/wall.Seconds(), "rows/s")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// benchSnapshot runs `pace snapshot` on the fixture, its stdout a pipe as
// in a cron job or `| cat`, and reports the median wall time of a run and
// the largest peak RSS of any run.
func benchSnapshot(b *testing.B, f *Fixture, bins binaries) {
	var runs []usage
	var walls []time.Duration
	for b.Loop() {
		var out, errb bytes.Buffer
		rssFile := filepath.Join(b.TempDir(), "rss")
		cmd := bins.command(rssFile, "snapshot", "--config", f.Config, "--cache", f.Cache, "--now", f.Now.Format(time.RFC3339))
		cmd.Env = childEnv(f.Dir, "")
		cmd.Stdout, cmd.Stderr = &out, &errb
		t0 := time.Now()
		err := cmd.Run()
		walls = append(walls, time.Since(t0))
		if err != nil {
			b.Fatalf("pace snapshot: %v\n%s", err, errb.String())
		}
		if !strings.Contains(out.String(), f.Org) || !strings.Contains(out.String(), "Fraud ML") || strings.Contains(out.String(), "\x1b") {
			b.Fatalf("pace snapshot printed no plain report of %s:\n%.500s", f.Org, out.String())
		}
		u, err := readUsage(rssFile)
		if err != nil {
			b.Fatal(err)
		}
		runs = append(runs, u)
	}
	reportProcess(b, walls, runs)
}

// reportProcess reports a process benchmark: the median wall time (the
// shared machine's neighbours make the mean noisy), the fastest and the
// slowest, the
// median CPU time (what the process itself needed; less sensitive to the
// neighbours than wall time) and the largest peak RSS.
func reportProcess(b *testing.B, walls []time.Duration, runs []usage) {
	var cpus []time.Duration
	var rss int64
	for _, u := range runs {
		cpus = append(cpus, u.cpu)
		rss = max(rss, u.rssKiB)
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(median(walls)), "median-ms")
	b.ReportMetric(ms(slices.Min(walls)), "min-ms")
	b.ReportMetric(ms(slices.Max(walls)), "max-ms")
	b.ReportMetric(ms(median(cpus)), "cpu-ms")
	b.ReportMetric(float64(rss)/1024, "peak-rss-MB")
}

// childEnv is a clean environment for a pace process: a private home, no
// tokens (nothing may reach for the network), and term as the terminal.
func childEnv(home, term string) []string {
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + home, "XDG_CACHE_HOME=" + home, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}
	if term != "" {
		env = append(env, "TERM="+term)
	}
	return env
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapNow is the bytes of heap objects, live or not yet collected. It
// reads runtime/metrics, which unlike runtime.ReadMemStats does not stop
// the world: sampling every few milliseconds must not slow what it watches.
func heapNow() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// samplePeak records in *peak the largest heap above base, sampled every
// few milliseconds until the returned stop is called.
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
