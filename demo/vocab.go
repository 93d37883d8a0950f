package demo

import (
	"strconv"
	"strings"
)

// group is a set of title templates (one %s each) whose every combination
// with nouns reads naturally.
type group struct {
	templates []string
	nouns     []string
}

// dep is a dependency that people and bots bump.
type dep struct {
	name                string
	major, minor, patch int
}

// topic is an experiment: its branch slug and the hypothesis its change states.
type topic struct {
	slug, title string
}

// vocab is what a team's titles are made of.
type vocab struct {
	research []group
	feature  []group
	fix      []group
	chore    []group
	deps     []dep
	topics   []topic
}

// engineering returns the templates every team uses for everyday
// engineering work on its components.
func engineering(components []string) (feature, fix, chore group) {
	feature = group{nouns: components, templates: []string{
		"Add retries with backoff to %s",
		"Add structured logging to %s",
		"Add tracing spans to %s",
		"Expose Prometheus metrics for %s",
		"Support batch requests in %s",
		"Make %s timeouts configurable",
		"Add integration tests for %s",
		"Add a health check endpoint to %s",
		"Cache hot lookups in %s",
		"Write the on-call runbook for %s",
		"Add rate limiting to %s",
		"Add a dry-run mode to %s",
		"Add SLO dashboards for %s",
		"Stream results from %s instead of buffering",
		"Add graceful shutdown to %s",
		"Emit audit events from %s",
	}}
	fix = group{nouns: components, templates: []string{
		"Fix flaky integration test for %s",
		"Fix race condition in %s shutdown",
		"Fix timezone handling in %s",
		"Fix memory growth in %s under load",
		"Handle empty upstream responses in %s",
		"Fix retry storm in %s after failover",
		"Stop %s from logging request bodies",
		"Fix stale cache entries in %s",
		"Guard %s against duplicate events",
		"Fix connection pool exhaustion in %s",
		"Fix wrong status code from %s on timeouts",
		"Fix panic in %s on malformed input",
		"Fix slow startup of %s",
		"Fix missing metrics labels in %s",
	}}
	chore = group{nouns: components, templates: []string{
		"Remove dead code from %s",
		"Clean up expired feature flags in %s",
		"Move %s config to Helm values",
		"Tune %s alert thresholds",
		"Refactor error handling in %s",
		"Split %s into smaller packages",
		"Drop the legacy config path from %s",
		"Pin base image of %s",
		"Raise test coverage of %s",
		"Rename confusing flags in %s",
		"Update the README of %s",
		"Deduplicate retry helpers in %s",
	}}
	return feature, fix, chore
}

// bumpTitle is a person's dependency bump, e.g. "Bump grpc to 1.64".
func bumpTitle(d dep) string {
	return "Bump " + d.name + " to " + strconv.Itoa(d.major) + "." + strconv.Itoa(d.minor)
}

// version formats major.minor.patch.
func (d dep) version() string {
	return strconv.Itoa(d.major) + "." + strconv.Itoa(d.minor) + "." + strconv.Itoa(d.patch)
}

// stopword reports words left out of branch names.
func stopword(w string) bool {
	switch w {
	case "a", "an", "the", "to", "for", "of", "in", "on", "with", "from", "and", "at", "s",
		"into", "against", "after", "under":
		return true
	}
	return false
}

// slug turns a title into a branch-name fragment of at most five words.
func slug(title string) string { return branchOf("", title) }

// branchOf is prefix followed by the title's slug, built in one allocation.
func branchOf(prefix, title string) string {
	var b strings.Builder
	b.Grow(len(prefix) + len(title))
	b.WriteString(prefix)
	words := 0
	for w := range strings.FieldsFuncSeq(strings.ToLower(title), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if stopword(w) {
			continue
		}
		if words > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
		if words++; words == 5 {
			break
		}
	}
	return b.String()
}
