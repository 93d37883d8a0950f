package sources

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pace-dev/pace/domain"
)

// CheckResult is what `pace config check --online` learnt about one
// source: who the token is, what it may do, how much budget is left, and
// whether each configured repo, org, project or group can be read. GitHub
// and GitLab both return it, so the CLI prints one shape.
type CheckResult struct {
	Source domain.Source
	// Login is who the token belongs to; "" when the API would not say
	// (a GitHub App or Actions token cannot call GET /user).
	Login string
	// LoginNote says why Login is empty, when it is.
	LoginNote string
	// Scopes are the token's OAuth scopes when the API says (GitHub's
	// X-OAuth-Scopes, classic tokens only); ScopesKnown is false otherwise,
	// so "no scopes" and "not said" stay apart.
	Scopes      []string
	ScopesKnown bool
	// RateRemaining and RateLimit are the REST budget as the last answer
	// read said (GitHub's core budget, GitLab's per-user one); -1 when not
	// sent. Answers to concurrent requests may be read out of order, so it
	// can be a few requests high.
	RateRemaining, RateLimit int
	// Repos holds one entry per configured repo or project, then one per
	// org or group ("org:NAME", "group:PATH"), in the config's order.
	Repos    []RepoAccess
	Requests int64 // HTTP requests sent, retries included
}

// RepoAccess is whether one configured repo, project, org or group can be
// read with the token.
type RepoAccess struct {
	Repo string // "owner/name", a project path, "org:NAME" or "group:PATH"
	OK   bool
	// Err says why not, e.g. "not found or no access (404 Not Found)";
	// its text never holds the token.
	Err string
	// Note is what else is worth knowing about an accessible one
	// ("archived", "12 repos", a role too low for deployments).
	Note string
}

// Failed reports whether some repo, org, project or group cannot be read.
func (r CheckResult) Failed() bool {
	for _, a := range r.Repos {
		if !a.OK {
			return true
		}
	}
	return false
}

// CheckAll runs check for each of n items, at most concurrency at once,
// and returns the answers in item order, so a long repo list costs
// roughly one round trip per concurrency repos rather than one per repo.
// The first error check returns (a rejected token) is returned too; the
// items not yet started are then skipped.
func CheckAll(ctx context.Context, n, concurrency int, check func(ctx context.Context, i int) (RepoAccess, error)) ([]RepoAccess, error) {
	if concurrency <= 0 {
		concurrency = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out := make([]RepoAccess, n)
	errs := make([]error, n)
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			out[i], errs[i] = check(ctx, i)
			if errs[i] != nil {
				cancel()
			}
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return out, err
		}
	}
	for _, err := range errs {
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// CheckSleep bounds how long a check may wait in all (backoff and
// rate-limit pauses) to max: a check is asked for at a terminal and
// should answer in seconds, not sit out an hour until a budget resets.
// Past the bound it fails with an error that says so.
func CheckSleep(sleep func(context.Context, time.Duration) error, max time.Duration) func(context.Context, time.Duration) error {
	var mu sync.Mutex
	var spent time.Duration
	return func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		over := spent+d > max
		if !over {
			spent += d
		}
		mu.Unlock()
		if over {
			return fmt.Errorf("would wait %s more (rate limit or retries); a check waits at most %s", d.Round(time.Second), max)
		}
		return sleep(ctx, d)
	}
}

// CheckSpec is what one source supplies to RunCheck: its own requests,
// over the transport it already built.
type CheckSpec struct {
	User        func(ctx context.Context, res *CheckResult) error    // who the token is
	Items       int                                                  // repos/projects, then orgs/groups
	Item        func(ctx context.Context, i int) (RepoAccess, error) // can item i be read
	Concurrency int
	Budget      func() (remaining, limit int) // the rate budget after the checks
	Requests    func() int64                  // requests sent, retries included
}

// RunCheck is the shape every source's Check shares: who the token is
// (a rejected token stops there), then every item, CheckAll-parallel, then
// the rate budget and the request count.
func RunCheck(ctx context.Context, res CheckResult, s CheckSpec) (CheckResult, error) {
	if err := s.User(ctx, &res); err != nil {
		res.Requests = s.Requests()
		return res, err
	}
	var err error
	res.Repos, err = CheckAll(ctx, s.Items, s.Concurrency, s.Item)
	res.RateRemaining, res.RateLimit = s.Budget()
	res.Requests = s.Requests()
	return res, err
}
