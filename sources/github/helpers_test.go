package github

import (
	"net/http"
	"testing"
	"time"

	"github.com/pace-dev/pace/sources/github/fakegh"
	"github.com/pace-dev/pace/sources/internal/sourcetest"
)

// testToken is what the fake demands; tests search for it in every text.
const testToken = "ghp_TESTTOKENabcdef0123456789"

// fakeClock is the one clock of a test: the client's Now and Sleep and the
// fake server's rate-limit windows.
type fakeClock = sourcetest.Clock

func newClock(t time.Time) *fakeClock { return sourcetest.NewClock(t) }

// newFake starts a fake GitHub on the test's clock.
func newFake(t testing.TB, clk *fakeClock, o fakegh.Options) *fakegh.Server {
	t.Helper()
	o.Token = testToken
	o.Now = clk.Now
	srv, err := fakegh.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// testOptions points pace at the fake with short attempt timeouts.
func testOptions(srv *fakegh.Server, clk *fakeClock, repos ...string) Options {
	return Options{
		BaseURL:    srv.URL(),
		Token:      testToken,
		HTTPClient: &http.Client{Timeout: 2 * time.Second},
		Repos:      repos,
		Now:        clk.Now,
		Sleep:      clk.Sleep,
	}
}

// progressLog collects progress reports.
type progressLog = sourcetest.ProgressLog
