package github

import (
	"context"
	"fmt"
	"strings"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// Summary says what a sync did for every repo and stream.
type Summary = sources.Summary

// StreamResult is the outcome of one stream of one repo (or of listing an
// org's repos, Repo "org:NAME").
type StreamResult = sources.StreamResult

// Sync fetches every configured repo's deployments, changes and workflow
// runs into sink, resuming from the stored cursors, and records the
// source's status. Repos are synced Concurrency at a time; a repo that is
// missing or whose stream fails is reported (in the Summary and through
// progress) and the others go on. Sync returns an error only when nothing
// could be done: no or a rejected token (*AuthError), a bad base URL, a
// cancelled ctx, or every stream failed.
func Sync(ctx context.Context, o Options, sink sources.Sink, progress sources.ProgressFunc) (Summary, error) {
	if o.Token == "" {
		return Summary{}, syncx.NewAuthError(ErrNoToken.Error())
	}
	c, err := newClient(o, progress)
	if err != nil {
		return Summary{}, err
	}
	return syncx.Run(ctx, syncx.Job[repoRef]{
		Source: domain.GitHub, Concurrency: c.o.Concurrency, Now: c.o.Now, Sink: sink,
		Rejected: func() error {
			return syncx.NewAuthError("GitHub rejected the token (401): set GITHUB_TOKEN or GH_TOKEN to a valid token; " + ScopesHelp)
		},
		List:     c.repoList,
		Sync:     func(ctx context.Context, r repoRef) []StreamResult { return c.syncRepo(ctx, r, sink) },
		Requests: c.tr.Requests.Load,
	})
}

// repoList is Options.Repos plus the repos of Options.Orgs, each once.
func (c *client) repoList(ctx context.Context, record func(...StreamResult)) []repoRef {
	seen := map[string]bool{}
	var out []repoRef
	add := func(full string) {
		k := strings.ToLower(full)
		if seen[k] {
			return
		}
		seen[k] = true
		owner, name, err := splitRepo(full)
		if err != nil {
			return
		}
		out = append(out, repoRef{owner: owner, name: name, full: full})
	}
	for _, r := range c.o.Repos {
		add(r)
	}
	for _, org := range c.o.Orgs {
		repos, err := c.orgRepos(ctx, org)
		if err != nil {
			repo := "org:" + org
			if isNotFound(err) {
				err = fmt.Errorf("not found or no access: %w", err)
			}
			se := c.red.StreamErr(repo, "repos", err)
			c.report(ctx, sources.Progress{Repo: repo, Stream: "repos", Done: true, Err: se, Message: "org repos not listed"})
			record(StreamResult{Repo: repo, Stream: "repos", Err: se})
			continue
		}
		for _, r := range repos {
			add(r)
		}
	}
	return out
}

// syncRepo runs a repo's streams in order: deployments first, so that the
// exact deploy links they prove are applied to the changes of this same
// sync, then changes, then each workflow's runs. A missing repo skips the
// rest; another failure of one stream does not stop the next.
func (c *client) syncRepo(ctx context.Context, r repoRef, sink sources.Sink) []StreamResult {
	streams := []sources.Stream{sources.Deployments, sources.Changes}
	for _, w := range c.o.Workflows {
		streams = append(streams, RunsStream(w))
	}
	var links map[string]sources.DeployLink
	run := syncx.Streams{Repo: r.full, Streams: streams, Red: c.red, Report: c.report,
		NotFound: isNotFound, ScopesHelp: ScopesHelp}
	return run.Run(ctx, func(sctx context.Context, i int, st sources.Stream) (n int, msg string, err error) {
		switch st {
		case sources.Deployments:
			n, links, err = c.syncDeployments(sctx, r, sink)
		case sources.Changes:
			n, err = c.syncChanges(sctx, r, sink, links)
		default:
			n, err = c.syncRuns(sctx, r, c.o.Workflows[i-2], sink)
			if isNotFound(err) {
				// The repo exists (the streams before saw it): it has no such
				// workflow file, which is normal in a multi-repo config.
				return 0, "no workflow " + c.o.Workflows[i-2] + " in this repo", nil
			}
		}
		return n, "", err
	})
}
