package domain

import (
	"regexp"
	"strings"
)

// classifier applies Settings.Classify: the first rule with a label equal
// (case-insensitively) to one of the item's labels, or a branch regexp
// matching its branch, gives the category; Engineering when none matches.
// Branch answers are cached because experiment runs repeat branches.
type classifier struct {
	rules  []ClassifyRule
	branch map[string]uint64 // branch → bit i set when rule i's regexps match it; nil: no cache
}

// newClassifier prepares rules for repeated use. cache keeps each branch's
// answer: worth it for runs (few branches), not for changes (one each).
func newClassifier(rules []ClassifyRule, cache bool) *classifier {
	c := &classifier{rules: rules}
	if cache {
		c.branch = make(map[string]uint64)
	}
	return c
}

// classify returns the category of an item with labels and a branch.
func (c *classifier) classify(labels []string, branch string) Category {
	if len(c.rules) == 0 {
		return Engineering
	}
	mask := c.branchMask(branch)
	for i, r := range c.rules {
		if (i < 64 && mask&(1<<i) != 0) || (i >= 64 && anyMatch(r.Branches, branch)) || labelIn(r.Labels, labels) {
			if r.Category == "" {
				return Engineering
			}
			return r.Category
		}
	}
	return Engineering
}

// branchMask computes (once per branch) which rules' regexps match it.
func (c *classifier) branchMask(branch string) uint64 {
	if branch == "" {
		return 0
	}
	if m, ok := c.branch[branch]; ok {
		return m
	}
	var m uint64
	for i, r := range c.rules {
		if i < 64 && anyMatch(r.Branches, branch) {
			m |= 1 << i
		}
	}
	if c.branch != nil {
		c.branch[branch] = m
	}
	return m
}

// anyMatch reports whether one of res matches s.
func anyMatch(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re != nil && re.MatchString(s) {
			return true
		}
	}
	return false
}

// labelIn reports whether one of labels equals one of want, ignoring case.
func labelIn(want, labels []string) bool {
	for _, w := range want {
		if hasLabel(labels, w) {
			return true
		}
	}
	return false
}

// hasLabel reports whether labels hold want, ignoring case.
func hasLabel(labels []string, want string) bool {
	for _, l := range labels {
		if strings.EqualFold(l, want) {
			return true
		}
	}
	return false
}

// regexpString is re's source, "" for nil.
func regexpString(re *regexp.Regexp) string {
	if re == nil {
		return ""
	}
	return re.String()
}
