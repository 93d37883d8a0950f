// Package syncx is the sync machinery GitHub and GitLab share: the
// per-repo worker pool and its final status, the redactor and error
// shapes, progress tagging, base-URL checks, the retry loop of the
// transport and the rate-limit pauses. Each source keeps its own API
// quirks (header names, what counts as not found, GraphQL errors) and
// plugs them in.
package syncx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/pace-dev/pace/sources"
)

// HTTPError is the API's final answer to a request that did not succeed
// (after the retries the status allows). A 304 Not Modified is one too:
// GitHub's conditional requests read it as "unchanged", and GitLab's
// client-go would otherwise surface it as a bare io.EOF.
type HTTPError struct {
	Status   int
	Message  string // the API's message, token removed, at most 200 characters
	Resource string // GitHub's x-ratelimit-resource (core, graphql, ...), when sent
	Path     string // request path, for the error text
}

// Error says the status, the API's message and the path.
func (e *HTTPError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	return fmt.Sprintf("%d %s (%s)", e.Status, msg, e.Path)
}

// StreamError is a failure of one stream of one repo or project; the sync
// goes on with the others. Its text never contains the token.
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

// NewAuthError is an AuthError whose text is msg (what to set, which
// scopes are needed).
func NewAuthError(msg string) *AuthError { return &AuthError{msg: msg} }

// Error says what to set and which scopes are needed.
func (e *AuthError) Error() string { return e.msg }

// Redactor removes a secret from text that may reach a log, an error or
// the cache. No API echoes the token, but a proxy or a hostile server
// might, so every message from the network passes through it.
type Redactor struct {
	Secret string
	Source string // prefix of stream errors: "github", "gitlab"
	// TrimURL drops the URL net/http puts around a transport error (GitLab:
	// the path is already in an *HTTPError's text, the query is noise).
	TrimURL bool
}

// Scrub replaces the secret in s.
func (r Redactor) Scrub(s string) string {
	if len(r.Secret) < 4 {
		return s
	}
	return strings.ReplaceAll(s, r.Secret, "[REDACTED]")
}

// StreamErr wraps err with repo and stream, scrubbed; an error already
// wrapped for the same repo and stream is returned as it is.
func (r Redactor) StreamErr(repo string, st sources.Stream, err error) *StreamError {
	var se *StreamError
	if errors.As(err, &se) && se.Repo == repo && se.Stream == st {
		return se
	}
	text := err.Error()
	var ue *url.Error
	if r.TrimURL && errors.As(err, &ue) && ue.Err != nil {
		text = strings.Replace(text, ue.Error(), ue.Err.Error(), 1)
	}
	return &StreamError{Repo: repo, Stream: st, err: err,
		msg: r.Scrub(fmt.Sprintf("%s %s %s: %s", r.Source, repo, st, text))}
}

// Truncate shortens s to n runes, marking the cut.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return string(rs[:n]) + "…"
}

// StatusOf returns the HTTP status behind err, or 0.
func StatusOf(err error) int {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status
	}
	return 0
}

// IsUnauthorized reports a rejected token.
func IsUnauthorized(err error) bool { return StatusOf(err) == http.StatusUnauthorized }

// IsTimeout reports a request that ran out of time (not a cancelled sync).
func IsTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
