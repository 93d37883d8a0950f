package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
)

// Exit codes of SPEC §2.
const (
	exitOK      = 0
	exitBreach  = 1 // guardrail breached (--check) or partial sync failure
	exitUsage   = 2 // usage or config error
	exitFailure = 1 // anything else that went wrong at run time
)

// exitError carries the process exit code up to run.
type exitError struct {
	code int
	err  error // nil: nothing to print (the command already said it)
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErr marks err as a usage or configuration error (exit 2).
func usageErr(err error) error { return &exitError{code: exitUsage, err: err} }

// usagef is usageErr with formatting.
func usagef(format string, a ...any) error { return usageErr(fmt.Errorf(format, a...)) }

// app is what every command needs from the process: streams, environment
// and the clock. It is built once in run and passed down; nothing is global.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	clock  func() time.Time
	// httpClient is the client sources use; nil means their defaults.
	httpClient *http.Client
	// sleep is how sources wait (backoff, rate-limit pauses); nil means a
	// real timer. Tests make it instant.
	sleep func(ctx context.Context, d time.Duration) error

	// global flags
	configPath string
	cachePath  string
	noColor    bool
	nowFlag    string
	demo       bool
}

// run is the whole program: main only turns its result into an exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, clock: time.Now}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "pace:", ee.err)
		}
		return ee.code
	}
	// cobra's own errors (unknown command, bad flag value) are usage errors.
	fmt.Fprintln(stderr, "pace:", err)
	fmt.Fprintln(stderr, "Run 'pace --help' for usage.")
	return exitUsage
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "pace",
		Short: "Iteration speed, research/engineering split and stale experiments of your teams",
		Long: `pace shows, for each team, how fast it goes from a first commit or a hypothesis to
something merged, deployed and validated; how its work splits between research and
engineering against the split it agreed; and which experiments have gone stale.

With no command it opens the interactive dashboard.`,
		Example: `  pace --demo                      # the dashboard on the built-in demo organisation
  pace snapshot --demo | cat       # a standup summary as plain text
  pace snapshot --format json      # the same as JSON (schema pace.snapshot/v1)`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runDashboard(cmd.Context())
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	pf := root.PersistentFlags()
	pf.StringVar(&a.configPath, "config", "", "config file (default $PACE_CONFIG, else $XDG_CONFIG_HOME/pace/config.yaml)")
	pf.StringVar(&a.cachePath, "cache", "", "cache file (default $XDG_CACHE_HOME/pace/pace.db)")
	pf.BoolVar(&a.noColor, "no-color", false, "never use colour (also: NO_COLOR=1)")
	pf.StringVar(&a.nowFlag, "now", "", "pretend the time is this RFC3339 instant (for tests and reproducible reports)")
	_ = pf.MarkHidden("now")
	root.Flags().BoolVar(&a.demo, "demo", false, "use the built-in demo organisation (no network, no token)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr(err) })

	root.AddCommand(a.snapshotCmd(), a.syncCmd(), a.configCmd(), a.versionCmd())
	return root
}

// now returns the --now instant when given, else the clock.
func (a *app) now() (time.Time, error) {
	if a.nowFlag == "" {
		return a.clock().UTC(), nil
	}
	t, err := time.Parse(time.RFC3339, a.nowFlag)
	if err != nil {
		return time.Time{}, usagef("--now %q: want an RFC3339 time such as 2026-11-26T09:00:00Z", a.nowFlag)
	}
	return t.UTC(), nil
}

// colour reports whether output to w may use ANSI colour: a terminal, no
// NO_COLOR, no --no-color.
func (a *app) colour(w io.Writer) bool {
	if a.noColor || a.getenv("NO_COLOR") != "" {
		return false
	}
	return isTerminal(w)
}

// isTerminal reports whether w is a character device (a TTY).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}
