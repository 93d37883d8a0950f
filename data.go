package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pace-dev/pace/config"
	"github.com/pace-dev/pace/demo"
	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/store"
)

// demoScale is the size of the organisation `--demo` shows.
const demoScale = 1

// workspace is what a command reads: the settings, and where the data is.
type workspace struct {
	settings domain.Settings
	cfg      *config.Config // nil in demo mode
	demo     bool
	now      time.Time
	cache    string          // cache file path (not used in demo mode)
	demoData *domain.Dataset // the generated organisation in demo mode
	// prefetched delivers a cache Load started before the config was
	// parsed (the two overlap); dataset takes it once, then reads afresh.
	prefetched chan loaded
	mu         sync.Mutex // guards prefetched: the dashboard loads from commands
}

// loaded is the outcome of one cache read: the data and the github_team
// member lists the last sync stored.
type loaded struct {
	ds      *domain.Dataset
	members map[string][]string
	err     error
}

// loadWorkspace reads the config (or the demo's settings). A missing or
// invalid config is a usage error: nothing is fetched. With prefetch, the
// cache starts loading while the config is parsed, for commands that will
// read it at once (snapshot, the dashboard's first frame).
func (a *app) loadWorkspace(ctx context.Context, demoMode, prefetch bool) (*workspace, error) {
	now, err := a.now()
	if err != nil {
		return nil, err
	}
	if demoMode {
		ds, s := demo.Generate(now, demoScale)
		return &workspace{settings: s, demo: true, now: now, demoData: ds}, nil
	}
	path, err := a.resolveConfigPath()
	if err != nil {
		return nil, usageErr(err)
	}
	cache, err := a.resolveCachePath()
	if err != nil {
		return nil, usageErr(err)
	}
	var pending chan loaded
	if _, err := os.Stat(cache); prefetch && err == nil {
		pending = make(chan loaded, 1)
		go func() { pending <- loadCache(ctx, cache) }()
	}
	cfg, err := config.Load(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usagef("no config at %s\n  create one with: pace config init\n  or look around first with: pace --demo", path)
		}
		return nil, usageErr(err)
	}
	ws := &workspace{settings: cfg.Settings(), cfg: cfg, now: now, cache: cache, prefetched: pending}
	if pending != nil && hasGitHubTeam(cfg) {
		// The teams need their github_team members before anything is
		// computed; they come from the same read, which dataset then takes.
		r := <-pending
		if r.err == nil {
			ws.addTeamMembers(r.members)
		}
		ws.prefetched = make(chan loaded, 1)
		ws.prefetched <- r
	}
	return ws, nil
}

func hasGitHubTeam(cfg *config.Config) bool {
	return slices.ContainsFunc(cfg.Teams, func(t config.Team) bool { return t.GitHubTeam != "" })
}

// addTeamMembers adds to each team with a github_team the members the last
// sync listed for it (none before a first sync).
func (w *workspace) addTeamMembers(listed map[string][]string) {
	for _, t := range w.cfg.Teams {
		i := slices.IndexFunc(w.settings.Teams, func(x domain.Team) bool { return x.Name == t.Name })
		if t.GitHubTeam == "" || i < 0 {
			continue
		}
		team := &w.settings.Teams[i]
		for _, login := range listed[teamKey(t.GitHubTeam)] {
			m := domain.Member{Source: domain.GitHub, Login: login}
			if !slices.ContainsFunc(team.Members, func(x domain.Member) bool {
				return strings.EqualFold(x.Login, login) && (x.Source == "" || x.Source == domain.GitHub)
			}) {
				team.Members = append(team.Members, m)
			}
		}
	}
}

// dataset returns the data to show: the demo organisation, or the cache.
func (w *workspace) dataset(ctx context.Context) (*domain.Dataset, error) {
	if w.demo {
		return w.demoData, nil
	}
	w.mu.Lock()
	pending := w.prefetched
	w.prefetched = nil
	w.mu.Unlock()
	if pending != nil {
		r := <-pending
		return r.ds, r.err
	}
	if _, err := os.Stat(w.cache); errors.Is(err, fs.ErrNotExist) {
		return nil, usagef("no cache at %s yet: run 'pace sync' first (or try 'pace --demo')", w.cache)
	}
	r := loadCache(ctx, w.cache)
	return r.ds, r.err
}

// loadCache reads the whole cache at path, and the team lists, in one open.
func loadCache(ctx context.Context, path string) loaded {
	st, err := store.Open(ctx, path)
	if err != nil {
		return loaded{err: fmt.Errorf("open cache: %w", err)}
	}
	defer st.Close()
	ds, err := st.Load(ctx)
	if err != nil {
		return loaded{err: err}
	}
	members, err := st.TeamMembers(ctx)
	return loaded{ds: ds, members: members, err: err}
}

func (a *app) resolveConfigPath() (string, error) {
	if a.configPath != "" {
		return a.configPath, nil
	}
	return config.DefaultPath(a.getenv)
}

func (a *app) resolveCachePath() (string, error) {
	if a.cachePath != "" {
		return filepath.Clean(a.cachePath), nil
	}
	return config.DefaultCachePath(a.getenv)
}
