// Package bench measures pace the way a leader meets it: whole processes
// (`pace snapshot`, the dashboard's first frame in a pseudo-terminal) on a
// cache holding the demo organisation at scale 100 (400 teams, ~150k
// changes over 14 weeks), the cache load itself, and the requests a sync
// sends to the fake GitHub. It holds only what the benchmarks need; scripts/bench
// runs them with the other packages' benchmarks and prints the table of
// figures against their budgets.
package bench

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/pace-dev/pace/demo"
	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/sources"
	"github.com/pace-dev/pace/sources/github"
	"github.com/pace-dev/pace/sources/gitlab"
	"github.com/pace-dev/pace/store"
)

// PageSize is how many items a fixture page holds, about what a sync
// commits at once (a GraphQL page of 100 changes, REST pages of 100, a
// few pages per commit).
const PageSize = 1000

// Fixture is a cache and a config file that hold the demo organisation at
// one scale, written the way `pace sync` and a leader would write them.
type Fixture struct {
	Dir    string    // the directory holding both files
	Cache  string    // the SQLite cache
	Config string    // the YAML config
	Now    time.Time // the instant the organisation was generated for (pass as --now)
	Scale  int
	Org    string
	Rows   int // table rows written: changes, activities, deployments, runs
	Pages  int // pages committed
}

// Build generates the demo organisation at scale for now and writes it into
// dir: the cache through store.Open and Commit, page by page with one cursor
// per (source, repo, stream), with the sources' statuses and the org name,
// and a config whose settings are the demo's. dir must exist.
func Build(ctx context.Context, dir string, now time.Time, scale int) (*Fixture, error) {
	now = now.UTC().Truncate(time.Second)
	ds, s := demo.Generate(now, scale)
	f := &Fixture{Dir: dir, Cache: filepath.Join(dir, "pace.db"), Config: filepath.Join(dir, "config.yaml"),
		Now: now, Scale: scale, Org: ds.Org}
	y, err := ConfigYAML(ds, s)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(f.Config, y, 0o600); err != nil {
		return nil, fmt.Errorf("bench: write config: %w", err)
	}
	st, err := store.Open(ctx, f.Cache)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	for _, p := range Pages(ds, s, PageSize) {
		if err := st.Commit(ctx, p); err != nil {
			return nil, err
		}
		f.Pages++
		f.Rows += len(p.Changes) + len(p.Deployments) + len(p.Runs)
		for i := range p.Changes {
			f.Rows += len(p.Changes[i].Activity)
		}
	}
	for _, src := range ds.Sources {
		if err := st.SetStatus(ctx, src); err != nil {
			return nil, err
		}
	}
	if err := st.SetOrg(ctx, ds.Org); err != nil {
		return nil, err
	}
	return f, st.Close()
}

// Pages splits a dataset into the pages `pace sync` would commit with
// settings s: one stream per (source, repo) for changes and deployments,
// and for runs the stream each source keys them by (GitHub: one per
// workflow file; GitLab: one per set of pipeline rules), size items a
// page, oldest first, each page's cursor at its newest item. Runs the
// sources never fetch are left out, as a sync leaves them (GitHub reads
// only the experiment and deploy workflows, GitLab only the pipelines the
// experiment rules or deploy names select): the demo has plain CI runs
// that no cache would hold. Exact deploy containment travels twice, as
// the sources send it: on the change and as a link committed with the
// deployment that shipped it.
func Pages(ds *domain.Dataset, s domain.Settings, size int) []sources.Page {
	type group struct {
		key   sources.Key
		items []int
	}
	var order []sources.Key
	groups := map[sources.Key]*group{}
	add := func(k sources.Key, i int) {
		g, ok := groups[k]
		if !ok {
			g = &group{key: k}
			groups[k] = g
			order = append(order, k)
		}
		g.items = append(g.items, i)
	}
	for i := range ds.Changes {
		c := &ds.Changes[i]
		add(sources.Key{Source: c.Source, Repo: c.Repo, Stream: sources.Changes}, i)
	}
	for i := range ds.Deployments {
		d := &ds.Deployments[i]
		add(sources.Key{Source: d.Source, Repo: d.Repo, Stream: sources.Deployments}, i)
	}
	workflows := append(slices.Clone(s.Experiments.Workflows), s.DeployWorkflows...)
	pipelines := gitlab.RunsStream(gitlab.Options{PipelineRef: s.Experiments.PipelineRef,
		PipelineName: s.Experiments.PipelineName, DeployPipelines: s.DeployWorkflows})
	for i := range ds.Runs {
		r := &ds.Runs[i]
		switch {
		case r.Source == domain.GitHub && slices.Contains(workflows, r.Workflow):
			add(sources.Key{Source: r.Source, Repo: r.Repo, Stream: github.RunsStream(r.Workflow)}, i)
		case r.Source == domain.GitLab && wantPipeline(s, r.Branch, r.Name):
			add(sources.Key{Source: r.Source, Repo: r.Repo, Stream: pipelines}, i)
		}
	}
	links := linksByDeployment(ds)

	var out []sources.Page
	for n, k := range order {
		g := groups[k]
		at := func(i int) time.Time {
			switch {
			case k.Stream == sources.Changes:
				return ds.Changes[i].UpdatedAt
			case k.Stream == sources.Deployments:
				return ds.Deployments[i].CreatedAt
			default:
				return ds.Runs[i].CreatedAt
			}
		}
		slices.SortStableFunc(g.items, func(a, b int) int { return at(a).Compare(at(b)) })
		for start := 0; start < len(g.items); start += size {
			part := g.items[start:min(len(g.items), start+size)]
			p := sources.Page{Key: k}
			var high time.Time
			for _, i := range part {
				high = maxTime(high, at(i))
				switch {
				case k.Stream == sources.Changes:
					p.Changes = append(p.Changes, ds.Changes[i])
				case k.Stream == sources.Deployments:
					d := ds.Deployments[i]
					p.Deployments = append(p.Deployments, d)
					p.Links = append(p.Links, links[linkOwner(d.Source, d.Repo, d.ID)]...)
				default:
					p.Runs = append(p.Runs, ds.Runs[i])
				}
			}
			p.Cursor = sources.Cursor{Since: high, ETag: `W/"` + strconv.Itoa(n) + "-" + strconv.Itoa(start) + `"`}
			out = append(out, p)
		}
	}
	return out
}

// wantPipeline is the GitLab source's rule for the pipelines it reads in
// full: an experiment run by the pipeline rules, or a deploy pipeline by
// name.
func wantPipeline(s domain.Settings, ref, name string) bool {
	if s.Experiments.PipelineSelected(ref, name) {
		return true
	}
	return name != "" && (slices.Contains(s.DeployWorkflows, name) || slices.Contains(s.DeployWorkflows, path.Base(name)))
}

// linksByDeployment is the exact containment the demo knows, as deploy
// links keyed by the deployment that shipped each merge SHA.
func linksByDeployment(ds *domain.Dataset) map[string][]sources.DeployLink {
	out := map[string][]sources.DeployLink{}
	for i := range ds.Changes {
		c := &ds.Changes[i]
		if !c.DeployExact || c.MergeSHA == "" || c.DeploymentID == "" {
			continue
		}
		k := linkOwner(c.Source, c.Repo, c.DeploymentID)
		out[k] = append(out[k], sources.DeployLink{Source: c.Source, Repo: c.Repo, SHA: c.MergeSHA,
			DeploymentID: c.DeploymentID, DeployedAt: c.DeployedAt})
	}
	for _, ls := range out {
		slices.SortFunc(ls, func(a, b sources.DeployLink) int { return cmp.Compare(a.SHA, b.SHA) })
	}
	return out
}

func linkOwner(src domain.Source, repo, id string) string {
	return string(src) + "\x00" + repo + "\x00" + id
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
