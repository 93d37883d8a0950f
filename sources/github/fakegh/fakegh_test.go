package fakegh

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, s *Server, path string, hdr map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL()+path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// The fake pages, validates and counts like GitHub: Link rels, ETag and a
// free 304, x-ratelimit-* headers, the 1,000 cap on filtered run listings.
func TestFakeRESTProtocol(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	s, err := New(Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, r := range Generate(GenSpec{Repos: 1, Runs: 1500, End: now, Seed: 1}) {
		s.AddRepo(r)
	}
	p1 := get(t, s, "/repos/acme/repo-00/actions/workflows/train.yml/runs?per_page=100", nil)
	link := p1.Header.Get("Link")
	if !strings.Contains(link, `page=2&per_page=100>; rel="next"`) || !strings.Contains(link, `page=15&per_page=100>; rel="last"`) || strings.Contains(link, "prev") {
		t.Errorf("page 1 Link: %s", link)
	}
	if p1.Header.Get("X-Ratelimit-Remaining") != "4999" || p1.Header.Get("X-Ratelimit-Resource") != "core" {
		t.Errorf("rate headers %v", p1.Header)
	}
	etag := p1.Header.Get("ETag")
	p1b := get(t, s, "/repos/acme/repo-00/actions/workflows/train.yml/runs?per_page=100", map[string]string{"If-None-Match": etag})
	if p1b.StatusCode != http.StatusNotModified || p1b.Header.Get("X-Ratelimit-Remaining") != "4999" {
		t.Errorf("conditional: %d, remaining %s", p1b.StatusCode, p1b.Header.Get("X-Ratelimit-Remaining"))
	}
	last := get(t, s, "/repos/acme/repo-00/actions/workflows/train.yml/runs?per_page=100&page=15", nil)
	if l := last.Header.Get("Link"); strings.Contains(l, "next") || !strings.Contains(l, `rel="first"`) {
		t.Errorf("last page Link: %s", l)
	}
	capped := get(t, s, "/repos/acme/repo-00/actions/workflows/train.yml/runs?per_page=100&created=%3E%3D2020-01-01", nil)
	if l := capped.Header.Get("Link"); !strings.Contains(l, `page=10&per_page=100>; rel="last"`) {
		t.Errorf("filtered listing not capped at 1,000: %s", l)
	}
	if s.Counts()["rest:runs"] != 4 || s.NotModified()["rest:runs"] != 1 {
		t.Errorf("counts %v, 304s %v", s.Counts(), s.NotModified())
	}
}

func TestFakeGraphQLRejectsInvalidAndPagesLikeGitHub(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	s, err := New(Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.AddRepo(Generate(GenSpec{Repos: 1, Changes: 3, End: now, Seed: 1})[0])
	post := func(q string) string {
		resp, err := s.Client().Post(s.URL()+"/graphql", "application/json", bytes.NewBufferString(q))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	for q, want := range map[string]string{
		`{"query":"query{repository(owner:\"acme\",name:\"repo-00\"){pullRequests(first:2,orderBy:{field:UPDATED_AT,direction:DESC}){pageInfo{hasNextPage endCursor} nodes{number}}}}"}`: `"hasNextPage":true`,
		`{"query":"query{repository(owner:\"acme\",name:\"repo-00\"){pullRequests(first:101){nodes{number}}}}"}`:                                                                         "exceeds the `first` limit of 100",
		`{"query":"query{repository(owner:\"acme\",name:\"repo-00\"){pullRequests(first:1){nodes{nosuch}}}}"}`:                                                                           "Cannot query field",
		`{"query":"query{repository(owner:\"acme\",name:\"nope\"){url}}"}`:                                                                                                               `"type":"NOT_FOUND"`,
	} {
		if got := post(q); !strings.Contains(got, want) {
			t.Errorf("%s\n→ %s\nwant %s", q, got, want)
		}
	}
}
