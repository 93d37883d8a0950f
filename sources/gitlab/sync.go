package gitlab

import (
	"context"
	"fmt"
	"strings"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// Summary says what a sync did for every project and stream.
type Summary = sources.Summary

// StreamResult is the outcome of one stream of one project (or of listing
// a group's projects, Repo "group:PATH").
type StreamResult = sources.StreamResult

// Sync fetches every configured project's deployments, merge requests and
// wanted pipelines into sink, resuming from the stored cursors, and
// records the source's status. Projects are synced Concurrency at a time;
// a project that is missing or whose stream fails is reported (in the
// Summary and through progress) and the others go on. Sync returns an
// error only when nothing could be done: no or a rejected token
// (*AuthError), a bad base URL, a cancelled ctx, or every stream failed.
func Sync(ctx context.Context, o Options, sink sources.Sink, progress sources.ProgressFunc) (Summary, error) {
	if o.Token == "" {
		return Summary{}, syncx.NewAuthError(ErrNoToken.Error())
	}
	c, err := newClient(o, progress)
	if err != nil {
		return Summary{}, err
	}
	return syncx.Run(ctx, syncx.Job[projectRef]{
		Source: domain.GitLab, Concurrency: c.o.Concurrency, Now: c.o.Now, Sink: sink,
		Rejected: func() error {
			return syncx.NewAuthError("GitLab rejected the token (401): set GITLAB_TOKEN to a valid token; " + ScopesHelp)
		},
		List:     c.projectList,
		Sync:     func(ctx context.Context, p projectRef) []StreamResult { return c.syncProject(ctx, p, sink) },
		Requests: c.tr.Requests.Load,
	})
}

// projectList is Options.Projects plus the projects of Options.Groups,
// each once.
func (c *client) projectList(ctx context.Context, record func(...StreamResult)) []projectRef {
	seen := map[string]bool{}
	var out []projectRef
	add := func(path string) {
		k := strings.ToLower(path)
		if seen[k] {
			return
		}
		seen[k] = true
		out = append(out, projectRef{path: path})
	}
	for _, p := range c.o.Projects {
		add(p)
	}
	for _, g := range c.o.Groups {
		ps, err := c.groupProjects(ctx, g)
		if err != nil {
			repo := "group:" + g
			if isNotFound(err) {
				err = fmt.Errorf("not found or no access: %w", err)
			}
			se := c.red.StreamErr(repo, "projects", err)
			c.report(ctx, sources.Progress{Repo: repo, Stream: "projects", Done: true, Err: se, Message: "group projects not listed"})
			record(StreamResult{Repo: repo, Stream: "projects", Err: se})
			continue
		}
		for _, p := range ps {
			add(p)
		}
	}
	return out
}

// syncProject runs a project's streams in order: deployments first, so
// that the exact deploy links they prove are applied to the changes of
// this same sync, then merge requests, then pipelines (when any are
// wanted). A missing project skips the rest; another failure of one
// stream does not stop the next.
func (c *client) syncProject(ctx context.Context, p projectRef, sink sources.Sink) []StreamResult {
	streams := []sources.Stream{sources.Deployments, sources.Changes}
	if c.o.pipelinesWanted() {
		streams = append(streams, RunsStream(c.o))
	}
	var links map[string]sources.DeployLink
	run := syncx.Streams{Repo: p.path, Streams: streams, Red: c.red, Report: c.report,
		NotFound: isNotFound, ScopesHelp: ScopesHelp}
	return run.Run(ctx, func(sctx context.Context, _ int, st sources.Stream) (n int, msg string, err error) {
		switch st {
		case sources.Deployments:
			n, links, err = c.syncDeployments(sctx, p, sink)
		case sources.Changes:
			n, err = c.syncChanges(sctx, p, sink, links)
		default:
			n, err = c.syncRuns(sctx, p, sink)
		}
		return n, "", err
	})
}
