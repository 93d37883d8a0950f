package gitlab

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

// transport is the http.RoundTripper under client-go. It owns what
// client-go would otherwise do by itself, by the wall clock and silently:
// retries (client-go retries 429 and 5xx up to five times, 0.1-0.9 s
// apart, and gives up on a 429 long before a per-minute budget resets),
// the rate limit (client-go slows to two thirds of the first
// RateLimit-Limit it sees), and the token. Here retries use the injected
// clock, honour Retry-After and RateLimit-Reset, treat a 200 with a
// truncated body as a retry, and report every pause through progress, so
// the countdown and the cursors stay right. client-go is built with its
// retries and limiter switched off (client.go).
//
// The token goes only to the configured scheme and host, in the
// PRIVATE-TOKEN header. A final non-success answer (304 included) is
// returned as an *HTTPError instead of a response, so that client-go
// never sees a 304 (it would surface as a bare io.EOF) and every error
// text is scrubbed.
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
	attempt, rateWaits := 0, 0
	for {
		if err := t.lim.beforeRequest(ctx); err != nil {
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
			if err := t.backoff(ctx, attempt, 0, t.red.Scrub(err.Error())); err != nil {
				return nil, err
			}
			continue
		}
		t.lim.update(resp.Header)
		wait, why, retry := t.classify(resp, body, rateWaits)
		switch {
		case !retry && (resp.StatusCode/100 == 2 || isRedirect(resp.StatusCode)):
			// A redirect goes back to the http.Client, which follows it
			// through this transport again; the token goes only to the
			// configured host.
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			return resp, nil
		case !retry:
			return nil, &HTTPError{Status: resp.StatusCode, Path: req.URL.EscapedPath(),
				Message: t.red.Scrub(errorMessage(body))}
		case why == "rate":
			if rateWaits >= maxRateWaits {
				return nil, &HTTPError{Status: resp.StatusCode, Path: req.URL.EscapedPath(),
					Message: "rate limited: gave up after " + strconv.Itoa(rateWaits) + " waits"}
			}
			rateWaits++
			until := t.now().Add(wait)
			msg := fmt.Sprintf("GitLab rate limit reached (HTTP %d)", resp.StatusCode)
			if err := t.lim.waitUntil(ctx, until, msg); err != nil {
				return nil, err
			}
			t.lim.refilled(until)
		default:
			if attempt >= t.maxRetries {
				return nil, &HTTPError{Status: resp.StatusCode, Path: req.URL.EscapedPath(),
					Message: t.red.Scrub(why) + " after " + strconv.Itoa(attempt+1) + " attempts"}
			}
			attempt++
			if err := t.backoff(ctx, attempt, wait, why); err != nil {
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
	r.Header.Del("Private-Token")
	r.Header.Del("Authorization")
	r.Header.Del("If-None-Match")
	if t.token != "" && r.URL.Scheme == t.scheme && strings.EqualFold(r.URL.Host, t.host) {
		r.Header.Set("Private-Token", t.token)
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
// backoff when wait is 0) or hand it back. why says what went wrong;
// "rate" marks a rate limit, waited out until GitLab says it resets.
func (t *transport) classify(resp *http.Response, body []byte, rateWaits int) (wait time.Duration, why string, retry bool) {
	code := resp.StatusCode
	switch {
	case code/100 == 2:
		if isJSON(resp) && !json.Valid(body) {
			return 0, "truncated or invalid JSON", true
		}
		return 0, "", false
	case code == http.StatusTooManyRequests:
		if d := retryAfter(resp.Header, t.now()); d > 0 {
			return d, "rate", true
		}
		if d := t.untilReset(resp.Header); d > 0 {
			return d, "rate", true
		}
		// Neither header: a minute, then longer each time.
		return time.Minute << rateWaits, "rate", true
	case code >= 500 && code != http.StatusNotImplemented:
		return retryAfter(resp.Header, t.now()), fmt.Sprintf("HTTP %d", code), true
	default:
		return 0, "", false
	}
}

// untilReset is the wait until RateLimit-Reset (plus a second of clock
// slack), or 0 when the header is missing or past.
func (t *transport) untilReset(h http.Header) time.Duration {
	sec, err := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64)
	if err != nil {
		return 0
	}
	d := time.Unix(sec, 0).Sub(t.now()) + time.Second
	if d < time.Second {
		return 0
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
	t.report(ctx, sources.Progress{Source: domain.GitLab, Remaining: -1, Limit: -1,
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
