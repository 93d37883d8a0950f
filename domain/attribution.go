package domain

import "strings"

// teamIndex answers SPEC §5's attribution questions (which teams is this
// login in, which team owns this repo) for one Settings.Teams, with the
// per-login answers cached because every change and activity asks.
type teamIndex struct {
	teams     []Team
	byName    map[string]int
	members   map[string][]memberRef  // lower-case login → memberships in team order
	repoTeams map[string][]int        // repo → teams listing it, in team order
	persons   map[string]int          // lower-case login → person number (allocation)
	logins    []string                // person number → login as first configured
	bots      *botMatcher             // nil: nobody is a bot
	cache     [2]map[string]loginInfo // by login, for GitHub and GitLab
	other     map[loginKey]loginInfo  // other sources
}

// loginInfo is what a login is, as seen on one source.
type loginInfo struct {
	teams  []int // teams it is a member of, in team order
	person int   // person number, -1 when in no team
	bot    bool  // matches Settings.Bots
}

// memberRef is one membership of a login.
type memberRef struct {
	team   int
	source Source // "" matches every source
}

// loginKey is a login as seen on one source (membership may be source-bound).
type loginKey struct {
	source Source
	login  string
}

// newTeamIndex indexes teams, with bots (may be nil) to flag bot logins.
// A team name listed twice keeps its first position (the configuration
// rejects duplicates anyway). Not safe for concurrent use (it caches).
func newTeamIndex(teams []Team, bots *botMatcher) *teamIndex {
	x := &teamIndex{
		teams:     teams,
		bots:      bots,
		byName:    make(map[string]int, len(teams)),
		members:   make(map[string][]memberRef),
		repoTeams: make(map[string][]int),
		persons:   make(map[string]int),
		cache:     [2]map[string]loginInfo{make(map[string]loginInfo), make(map[string]loginInfo)},
		other:     make(map[loginKey]loginInfo),
	}
	for ti, t := range teams {
		if _, dup := x.byName[t.Name]; !dup {
			x.byName[t.Name] = ti
		}
		for _, m := range t.Members {
			if m.Login == "" {
				continue
			}
			l := strings.ToLower(m.Login)
			x.members[l] = append(x.members[l], memberRef{team: ti, source: m.Source})
			if _, ok := x.persons[l]; !ok {
				x.persons[l] = len(x.logins)
				x.logins = append(x.logins, m.Login)
			}
		}
		for _, r := range t.Repos {
			if !containsInt(x.repoTeams[r], ti) {
				x.repoTeams[r] = append(x.repoTeams[r], ti)
			}
		}
	}
	return x
}

// teamsOf returns the teams login is a member of on source, in team order
// (Member.Source "" matches every source; logins compare case-insensitively).
// The result is shared: callers must not modify it.
func (x *teamIndex) teamsOf(source Source, login string) []int {
	return x.lookup(source, login).teams
}

// lookup returns (once per source and spelling) the login's teams and person.
func (x *teamIndex) lookup(source Source, login string) loginInfo {
	if login == "" {
		return loginInfo{person: -1}
	}
	// Two sources in practice: one map each hashes only the login.
	var cache map[string]loginInfo
	switch source {
	case GitHub:
		cache = x.cache[0]
	case GitLab:
		cache = x.cache[1]
	}
	if cache != nil {
		if v, ok := cache[login]; ok {
			return v
		}
	} else if v, ok := x.other[loginKey{source, login}]; ok {
		return v
	}
	l := strings.ToLower(login)
	v := loginInfo{person: -1}
	for _, m := range x.members[l] {
		if (m.source == "" || m.source == source) && !containsInt(v.teams, m.team) {
			v.teams = append(v.teams, m.team)
		}
	}
	if len(v.teams) > 0 {
		v.person = x.persons[l]
	}
	v.bot = x.bots != nil && x.bots.match(login)
	if cache != nil {
		cache[login] = v
	} else {
		x.other[loginKey{source, login}] = v
	}
	return v
}

// ownTeam is the team of login for an item in repo: its only team, else
// the one of its teams whose Repos hold repo, else the first listed; -1 when
// the login is in no team.
func (x *teamIndex) ownTeam(source Source, login, repo string) int {
	return x.pick(x.teamsOf(source, login), repo)
}

// pick chooses among a person's teams ts for an item in repo (see ownTeam).
func (x *teamIndex) pick(ts []int, repo string) int {
	switch len(ts) {
	case 0:
		return -1
	case 1:
		return ts[0]
	}
	for _, t := range ts {
		if containsInt(x.repoTeams[repo], t) {
			return t
		}
	}
	return ts[0]
}

// repoTeam is the first team whose Repos hold repo, -1 when none does.
func (x *teamIndex) repoTeam(repo string) int {
	if ts := x.repoTeams[repo]; len(ts) > 0 {
		return ts[0]
	}
	return -1
}

// attribute is SPEC §5's rule for a change or experiment: the team of the
// person, else the team owning the repo, else -1.
func (x *teamIndex) attribute(source Source, login, repo string) int {
	if t := x.ownTeam(source, login, repo); t >= 0 {
		return t
	}
	return x.repoTeam(repo)
}

// name is the team's name, "" for -1.
func (x *teamIndex) name(t int) string {
	if t < 0 {
		return ""
	}
	return x.teams[t].Name
}

// containsInt reports whether v is in s (the slices here hold a few teams).
func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
