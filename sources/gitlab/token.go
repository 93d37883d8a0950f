package gitlab

import (
	"errors"
	"strings"
)

// ScopesHelp says which token pace needs; it ends every message about a
// missing or rejected token.
const ScopesHelp = "use a personal, group or project access token with the scope read_api " +
	"and at least the Reporter role on the projects (deployments and environments need it)"

// ErrNoToken is returned when GITLAB_TOKEN is not set.
var ErrNoToken = errors.New("no GitLab token: set GITLAB_TOKEN; " + ScopesHelp)

// TokenFromEnv returns GITLAB_TOKEN, trimmed, or ErrNoToken, which says
// what to set and which scope is needed.
func TokenFromEnv(getenv func(string) string) (string, error) {
	if v := strings.TrimSpace(getenv("GITLAB_TOKEN")); v != "" {
		return v, nil
	}
	return "", ErrNoToken
}
