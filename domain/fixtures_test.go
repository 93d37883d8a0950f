package domain

import (
	"regexp"
	"testing"
	"time"
)

// testNow is a Wednesday noon; the 14-day window is [May 29 12:00, Jun 12 12:00)
// and the current ISO week starts Monday Jun 10 00:00.
var testNow = time.Date(2024, 6, 12, 12, 0, 0, 0, time.UTC)

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

// ago is testNow minus d.
func ago(d time.Duration) time.Time { return testNow.Add(-d) }

// testSettings is two teams sharing bob: Fraud ML (target 30/70) owns
// acme/fraud-model, Platform owns acme/platform.
func testSettings() Settings {
	s := DefaultSettings()
	s.Teams = []Team{
		{
			Name:       "Fraud ML",
			Members:    []Member{{Login: "alice"}, {Login: "bob"}, {Source: GitLab, Login: "bob.smith"}},
			Repos:      []string{"acme/fraud-model"},
			Allocation: &Split{Research: 30, Engineering: 70},
		},
		{
			Name:    "Platform",
			Members: []Member{{Login: "carol"}, {Login: "Bob"}},
			Repos:   []string{"acme/platform"},
		},
	}
	s.Experiments.Workflows = []string{"train.yml"}
	s.Experiments.PipelineRef = regexp.MustCompile(`^exp/`)
	return s
}

// merged is a plain change of author in repo: first commit, opened (ready),
// reviewed and merged at the given times before testNow.
func merged(repo string, n int, author string, commit, opened, review, merge time.Duration) Change {
	c := Change{
		Source: GitHub, Repo: repo, Number: n, Author: author,
		BaseBranch: "main", HeadBranch: "feat/x",
		FirstCommitAt: ago(commit), OpenedAt: ago(opened), ReadyAt: ago(opened),
		MergedAt: ago(merge),
	}
	if review > 0 {
		c.FirstReviewAt = ago(review)
	}
	return c
}

// teamByName finds a team report.
func teamByName(t *testing.T, r *Report, name string) *TeamReport {
	t.Helper()
	for i := range r.Teams {
		if r.Teams[i].Name == name {
			return &r.Teams[i]
		}
	}
	t.Fatalf("no team %q in report", name)
	return nil
}

// secs is d in whole seconds.
func secs(d time.Duration) int64 { return int64(d / time.Second) }

// one is the stats of a single value.
func one(d time.Duration) Stats { return Stats{Count: 1, P50: secs(d), P75: secs(d), P90: secs(d)} }
