package gitlab

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

// client holds the API client over pace's transport, and what a sync
// needs to report and to redact.
type client struct {
	o        Options
	api      *gl.Client
	tr       *transport
	red      redactor
	progress sources.ProgressFunc
}

// streamKey carries the project and stream a request belongs to, so that
// the transport's pauses and retries are reported against them.
type streamKey struct{}

type streamInfo struct {
	repo   string
	stream sources.Stream
}

func withStream(ctx context.Context, repo string, st sources.Stream) context.Context {
	return context.WithValue(ctx, streamKey{}, streamInfo{repo, st})
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
	c := &client{o: o, red: redactor{secret: o.Token}, progress: progress}

	var base http.RoundTripper = defaultTransport(o.Concurrency)
	timeout := 60 * time.Second
	var checkRedirect func(*http.Request, []*http.Request) error
	if hc := o.HTTPClient; hc != nil {
		base = http.DefaultTransport
		if hc.Transport != nil {
			base = hc.Transport
		}
		if hc.Timeout > 0 {
			timeout = hc.Timeout
		}
		checkRedirect = hc.CheckRedirect
	}
	c.tr = &transport{
		base: base, scheme: u.Scheme, host: u.Host, token: o.Token,
		attemptTimeout: timeout, maxRetries: o.MaxRetries,
		sem: make(chan struct{}, o.Concurrency), red: c.red,
		sleep: o.Sleep, now: o.Now, report: c.report,
	}
	c.tr.lim = newLimiter(o, c.report)
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
		return nil, fmt.Errorf("gitlab: %s", c.red.scrub(err.Error()))
	}
	c.api = api
	return c, nil
}

// defaultTransport is http.DefaultTransport with timeouts on every phase
// before the body, sized for the per-host concurrency.
func defaultTransport(concurrency int) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.MaxIdleConnsPerHost = concurrency
	return t
}

// report sends a progress report, tagged with the project and stream of
// ctx, its text scrubbed of the token.
func (c *client) report(ctx context.Context, p sources.Progress) {
	if c.progress == nil {
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
		p.Source = domain.GitLab
	}
	if p.Remaining == 0 && p.Limit == 0 {
		p.Remaining, p.Limit = c.tr.lim.snapshot()
	}
	p.Message = c.red.scrub(p.Message)
	if p.Err != nil {
		p.Err = c.red.streamErr(p.Repo, p.Stream, p.Err)
	}
	c.progress(p)
}

// reqOpts are the per-request options of every call: its context.
func reqOpts(ctx context.Context) gl.RequestOptionFunc { return gl.WithContext(ctx) }
