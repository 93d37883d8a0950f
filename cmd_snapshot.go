package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pace-dev/pace/config"
	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/report"
)

type snapshotFlags struct {
	teams  []string
	window string
	format string
	check  bool
	demo   bool
}

func (a *app) snapshotCmd() *cobra.Command {
	var f snapshotFlags
	cmd := &cobra.Command{
		Use:   "snapshot",
		Short: "Print every team's metrics to stdout (text, markdown, json or csv)",
		Long: `snapshot prints each team's cycle time and its parts, deployments, lead time,
experiments (stale ones and fast failures by name), allocation against target and
guardrail breaches, for the window ending now and compared with the one before it.

On a terminal it uses colour and relative times; on a pipe it prints plain,
tab-aligned text with RFC3339 times and no ANSI codes. --format json prints the
versioned schema pace.snapshot/v1 (see README); --format csv prints one row per
change with every timestamp and part.`,
		Example: `  pace snapshot --demo | cat
  pace snapshot --team "Fraud ML" --window 30d --format markdown
  pace snapshot --format json > standup.json
  pace snapshot --check || echo "a guardrail is breached"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runSnapshot(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.teams, "team", nil, "only this team (repeatable)")
	fl.StringVar(&f.window, "window", "", "length of the current period, e.g. 7d, 14d, 30d (default: the config's window)")
	fl.StringVar(&f.format, "format", "text", "output format: "+strings.Join(report.Formats(), ", "))
	fl.BoolVar(&f.check, "check", false, "exit 1 when a guardrail is breached (for cron and CI)")
	fl.BoolVar(&f.demo, "demo", false, "use the built-in demo organisation (no network, no token)")
	return cmd
}

func (a *app) runSnapshot(cmd *cobra.Command, f snapshotFlags) error {
	if !slices.Contains(report.Formats(), f.format) {
		return usagef("--format %q: use one of %s", f.format, strings.Join(report.Formats(), ", "))
	}
	ws, err := a.loadWorkspace(cmd.Context(), f.demo, true)
	if err != nil {
		return err
	}
	if f.window != "" {
		d, err := config.ParseDuration(f.window)
		if err != nil || d <= 0 {
			return usagef("--window %q: want a positive length such as 7d, 14d, 30d or 90d", f.window)
		}
		ws.settings.Window = d
	}
	ds, err := ws.dataset(cmd.Context())
	if err != nil {
		return err
	}
	rep := domain.Compute(ds, ws.settings, ws.now)
	if err := report.CheckTeams(rep, f.teams); err != nil {
		return usageErr(err)
	}
	out := cmd.OutOrStdout()
	opts := report.Options{Format: f.format, Color: a.colour(out), TTY: isTerminal(out), Teams: f.teams}
	if err := report.Write(out, rep, ds, opts); err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	if f.check && breached(rep, f.teams) {
		return &exitError{code: exitBreach}
	}
	return nil
}

// breached reports whether a guardrail of a selected team (all when none
// selected) is breached.
func breached(rep *domain.Report, teams []string) bool {
	for i := range rep.Teams {
		t := &rep.Teams[i]
		if len(teams) > 0 && !slices.ContainsFunc(teams, func(n string) bool { return strings.EqualFold(n, t.Name) }) {
			continue
		}
		if t.Breached() {
			return true
		}
	}
	return false
}
