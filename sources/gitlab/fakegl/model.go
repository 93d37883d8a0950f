package fakegl

import (
	"strconv"
	"time"
)

// Project is one project the fake serves. Items are kept as the JSON
// GitLab answers with (maps, so real captured items are served as they
// were); the fake filters and orders them by their own fields.
type Project struct {
	ID       int64
	Path     string // path_with_namespace, e.g. "acme/ml/feature-store"
	Archived bool
	// AccessLevel is the token's role on the project as GET /projects/:id
	// reports it (10 Guest, 20 Reporter, 30 Developer, ...); 0 reports
	// none, as for a public project the token is no member of.
	AccessLevel int

	MRs          []*MR
	Deployments  []*Deployment
	Environments []map[string]any // as GET /projects/:id/environments lists them
	Pipelines    []*Pipeline
}

// MR is a merge request as the list endpoints serve it, with its commits
// and notes.
type MR struct {
	JSON    map[string]any
	Commits []map[string]any // as GET .../commits serves them (newest first on gitlab.com)
	Notes   []map[string]any // system notes included
}

// Deployment is a deployment and the merge requests (by iid) it shipped.
type Deployment struct {
	JSON map[string]any
	MRs  []int64
}

// Pipeline is a pipeline as GET /projects/:id/pipelines/:id serves it; the
// list endpoint serves its slim fields.
type Pipeline struct {
	JSON map[string]any
}

// IID is the merge request's iid.
func (m *MR) IID() int64 { return num(m.JSON["iid"]) }

// UpdatedAt is the merge request's updated_at.
func (m *MR) UpdatedAt() time.Time { return ts(m.JSON["updated_at"]) }

// ID is the deployment's id.
func (d *Deployment) ID() int64 { return num(d.JSON["id"]) }

// UpdatedAt is the deployment's updated_at (created_at when null).
func (d *Deployment) UpdatedAt() time.Time {
	if t := ts(d.JSON["updated_at"]); !t.IsZero() {
		return t
	}
	return ts(d.JSON["created_at"])
}

// ID is the pipeline's id.
func (p *Pipeline) ID() int64 { return num(p.JSON["id"]) }

// UpdatedAt is the pipeline's updated_at (created_at when null, as GitLab
// orders a pipeline it has not updated yet).
func (p *Pipeline) UpdatedAt() time.Time {
	if t := ts(p.JSON["updated_at"]); !t.IsZero() {
		return t
	}
	return ts(p.JSON["created_at"])
}

// slim is the pipeline as the list endpoint serves it.
func (p *Pipeline) slim() map[string]any {
	out := map[string]any{}
	for _, k := range []string{"id", "iid", "project_id", "sha", "ref", "status", "source", "created_at", "updated_at", "web_url", "name"} {
		if v, ok := p.JSON[k]; ok {
			out[k] = v
		}
	}
	return out
}

// Stamp formats a time as GitLab does (UTC, milliseconds).
func Stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func num(v any) int64 {
	switch x := v.(type) {
	case float64:
		return int64(x)
	case int:
		return int64(x)
	case int64:
		return x
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

func ts(v any) time.Time {
	s, _ := v.(string)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// Obj returns v as a JSON object (nil when it is not one), for tests that
// edit served items.
func Obj(v any) map[string]any { return obj(v) }
