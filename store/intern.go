package store

import (
	"encoding/json"
	"strings"

	"github.com/pace-dev/pace/domain"
)

// interner makes equal strings of one Load share a single copy: a scale-100
// cache repeats a few hundred repos, logins, labels and branches across a
// million rows, and the driver hands every row a fresh string.
type interner struct {
	m map[string]string
}

func newInterner() *interner { return &interner{m: make(map[string]string, 1024)} }

// str returns the shared copy of s.
func (in *interner) str(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := in.m[s]; ok {
		return v
	}
	in.m[s] = s
	return s
}

// source maps the known sources to their constants without a map lookup.
func (in *interner) source(s string) domain.Source {
	switch s {
	case string(domain.GitHub):
		return domain.GitHub
	case string(domain.GitLab):
		return domain.GitLab
	}
	return domain.Source(in.str(s))
}

func (in *interner) kind(s string) domain.ActivityKind {
	switch s {
	case string(domain.Commit):
		return domain.Commit
	case string(domain.Review):
		return domain.Review
	case string(domain.ReviewComment):
		return domain.ReviewComment
	case string(domain.Comment):
		return domain.Comment
	case string(domain.Approval):
		return domain.Approval
	}
	return domain.ActivityKind(in.str(s))
}

func (in *interner) tier(s string) domain.Tier {
	switch s {
	case string(domain.Production):
		return domain.Production
	case string(domain.Staging):
		return domain.Staging
	case string(domain.OtherTier):
		return domain.OtherTier
	}
	return domain.Tier(in.str(s))
}

func (in *interner) result(s string) domain.Result {
	switch s {
	case string(domain.Success):
		return domain.Success
	case string(domain.Failure):
		return domain.Failure
	case string(domain.InProgress):
		return domain.InProgress
	case string(domain.Cancelled):
		return domain.Cancelled
	}
	return domain.Result(in.str(s))
}

// decodeStrings reads a list stored by encodeStrings (the empty string is nil). The
// common case, a JSON array of strings without escapes, is split by hand
// (a million-row load would spend more time in encoding/json than in
// SQLite); anything with a backslash goes through encoding/json. Elements
// are interned when in is not nil.
func decodeStrings(s string, in *interner) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var out []string
	if fast, ok := splitPlainJSON(s); ok {
		out = fast
	} else if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	if in != nil {
		for i, v := range out {
			out[i] = in.str(v)
		}
	}
	return out, nil
}

// splitPlainJSON parses `["a","b"]` whose elements hold no '\' or '"'
// (encodeStrings writes no whitespace). ok is false for any other shape.
// The elements are substrings of s (a few bytes kept alive, no copies).
func splitPlainJSON(s string) (out []string, ok bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || strings.IndexByte(s, '\\') >= 0 {
		return nil, false
	}
	body := s[1 : len(s)-1]
	if body == "" {
		return nil, true
	}
	out = make([]string, 0, strings.Count(body, `","`)+1)
	for body != "" {
		if body[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(body[1:], '"')
		if end < 0 {
			return nil, false
		}
		out = append(out, body[1:1+end])
		body = body[2+end:]
		if body == "" {
			break
		}
		if body[0] != ',' || len(body) == 1 {
			return nil, false
		}
		body = body[1:]
	}
	return out, true
}
