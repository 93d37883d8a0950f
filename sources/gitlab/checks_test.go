package gitlab

import (
	"net/url"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/gitlab/fakegl"
)

// sameStore compares what two sinks hold.
func sameStore(t *testing.T, got, want *sources.MemSink) {
	t.Helper()
	if g, w := got.Changes(), want.Changes(); !reflect.DeepEqual(g, w) {
		t.Errorf("changes differ from a clean sync: %d stored, clean %d", len(g), len(w))
	}
	if g, w := hostless(got.Deployments()), hostless(want.Deployments()); !reflect.DeepEqual(g, w) {
		t.Errorf("deployments differ from a clean sync: %d stored, clean %d", len(g), len(w))
	}
	if g, w := got.Runs(), want.Runs(); !reflect.DeepEqual(g, w) {
		t.Errorf("runs differ from a clean sync: %d stored, clean %d", len(g), len(w))
	}
	if g, w := got.Links(), want.Links(); !reflect.DeepEqual(g, w) {
		t.Errorf("deploy links differ from a clean sync: %d stored, clean %d", len(g), len(w))
	}
}

// hostless drops scheme and host from deployment URLs, which pace builds
// from the base URL: every fake listens on its own port.
func hostless(ds []domain.Deployment) []domain.Deployment {
	for i := range ds {
		if u, err := url.Parse(ds[i].URL); err == nil {
			ds[i].URL = u.Path
		}
	}
	return ds
}

// cursorsCovered checks that no cursor has moved past data that was not
// stored: every item of the fake updated between the first-sync floor and
// a stream's watermark (or within the watermark's second and listed in
// its Resume) is in the sink as it is now.
func cursorsCovered(t *testing.T, srv *fakegl.Server, sink *sources.MemSink, o Options) {
	t.Helper()
	changes := map[string]domain.Change{}
	for _, c := range sink.Changes() {
		changes[c.Key()] = c
	}
	deps := map[string]domain.Deployment{}
	for _, d := range sink.Deployments() {
		deps[d.Repo+"/"+d.ID] = d
	}
	runs := map[string]domain.Run{}
	for _, r := range sink.Runs() {
		runs[r.Repo+"/"+r.ID] = r
	}
	covered := func(cur sources.Cursor, id int64, u time.Time) bool {
		if u.Before(o.Since) {
			return false
		}
		if u.Before(cur.Since) {
			return true
		}
		ks := readKeyset(cur)
		ms, ok := ks.seen[id]
		return ok && ms == u.UnixMilli()
	}
	for k, cur := range sink.Cursors() {
		p := srv.Project(k.Repo)
		if p == nil || cur.Since.IsZero() {
			continue
		}
		switch {
		case k.Stream == sources.Changes:
			for _, mr := range p.MRs {
				if !covered(cur, num(mr.JSON["id"]), mr.UpdatedAt()) {
					continue
				}
				c, ok := changes[(&domain.Change{Source: domain.GitLab, Repo: k.Repo, Number: int(mr.IID())}).Key()]
				if !ok || !c.UpdatedAt.Equal(mr.UpdatedAt()) {
					t.Errorf("%s changes cursor at %v but !%d (updated %v) not stored", k.Repo, cur.Since, mr.IID(), mr.UpdatedAt())
				}
			}
		case k.Stream == sources.Deployments:
			for _, d := range p.Deployments {
				if covered(cur, d.ID(), d.UpdatedAt()) {
					if _, ok := deps[k.Repo+"/"+strconv.FormatInt(d.ID(), 10)]; !ok {
						t.Errorf("%s deployments cursor at %v but %d not stored", k.Repo, cur.Since, d.ID())
					}
				}
			}
		case k.Stream == RunsStream(o):
			for _, pl := range p.Pipelines {
				if covered(cur, pl.ID(), pl.UpdatedAt()) && o.wantPipeline(str(pl.JSON["ref"]), str(pl.JSON["name"])) {
					if _, ok := runs[k.Repo+"/"+strconv.FormatInt(pl.ID(), 10)]; !ok {
						t.Errorf("%s runs cursor at %v but pipeline %d not stored", k.Repo, cur.Since, pl.ID())
					}
				}
			}
		}
	}
}

func num(v any) int64 {
	f, _ := v.(float64)
	if i, ok := v.(int64); ok {
		return i
	}
	return int64(f)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func countRepo(s *sources.MemSink, repo string) int {
	n := 0
	for _, c := range s.Changes() {
		if c.Repo == repo {
			n++
		}
	}
	for _, d := range s.Deployments() {
		if d.Repo == repo {
			n++
		}
	}
	for _, r := range s.Runs() {
		if r.Repo == repo {
			n++
		}
	}
	return n
}
