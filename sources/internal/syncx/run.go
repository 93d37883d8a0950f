package syncx

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// Job is what a source gives Run: how to list its repos (or projects) and
// how to sync one. T is the source's own handle on a repo.
type Job[T any] struct {
	Source      domain.Source
	Concurrency int // repos synced at once
	Now         func() time.Time
	Sink        sources.Sink
	// Rejected is the error a 401 turns the whole sync into.
	Rejected func() error
	// List names the repos to sync, recording (not returning) the failures
	// of listing an org's or a group's repos.
	List func(ctx context.Context, record func(...sources.StreamResult)) []T
	// Sync runs one repo's streams.
	Sync     func(ctx context.Context, repo T) []sources.StreamResult
	Requests func() int64 // HTTP requests sent so far
}

// Run syncs every repo j.List names, j.Concurrency at a time, records the
// source's status in the sink, and says whether anything could be done:
// it returns an error for a rejected token (j.Rejected, and the other
// repos are cancelled), a cancelled ctx, or when every stream failed.
func Run[T any](ctx context.Context, j Job[T]) (sources.Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var mu sync.Mutex
	var sum sources.Summary
	var authErr error
	record := func(rs ...sources.StreamResult) {
		mu.Lock()
		defer mu.Unlock()
		for _, r := range rs {
			if r.Err != nil && IsUnauthorized(r.Err) && authErr == nil {
				authErr = j.Rejected()
				cancel()
			}
		}
		sum.Streams = append(sum.Streams, rs...)
	}

	repos := j.List(ctx, record)
	work := make(chan T)
	var wg sync.WaitGroup
	for i := 0; i < j.Concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range work {
				record(j.Sync(ctx, r)...)
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
	sum.Requests = j.Requests()

	st := domain.SourceStatus{Name: string(j.Source), LastSync: j.Now().UTC()}
	if authErr != nil {
		st.Errors = []string{authErr.Error()}
	} else {
		st.Errors = sum.Errors()
	}
	// The status is written even when the sync was cancelled, so the TUI
	// can say what happened; a fresh context lets it through.
	if err := j.Sink.SetStatus(context.WithoutCancel(ctx), st); err != nil && authErr == nil {
		return sum, fmt.Errorf("%s: recording sync status: %w", j.Source, err)
	}
	switch {
	case authErr != nil:
		return sum, authErr
	case ctx.Err() != nil:
		// Run cancels ctx itself only for a 401, handled above.
		return sum, ctx.Err()
	case sum.Completed() == 0 && sum.Failed():
		return sum, fmt.Errorf("%s: nothing could be synced: %s", j.Source, sum.Errors()[0])
	}
	return sum, nil
}

// Streams runs the streams of one repo in order.
type Streams struct {
	Repo    string
	Streams []sources.Stream
	Red     Redactor
	Report  func(context.Context, sources.Progress)
	// NotFound reports the API's answer for a repo that does not exist or
	// that the token cannot see; it skips the repo's remaining streams.
	NotFound   func(error) bool
	ScopesHelp string // said with a 403
}

// Run calls do for each stream, with a context that tags the transport's
// reports with the repo and stream. A stream's failure is reported and
// recorded and the next stream runs, except after a missing repo, a
// rejected token or a cancelled sync, which skip the rest. msg, when do
// succeeds, is reported with the stream's end.
func (s Streams) Run(ctx context.Context, do func(ctx context.Context, i int, st sources.Stream) (n int, msg string, err error)) []sources.StreamResult {
	var out []sources.StreamResult
	for i, st := range s.Streams {
		if ctx.Err() != nil {
			return out
		}
		sctx := WithStream(ctx, s.Repo, st)
		n, okMsg, err := do(sctx, i, st)
		res := sources.StreamResult{Repo: s.Repo, Stream: st, Items: n}
		if err == nil {
			s.Report(sctx, sources.Progress{Items: n, Done: true, Message: okMsg})
			out = append(out, res)
			continue
		}
		msg := ""
		switch {
		case s.NotFound(err):
			msg = "skipped: not found or no access"
			err = fmt.Errorf("%s: %w", msg, err)
		case StatusOf(err) == http.StatusForbidden:
			msg = "no permission: " + s.ScopesHelp
		}
		res.Err = s.Red.StreamErr(s.Repo, st, err)
		s.Report(sctx, sources.Progress{Items: n, Done: true, Err: res.Err, Message: msg})
		out = append(out, res)
		if s.NotFound(err) || IsUnauthorized(err) || ctx.Err() != nil {
			for _, rest := range s.Streams[i+1:] {
				out = append(out, sources.StreamResult{Repo: s.Repo, Stream: rest, Skipped: true, Err: res.Err})
			}
			return out
		}
	}
	return out
}
