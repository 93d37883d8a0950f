package gitlab

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
)

// testToken is what the fake demands; tests search for it in every text.
const testToken = "glpat-TESTTOKENabcdef0123456789"

// fakeClock is the one clock of a test: the client's Now and Sleep and the
// fake server's rate-limit windows. Sleep advances it instead of waiting.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept time.Duration
}

func newClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.t = c.t.Add(d)
		c.slept += d
	}
	return nil
}

func (c *fakeClock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept
}

// newFake starts a fake GitLab on the test's clock.
func newFake(t testing.TB, clk *fakeClock, o fakegl.Options) *fakegl.Server {
	t.Helper()
	o.Token = testToken
	o.Now = clk.Now
	srv := fakegl.New(o)
	t.Cleanup(srv.Close)
	return srv
}

// testOptions points pace at the fake with short attempt timeouts.
func testOptions(srv *fakegl.Server, clk *fakeClock, projects ...string) Options {
	return Options{
		BaseURL:    srv.URL(),
		Token:      testToken,
		HTTPClient: &http.Client{Timeout: 2 * time.Second},
		Projects:   projects,
		Now:        clk.Now,
		Sleep:      clk.Sleep,
	}
}

// progressLog collects progress reports.
type progressLog struct {
	mu sync.Mutex
	ps []sources.Progress
}

func (l *progressLog) add(p sources.Progress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ps = append(l.ps, p)
}

func (l *progressLog) all() []sources.Progress {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]sources.Progress(nil), l.ps...)
}
