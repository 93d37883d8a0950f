package domain

import "testing"

func TestMatchBot(t *testing.T) {
	defaults := []string{"*[bot]", "renovate", "dependabot"}
	tests := []struct {
		patterns []string
		login    string
		want     bool
	}{
		{defaults, "renovate[bot]", true},   // brackets are literal, not a class
		{defaults, "Dependabot[BOT]", true}, // case-insensitive
		{defaults, "github-actions[bot]", true},
		{defaults, "renovate", true},
		{defaults, "Renovate", true},
		{defaults, "renovate-bot", false}, // no wildcard in "renovate"
		{defaults, "robot", false},        // "*[bot]" is not "*bot"
		{defaults, "b", false},            // path.Match("*[bot]", "b") would be true
		{defaults, "alice", false},
		{defaults, "", false},
		{[]string{"*"}, "anyone", true},
		{[]string{"dep*"}, "dependabot", true},
		{[]string{"a*b*c"}, "axxbyyc", true},
		{[]string{"a*b*c"}, "axxbyy", false},
		{[]string{"*bot*"}, "my-bot-account", true},
		{[]string{"**x"}, "x", true},
		{nil, "renovate[bot]", false},
	}
	for _, tt := range tests {
		if got := MatchBot(tt.patterns, tt.login); got != tt.want {
			t.Errorf("MatchBot(%q, %q) = %v, want %v", tt.patterns, tt.login, got, tt.want)
		}
		if got := newBotMatcher(tt.patterns).match(tt.login); got != tt.want {
			t.Errorf("botMatcher(%q).match(%q) = %v, want %v", tt.patterns, tt.login, got, tt.want)
		}
	}
}

func FuzzGlobMatchesItself(f *testing.F) {
	f.Add("renovate[bot]")
	f.Add("a*b")
	f.Fuzz(func(t *testing.T, s string) {
		// A login with no '*' is a pattern matching exactly itself, and '*' matches it too.
		if s == "" || containsStar(s) {
			return
		}
		if !MatchBot([]string{s}, s) || !MatchBot([]string{"*"}, s) || !MatchBot([]string{"*" + s + "*"}, s) {
			t.Errorf("%q does not match itself", s)
		}
	})
}

func containsStar(s string) bool {
	for i := range len(s) {
		if s[i] == '*' {
			return true
		}
	}
	return false
}
