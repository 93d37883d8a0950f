package github

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os/exec"
	"strings"
	"time"
)

// ScopesHelp says which token permissions pace needs; it ends every
// message about a missing or rejected token.
const ScopesHelp = "a classic token needs the scopes repo and read:org " +
	"(public_repo and read:org for public repos only); a fine-grained token needs " +
	"read access to Metadata, Contents, Pull requests, Deployments and Actions, " +
	"and Members (organization) for github_team"

// ErrNoToken is returned when no token is configured anywhere.
var ErrNoToken = errors.New("no GitHub token: set GITHUB_TOKEN or GH_TOKEN, or log in with `gh auth login`; " + ScopesHelp)

// TokenFromEnv finds the GitHub token: GITHUB_TOKEN, else GH_TOKEN, else
// what ghToken returns (pass GHCLIToken, or nil to skip the gh CLI). It
// returns ErrNoToken, which says what to set, when there is none.
func TokenFromEnv(getenv func(string) string, ghToken func() (string, error)) (string, error) {
	for _, k := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v, nil
		}
	}
	if ghToken != nil {
		if v, err := ghToken(); err == nil && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v), nil
		}
	}
	return "", ErrNoToken
}

// GHCLIToken returns a function that asks the gh CLI for its token for the
// host of baseURL (`gh auth token --hostname HOST`). It fails when gh is not
// installed or not logged in; TokenFromEnv then reports ErrNoToken.
func GHCLIToken(ctx context.Context, baseURL string) func() (string, error) {
	return func() (string, error) {
		path, err := exec.LookPath("gh")
		if err != nil {
			return "", err
		}
		host := "github.com"
		if u, err := url.Parse(baseURL); err == nil && u.Host != "" && u.Host != "api.github.com" {
			host = u.Host
		}
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, path, "auth", "token", "--hostname", host)
		cmd.Stdout = &out
		if err := cmd.Run(); err != nil {
			// gh's stderr is not passed on: it may quote the token file.
			return "", errors.New("gh auth token failed")
		}
		return strings.TrimSpace(out.String()), nil
	}
}
