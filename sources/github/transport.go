package github

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// transport is the one http.RoundTripper under both API clients. It owns
// everything go-github and githubv4 would each do differently or not at
// all: the token (only to the configured host), bounded concurrency,
// rate-limit pauses with a countdown, retries with backoff for 5xx,
// timeouts and truncated JSON, and Retry-After on secondary limits.
//
// The retry loop is written here rather than taken from
// hashicorp/go-retryablehttp because it must sleep through the injected
// clock (tests do not wait), report each pause through the progress
// callback, treat a 200 with a truncated or RATE_LIMITED body as a retry,
// and keep go-github from second-guessing the budget with the wall clock;
// retryablehttp's CheckRetry/Backoff hooks cannot do the first three.
//
// A final non-success answer (including 304) is returned as an *HTTPError
// instead of a response, so both clients surface it the same way.
type transport struct {
	base           http.RoundTripper
	scheme, host   string // of the configured base URL
	token          string
	attemptTimeout time.Duration
	maxRetries     int
	sem            chan struct{}
	lim            *limiter
	red            syncx.Redactor
	sleep          func(context.Context, time.Duration) error
	now            func() time.Time
	report         func(context.Context, sources.Progress)
	requests       atomic.Int64
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

// maxRateWaits bounds how often one request waits for a rate limit before
// its stream is reported failed.
const maxRateWaits = 5

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	ctx := req.Context()
	if req.URL.Scheme == "http" && !syncx.IsLoopback(req.URL.Hostname()) {
		return nil, fmt.Errorf("refusing plain http to %s: only loopback hosts may use http", req.URL.Host)
	}
	res := resourceOf(req)
	attempt, rateWaits := 0, 0
	for {
		if err := t.lim.beforeRequest(ctx, res); err != nil {
			return nil, err
		}
		resp, body, err := t.attempt(ctx, req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if attempt >= t.maxRetries || !retryableErr(err) {
				return nil, err
			}
			attempt++
			if err := t.backoff(ctx, attempt, 0, err.Error()); err != nil {
				return nil, err
			}
			continue
		}
		res = t.lim.update(res, resp.Header)
		wait, why, retry := t.classify(resp, body)
		switch {
		case !retry && (resp.StatusCode/100 == 2 || isRedirect(resp.StatusCode)):
			// A redirect (a renamed or transferred repo answers 301/307) goes
			// back to the http.Client, which follows it through this transport
			// again, and the token goes only to the configured host.
			//
			// go-github refuses requests locally, by the wall clock, once it has
			// seen remaining 0; without the reset it cannot, and the limiter
			// above decides instead.
			resp.Header.Del("X-Ratelimit-Reset")
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			return resp, nil
		case !retry:
			return nil, &HTTPError{Status: resp.StatusCode, Resource: res, Path: req.URL.Path,
				Message: t.red.Scrub(errorMessage(body))}
		case wait > 0 || why == "rate":
			if rateWaits >= maxRateWaits {
				return nil, &HTTPError{Status: resp.StatusCode, Resource: res, Path: req.URL.Path,
					Message: "rate limited: gave up after " + strconv.Itoa(rateWaits) + " waits"}
			}
			if why == "secondary-backoff" {
				// No Retry-After: at least a minute, then exponentially longer.
				wait <<= rateWaits
			}
			rateWaits++
			until := t.now().Add(wait)
			msg := fmt.Sprintf("GitHub %s secondary rate limit (HTTP %d)", res, resp.StatusCode)
			if why == "rate" {
				msg = fmt.Sprintf("GitHub %s rate limit exhausted (HTTP %d)", res, resp.StatusCode)
			}
			if err := t.lim.waitUntil(ctx, res, until, msg); err != nil {
				return nil, err
			}
			t.lim.refilled(res, until)
		default:
			if attempt >= t.maxRetries {
				return nil, &HTTPError{Status: resp.StatusCode, Resource: res, Path: req.URL.Path,
					Message: t.red.Scrub(why) + " after " + strconv.Itoa(attempt+1) + " attempts"}
			}
			attempt++
			if err := t.backoff(ctx, attempt, retryAfter(resp.Header, t.now()), why); err != nil {
				return nil, err
			}
		}
	}
}

// attempt sends one copy of req and reads the whole answer within the
// per-attempt timeout. The token is added only for the configured scheme
// and host, so a redirect elsewhere never carries it.
func (t *transport) attempt(ctx context.Context, req *http.Request) (*http.Response, []byte, error) {
	select {
	case t.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	defer func() { <-t.sem }()
	actx, cancel := context.WithTimeout(ctx, t.attemptTimeout)
	defer cancel()
	r := req.Clone(actx)
	if req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, nil, err
		}
		r.Body = b
	}
	r.Header.Del("Authorization")
	if t.token != "" && r.URL.Scheme == t.scheme && strings.EqualFold(r.URL.Host, t.host) {
		r.Header.Set("Authorization", "Bearer "+t.token)
	}
	if etag, ok := ctx.Value(etagKey{}).(string); ok && r.Header.Get("If-None-Match") == "" {
		r.Header.Set("If-None-Match", etag)
	}
	t.requests.Add(1)
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("reading response: %w", err)
	}
	return resp, body, nil
}

// classify decides what to do with an answer: retry (after wait, or with
// backoff when wait is 0) or hand it back. why says what went wrong; "rate"
// marks a primary rate limit.
func (t *transport) classify(resp *http.Response, body []byte) (wait time.Duration, why string, retry bool) {
	code := resp.StatusCode
	switch {
	case code/100 == 2:
		if isJSON(resp) && !json.Valid(body) {
			return 0, "truncated or invalid JSON", true
		}
		if strings.HasSuffix(resp.Request.URL.Path, "/graphql") {
			switch graphqlErrorKind(body) {
			case "rate":
				return t.untilReset(resp.Header, time.Minute), "rate", true
			case "timeout":
				return 0, "GraphQL query timed out on GitHub's side", true
			}
		}
		return 0, "", false
	case code == http.StatusForbidden || code == http.StatusTooManyRequests:
		if d := retryAfter(resp.Header, t.now()); d > 0 {
			return d, "secondary", true
		}
		if resp.Header.Get("X-Ratelimit-Remaining") == "0" {
			return t.untilReset(resp.Header, time.Minute), "rate", true
		}
		msg := strings.ToLower(errorMessage(body))
		if code == http.StatusTooManyRequests || strings.Contains(msg, "secondary rate limit") || strings.Contains(msg, "abuse") {
			return time.Minute, "secondary-backoff", true
		}
		return 0, "", false // a permission problem: retrying will not help
	case code >= 500:
		return 0, fmt.Sprintf("HTTP %d", code), true
	default:
		return 0, "", false
	}
}

// untilReset is the wait until x-ratelimit-reset (plus a second of clock
// slack), or def when the header is missing.
func (t *transport) untilReset(h http.Header, def time.Duration) time.Duration {
	sec, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64)
	if err != nil {
		return def
	}
	d := time.Unix(sec, 0).Sub(t.now()) + time.Second
	if d < time.Second {
		d = time.Second
	}
	return d
}

// backoff sleeps 1 s, 2 s, 4 s ... (at most 30 s), or what Retry-After says.
func (t *transport) backoff(ctx context.Context, attempt int, after time.Duration, why string) error {
	d := time.Second << (attempt - 1)
	if d > 30*time.Second {
		d = 30 * time.Second
	}
	if after > d {
		d = after
	}
	t.report(ctx, sources.Progress{Source: domain.GitHub, Remaining: -1, Limit: -1,
		Message: t.red.Scrub(fmt.Sprintf("retrying in %s after %s (retry %d of %d)", d, why, attempt, t.maxRetries))})
	return t.sleep(ctx, d)
}

// retryableErr reports transport failures worth another attempt: timeouts,
// dropped connections and bodies cut short.
func retryableErr(err error) bool {
	if syncx.IsTimeout(err) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var ne *net.OpError
	if errors.As(err, &ne) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "connection reset") || strings.Contains(s, "reading response")
}

// retryAfter parses Retry-After (seconds or an HTTP date).
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return t.Sub(now)
	}
	return 0
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

func isJSON(resp *http.Response) bool {
	return strings.Contains(resp.Header.Get("Content-Type"), "json")
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
