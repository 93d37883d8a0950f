package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/pace-dev/pace/sources"
)

// HTTPError is GitHub's final answer to a request that did not succeed
// (after the retries the status allows). A 304 Not Modified is one too:
// the caller asked a conditional question and the answer is "unchanged".
type HTTPError struct {
	Status   int
	Message  string // GitHub's message, token removed, at most 200 characters
	Resource string // x-ratelimit-resource (core, graphql, ...), when sent
	Path     string // request path, for the error text
}

// Error says the status, GitHub's message and the path.
func (e *HTTPError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	return fmt.Sprintf("%d %s (%s)", e.Status, msg, e.Path)
}

// StreamError is a failure of one stream of one repo; the sync goes on
// with the others. Its text never contains the token.
type StreamError struct {
	Repo   string
	Stream sources.Stream
	msg    string
	err    error
}

// Error says the repo, the stream and what went wrong.
func (e *StreamError) Error() string { return e.msg }

// Unwrap gives the cause (an *HTTPError, a context error, ...).
func (e *StreamError) Unwrap() error { return e.err }

// AuthError means the token was missing or rejected (401): nothing can be
// synced until it is fixed, so Sync stops and returns it.
type AuthError struct{ msg string }

// Error says what to set and which scopes are needed.
func (e *AuthError) Error() string { return e.msg }

// redactor removes a secret from text that may reach a log, an error or
// the cache. GitHub never echoes the token, but a proxy or a hostile
// server might, so every message from the network passes through it.
type redactor struct{ secret string }

func (r redactor) scrub(s string) string {
	if r.secret == "" || len(r.secret) < 4 {
		return s
	}
	return strings.ReplaceAll(s, r.secret, "[REDACTED]")
}

// streamErr wraps err with repo and stream, scrubbed.
func (r redactor) streamErr(repo string, st sources.Stream, err error) *StreamError {
	var se *StreamError
	if errors.As(err, &se) && se.Repo == repo && se.Stream == st {
		return se
	}
	return &StreamError{Repo: repo, Stream: st, err: err,
		msg: r.scrub(fmt.Sprintf("github %s %s: %v", repo, st, err))}
}

// errorMessage pulls GitHub's "message" out of an error body, shortened.
func errorMessage(body []byte) string {
	var v struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &v) != nil || v.Message == "" {
		return ""
	}
	return truncate(v.Message, 200)
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

// isNotModified reports a 304 answer to a conditional request.
func isNotModified(err error) bool { return statusOf(err) == http.StatusNotModified }

// errNotFound is GraphQL's answer (HTTP 200, data.repository null) for a
// repo that does not exist or that the token cannot see.
var errNotFound = errors.New("repository not found or no access")

// isNotFound reports a repo or workflow that does not exist or that the
// token cannot see (GitHub answers 404 for both). GraphQL says so in its
// errors array with HTTP 200.
func isNotFound(err error) bool {
	if statusOf(err) == http.StatusNotFound || errors.Is(err, errNotFound) {
		return true
	}
	return err != nil && strings.Contains(err.Error(), "Could not resolve to a Repository")
}

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
