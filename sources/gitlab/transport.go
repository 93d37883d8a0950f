package gitlab

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// newTransport is the shared retry loop (syncx.Transport) with GitLab's
// ways. It owns what client-go would otherwise do by itself, by the wall
// clock and silently: retries (client-go retries 429 and 5xx up to five
// times, 0.1-0.9 s apart, and gives up on a 429 long before a per-minute
// budget resets), the rate limit (client-go slows to two thirds of the
// first RateLimit-Limit it sees), and the token. Here retries use the
// injected clock, honour Retry-After and RateLimit-Reset, treat a 200 with
// a truncated body as a retry, and report every pause through progress,
// so the countdown and the cursors stay right. client-go is built with its
// retries and limiter switched off (client.go).
//
// The token goes only to the configured scheme and host, in the
// PRIVATE-TOKEN header. A final non-success answer (304 included) is
// returned as an *HTTPError, so that client-go never sees a 304 (it would
// surface as a bare io.EOF) and every error text is scrubbed.
func newTransport(c *client, base http.RoundTripper, u *url.URL, attemptTimeout time.Duration, lim *limiter) *syncx.Transport {
	o := c.o
	t := &syncx.Transport{
		Base: base, Scheme: u.Scheme, Host: u.Host,
		AttemptTimeout: attemptTimeout, MaxRetries: o.MaxRetries,
		Sem: make(chan struct{}, o.Concurrency), Red: c.red, Source: domain.GitLab,
		Sleep: o.Sleep, Now: o.Now, Report: c.report,
	}
	t.Credential = func(_ context.Context, r *http.Request, own bool) {
		r.Header.Del("Private-Token")
		r.Header.Del("Authorization")
		r.Header.Del("If-None-Match")
		if o.Token != "" && own {
			r.Header.Set("Private-Token", o.Token)
		}
	}
	t.Policy = func(req *http.Request) syncx.Policy {
		return policy{lim: lim, now: o.Now, path: req.URL.EscapedPath()}
	}
	return t
}

// policy is GitLab's view of one request: one budget per token.
type policy struct {
	lim  *limiter
	now  func() time.Time
	path string
}

func (p policy) Before(ctx context.Context) error { return p.lim.Before(ctx, budgetKey) }

func (p policy) ErrorMessage(body []byte) string { return errorMessage(body) }

func (p policy) Fail(status int, msg string) error {
	return &HTTPError{Status: status, Path: p.path, Message: msg}
}

func (p policy) Pause(ctx context.Context, until time.Time, msg string) error {
	return p.lim.Pause(ctx, budgetKey, until, msg)
}

// Answer records the budget and decides: a 429 is waited out until GitLab
// says it resets, a 5xx (but 501) or a truncated body is retried with
// backoff.
func (p policy) Answer(resp *http.Response, body []byte, rateWaits int) syncx.Verdict {
	p.lim.update(resp.Header)
	code := resp.StatusCode
	rate := func(d time.Duration) syncx.Verdict {
		return syncx.Verdict{Retry: true, Rate: true, Wait: d,
			Msg: fmt.Sprintf("GitLab rate limit reached (HTTP %d)", code)}
	}
	switch {
	case code/100 == 2:
		if syncx.IsJSON(resp) && !json.Valid(body) {
			return syncx.Verdict{Retry: true, Why: "truncated or invalid JSON"}
		}
		return syncx.Verdict{}
	case code == http.StatusTooManyRequests:
		if d := syncx.RetryAfter(resp.Header, p.now()); d > 0 {
			return rate(d)
		}
		if d := p.untilReset(resp.Header); d > 0 {
			return rate(d)
		}
		// Neither header: a minute, then longer each time.
		return rate(time.Minute << rateWaits)
	case code >= 500 && code != http.StatusNotImplemented:
		return syncx.Verdict{Retry: true, Wait: syncx.RetryAfter(resp.Header, p.now()), Why: fmt.Sprintf("HTTP %d", code)}
	default:
		return syncx.Verdict{}
	}
}

// maxRateWaits bounds how often one request waits for a rate limit.
const maxRateWaits = syncx.MaxRateWaits

// untilReset is the wait until RateLimit-Reset (plus a second of clock
// slack), or 0 when the header is missing or past.
func (p policy) untilReset(h http.Header) time.Duration {
	d, ok := syncx.UntilReset(h, "RateLimit-Reset", p.now())
	if !ok || d < time.Second {
		return 0
	}
	return d
}
