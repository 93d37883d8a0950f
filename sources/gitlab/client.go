package gitlab

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// client holds the API client over pace's transport, and what a sync
// needs to report and to redact.
type client struct {
	o        Options
	api      *gl.Client
	tr       *syncx.Transport
	lim      *limiter
	red      syncx.Redactor
	progress sources.ProgressFunc
}

// withStream tags ctx with the repo and stream its requests serve.
func withStream(ctx context.Context, repo string, st sources.Stream) context.Context {
	return syncx.WithStream(ctx, repo, st)
}

// noLimit is the limiter client-go gets: pace's transport paces requests
// (see limiter), and client-go's own would throttle by the wall clock.
type noLimit struct{}

func (noLimit) Wait(ctx context.Context) error { return ctx.Err() }

// newClient validates o and builds the client.
func newClient(o Options, progress sources.ProgressFunc) (*client, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	u, err := baseURL(o.BaseURL)
	if err != nil {
		return nil, err
	}
	c := &client{o: o, red: newRedactor(o.Token), progress: progress}

	base, timeout, checkRedirect := syncx.HTTPBase(o.HTTPClient, o.Concurrency)
	c.lim = newLimiter(o, c.report)
	c.tr = newTransport(c, base, u, timeout, c.lim)
	httpClient := &http.Client{Transport: c.tr, CheckRedirect: checkRedirect}

	// The token is not given to client-go: the transport adds it, and only
	// for the configured host.
	api, err := gl.NewAuthSourceClient(gl.Unauthenticated{},
		gl.WithBaseURL(o.BaseURL),
		gl.WithHTTPClient(httpClient),
		gl.WithoutRetries(),
		gl.WithCustomRetryMax(0),
		gl.WithCustomLimiter(noLimit{}),
		gl.WithUserAgent("pace"),
		gl.WithURLWarningLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
	)
	if err != nil {
		return nil, fmt.Errorf("gitlab: %s", c.red.Scrub(err.Error()))
	}
	c.api = api
	return c, nil
}

// report sends a progress report, tagged with the project and stream of
// ctx, its text scrubbed of the token. GitLab has one budget for all.
func (c *client) report(ctx context.Context, p sources.Progress) {
	syncx.Reporter{Source: domain.GitLab, Progress: c.progress, Red: c.red,
		Budget: func(sources.Stream) (int, int) { return c.lim.snapshot() }}.Report(ctx, p)
}

// reqOpts are the per-request options of every call: its context.
func reqOpts(ctx context.Context) gl.RequestOptionFunc { return gl.WithContext(ctx) }
