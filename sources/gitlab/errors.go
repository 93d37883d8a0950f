package gitlab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/pace-dev/pace/sources"
)

// HTTPError is GitLab's final answer to a request that did not succeed
// (after the retries the status allows). A 304 is one too: client-go
// would surface it as a bare io.EOF from decoding an empty body, which
// reads like a dropped connection; pace never asks conditionally, so a
// 304 (from a proxy) is reported as what it is.
type HTTPError struct {
	Status  int
	Message string // GitLab's message, token removed, at most 200 characters
	Path    string // request path, for the error text
}

// Error says the status, GitLab's message and the path.
func (e *HTTPError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	return fmt.Sprintf("%d %s (%s)", e.Status, msg, e.Path)
}

// StreamError is a failure of one stream of one project; the sync goes on
// with the others. Its text never contains the token.
type StreamError struct {
	Repo   string
	Stream sources.Stream
	msg    string
	err    error
}

// Error says the project, the stream and what went wrong.
func (e *StreamError) Error() string { return e.msg }

// Unwrap gives the cause (an *HTTPError, a context error, ...).
func (e *StreamError) Unwrap() error { return e.err }

// AuthError means the token was missing or rejected (401): nothing can be
// synced until it is fixed, so Sync stops and returns it.
type AuthError struct{ msg string }

// Error says what to set and which scope is needed.
func (e *AuthError) Error() string { return e.msg }

// redactor removes a secret from text that may reach a log, an error or
// the cache. GitLab never echoes the token, but a proxy or a hostile
// server might, so every message from the network passes through it.
type redactor struct{ secret string }

func (r redactor) scrub(s string) string {
	if len(r.secret) < 4 {
		return s
	}
	return strings.ReplaceAll(s, r.secret, "[REDACTED]")
}

// streamErr wraps err with project and stream, scrubbed. The URL that
// net/http puts around a transport error is dropped: the path is already
// in an *HTTPError's text, and the query string is noise.
func (r redactor) streamErr(repo string, st sources.Stream, err error) *StreamError {
	var se *StreamError
	if errors.As(err, &se) && se.Repo == repo && se.Stream == st {
		return se
	}
	text := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		text = strings.Replace(text, ue.Error(), ue.Err.Error(), 1)
	}
	return &StreamError{Repo: repo, Stream: st, err: err,
		msg: r.scrub(fmt.Sprintf("gitlab %s %s: %s", repo, st, text))}
}

// errorMessage pulls GitLab's "message" (or "error") out of an error
// body, shortened; a plain-text body (a 429's "Retry later") is taken as
// is.
func errorMessage(body []byte) string {
	var v struct {
		Message any    `json:"message"`
		Error   string `json:"error"`
	}
	if json.Unmarshal(body, &v) != nil {
		s := strings.TrimSpace(string(body))
		if s == "" || strings.HasPrefix(s, "<") {
			return ""
		}
		return truncate(s, 200)
	}
	switch m := v.Message.(type) {
	case string:
		return truncate(m, 200)
	case nil:
		return truncate(v.Error, 200)
	default:
		b, _ := json.Marshal(m)
		return truncate(string(b), 200)
	}
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// statusOf returns the HTTP status behind err, or 0.
func statusOf(err error) int {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status
	}
	return 0
}

// isNotFound reports a project or group that does not exist or that the
// token cannot see (GitLab answers 404 for both).
func isNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// isUnauthorized reports a rejected token.
func isUnauthorized(err error) bool { return statusOf(err) == http.StatusUnauthorized }

// isTimeout reports a request that ran out of time (not a cancelled sync).
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// detailErr wraps the failure of a request about one item of a page (a
// merge request's notes, a pipeline, a deployment's merge requests). Its
// 404 means the item went away between the listing and the request, not
// that the project is missing, so it does not skip the project's other
// streams; the stream fails and the next sync, which no longer lists the
// item, goes past it.
func detailErr(what string, err error) error {
	if isNotFound(err) {
		return fmt.Errorf("%s: gone while syncing (404)", what)
	}
	return fmt.Errorf("%s: %w", what, err)
}
