package fakegl

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// segments splits the API path (after Prefix and /api/v4) into unescaped
// segments; ok is false outside the API.
func (s *Server) segments(r *http.Request) ([]string, bool) {
	p, ok := strings.CutPrefix(r.URL.EscapedPath(), s.o.Prefix+"/api/v4/")
	if !ok {
		return nil, false
	}
	parts := strings.Split(strings.Trim(p, "/"), "/")
	for i, x := range parts {
		u, err := url.PathUnescape(x)
		if err != nil {
			return nil, false
		}
		parts[i] = u
	}
	return parts, true
}

// route names a request's kind and the project it is about.
func (s *Server) route(r *http.Request) (kind, project string) {
	p, ok := s.segments(r)
	if ok && len(p) == 1 && p[0] == "user" {
		return "user", ""
	}
	if !ok || len(p) < 2 {
		return "other", ""
	}
	if p[0] == "groups" && len(p) == 3 && p[2] == "projects" {
		return "group:projects", ""
	}
	if p[0] != "projects" {
		return "other", ""
	}
	s.mu.Lock()
	if pr := s.lookup(p[1]); pr != nil {
		project = pr.Path
	} else {
		project = p[1]
	}
	s.mu.Unlock()
	switch {
	case len(p) == 2:
		return "project", project
	case len(p) == 3 && p[2] == "merge_requests":
		return "mrs", project
	case len(p) == 5 && p[2] == "merge_requests" && p[4] == "commits":
		return "mr:commits", project
	case len(p) == 5 && p[2] == "merge_requests" && p[4] == "notes":
		return "mr:notes", project
	case len(p) == 3 && p[2] == "deployments":
		return "deployments", project
	case len(p) == 5 && p[2] == "deployments" && p[4] == "merge_requests":
		return "deployment:mrs", project
	case len(p) == 3 && p[2] == "environments":
		return "environments", project
	case len(p) == 3 && p[2] == "pipelines":
		return "pipelines", project
	case len(p) == 4 && p[2] == "pipelines":
		return "pipeline", project
	}
	return "other", project
}

// lookup finds a project by numeric id or path. Callers hold s.mu.
func (s *Server) lookup(id string) *Project {
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		return s.byID[n]
	}
	return s.projects[strings.ToLower(id)]
}

// answer answers the REST calls pace makes.
func (s *Server) answer(r *http.Request) reply {
	if r.Method != http.MethodGet {
		return errorReply(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	kind, _ := s.route(r)
	p, _ := s.segments(r)
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	if kind == "group:projects" {
		return s.groupProjects(r, p[1], q)
	}
	if kind == "user" {
		return jsonReply(http.StatusOK, map[string]any{"id": 1, "username": s.o.Login, "name": s.o.Login,
			"state": "active", "web_url": "https://gitlab.example.com/" + s.o.Login})
	}
	if kind == "other" {
		return errorReply(http.StatusNotFound, "Not Found")
	}
	pr := s.lookup(p[1])
	if pr == nil {
		return errorReply(http.StatusNotFound, "Project Not Found")
	}
	switch kind {
	case "project":
		return jsonReply(http.StatusOK, projectJSON(pr))
	case "mrs":
		return s.listMRs(r, pr, q)
	case "mr:commits", "mr:notes":
		mr := pr.mr(p[3])
		if mr == nil {
			return errorReply(http.StatusNotFound, "Not found")
		}
		if kind == "mr:commits" {
			return pageOf(r, asAny(mr.Commits), q)
		}
		notes := append([]map[string]any(nil), mr.Notes...)
		byTime(notes, fieldOr(q.Get("order_by"), "created_at"), q.Get("sort") != "asc")
		return pageOf(r, asAny(notes), q)
	case "deployments":
		return s.listDeployments(r, pr, q)
	case "deployment:mrs":
		id, _ := strconv.ParseInt(p[3], 10, 64)
		for _, d := range pr.Deployments {
			if d.ID() == id {
				var items []any
				for _, iid := range d.MRs {
					if mr := pr.mr(strconv.FormatInt(iid, 10)); mr != nil {
						items = append(items, mr.JSON)
					}
				}
				return pageOf(r, items, q)
			}
		}
		return errorReply(http.StatusNotFound, "Not found")
	case "environments":
		return pageOf(r, asAny(pr.Environments), q)
	case "pipelines":
		return s.listPipelines(r, pr, q)
	case "pipeline":
		id, _ := strconv.ParseInt(p[3], 10, 64)
		for _, pl := range pr.Pipelines {
			if pl.ID() == id {
				return jsonReply(http.StatusOK, pl.JSON)
			}
		}
		return errorReply(http.StatusNotFound, "Not found")
	}
	return errorReply(http.StatusNotFound, "Not Found")
}

// projectJSON is a project as GET /projects/:id serves it (the fields
// pace reads), with the token's role when the project sets one.
func projectJSON(p *Project) map[string]any {
	name := p.Path[strings.LastIndexByte(p.Path, '/')+1:]
	v := map[string]any{"id": p.ID, "name": name, "path": name, "path_with_namespace": p.Path,
		"archived": p.Archived, "web_url": "https://gitlab.example.com/" + p.Path}
	if p.AccessLevel > 0 {
		v["permissions"] = map[string]any{"project_access": map[string]any{"access_level": p.AccessLevel,
			"notification_level": 3}, "group_access": nil}
	}
	return v
}

func (p *Project) mr(iid string) *MR {
	n, err := strconv.ParseInt(iid, 10, 64)
	if err != nil {
		return nil
	}
	for _, m := range p.MRs {
		if m.IID() == n {
			return m
		}
	}
	return nil
}

// timeFilter parses updated_after/updated_before (ISO 8601); both bounds
// are inclusive, as GitLab documents for merge requests.
func timeFilter(q url.Values) (after, before time.Time, bad string) {
	for _, k := range []string{"updated_after", "updated_before"} {
		v := q.Get(k)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return after, before, k + " is invalid"
		}
		if k == "updated_after" {
			after = t.UTC()
		} else {
			before = t.UTC()
		}
	}
	return after, before, ""
}

func inRange(t, after, before time.Time) bool {
	return (after.IsZero() || !t.Before(after)) && (before.IsZero() || !t.After(before))
}

// listMRs answers GET /projects/:id/merge_requests: state and updated_*
// filters, order_by created_at (default) or updated_at, sort desc (default).
func (s *Server) listMRs(r *http.Request, pr *Project, q url.Values) reply {
	after, before, bad := timeFilter(q)
	if bad != "" {
		return errorReply(http.StatusBadRequest, bad)
	}
	state := q.Get("state")
	var items []map[string]any
	for _, m := range pr.MRs {
		if state != "" && state != "all" && str(m.JSON["state"]) != state {
			continue
		}
		if inRange(m.UpdatedAt(), after, before) {
			items = append(items, m.JSON)
		}
	}
	orderBy := fieldOr(q.Get("order_by"), "created_at")
	if orderBy != "created_at" && orderBy != "updated_at" {
		return errorReply(http.StatusBadRequest, "order_by does not have a valid value")
	}
	byTime(items, orderBy, q.Get("sort") != "asc")
	return pageOf(r, asAny(items), q)
}

// listDeployments answers GET /projects/:id/deployments: order_by id
// (default), created_at or updated_at, sort asc (default); since GitLab
// 16.0 updated_after/updated_before demand order_by=updated_at.
func (s *Server) listDeployments(r *http.Request, pr *Project, q url.Values) reply {
	after, before, bad := timeFilter(q)
	if bad != "" {
		return errorReply(http.StatusBadRequest, bad)
	}
	orderBy := fieldOr(q.Get("order_by"), "id")
	if (!after.IsZero() || !before.IsZero()) && orderBy != "updated_at" {
		return errorReply(http.StatusBadRequest, "Bad request - `updated_at` filter and `updated_at` sorting must be paired")
	}
	var items []map[string]any
	for _, d := range pr.Deployments {
		if inRange(d.UpdatedAt(), after, before) {
			items = append(items, d.JSON)
		}
	}
	if orderBy == "id" {
		sort.SliceStable(items, func(i, j int) bool { return num(items[i]["id"]) < num(items[j]["id"]) })
		if q.Get("sort") == "desc" {
			reverse(items)
		}
	} else {
		byTime(items, orderBy, q.Get("sort") == "desc")
	}
	return pageOf(r, asAny(items), q)
}

// listPipelines answers GET /projects/:id/pipelines with slim items:
// order_by id (default) or updated_at, sort desc (default), updated_*
// filters.
func (s *Server) listPipelines(r *http.Request, pr *Project, q url.Values) reply {
	after, before, bad := timeFilter(q)
	if bad != "" {
		return errorReply(http.StatusBadRequest, bad)
	}
	var items []map[string]any
	for _, pl := range pr.Pipelines {
		if inRange(pl.UpdatedAt(), after, before) {
			it := pl.slim()
			it["_updated"] = Stamp(pl.UpdatedAt())
			items = append(items, it)
		}
	}
	desc := q.Get("sort") != "asc"
	switch fieldOr(q.Get("order_by"), "id") {
	case "id":
		sort.SliceStable(items, func(i, j int) bool { return num(items[i]["id"]) < num(items[j]["id"]) })
		if desc {
			reverse(items)
		}
	case "updated_at":
		byTime(items, "_updated", desc)
	default:
		return errorReply(http.StatusBadRequest, "order_by does not have a valid value")
	}
	for _, it := range items {
		delete(it, "_updated")
	}
	return pageOf(r, asAny(items), q)
}

// groupProjects answers GET /groups/:id/projects: the group's projects,
// its subgroups' too with include_subgroups=true, archived ones unless
// archived=false.
func (s *Server) groupProjects(r *http.Request, group string, q url.Values) reply {
	g := strings.ToLower(group)
	sub := q.Get("include_subgroups") == "true"
	var paths []string
	found := false
	for _, p := range s.projects {
		lp := strings.ToLower(p.Path)
		if !strings.HasPrefix(lp, g+"/") {
			continue
		}
		found = true
		if !sub && strings.Contains(lp[len(g)+1:], "/") {
			continue
		}
		if q.Get("archived") == "false" && p.Archived {
			continue
		}
		paths = append(paths, strings.ToLower(p.Path))
	}
	if !found {
		return errorReply(http.StatusNotFound, "Group Not Found")
	}
	sort.Slice(paths, func(i, j int) bool { return s.projects[paths[i]].ID < s.projects[paths[j]].ID })
	items := make([]any, len(paths))
	for i, lp := range paths {
		p := s.projects[lp]
		name := p.Path[strings.LastIndexByte(p.Path, '/')+1:]
		items[i] = map[string]any{"id": p.ID, "name": name, "path": name, "path_with_namespace": p.Path,
			"archived": p.Archived, "web_url": "https://gitlab.example.com/" + p.Path}
	}
	return pageOf(r, items, q)
}

func fieldOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// byTime orders items by a time field, ties by id, ascending or not.
func byTime(items []map[string]any, field string, desc bool) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := ts(items[i][field]), ts(items[j][field])
		if field == "updated_at" {
			if a.IsZero() {
				a = ts(items[i]["created_at"])
			}
			if b.IsZero() {
				b = ts(items[j]["created_at"])
			}
		}
		if !a.Equal(b) {
			return a.Before(b)
		}
		return num(items[i]["id"]) < num(items[j]["id"])
	})
	if desc {
		reverse(items)
	}
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

func asAny(ms []map[string]any) []any {
	out := make([]any, len(ms))
	for i, m := range ms {
		out[i] = m
	}
	return out
}
