//go:build linux

// Command peakrss runs a command and writes its peak resident set size in
// KiB and its user and system CPU time in microseconds to a file, on one
// line: peakrss FILE COMMAND [ARG...]. The command gets peakrss's standard
// streams, and peakrss exits with its exit code.
//
// Why a separate, small process: Go starts children with vfork, so a
// child's ru_maxrss starts from its parent's high-water mark at the exec.
// A benchmark process that has just built a large cache would report its
// own peak for every pace it starts; peakrss's own is a few MB, below any
// pace run's.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: peakrss FILE COMMAND [ARG...]")
		return 2
	}
	cmd := exec.Command(args[1], args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		return 127
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		fmt.Fprintln(os.Stderr, "peakrss: no resource usage for the command")
		return 127
	}
	line := fmt.Sprintf("%d %d %d\n", ru.Maxrss, ru.Utime.Nano()/1000, ru.Stime.Nano()/1000)
	if err := os.WriteFile(args[0], []byte(line), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, "peakrss:", err)
		return 127
	}
	return cmd.ProcessState.ExitCode()
}
