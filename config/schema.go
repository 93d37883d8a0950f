package config

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/pace-dev/pace/domain"
)

// The schema check walks the YAML node tree beside the Config type. It does
// what yaml.v3's strict decoding does (unknown keys, wrong types, repeated
// keys) but keeps going after the first problem, names the full key path
// and never quotes a token; it also records the line of every key so the
// semantic checks can point at it.

var (
	nodeType   = reflect.TypeOf(yaml.Node{})
	secretType = reflect.TypeOf(Secret(""))
	ruleType   = reflect.TypeOf(ClassifyRule{})
)

// nodeBudget bounds the nodes visited so alias fan-out ("billion laughs")
// cannot make a small file take forever; a large real config has a few
// thousand nodes.
const nodeBudget = 20000

type walker struct {
	p      *collector
	lines  map[string]int
	order  map[string][]string
	budget int
	spent  bool // the budget ran out and was reported
	memo   map[*yaml.Node][]entry
}

func newWalker(p *collector) *walker {
	return &walker{p: p, lines: p.lines, order: map[string][]string{}, budget: nodeBudget, memo: map[*yaml.Node][]entry{}}
}

// entry is one key/value of a mapping, after "<<" merges are expanded.
type entry struct {
	key, val *yaml.Node
}

func (w *walker) deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 1000; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

func (w *walker) spend(n *yaml.Node, path string) bool {
	w.budget--
	if w.budget >= 0 {
		return true
	}
	if !w.spent {
		w.spent = true
		w.p.addAt(n.Line, path, "the file expands to too many values (aliases?); simplify it")
	}
	return false
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping (key: value)"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	}
	return "something else"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// walk checks n against type t at path.
func (w *walker) walk(n *yaml.Node, t reflect.Type, path string) {
	n = w.deref(n)
	if n == nil || !w.spend(n, path) || isNull(n) {
		return
	}
	switch {
	case t == nodeType:
		w.classify(n, path)
	case t.Kind() == reflect.Pointer:
		w.walk(n, t.Elem(), path)
	case t.Kind() == reflect.Struct:
		w.structure(n, t, path)
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			w.p.addAt(n.Line, path, "must be a list, e.g. [a, b], got %s", kindName(n))
			return
		}
		for i, item := range n.Content {
			ip := fmt.Sprintf("%s[%d]", path, i)
			w.lines[ip] = item.Line
			if isNull(w.deref(item)) {
				// "- " with nothing after it, or ~: always a slip.
				w.p.addAt(item.Line, ip, "is empty; fill it in or remove it")
				continue
			}
			w.walk(item, t.Elem(), ip)
		}
	case t.Kind() == reflect.Map:
		if n.Kind != yaml.MappingNode {
			w.p.addAt(n.Line, path, "must be a mapping (key: value), got %s", kindName(n))
			return
		}
		for _, e := range w.entries(n, path) {
			kp := join(path, e.key.Value)
			w.lines[kp] = e.key.Line
			w.order[path] = append(w.order[path], e.key.Value)
			w.walk(e.val, t.Elem(), kp)
		}
	case t.Kind() == reflect.String:
		w.scalar(n, path, t == secretType)
	case t.Kind() == reflect.Float64:
		if !w.scalar(n, path, false) {
			return
		}
		var f float64
		if tag := n.ShortTag(); tag == "!!str" && plainNumber.MatchString(n.Value) {
			w.p.addAt(n.Line, path, "must be a number, got the string %q; drop the quotes", n.Value)
		} else if (tag != "!!int" && tag != "!!float") || n.Decode(&f) != nil {
			w.p.addAt(n.Line, path, "must be a number, got %q", n.Value)
		} else if math.IsNaN(f) || math.IsInf(f, 0) {
			w.p.addAt(n.Line, path, "must be a finite number, got %q", n.Value)
		}
	default:
		// Config has no other field kinds; a new one must be added here.
		panic("config: schema walk does not know " + t.String())
	}
}

// scalar checks that n is a single value; secret values are never quoted.
func (w *walker) scalar(n *yaml.Node, path string, secret bool) bool {
	if n.Kind != yaml.ScalarNode {
		w.p.addAt(n.Line, path, "must be a single value, got %s", kindName(n))
		return false
	}
	if tag := n.ShortTag(); tag == "!!binary" || !strings.HasPrefix(tag, "!!") {
		if secret {
			w.p.addAt(n.Line, path, "has an unsupported YAML tag")
		} else {
			w.p.addAt(n.Line, path, "has an unsupported YAML tag %q", n.Tag)
		}
		return false
	}
	return true
}

// structure checks a mapping against the yaml tags of struct type t.
func (w *walker) structure(n *yaml.Node, t reflect.Type, path string) {
	if n.Kind != yaml.MappingNode {
		w.p.addAt(n.Line, path, "must be a mapping (key: value), got %s", kindName(n))
		return
	}
	fields := yamlFields(t)
	for _, e := range w.entries(n, path) {
		kp := join(path, e.key.Value)
		f, ok := fields[e.key.Value]
		if !ok {
			w.p.addAt(e.key.Line, kp, "unknown key%s; allowed: %s", suggest(e.key.Value, fieldNames(t)), strings.Join(fieldNames(t), ", "))
			continue
		}
		w.lines[kp] = e.key.Line
		w.walk(e.val, f.Type, kp)
	}
}

// classify checks the ordered category -> rule mapping.
func (w *walker) classify(n *yaml.Node, path string) {
	if n.Kind != yaml.MappingNode {
		w.p.addAt(n.Line, path, "must be a mapping of category to rule, e.g. research: {labels: [spike]}, got %s", kindName(n))
		return
	}
	for _, e := range w.entries(n, path) {
		kp := join(path, e.key.Value)
		if !isCategory(e.key.Value) {
			w.p.addAt(e.key.Line, kp, "unknown category%s; allowed: %s, %s", suggest(e.key.Value, categories()), domain.Research, domain.Engineering)
			continue
		}
		w.lines[kp] = e.key.Line
		w.order[path] = append(w.order[path], e.key.Value)
		w.walk(e.val, ruleType, kp)
	}
}

func categories() []string { return []string{string(domain.Research), string(domain.Engineering)} }

func isCategory(s string) bool {
	return s == string(domain.Research) || s == string(domain.Engineering)
}

// entries lists a mapping's keys in order, reporting non-scalar and
// repeated keys and expanding "<<" merge keys (explicit keys win, as in
// yaml.v3's decoder).
func (w *walker) entries(n *yaml.Node, path string) []entry {
	if w.budget < 0 {
		return nil
	}
	// An anchored mapping merged or aliased many times is flattened once:
	// linear work for nested merges, and its problems are reported once.
	if out, ok := w.memo[n]; ok {
		return out
	}
	out := w.flatten(n, path)
	w.memo[n] = out
	return out
}

func (w *walker) flatten(n *yaml.Node, path string) []entry {
	var out []entry
	seen := map[string]int{}
	var merged []entry
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merged = append(merged, w.merge(v, path)...)
			continue
		}
		if k = w.deref(k); k == nil || k.Kind != yaml.ScalarNode {
			w.p.addAt(n.Content[i].Line, path, "keys must be plain names, got %s", kindName(n.Content[i]))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			w.p.addAt(k.Line, join(path, k.Value), "is written twice (first at line %d); keep one", first)
			continue
		}
		seen[k.Value] = k.Line
		out = append(out, entry{k, v})
	}
	for _, e := range merged {
		if _, dup := seen[e.key.Value]; !dup {
			seen[e.key.Value] = e.key.Line
			out = append(out, e)
		}
	}
	return out
}

// merge expands the value of a "<<" key: a mapping or a list of mappings.
func (w *walker) merge(v *yaml.Node, path string) []entry {
	v = w.deref(v)
	if v == nil || !w.spend(v, path) {
		return nil
	}
	switch v.Kind {
	case yaml.MappingNode:
		return w.entries(v, path)
	case yaml.SequenceNode:
		// Earlier mappings win; keeping only distinct keys at each level
		// also keeps nested merge fan-out small.
		var out []entry
		seen := map[string]bool{}
		for _, item := range v.Content {
			if item = w.deref(item); item != nil && item.Kind == yaml.MappingNode {
				for _, e := range w.entries(item, path) {
					if !seen[e.key.Value] {
						seen[e.key.Value] = true
						out = append(out, e)
					}
				}
			} else if item != nil {
				w.p.addAt(item.Line, path, "<< must merge mappings, got %s", kindName(item))
			}
		}
		return out
	}
	w.p.addAt(v.Line, path, "<< must merge a mapping, got %s", kindName(v))
	return nil
}

// yamlFields maps yaml key -> struct field for type t.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if !f.IsExported() || name == "" || name == "-" {
			continue
		}
		out[name] = f
	}
	return out
}

// fieldNames lists t's yaml keys in declaration order, the order the
// example file uses, so "allowed:" reads like the docs.
func fieldNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if f.IsExported() && name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// suggest returns ` (did you mean "x"?)` for the closest allowed name
// within a small edit distance, or "".
func suggest(got string, allowed []string) string {
	best, bestD := "", 3
	if len(got) <= 4 {
		bestD = 2
	}
	lower := strings.ToLower(got)
	for _, a := range allowed {
		if d := editDistance(lower, a); d < bestD {
			best, bestD = a, d
		}
	}
	if best == "" {
		return ""
	}
	return ` (did you mean "` + best + `"?)`
}

// editDistance is the Levenshtein distance of two short keys.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// sortedKeys returns a map's keys sorted, for a deterministic order when a
// Config was built in code and has no file order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
