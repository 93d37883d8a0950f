//go:build linux

package bench

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestPeakRSSIsTheChilds checks that peakrss reports the command's own
// peak, not its parent's: from a test process holding a 256 MB ballast, a
// shell that builds a 64 MB string must report between 64 MB and the
// ballast, and a shell that does nothing only a few MB.
func TestPeakRSSIsTheChilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a helper binary")
	}
	dir := t.TempDir()
	bins := binaries{peakrss: filepath.Join(dir, "peakrss")}
	if out, err := exec.Command("go", "build", "-o", bins.peakrss, "github.com/pace-dev/pace/bench/peakrss").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ballast := make([]byte, 256<<20)
	for i := range ballast {
		ballast[i] = byte(i)
	}
	measure := func(script string) int64 {
		t.Helper()
		file := filepath.Join(dir, "rss")
		if out, err := exec.Command(bins.peakrss, file, "sh", "-c", script).CombinedOutput(); err != nil {
			t.Fatalf("peakrss sh -c %q: %v\n%s", script, err, out)
		}
		u, err := readUsage(file)
		if err != nil {
			t.Fatal(err)
		}
		return u.rssKiB
	}
	idle := measure("true")
	busy := measure(`x=$(head -c 67108864 /dev/zero | tr '\0' a); test ${#x} -eq 67108864`)
	runtime.KeepAlive(ballast)
	t.Logf("peak RSS: idle shell %d KiB, shell holding 64 MB %d KiB", idle, busy)
	if idle > 32<<10 {
		t.Errorf("an idle shell peaks at %d KiB: the parent's memory leaks into the figure", idle)
	}
	if busy < 64<<10 || busy > 256<<10 {
		t.Errorf("a shell holding 64 MB peaks at %d KiB", busy)
	}
}
