package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// Summary says what a sync did for every project and stream.
type Summary struct {
	Streams  []StreamResult
	Requests int64 // HTTP requests sent, retries included
}

// StreamResult is the outcome of one stream of one project (or of listing
// a group's projects, Repo "group:PATH").
type StreamResult struct {
	Repo    string
	Stream  sources.Stream
	Items   int   // items stored
	Err     error // nil when the stream completed; its text never holds the token
	Skipped bool  // not run: the project was not found or not accessible
}

// Failed reports whether any stream failed or was skipped (exit code 1).
func (s Summary) Failed() bool {
	for _, r := range s.Streams {
		if r.Err != nil {
			return true
		}
	}
	return false
}

// Errors lists the failures, one line each.
func (s Summary) Errors() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range s.Streams {
		if r.Err != nil && !seen[r.Err.Error()] {
			seen[r.Err.Error()] = true
			out = append(out, r.Err.Error())
		}
	}
	return out
}

// Items is the number of items stored over all streams.
func (s Summary) Items() int {
	n := 0
	for _, r := range s.Streams {
		n += r.Items
	}
	return n
}

// ok counts the streams that completed.
func (s Summary) ok() int {
	n := 0
	for _, r := range s.Streams {
		if r.Err == nil {
			n++
		}
	}
	return n
}

// Sync fetches every configured project's deployments, merge requests and
// wanted pipelines into sink, resuming from the stored cursors, and
// records the source's status. Projects are synced Concurrency at a time;
// a project that is missing or whose stream fails is reported (in the
// Summary and through progress) and the others go on. Sync returns an
// error only when nothing could be done: no or a rejected token
// (*AuthError), a bad base URL, a cancelled ctx, or every stream failed.
func Sync(ctx context.Context, o Options, sink sources.Sink, progress sources.ProgressFunc) (Summary, error) {
	if o.Token == "" {
		return Summary{}, &AuthError{msg: ErrNoToken.Error()}
	}
	c, err := newClient(o, progress)
	if err != nil {
		return Summary{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var mu sync.Mutex
	var sum Summary
	var authErr error
	record := func(rs ...StreamResult) {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range rs {
			if r.Err != nil && isUnauthorized(r.Err) && authErr == nil {
				authErr = &AuthError{msg: "GitLab rejected the token (401): set GITLAB_TOKEN to a valid token; " + ScopesHelp}
				cancel()
			}
		}
		sum.Streams = append(sum.Streams, rs...)
	}

	projects := c.projectList(ctx, record)
	work := make(chan projectRef)
	var wg sync.WaitGroup
	for i := 0; i < c.o.Concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				record(c.syncProject(ctx, p, sink)...)
			}
		}()
	}
feed:
	for _, p := range projects {
		select {
		case work <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	sum.Requests = c.tr.requests.Load()

	st := domain.SourceStatus{Name: string(domain.GitLab), LastSync: c.o.Now().UTC()}
	if authErr != nil {
		st.Errors = []string{authErr.Error()}
	} else {
		st.Errors = sum.Errors()
	}
	// The status is written even when the sync was cancelled, so the TUI
	// can say what happened; a fresh context lets it through.
	if err := sink.SetStatus(context.WithoutCancel(ctx), st); err != nil && authErr == nil {
		return sum, fmt.Errorf("gitlab: recording sync status: %w", err)
	}
	switch {
	case authErr != nil:
		return sum, authErr
	case ctx.Err() != nil:
		// Sync cancels ctx itself only for a 401, handled above.
		return sum, ctx.Err()
	case sum.ok() == 0 && sum.Failed():
		return sum, fmt.Errorf("gitlab: nothing could be synced: %s", sum.Errors()[0])
	}
	return sum, nil
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
			se := c.red.streamErr(repo, "projects", err)
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
	var out []StreamResult
	var links map[string]sources.DeployLink
	for i, st := range streams {
		if ctx.Err() != nil {
			return out
		}
		sctx := withStream(ctx, p.path, st)
		var n int
		var err error
		switch st {
		case sources.Deployments:
			n, links, err = c.syncDeployments(sctx, p, sink)
		case sources.Changes:
			n, err = c.syncChanges(sctx, p, sink, links)
		default:
			n, err = c.syncRuns(sctx, p, sink)
		}
		res := StreamResult{Repo: p.path, Stream: st, Items: n}
		if err != nil {
			msg := ""
			switch {
			case isNotFound(err):
				msg = "skipped: not found or no access"
				err = fmt.Errorf("%s: %w", msg, err)
			case statusOf(err) == http.StatusForbidden:
				msg = "no permission: " + ScopesHelp
			}
			res.Err = c.red.streamErr(p.path, st, err)
			c.report(sctx, sources.Progress{Items: n, Done: true, Err: res.Err, Message: msg})
			out = append(out, res)
			if isNotFound(err) || isUnauthorized(err) || ctx.Err() != nil {
				for _, rest := range streams[i+1:] {
					out = append(out, StreamResult{Repo: p.path, Stream: rest, Skipped: true, Err: res.Err})
				}
				return out
			}
			continue
		}
		c.report(sctx, sources.Progress{Items: n, Done: true})
		out = append(out, res)
	}
	return out
}
