package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
)

func TestSyncPrinterOnAPipe(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	p := newSyncPrinter(&out, false, func() time.Time { return now })
	p.report(sources.Progress{Source: domain.GitHub, Repo: "acme/a", Stream: sources.Changes, Items: 100})
	p.report(sources.Progress{Source: domain.GitHub, Repo: "acme/a", Stream: sources.Changes, Items: 150, Done: true})
	p.report(sources.Progress{Source: domain.GitHub, Repo: "acme/b", Stream: sources.Runs, WaitUntil: now.Add(time.Minute)})
	p.report(sources.Progress{Source: domain.GitHub, Repo: "acme/b", Stream: sources.Runs, Done: true, Err: errors.New("502 \x1b[31mbad\x1b[0m gateway")})
	p.finish()
	got := out.String()
	for _, want := range []string{"github acme/a changes", "150 items", "rate limit: pausing until 2026-11-26T09:01:00Z", "failed: 502 bad gateway"} {
		if !strings.Contains(got, want) {
			t.Errorf("pipe output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("escape sequence on a pipe: %q", got)
	}
}

func TestSyncPrinterLive(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { now = now.Add(200 * time.Millisecond); return now }
	p := newSyncPrinter(&out, true, clock)
	p.report(sources.Progress{Source: domain.GitLab, Repo: "acme/ml/x", Stream: sources.Changes, Items: 25, Remaining: 1990, Limit: 2000})
	p.report(sources.Progress{Source: domain.GitLab, Repo: "acme/ml/y", Stream: sources.Changes, Items: 5, WaitUntil: now.Add(42 * time.Second)})
	p.report(sources.Progress{Source: domain.GitLab, Repo: "acme/ml/x", Stream: sources.Changes, Items: 30, Done: true})
	p.finish()
	got := out.String()
	for _, want := range []string{"1/2 streams", "rate 1990/2000 left", "rate limit: resuming in", "\x1b[2K", "\x1b[", "acme/ml/y changes"} {
		if !strings.Contains(got, want) {
			t.Errorf("live output lacks %q:\n%q", want, got)
		}
	}
}
