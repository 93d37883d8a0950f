// Command pace is a terminal dashboard for people who lead AI/ML and software
// teams: iteration cycle times, research vs engineering allocation against the
// agreed split, and stale experiments, from GitHub and GitLab.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
