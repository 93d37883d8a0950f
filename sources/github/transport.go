package github

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// newTransport is the shared retry loop (syncx.Transport) with GitHub's
// ways: a Bearer token, conditional requests by ETag, the budgets of the
// x-ratelimit-* headers, secondary limits (Retry-After, or a minute
// doubling), GraphQL's RATE_LIMITED and timeouts sent with HTTP 200, and
// 304 returned as an *HTTPError. go-github and githubv4 would each do
// these differently or not at all.
func newTransport(c *client, base http.RoundTripper, u *url.URL, attemptTimeout time.Duration, lim *limiter) *syncx.Transport {
	o := c.o
	t := &syncx.Transport{
		Base: base, Scheme: u.Scheme, Host: u.Host,
		AttemptTimeout: attemptTimeout, MaxRetries: o.MaxRetries,
		Sem: make(chan struct{}, o.Concurrency), Red: c.red, Source: domain.GitHub,
		Sleep: o.Sleep, Now: o.Now, Report: c.report,
	}
	t.Credential = func(ctx context.Context, r *http.Request, own bool) {
		r.Header.Del("Authorization")
		if o.Token != "" && own {
			r.Header.Set("Authorization", "Bearer "+o.Token)
		}
		if etag, ok := ctx.Value(etagKey{}).(string); ok && r.Header.Get("If-None-Match") == "" {
			r.Header.Set("If-None-Match", etag)
		}
	}
	t.Policy = func(req *http.Request) syncx.Policy {
		return &policy{lim: lim, now: o.Now, res: resourceOf(req), path: req.URL.Path}
	}
	return t
}

// etagKey carries the stored ETag of a conditional request in its context.
type etagKey struct{}

// withETag asks the transport to make the request conditional.
func withETag(ctx context.Context, etag string) context.Context {
	if etag == "" {
		return ctx
	}
	return context.WithValue(ctx, etagKey{}, etag)
}

// policy is GitHub's view of one request: the budget (resource) it
// spends, first guessed from the path, then as the answer names it.
type policy struct {
	lim  *limiter
	now  func() time.Time
	res  string
	path string
}

func (p *policy) Before(ctx context.Context) error { return p.lim.Before(ctx, p.res) }

func (p *policy) ErrorMessage(body []byte) string { return errorMessage(body) }

func (p *policy) Fail(status int, msg string) error {
	return &HTTPError{Status: status, Resource: p.res, Path: p.path, Message: msg}
}

func (p *policy) Pause(ctx context.Context, until time.Time, msg string) error {
	return p.lim.Pause(ctx, p.res, until, msg)
}

func (p *policy) Answer(resp *http.Response, body []byte, rateWaits int) syncx.Verdict {
	p.res = p.lim.update(p.res, resp.Header)
	v := p.classify(resp, body, rateWaits)
	if !v.Retry {
		// go-github refuses requests locally, by the wall clock, once it has
		// seen remaining 0; without the reset it cannot, and the limiter
		// decides instead.
		resp.Header.Del("X-Ratelimit-Reset")
	}
	return v
}

// classify decides what to do with an answer: a rate-limit pause, a retry
// with backoff (at least Retry-After), or handing it back.
func (p *policy) classify(resp *http.Response, body []byte, rateWaits int) syncx.Verdict {
	code := resp.StatusCode
	rate := func(wait time.Duration, what string) syncx.Verdict {
		return syncx.Verdict{Retry: true, Rate: true, Wait: wait,
			Msg: fmt.Sprintf("GitHub %s %s (HTTP %d)", p.res, what, code)}
	}
	retry := func(why string) syncx.Verdict {
		return syncx.Verdict{Retry: true, Wait: syncx.RetryAfter(resp.Header, p.now()), Why: why}
	}
	switch {
	case code/100 == 2:
		if syncx.IsJSON(resp) && !json.Valid(body) {
			return retry("truncated or invalid JSON")
		}
		if strings.HasSuffix(resp.Request.URL.Path, "/graphql") {
			switch graphqlErrorKind(body) {
			case "rate":
				return rate(p.untilReset(resp.Header, time.Minute), "rate limit exhausted")
			case "timeout":
				return retry("GraphQL query timed out on GitHub's side")
			}
		}
		return syncx.Verdict{}
	case code == http.StatusForbidden || code == http.StatusTooManyRequests:
		if d := syncx.RetryAfter(resp.Header, p.now()); d > 0 {
			return rate(d, "secondary rate limit")
		}
		if resp.Header.Get("X-Ratelimit-Remaining") == "0" {
			return rate(p.untilReset(resp.Header, time.Minute), "rate limit exhausted")
		}
		msg := strings.ToLower(errorMessage(body))
		if code == http.StatusTooManyRequests || strings.Contains(msg, "secondary rate limit") || strings.Contains(msg, "abuse") {
			// No Retry-After: at least a minute, then exponentially longer.
			return rate(time.Minute<<rateWaits, "secondary rate limit")
		}
		return syncx.Verdict{} // a permission problem: retrying will not help
	case code >= 500:
		return retry(fmt.Sprintf("HTTP %d", code))
	default:
		return syncx.Verdict{}
	}
}

// untilReset is the wait until x-ratelimit-reset (plus a second of clock
// slack), or def when the header is missing.
func (p *policy) untilReset(h http.Header, def time.Duration) time.Duration {
	d, ok := syncx.UntilReset(h, "X-Ratelimit-Reset", p.now())
	if !ok {
		return def
	}
	if d < time.Second {
		d = time.Second
	}
	return d
}

// graphqlErrorKind classifies a GraphQL answer sent with HTTP 200:
// "rate" when its errors say RATE_LIMITED, "timeout" when GitHub gave up
// executing it ("Something went wrong while executing your query. This
// may be the result of a timeout..."), else "".
func graphqlErrorKind(body []byte) string {
	if !bytes.Contains(body, []byte(`"errors"`)) {
		return ""
	}
	var v struct {
		Errors []struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	for _, e := range v.Errors {
		switch {
		case e.Type == "RATE_LIMITED":
			return "rate"
		case strings.Contains(e.Message, "Something went wrong while executing your query"):
			return "timeout"
		}
	}
	return ""
}
