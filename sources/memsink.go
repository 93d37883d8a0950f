package sources

import (
	"context"
	"sort"
	"sync"

	"github.com/pace-dev/pace/domain"
)

// MemSink is an in-memory Sink for tests of sources and of `pace sync`: it
// stores pages exactly as the SQLite store does (upsert by id, page and
// cursor together) and can be told to fail a commit.
type MemSink struct {
	mu          sync.Mutex
	changes     map[string]domain.Change
	deployments map[string]domain.Deployment
	runs        map[string]domain.Run
	links       map[string]DeployLink
	cursors     map[Key]Cursor
	statuses    map[string]domain.SourceStatus
	commits     int

	// FailCommit, when set, is called before a page is stored; a non-nil
	// error rejects the whole page (items and cursor), like a failed
	// transaction.
	FailCommit func(Page) error
}

// NewMemSink returns an empty MemSink.
func NewMemSink() *MemSink {
	return &MemSink{
		changes:     map[string]domain.Change{},
		deployments: map[string]domain.Deployment{},
		runs:        map[string]domain.Run{},
		links:       map[string]DeployLink{},
		cursors:     map[Key]Cursor{},
		statuses:    map[string]domain.SourceStatus{},
	}
}

// Cursor implements Sink.
func (m *MemSink) Cursor(ctx context.Context, k Key) (Cursor, bool, error) {
	if err := ctx.Err(); err != nil {
		return Cursor{}, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.cursors[k]
	return c, ok, nil
}

// Commit implements Sink: all of the page or none of it.
func (m *MemSink) Commit(ctx context.Context, p Page) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.FailCommit != nil {
		if err := m.FailCommit(p); err != nil {
			return err
		}
	}
	for _, c := range p.Changes {
		c.Labels = append([]string(nil), c.Labels...)
		c.Activity = append([]domain.Activity(nil), c.Activity...)
		m.changes[c.Key()] = c
	}
	for _, d := range p.Deployments {
		m.deployments[string(d.Source)+":"+d.Repo+":"+d.ID] = d
	}
	for _, r := range p.Runs {
		m.runs[string(r.Source)+":"+r.Repo+":"+r.ID] = r
	}
	for _, l := range p.Links {
		AddLink(m.links, l)
	}
	m.cursors[p.Key] = p.Cursor
	m.commits++
	return nil
}

// SetStatus implements Sink.
func (m *MemSink) SetStatus(ctx context.Context, st domain.SourceStatus) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	st.Errors = append([]string(nil), st.Errors...)
	m.statuses[st.Name] = st
	return nil
}

// Changes returns the stored changes ordered by key, with the stored
// deploy links applied (as the store does on load).
func (m *MemSink) Changes() []domain.Change {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]domain.Change, 0, len(m.changes))
	for _, c := range m.changes {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	ApplyLinks(out, m.links)
	return out
}

// Deployments returns the stored deployments ordered by repo and id.
func (m *MemSink) Deployments() []domain.Deployment {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]domain.Deployment, 0, len(m.deployments))
	for _, d := range m.deployments {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Repo != out[j].Repo {
			return out[i].Repo < out[j].Repo
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Runs returns the stored runs ordered by repo and id.
func (m *MemSink) Runs() []domain.Run {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]domain.Run, 0, len(m.runs))
	for _, r := range m.runs {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Repo != out[j].Repo {
			return out[i].Repo < out[j].Repo
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Links returns the stored deploy links keyed by LinkKey.
func (m *MemSink) Links() map[string]DeployLink {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]DeployLink, len(m.links))
	for k, v := range m.links {
		out[k] = v
	}
	return out
}

// Cursors returns a copy of every stored cursor.
func (m *MemSink) Cursors() map[Key]Cursor {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[Key]Cursor, len(m.cursors))
	for k, v := range m.cursors {
		out[k] = v
	}
	return out
}

// Status returns the stored status of a source.
func (m *MemSink) Status(name string) (domain.SourceStatus, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.statuses[name]
	return st, ok
}

// CommitCount returns how many pages were committed.
func (m *MemSink) CommitCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.commits
}
