//go:build linux

package bench

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// frameTimeout bounds one wait for the dashboard; far above any budget, it
// only keeps a broken binary from hanging the run.
const frameTimeout = 60 * time.Second

// Terminal queries the dashboard may send at start (termenv asks for the
// background colour, then for the cursor position so that a terminal
// ignoring the first still answers something), and what a dark xterm
// answers. Without the answers termenv waits 5 s for them.
var terminalReplies = []struct{ query, reply []byte }{
	{[]byte("\x1b]11;?"), []byte("\x1b]11;rgb:0000/0000/0000\x1b\\")},
	{[]byte("\x1b[6n"), []byte("\x1b[1;1R")},
}

// escapes matches ANSI CSI and OSC sequences, removed before looking for
// the overview's text.
var escapes = regexp.MustCompile(`\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>]`)

// benchFirstFrame starts the dashboard on the fixture in an 80x24
// pseudo-terminal, as a leader's terminal would, and measures from exec to
// the first output that shows the overview's team rows; then it presses q
// and waits for the process to end.
func benchFirstFrame(b *testing.B, f *Fixture, bins binaries) {
	var walls []time.Duration
	var runs []usage
	for b.Loop() {
		rssFile := filepath.Join(b.TempDir(), "rss")
		d, err := firstFrame(f, bins.command(rssFile, "--config", f.Config, "--cache", f.Cache, "--now", f.Now.Format(time.RFC3339)))
		if err != nil {
			b.Fatal(err)
		}
		u, err := readUsage(rssFile)
		if err != nil {
			b.Fatal(err)
		}
		walls = append(walls, d)
		runs = append(runs, u)
	}
	reportProcess(b, walls, runs)
}

// firstFrame runs the dashboard command once and returns the time to its
// first overview frame. The command runs in its own session (the pty's),
// so a kill of its process group ends pace behind peakrss too.
func firstFrame(f *Fixture, cmd *exec.Cmd) (time.Duration, error) {
	cmd.Env = childEnv(f.Dir, "xterm-256color")
	t0 := time.Now()
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		return 0, err
	}
	defer tty.Close()
	seen := make(chan time.Duration, 1)
	out := make(chan []byte, 1)
	go func() { out <- watch(tty, []byte("Fraud ML"), t0, seen) }()

	var d time.Duration
	select {
	case d = <-seen:
	case <-time.After(frameTimeout):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Wait()
		return 0, errors.New("no overview within " + frameTimeout.String() + "; the terminal showed:\n" + tail(<-out))
	}
	if _, err := tty.Write([]byte("q")); err != nil {
		return 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return 0, errors.New("dashboard: " + err.Error() + "\n" + tail(<-out))
		}
	case <-time.After(frameTimeout):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return 0, errors.New("q did not quit the dashboard")
	}
	return d, nil
}

// watch reads the terminal until it closes, answering the terminal queries
// and sending on seen the time from t0 at which marker first appeared in
// the text (escape sequences removed). It returns everything read.
func watch(tty *os.File, marker []byte, t0 time.Time, seen chan<- time.Duration) []byte {
	var all []byte
	buf := make([]byte, 64<<10)
	found := false
	answered := make([]int, len(terminalReplies)) // how many of each query were answered
	for {
		n, err := tty.Read(buf)
		if n > 0 {
			all = append(all, buf[:n]...)
			for i, q := range terminalReplies {
				for c := bytes.Count(all, q.query); answered[i] < c; answered[i]++ {
					_, _ = tty.Write(q.reply)
				}
			}
			if !found && bytes.Contains(escapes.ReplaceAll(all, nil), marker) {
				found = true
				seen <- time.Since(t0)
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrClosed) {
				all = append(all, "\n[read: "+err.Error()+"]"...)
			}
			return all
		}
	}
}

// tail is the end of a terminal transcript, escapes removed, for errors.
func tail(b []byte) string {
	b = escapes.ReplaceAll(b, nil)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// TestEscapesLeaveTheText checks the marker search sees through styling:
// colours, cursor moves and an OSC title around and inside the words.
func TestEscapesLeaveTheText(t *testing.T) {
	in := []byte("\x1b[?1049h\x1b]2;pace\x07\x1b[1;1H\x1b[38;5;12mFraud\x1b[0m ML\x1b[K \x1b]11;rgb:0000/0000/0000\x1b\\2.6d")
	if got, want := string(escapes.ReplaceAll(in, nil)), "Fraud ML 2.6d"; got != want {
		t.Errorf("stripped %q, want %q", got, want)
	}
}
