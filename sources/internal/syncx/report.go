package syncx

import (
	"context"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// streamKey carries the repo and stream a request belongs to, so that the
// transport's pauses and retries are reported against them.
type streamKey struct{}

type streamInfo struct {
	repo   string
	stream sources.Stream
}

// WithStream tags ctx with the repo and stream its requests serve.
func WithStream(ctx context.Context, repo string, st sources.Stream) context.Context {
	return context.WithValue(ctx, streamKey{}, streamInfo{repo, st})
}

// Reporter sends a source's progress reports.
type Reporter struct {
	Source   domain.Source
	Progress sources.ProgressFunc // nil: reports are dropped
	Red      Redactor
	// Budget gives the rate-limit budget a stream spends, for reports that
	// do not say it themselves.
	Budget func(st sources.Stream) (remaining, limit int)
}

// Report sends p, tagged with the repo and stream of ctx (unless p names
// its own) and the source, its text scrubbed of the token.
func (r Reporter) Report(ctx context.Context, p sources.Progress) {
	if r.Progress == nil {
		return
	}
	if si, ok := ctx.Value(streamKey{}).(streamInfo); ok {
		if p.Repo == "" {
			p.Repo = si.repo
		}
		if p.Stream == "" {
			p.Stream = si.stream
		}
	}
	if p.Source == "" {
		p.Source = r.Source
	}
	if p.Remaining == 0 && p.Limit == 0 {
		p.Remaining, p.Limit = r.Budget(p.Stream)
	}
	p.Message = r.Red.Scrub(p.Message)
	if p.Err != nil {
		p.Err = r.Red.StreamErr(p.Repo, p.Stream, p.Err)
	}
	r.Progress(p)
}
