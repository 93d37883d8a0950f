package domain

import "strings"

// MatchBot reports whether login matches one of patterns, case-insensitively.
// A pattern's only wildcard is '*' (any run of characters, possibly empty);
// every other character is literal. That is why this is not path.Match:
// there "*[bot]" would be a character class, here it matches "renovate[bot]".
// An empty login never matches.
func MatchBot(patterns []string, login string) bool {
	if login == "" {
		return false
	}
	l := strings.ToLower(login)
	for _, p := range patterns {
		if globMatch(strings.ToLower(p), l) {
			return true
		}
	}
	return false
}

// globMatch matches s against a '*'-only glob: greedy, backtracking to the
// last star only, so it runs in O(len(p)*len(s)) at worst without recursion.
func globMatch(p, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && p[pi] == s[si]:
			pi++
			si++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// botMatcher is MatchBot with the patterns lowered once and answers cached
// per login, for the passes over every change and activity.
type botMatcher struct {
	patterns []string
	cache    map[string]bool
	last     string // the last login asked about: activities repeat a reviewer
	lastBot  bool
}

// newBotMatcher prepares patterns for repeated matching.
func newBotMatcher(patterns []string) *botMatcher {
	m := &botMatcher{cache: make(map[string]bool)}
	for _, p := range patterns {
		if p != "" {
			m.patterns = append(m.patterns, strings.ToLower(p))
		}
	}
	return m
}

// match reports whether login is a bot.
func (m *botMatcher) match(login string) bool {
	if login == "" || len(m.patterns) == 0 {
		return false
	}
	if login == m.last {
		return m.lastBot
	}
	if v, ok := m.cache[login]; ok {
		m.last, m.lastBot = login, v
		return v
	}
	l := strings.ToLower(login)
	v := false
	for _, p := range m.patterns {
		if globMatch(p, l) {
			v = true
			break
		}
	}
	m.cache[login] = v
	m.last, m.lastBot = login, v
	return v
}
