package github

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// HTTPError is GitHub's final answer to a request that did not succeed
// (after the retries the status allows). A 304 Not Modified is one too:
// the caller asked a conditional question and the answer is "unchanged".
type HTTPError = syncx.HTTPError

// StreamError is a failure of one stream of one repo; the sync goes on
// with the others. Its text never contains the token.
type StreamError = syncx.StreamError

// AuthError means the token was missing or rejected (401): nothing can be
// synced until it is fixed, so Sync stops and returns it.
type AuthError = syncx.AuthError

// newRedactor scrubs the token from every text and prefixes stream errors
// with "github".
func newRedactor(token string) syncx.Redactor {
	return syncx.Redactor{Secret: token, Source: string(domain.GitHub)}
}

// errorMessage pulls GitHub's "message" out of an error body, shortened.
func errorMessage(body []byte) string {
	var v struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &v) != nil || v.Message == "" {
		return ""
	}
	return syncx.Truncate(v.Message, 200)
}

// isNotModified reports a 304 answer to a conditional request.
func isNotModified(err error) bool { return syncx.StatusOf(err) == http.StatusNotModified }

// errNotFound is GraphQL's answer (HTTP 200, data.repository null) for a
// repo that does not exist or that the token cannot see.
var errNotFound = errors.New("repository not found or no access")

// isNotFound reports a repo or workflow that does not exist or that the
// token cannot see (GitHub answers 404 for both). GraphQL says so in its
// errors array with HTTP 200.
func isNotFound(err error) bool {
	if syncx.StatusOf(err) == http.StatusNotFound || errors.Is(err, errNotFound) {
		return true
	}
	return err != nil && strings.Contains(err.Error(), "Could not resolve to a Repository")
}
