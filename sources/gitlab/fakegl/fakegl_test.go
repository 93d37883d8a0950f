package fakegl

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, s *Server, path string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL()+path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var tok = map[string]string{"PRIVATE-TOKEN": "t0k"}

// The fake pages and throttles like GitLab: x-next-page (empty on the last
// page), Link rels, x-total; RateLimit-* headers on every answer; a
// plain-text 429 with Retry-After once the minute's budget is spent.
func TestFakeProtocol(t *testing.T) {
	now := time.Date(2026, 3, 1, 10, 0, 30, 0, time.UTC)
	s := New(Options{Token: "t0k", Now: func() time.Time { return now }, RateLimit: 5})
	defer s.Close()
	for _, p := range Generate(GenSpec{Projects: 1, MRs: 250, End: now, Seed: 1}) {
		s.AddProject(p)
	}
	r1, body := get(t, s, "/api/v4/projects/acme%2Fml%2Fproject-00/merge_requests?per_page=100", tok)
	if r1.StatusCode != 200 || r1.Header.Get("X-Next-Page") != "2" || r1.Header.Get("X-Total") != "250" || r1.Header.Get("X-Total-Pages") != "3" {
		t.Errorf("page 1: %d %v", r1.StatusCode, r1.Header)
	}
	if l := r1.Header.Get("Link"); !strings.Contains(l, `page=2&per_page=100>; rel="next"`) || !strings.Contains(l, `page=3&per_page=100>; rel="last"`) {
		t.Errorf("Link %s", l)
	}
	if !strings.HasPrefix(body, `[{`) || strings.Count(body, `"iid":`) != 100 {
		t.Errorf("page 1 body holds %d merge requests", strings.Count(body, `"iid":`))
	}
	r3, _ := get(t, s, "/api/v4/projects/5000/merge_requests?per_page=100&page=3", tok)
	if _, ok := r3.Header["X-Next-Page"]; !ok || r3.Header.Get("X-Next-Page") != "" || r3.Header.Get("X-Prev-Page") != "2" {
		t.Errorf("last page by numeric id: %v", r3.Header)
	}
	if r3.Header.Get("RateLimit-Limit") != "5" || r3.Header.Get("RateLimit-Remaining") != "3" || r3.Header.Get("RateLimit-Observed") != "2" ||
		r3.Header.Get("RateLimit-Reset") != "1772359260" {
		t.Errorf("rate headers %v", r3.Header)
	}
	for i := 0; i < 3; i++ {
		get(t, s, "/api/v4/projects/5000/environments", tok)
	}
	r429, body := get(t, s, "/api/v4/projects/5000/environments", tok)
	if r429.StatusCode != 429 || body != "Retry later\n" || r429.Header.Get("Retry-After") != "30" ||
		!strings.HasPrefix(r429.Header.Get("Content-Type"), "text/plain") || r429.Header.Get("RateLimit-ResetTime") == "" {
		t.Errorf("exhausted: %d %q %v", r429.StatusCode, body, r429.Header)
	}
	if s.RateLimited() != 1 {
		t.Errorf("RateLimited %d", s.RateLimited())
	}
	now = now.Add(30 * time.Second)
	if r, _ := get(t, s, "/api/v4/projects/5000/environments", tok); r.StatusCode != 200 || r.Header.Get("RateLimit-Remaining") != "4" {
		t.Errorf("next minute: %d %v", r.StatusCode, r.Header)
	}
}

// Filters and errors as GitLab answers them.
func TestFakeFiltersAndErrors(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	s := New(Options{Token: "t0k", Now: func() time.Time { return now }})
	defer s.Close()
	ps := Generate(GenSpec{Projects: 2, MRs: 30, Deployments: 12, Pipelines: 30, End: now, Seed: 1})
	ps[1].Path = "acme/ml/deep/project-01"
	for _, p := range ps {
		s.AddProject(p)
	}
	if r, body := get(t, s, "/api/v4/projects/5000/merge_requests", nil); r.StatusCode != 401 || !strings.Contains(body, "401 Unauthorized") {
		t.Errorf("no token: %d %s", r.StatusCode, body)
	}
	if r, body := get(t, s, "/api/v4/projects/acme%2Fnope/merge_requests", tok); r.StatusCode != 404 || !strings.Contains(body, "404 Project Not Found") {
		t.Errorf("missing project: %d %s", r.StatusCode, body)
	}
	if r, body := get(t, s, "/api/v4/projects/5000/deployments?updated_after=2026-01-01T00:00:00Z", tok); r.StatusCode != 400 || !strings.Contains(body, "must be paired") {
		t.Errorf("unpaired updated_after: %d %s", r.StatusCode, body)
	}
	cut := ps[0].MRs[20].UpdatedAt()
	r, body := get(t, s, "/api/v4/projects/5000/merge_requests?per_page=100&order_by=updated_at&sort=asc&updated_after="+cut.Format(time.RFC3339Nano), tok)
	want := 0
	for _, m := range ps[0].MRs {
		if !m.UpdatedAt().Before(cut) {
			want++
		}
	}
	if r.Header.Get("X-Total") != strconv.Itoa(want) || !strings.Contains(body, `"updated_at":"`+Stamp(cut)+`"`) {
		t.Errorf("updated_after is inclusive: %s of %d", r.Header.Get("X-Total"), want)
	}
	r, body = get(t, s, "/api/v4/projects/5000/pipelines?per_page=100", tok)
	if strings.Contains(body, "started_at") || !strings.Contains(body, `"name"`) || r.Header.Get("X-Total") != "30" {
		t.Errorf("pipeline list items must be slim: %.200s", body)
	}
	if r, _ := get(t, s, "/api/v4/groups/acme%2Fml/projects", tok); r.Header.Get("X-Total") != "1" {
		t.Errorf("group without subgroups: %s", r.Header.Get("X-Total"))
	}
	if r, _ := get(t, s, "/api/v4/groups/acme%2Fml/projects?include_subgroups=true", tok); r.Header.Get("X-Total") != "2" {
		t.Errorf("group with subgroups: %s", r.Header.Get("X-Total"))
	}
	if r, _ := get(t, s, "/api/v4/groups/ghost/projects", tok); r.StatusCode != 404 {
		t.Errorf("missing group: %d", r.StatusCode)
	}
	if got := s.Counts(); got["mrs"] != 3 || got["deployments"] != 1 || got["pipelines"] != 1 || got["group:projects"] != 3 {
		t.Errorf("counts %s", FormatCounts(got))
	}
}

// The DevLake capture loads whole: every merge request with the notes and
// commits captured for it, deployments with environments, and every
// pipeline (read in full or only listed).
func TestLoadSnowflake(t *testing.T) {
	p, err := LoadSnowflake()
	if err != nil {
		t.Fatal(err)
	}
	notes, commits := 0, 0
	for _, m := range p.MRs {
		notes += len(m.Notes)
		commits += len(m.Commits)
	}
	if p.Path != SnowflakePath || p.ID != 12345678 || len(p.MRs) != 24 || notes != 26 || commits != 37 ||
		len(p.Deployments) != 8 || len(p.Environments) != 2 || len(p.Pipelines) != 45 {
		t.Errorf("%s %d: %d MRs, %d notes, %d commits, %d deployments, %d environments, %d pipelines", p.Path, p.ID,
			len(p.MRs), notes, commits, len(p.Deployments), len(p.Environments), len(p.Pipelines))
	}
}
