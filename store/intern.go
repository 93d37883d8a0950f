package store

import (
	"encoding/binary"
	"encoding/json"
	"strings"

	"github.com/pace-dev/pace/domain"
)

// interner makes equal strings of one Load lane share a single copy: a
// scale-100 cache repeats a few hundred repos, logins, labels and branches
// across a million rows. Only the first sighting of a string allocates.
// A small direct-mapped cache in front of the map answers most lookups (the
// same few repos and people come back row after row) for a fraction of a
// map lookup's cost, which a million-row Load pays a couple of million times.
type interner struct {
	m    map[string]string
	last [internSlots]string // cache in front of m
	seen [internSlots]string // recent's cache
}

// internSlots is the size of the interner's cache (a power of two).
const internSlots = 1024

func newInterner() *interner { return &interner{m: make(map[string]string, 1024)} }

// str returns the shared copy of b as a string.
func (in *interner) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	slot := &in.last[hashBytes(b)&(internSlots-1)]
	if *slot == string(b) { // compares without converting
		return *slot
	}
	v, ok := in.m[string(b)] // the compiler does not allocate for this lookup
	if !ok {
		v = string(b)
		in.m[v] = v
	}
	*slot = v
	return v
}

// recent returns a string equal to b: one recently returned when the
// cache still holds it, else a copy in ar. Unlike str it keeps no map,
// so strings that never repeat (a URL with a query) cost no more than a
// copy.
func (in *interner) recent(b []byte, ar *arena) string {
	slot := &in.seen[hashBytes(b)&(internSlots-1)]
	if *slot != string(b) || len(b) == 0 {
		*slot = ar.str(b)
	}
	return *slot
}

// hashBytes is a quick FNV-style hash, eight bytes at a time; it only
// spreads the interner's cache slots, so collisions cost speed, not
// correctness.
func hashBytes(b []byte) uint64 {
	const prime = 0x100000001b3
	h := uint64(len(b)) * 0x9e3779b97f4a7c15
	for len(b) >= 8 {
		h = (h ^ binary.LittleEndian.Uint64(b)) * prime
		b = b[8:]
	}
	for _, c := range b {
		h = (h ^ uint64(c)) * prime
	}
	return h ^ h>>32
}

// source maps the known sources to their constants without a map lookup.
func (in *interner) source(b []byte) domain.Source {
	switch string(b) {
	case string(domain.GitHub):
		return domain.GitHub
	case string(domain.GitLab):
		return domain.GitLab
	}
	return domain.Source(in.str(b))
}

func (in *interner) kind(b []byte) domain.ActivityKind {
	if k := kindCode(domain.ActivityKind(b)); k != 0 {
		return kinds[k]
	}
	return domain.ActivityKind(in.str(b))
}

func (in *interner) tier(b []byte) domain.Tier {
	switch string(b) {
	case string(domain.Production):
		return domain.Production
	case string(domain.Staging):
		return domain.Staging
	case string(domain.OtherTier):
		return domain.OtherTier
	}
	return domain.Tier(in.str(b))
}

func (in *interner) result(b []byte) domain.Result {
	switch string(b) {
	case string(domain.Success):
		return domain.Success
	case string(domain.Failure):
		return domain.Failure
	case string(domain.InProgress):
		return domain.InProgress
	case string(domain.Cancelled):
		return domain.Cancelled
	}
	return domain.Result(in.str(b))
}

// decodeStrings reads a list stored by encodeStrings (the empty string is
// nil): a source's errors, and the labels of a version-2 cache being
// migrated. The common case, a JSON array of strings without escapes, is
// split by hand; anything with a backslash goes through encoding/json.
func decodeStrings(s string) ([]string, error) {
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
