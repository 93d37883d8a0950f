package github

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// Summary says what a sync did for every repo and stream.
type Summary struct {
	Streams  []StreamResult
	Requests int64 // HTTP requests sent, retries included
}

// StreamResult is the outcome of one stream of one repo (or of listing an
// org's repos, Repo "org:NAME").
type StreamResult struct {
	Repo    string
	Stream  sources.Stream
	Items   int   // items stored
	Err     error // nil when the stream completed; its text never holds the token
	Skipped bool  // not run: the repo was not found or not accessible
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

// Sync fetches every configured repo's deployments, changes and workflow
// runs into sink, resuming from the stored cursors, and records the
// source's status. Repos are synced Concurrency at a time; a repo that is
// missing or whose stream fails is reported (in the Summary and through
// progress) and the others go on. Sync returns an error only when nothing
// could be done: no or a rejected token (*AuthError), a bad base URL, a
// cancelled ctx, or every stream failed.
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
				authErr = &AuthError{msg: "GitHub rejected the token (401): set GITHUB_TOKEN or GH_TOKEN to a valid token; " + ScopesHelp}
				cancel()
			}
		}
		sum.Streams = append(sum.Streams, rs...)
	}

	repos := c.repoList(ctx, record)
	work := make(chan repoRef)
	var wg sync.WaitGroup
	for i := 0; i < c.o.Concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				record(c.syncRepo(ctx, r, sink)...)
			}
		}()
	}
feed:
	for _, r := range repos {
		select {
		case work <- r:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	sum.Requests = c.tr.requests.Load()

	st := domain.SourceStatus{Name: string(domain.GitHub), LastSync: c.o.Now().UTC()}
	if authErr != nil {
		st.Errors = []string{authErr.Error()}
	} else {
		st.Errors = sum.Errors()
	}
	// The status is written even when the sync was cancelled, so the TUI
	// can say what happened; a fresh context lets it through.
	if err := sink.SetStatus(context.WithoutCancel(ctx), st); err != nil && authErr == nil {
		return sum, fmt.Errorf("github: recording sync status: %w", err)
	}
	switch {
	case authErr != nil:
		return sum, authErr
	case ctx.Err() != nil:
		// Sync cancels ctx itself only for a 401, handled above.
		return sum, ctx.Err()
	case sum.ok() == 0 && sum.Failed():
		return sum, fmt.Errorf("github: nothing could be synced: %s", sum.Errors()[0])
	}
	return sum, nil
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
			se := c.red.streamErr(repo, "repos", err)
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
	var out []StreamResult
	var links map[string]sources.DeployLink
	for i, st := range streams {
		if ctx.Err() != nil {
			return out
		}
		sctx := withStream(ctx, r.full, st)
		var n int
		var err error
		switch {
		case st == sources.Deployments:
			n, links, err = c.syncDeployments(sctx, r, sink)
		case st == sources.Changes:
			n, err = c.syncChanges(sctx, r, sink, links)
		default:
			n, err = c.syncRuns(sctx, r, c.o.Workflows[i-2], sink)
			if isNotFound(err) {
				// The repo exists (the streams before saw it): it has no such
				// workflow file, which is normal in a multi-repo config.
				c.report(sctx, sources.Progress{Done: true, Message: "no workflow " + c.o.Workflows[i-2] + " in this repo"})
				out = append(out, StreamResult{Repo: r.full, Stream: st})
				continue
			}
		}
		res := StreamResult{Repo: r.full, Stream: st, Items: n}
		if err != nil {
			msg := ""
			switch {
			case isNotFound(err):
				msg = "skipped: not found or no access"
				err = fmt.Errorf("%s: %w", msg, err)
			case statusOf(err) == http.StatusForbidden:
				msg = "no permission: " + ScopesHelp
			}
			res.Err = c.red.streamErr(r.full, st, err)
			c.report(sctx, sources.Progress{Items: n, Done: true, Err: res.Err, Message: msg})
			out = append(out, res)
			if isNotFound(err) || isUnauthorized(err) || ctx.Err() != nil {
				for _, rest := range streams[i+1:] {
					out = append(out, StreamResult{Repo: r.full, Stream: rest, Skipped: true, Err: res.Err})
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
