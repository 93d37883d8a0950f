package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pace-dev/pace/config"
)

// defaultSince is how far back a first sync reaches (SPEC §7).
const defaultSince = 90 * 24 * time.Hour

type syncFlags struct {
	full   bool
	since  string
	source string
}

func (a *app) syncCmd() *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Fetch changes, deployments and runs from GitHub and GitLab into the local cache",
		Long: `sync fetches pull and merge requests (with commits, reviews, notes and
approvals), deployments, and the Actions runs and GitLab pipelines of the
configured experiment and deploy workflows into the local cache, resuming from
where the last sync stopped. It is safe to run from
cron or CI beside an open dashboard, and safe to kill: the next sync resumes.

A repo that is missing or failing is reported and the others still sync (exit 1).
A missing or rejected token exits 2 and says what to set.

Tokens: GITHUB_TOKEN or GH_TOKEN, else the config file's github.token (file mode
0600 only), else ` + "`gh auth token`" + ` when gh is installed; GITLAB_TOKEN, else
gitlab.token.`,
		Example: `  pace sync                    # continue from the stored cursors
  pace sync --since 180d       # a first sync reaching back 180 days
  pace sync --full             # refetch everything from --since
  pace sync --source gitlab    # only GitLab`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runSync(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.full, "full", false, "ignore stored cursors and refetch everything from --since")
	fl.StringVar(&f.since, "since", config.FormatDuration(defaultSince), "how far back a first (or --full) sync reaches")
	fl.StringVar(&f.source, "source", "", "only this source: "+strings.Join(sourceNames(), " or "))
	return cmd
}

func (a *app) runSync(cmd *cobra.Command, f syncFlags) error {
	since, err := config.ParseDuration(f.since)
	if err != nil || since <= 0 {
		return usagef("--since %q: want a positive length such as 30d, 90d or 52w", f.since)
	}
	if f.source != "" && !slices.Contains(sourceNames(), f.source) {
		return usagef("--source %q: use %s", f.source, strings.Join(sourceNames(), " or "))
	}
	ws, err := a.loadWorkspace(cmd.Context(), false, false)
	if err != nil {
		return err
	}
	if !ws.cfg.HasSources() {
		return usagef("%s lists no GitHub repos or orgs and no GitLab projects or groups: nothing to sync", ws.cfg.File())
	}
	out := cmd.OutOrStdout()
	pr := newSyncPrinter(out, isTerminal(out) && a.getenv("TERM") != "dumb", a.clock)
	start := a.clock()
	res, err := a.syncAll(cmd.Context(), ws, syncRequest{source: f.source, full: f.full, since: since}, pr.report)
	pr.finish()
	if err != nil {
		if ae, ok := err.(*authError); ok {
			return usageErr(ae)
		}
		return &exitError{code: exitFailure, err: err}
	}
	fmt.Fprintf(out, "synced %d items with %d requests in %s into %s\n",
		res.items, res.requests, a.clock().Sub(start).Round(100*time.Millisecond), ws.cache)
	if len(res.failures) > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "%d stream(s) failed; the rest synced:\n", len(res.failures))
		for _, f := range res.failures {
			fmt.Fprintln(cmd.ErrOrStderr(), "  "+f)
		}
		return &exitError{code: exitBreach}
	}
	return nil
}
