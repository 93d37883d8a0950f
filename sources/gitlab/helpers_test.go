package gitlab

import (
	"net/http"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources/gitlab/fakegl"
	"github.com/pace-dev/pace/sources/internal/sourcetest"
)

// testToken is what the fake demands; tests search for it in every text.
const testToken = "glpat-TESTTOKENabcdef0123456789"

// fakeClock is the one clock of a test: the client's Now and Sleep and the
// fake server's rate-limit windows.
type fakeClock = sourcetest.Clock

func newClock(t time.Time) *fakeClock { return sourcetest.NewClock(t) }

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
type progressLog = sourcetest.ProgressLog
