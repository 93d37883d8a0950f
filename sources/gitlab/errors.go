package gitlab

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources/internal/syncx"
)

// HTTPError is GitLab's final answer to a request that did not succeed
// (after the retries the status allows). A 304 is one too: client-go
// would surface it as a bare io.EOF from decoding an empty body, which
// reads like a dropped connection; pace never asks conditionally, so a
// 304 (from a proxy) is reported as what it is. Resource stays empty.
type HTTPError = syncx.HTTPError

// StreamError is a failure of one stream of one project; the sync goes on
// with the others. Its text never contains the token.
type StreamError = syncx.StreamError

// AuthError means the token was missing or rejected (401): nothing can be
// synced until it is fixed, so Sync stops and returns it.
type AuthError = syncx.AuthError

// newRedactor scrubs the token from every text, prefixes stream errors
// with "gitlab" and drops the URL net/http puts around a transport error:
// the path is already in an *HTTPError's text, and the query string is
// noise.
func newRedactor(token string) syncx.Redactor {
	return syncx.Redactor{Secret: token, Source: string(domain.GitLab), TrimURL: true}
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
		return syncx.Truncate(s, 200)
	}
	switch m := v.Message.(type) {
	case string:
		return syncx.Truncate(m, 200)
	case nil:
		return syncx.Truncate(v.Error, 200)
	default:
		b, _ := json.Marshal(m)
		return syncx.Truncate(string(b), 200)
	}
}

// isNotFound reports a project or group that does not exist or that the
// token cannot see (GitLab answers 404 for both).
func isNotFound(err error) bool { return syncx.StatusOf(err) == http.StatusNotFound }

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
