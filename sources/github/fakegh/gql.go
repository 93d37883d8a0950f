package fakegh

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// gqlRequest is a validated GraphQL request.
type gqlRequest struct {
	doc  *ast.QueryDocument
	vars map[string]any
	kind string // graphql:<field under repository, or the root field>
	repo string // owner/name when the query names one
}

// parseGraphQL reads, records and validates a GraphQL request against the
// schema, as GitHub does before executing anything.
func (s *Server) parseGraphQL(r *http.Request) (*gqlRequest, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	var in struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, fmt.Errorf("Problems parsing JSON")
	}
	s.mu.Lock()
	if !s.queries[in.Query] {
		s.queries[in.Query] = true
		s.queryList = append(s.queryList, in.Query)
	}
	s.mu.Unlock()
	doc, err := ValidateQuery(s.schema, in.Query)
	if err != nil {
		return nil, err
	}
	if len(doc.Operations) != 1 || doc.Operations[0].Operation != ast.Query {
		return nil, errors.New("fakegh: one query operation expected")
	}
	q := &gqlRequest{doc: doc, vars: in.Variables, kind: "graphql:other"}
	if q.vars == nil {
		q.vars = map[string]any{}
	}
	for _, sel := range doc.Operations[0].SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok {
			continue
		}
		q.kind = "graphql:" + f.Name
		if f.Name == "repository" {
			args := f.ArgumentMap(q.vars)
			q.repo = fmt.Sprint(args["owner"]) + "/" + fmt.Sprint(args["name"])
			for _, sub := range f.SelectionSet {
				if sf, ok := sub.(*ast.Field); ok && sf.Name != "__typename" && sf.Name != "url" {
					q.kind = "graphql:" + sf.Name
					break
				}
			}
		}
		break
	}
	return q, nil
}

// answerGraphQL executes a validated query over the served data.
func (s *Server) answerGraphQL(q *gqlRequest) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := &executor{s: s, doc: q.doc, vars: q.vars}
	data, err := e.selectionSet(&queryRoot{s: s}, q.doc.Operations[0].SelectionSet, nil)
	if err != nil {
		return jsonReply(http.StatusOK, map[string]any{"errors": []map[string]any{{"message": err.Error()}}})
	}
	out := map[string]any{"data": data}
	if len(e.errs) > 0 {
		out["errors"] = e.errs
	}
	return jsonReply(http.StatusOK, out)
}

// object is a GraphQL object the executor resolves fields on.
type object interface {
	typeName() string
	resolve(field string, args map[string]any) (any, error)
}

// notFound is a field error that nulls the field, as GitHub's NOT_FOUND
// does, instead of failing the query.
type notFound struct{ msg string }

// Error is GitHub's NOT_FOUND message.
func (e notFound) Error() string { return e.msg }

// executor walks a query's selection sets over objects.
type executor struct {
	s    *Server
	doc  *ast.QueryDocument
	vars map[string]any
	errs []map[string]any
}

func (e *executor) selectionSet(o object, set ast.SelectionSet, path []any) (map[string]any, error) {
	out := map[string]any{}
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			key := sel.Alias
			if key == "" {
				key = sel.Name
			}
			if sel.Name == "__typename" {
				out[key] = o.typeName()
				continue
			}
			v, err := o.resolve(sel.Name, sel.ArgumentMap(e.vars))
			var nf notFound
			if errors.As(err, &nf) {
				e.errs = append(e.errs, map[string]any{"type": "NOT_FOUND", "path": append(append([]any{}, path...), key),
					"locations": []map[string]int{{"line": sel.Position.Line, "column": sel.Position.Column}}, "message": nf.msg})
				out[key] = nil
				continue
			}
			if err != nil {
				return nil, err
			}
			rv, err := e.value(v, sel.SelectionSet, append(path, key))
			if err != nil {
				return nil, err
			}
			out[key] = rv
		case *ast.InlineFragment:
			if sel.TypeCondition != "" && !e.isA(o, sel.TypeCondition) {
				continue
			}
			m, err := e.selectionSet(o, sel.SelectionSet, path)
			if err != nil {
				return nil, err
			}
			merge(out, m)
		case *ast.FragmentSpread:
			def := e.doc.Fragments.ForName(sel.Name)
			if def == nil || !e.isA(o, def.TypeCondition) {
				continue
			}
			m, err := e.selectionSet(o, def.SelectionSet, path)
			if err != nil {
				return nil, err
			}
			merge(out, m)
		}
	}
	return out, nil
}

func (e *executor) value(v any, set ast.SelectionSet, path []any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case object:
		return e.selectionSet(x, set, path)
	case []object:
		out := make([]any, len(x))
		for i, o := range x {
			m, err := e.selectionSet(o, set, append(path, i))
			if err != nil {
				return nil, err
			}
			out[i] = m
		}
		return out, nil
	case time.Time:
		if x.IsZero() {
			return nil, nil
		}
		return x.UTC().Format(time.RFC3339), nil
	default:
		return x, nil
	}
}

// isA reports whether o is of the named type or implements it.
func (e *executor) isA(o object, cond string) bool {
	if cond == o.typeName() {
		return true
	}
	def := e.s.schema.Types[cond]
	if def == nil {
		return false
	}
	for _, pt := range e.s.schema.GetPossibleTypes(def) {
		if pt.Name == o.typeName() {
			return true
		}
	}
	return false
}

// merge folds the fields of b into a (fragments selecting the same field).
func merge(a, b map[string]any) {
	for k, v := range b {
		if am, ok := a[k].(map[string]any); ok {
			if bm, ok := v.(map[string]any); ok {
				merge(am, bm)
				continue
			}
		}
		a[k] = v
	}
}

// connection is a page of a list, GitHub style: first/after with opaque
// cursors, at most 100 a page, first or last required.
type connection struct {
	name    string // GraphQL type, e.g. PullRequestConnection
	all     []object
	start   int
	page    []object
	hasNext bool
}

func paginate(name, field string, all []object, args map[string]any) (*connection, error) {
	first, ok := intArg(args["first"])
	if !ok {
		return nil, fmt.Errorf("You must provide a `first` or `last` value to properly paginate the `%s` connection.", field)
	}
	if first > 100 || first < 0 {
		return nil, fmt.Errorf("Requesting %d records on the `%s` connection exceeds the `first` limit of 100 records.", first, field)
	}
	start := 0
	if a, ok := args["after"].(string); ok && a != "" {
		n, err := decodeCursor(a)
		if err != nil {
			return nil, fmt.Errorf("`%s` does not appear to be a valid cursor.", a)
		}
		start = n + 1
	}
	if start > len(all) {
		start = len(all)
	}
	end := min(start+first, len(all))
	return &connection{name: name, all: all, start: start, page: all[start:end], hasNext: end < len(all)}, nil
}

func (c *connection) typeName() string { return c.name }

func (c *connection) resolve(field string, _ map[string]any) (any, error) {
	switch field {
	case "nodes":
		return c.page, nil
	case "totalCount":
		return len(c.all), nil
	case "pageInfo":
		pi := &pageInfo{hasNext: c.hasNext, hasPrev: c.start > 0}
		if len(c.page) > 0 {
			pi.start, pi.end = encodeCursor(c.start), encodeCursor(c.start+len(c.page)-1)
		}
		return pi, nil
	case "edges":
		out := make([]object, len(c.page))
		for i, n := range c.page {
			out[i] = &edge{cursor: encodeCursor(c.start + i), node: n, typ: strings.TrimSuffix(c.name, "Connection") + "Edge"}
		}
		return out, nil
	}
	return nil, unimplemented(c.name, field)
}

type pageInfo struct {
	hasNext, hasPrev bool
	start, end       string
}

func (p *pageInfo) typeName() string { return "PageInfo" }

func (p *pageInfo) resolve(field string, _ map[string]any) (any, error) {
	switch field {
	case "hasNextPage":
		return p.hasNext, nil
	case "hasPreviousPage":
		return p.hasPrev, nil
	case "endCursor":
		return nullable(p.end), nil
	case "startCursor":
		return nullable(p.start), nil
	}
	return nil, unimplemented("PageInfo", field)
}

type edge struct {
	cursor string
	node   object
	typ    string
}

func (e *edge) typeName() string { return e.typ }

func (e *edge) resolve(field string, _ map[string]any) (any, error) {
	switch field {
	case "cursor":
		return e.cursor, nil
	case "node":
		return e.node, nil
	}
	return nil, unimplemented(e.typ, field)
}

func encodeCursor(i int) string {
	return base64.StdEncoding.EncodeToString([]byte("cursor:v2:" + strconv.Itoa(i)))
}

func decodeCursor(c string) (int, error) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "cursor:v2:") {
		return 0, errors.New("bad cursor")
	}
	return strconv.Atoi(strings.TrimPrefix(string(b), "cursor:v2:"))
}

func intArg(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case float64:
		return int(x), true
	case json.Number:
		n, err := x.Int64()
		return int(n), err == nil
	case string:
		n, err := strconv.Atoi(x)
		return n, err == nil
	}
	return 0, false
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// unimplemented says the fake lacks a field the (valid) query asks for.
func unimplemented(typ, field string) error {
	return fmt.Errorf("fakegh: %s.%s is not implemented", typ, field)
}
