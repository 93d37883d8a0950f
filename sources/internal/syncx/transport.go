package syncx

import (
	"bytes"
	"context"
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
)

// Transport is the retry loop both sources put under their API clients:
// bounded concurrency, a timeout per attempt, the token only to the
// configured scheme and host, backoff for 5xx, timeouts and truncated
// bodies, rate-limit pauses with a countdown, all on the injected clock.
// What differs between APIs (headers, what a rate limit looks like, the
// error's shape) comes from Credential and Policy.
//
// The loop is written here rather than taken from go-retryablehttp
// because it must sleep through the injected clock (tests do not wait),
// report each pause through progress, and treat a 200 with a truncated or
// rate-limited body as a retry; retryablehttp's hooks cannot do these.
type Transport struct {
	Base           http.RoundTripper
	Scheme, Host   string // of the configured base URL
	AttemptTimeout time.Duration
	MaxRetries     int
	Sem            chan struct{} // requests in flight
	Red            Redactor
	Source         domain.Source
	Sleep          func(context.Context, time.Duration) error
	Now            func() time.Time
	Report         func(context.Context, sources.Progress)
	// Credential sets the request's credential headers; own says whether it
	// goes to the configured scheme and host (the only place a token may go).
	Credential func(ctx context.Context, r *http.Request, own bool)
	// Policy starts the API's view of one request.
	Policy func(req *http.Request) Policy
	// Requests counts the HTTP requests sent, retries included.
	Requests atomic.Int64
}

// Policy is what one API says about one request's answers.
type Policy interface {
	// Before waits, if the budget is nearly spent, until it is renewed.
	Before(ctx context.Context) error
	// Answer records the budget the answer reports and says what to do.
	Answer(resp *http.Response, body []byte, rateWaits int) Verdict
	// Pause waits out a rate limit until until, saying msg with the countdown.
	Pause(ctx context.Context, until time.Time, msg string) error
	// Fail is the error of a final non-success answer.
	Fail(status int, msg string) error
	// ErrorMessage pulls the API's message out of an error body.
	ErrorMessage(body []byte) string
}

// Verdict is a Policy's decision about one answer.
type Verdict struct {
	Retry bool
	Rate  bool          // a rate limit: pause for Wait, at most MaxRateWaits times
	Wait  time.Duration // Rate: the pause; else the least backoff (Retry-After)
	Why   string        // what went wrong, for the retry report and the final error
	Msg   string        // Rate: what the countdown says
}

// MaxRateWaits bounds how often one request waits for a rate limit before
// its stream is reported failed.
const MaxRateWaits = 5

// RoundTrip implements http.RoundTripper. A final non-success answer (304
// included) is returned as the Policy's error instead of a response, so
// every client surfaces it the same way and its text is scrubbed.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	ctx := req.Context()
	if req.URL.Scheme == "http" && !IsLoopback(req.URL.Hostname()) {
		return nil, fmt.Errorf("refusing plain http to %s: only loopback hosts may use http", req.URL.Host)
	}
	p := t.Policy(req)
	attempt, rateWaits := 0, 0
	for {
		if err := p.Before(ctx); err != nil {
			return nil, err
		}
		resp, body, err := t.attempt(ctx, req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if attempt >= t.MaxRetries || !RetryableErr(err) {
				return nil, err
			}
			attempt++
			if err := t.backoff(ctx, attempt, 0, err.Error()); err != nil {
				return nil, err
			}
			continue
		}
		v := p.Answer(resp, body, rateWaits)
		switch {
		case !v.Retry && (resp.StatusCode/100 == 2 || isRedirect(resp.StatusCode)):
			// A redirect (a renamed or moved repo) goes back to the
			// http.Client, which follows it through this transport again, and
			// the token goes only to the configured host.
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			return resp, nil
		case !v.Retry:
			return nil, p.Fail(resp.StatusCode, t.Red.Scrub(p.ErrorMessage(body)))
		case v.Rate:
			if rateWaits >= MaxRateWaits {
				return nil, p.Fail(resp.StatusCode, "rate limited: gave up after "+strconv.Itoa(rateWaits)+" waits")
			}
			rateWaits++
			if err := p.Pause(ctx, t.Now().Add(v.Wait), v.Msg); err != nil {
				return nil, err
			}
		default:
			if attempt >= t.MaxRetries {
				return nil, p.Fail(resp.StatusCode, t.Red.Scrub(v.Why)+" after "+strconv.Itoa(attempt+1)+" attempts")
			}
			attempt++
			if err := t.backoff(ctx, attempt, v.Wait, v.Why); err != nil {
				return nil, err
			}
		}
	}
}

// attempt sends one copy of req and reads the whole answer within the
// per-attempt timeout. The credential is set only for the configured
// scheme and host, so a redirect elsewhere never carries it.
func (t *Transport) attempt(ctx context.Context, req *http.Request) (*http.Response, []byte, error) {
	select {
	case t.Sem <- struct{}{}:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	defer func() { <-t.Sem }()
	actx, cancel := context.WithTimeout(ctx, t.AttemptTimeout)
	defer cancel()
	r := req.Clone(actx)
	if req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, nil, err
		}
		r.Body = b
	}
	t.Credential(ctx, r, r.URL.Scheme == t.Scheme && strings.EqualFold(r.URL.Host, t.Host))
	t.Requests.Add(1)
	resp, err := t.Base.RoundTrip(r)
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

// backoff sleeps 1 s, 2 s, 4 s ... (at most 30 s), or what Retry-After says.
func (t *Transport) backoff(ctx context.Context, attempt int, after time.Duration, why string) error {
	d := time.Second << (attempt - 1)
	if d > 30*time.Second {
		d = 30 * time.Second
	}
	if after > d {
		d = after
	}
	t.Report(ctx, sources.Progress{Source: t.Source, Remaining: -1, Limit: -1,
		Message: t.Red.Scrub(fmt.Sprintf("retrying in %s after %s (retry %d of %d)", d, why, attempt, t.MaxRetries))})
	return t.Sleep(ctx, d)
}

// RetryableErr reports transport failures worth another attempt: timeouts,
// dropped connections and bodies cut short.
func RetryableErr(err error) bool {
	if IsTimeout(err) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var ne *net.OpError
	if errors.As(err, &ne) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "connection reset") || strings.Contains(s, "reading response")
}

// RetryAfter parses Retry-After (seconds or an HTTP date).
func RetryAfter(h http.Header, now time.Time) time.Duration {
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

// UntilReset is the wait until the Unix time in header name (plus a
// second of clock slack); ok is false when the header is missing.
func UntilReset(h http.Header, name string, now time.Time) (d time.Duration, ok bool) {
	sec, err := strconv.ParseInt(h.Get(name), 10, 64)
	if err != nil {
		return 0, false
	}
	return time.Unix(sec, 0).Sub(now) + time.Second, true
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// IsJSON reports an answer that says it is JSON.
func IsJSON(resp *http.Response) bool {
	return strings.Contains(resp.Header.Get("Content-Type"), "json")
}
