package domain

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Category bits of an allocation day.
const (
	researchBit    uint8 = 1
	engineeringBit uint8 = 2
)

// allocator collects the window's person-days (SPEC §5 allocation).
//
// An activity is a commit with a login, a review/comment/approval (by its
// login), a change opened or merged (by its author, at OpenedAt/MergedAt) or
// an experiment run (by its actor, at StartedAt, else CreatedAt), in the
// window, by a non-bot login that is a member of some team. It carries its
// item's category and counts for the item's team when the person is a member
// of it, else for the person's own team (repo of the item breaks ties).
// A person-day is (login, UTC date) within one team: a person working for two
// teams on one day has a day in each; in the org total it is one day. Each
// person-day is 1.0, split evenly over the distinct categories of that day's
// activities. Activities on bot-authored changes are left out like the changes.
type allocator struct {
	x      *teamIndex
	win    Period
	nDays  int // the window's days (see Period.dayIndex)
	nTeams int

	// One row of day bits per (team, member) and per person for the total,
	// allocated on first use: person p's rows start at base[p], one per team
	// in teamsOf[p], then the total's.
	base    []int
	teamsOf [][]int    // person → every team listing the login (any source), in order
	members [][]member // team → its people and their rows
	rows    [][]uint8  // [row][day] category bits

	// The last login looked up: a change's activities repeat a few logins.
	lastSource Source
	lastLogin  string
	lastInfo   loginInfo
}

// member is one person of a team and the row of their days for it.
type member struct{ person, row int }

// newAllocator prepares an empty allocation for the window of p.
func newAllocator(x *teamIndex, p *periods) *allocator {
	a := &allocator{x: x, win: p.cur, nTeams: len(x.teams)}
	a.nDays = p.cur.dayCount()
	a.base = make([]int, len(x.logins))
	a.teamsOf = make([][]int, len(x.logins))
	a.members = make([][]member, len(x.teams))
	rows := 0
	for person, login := range x.logins {
		var ts []int
		for _, m := range x.members[strings.ToLower(login)] {
			if !containsInt(ts, m.team) {
				ts = append(ts, m.team)
			}
		}
		a.base[person], a.teamsOf[person] = rows, ts
		for i, t := range ts {
			a.members[t] = append(a.members[t], member{person, rows + i})
		}
		rows += len(ts) + 1
	}
	a.rows = make([][]uint8, rows)
	return a
}

// row is the row of person's days for team t (a.nTeams: the total).
func (a *allocator) row(t, person int) int {
	ts := a.teamsOf[person]
	for i, x := range ts {
		if x == t {
			return a.base[person] + i
		}
	}
	return a.base[person] + len(ts) // the total
}

// dayIndex is the 24-hour day of the period that t falls in, counted from
// its start. Person-days and deploy days count these rather than calendar
// dates: a 14-day window starting at 09:00 touches 15 dates, which would
// give someone 15 active days in 14, or a team 7.5 deploy days a week. With a
// window starting at midnight UTC they are the UTC dates.
func (p Period) dayIndex(t time.Time) int { return int(t.Sub(p.Start) / (24 * time.Hour)) }

// dayCount is the number of (possibly partial) 24-hour days in the period.
func (p Period) dayCount() int {
	return int((p.End.Sub(p.Start) + 24*time.Hour - 1) / (24 * time.Hour))
}

// add records one activity of login (on source) at t, on an item of
// itemTeam (-1: none) in repo, of category cat.
func (a *allocator) add(source Source, login string, itemTeam int, repo string, cat Category, t time.Time) {
	if !a.win.Contains(t) || login == "" {
		return
	}
	info := a.lastInfo
	if login != a.lastLogin || source != a.lastSource {
		info = a.x.lookup(source, login)
		a.lastSource, a.lastLogin, a.lastInfo = source, login, info
	}
	if info.person < 0 || info.bot {
		return
	}
	team := itemTeam
	if team < 0 || !containsInt(info.teams, team) {
		team = a.x.pick(info.teams, repo)
	}
	bit := engineeringBit
	if cat == Research {
		bit = researchBit
	}
	day := a.win.dayIndex(t)
	a.mark(a.row(team, info.person), day, bit)
	a.mark(a.row(a.nTeams, info.person), day, bit)
}

// mark sets a category bit of one row's day.
func (a *allocator) mark(row, day int, bit uint8) {
	r := a.rows[row]
	if r == nil {
		r = make([]uint8, a.nDays)
		a.rows[row] = r
	}
	r[day] |= bit
}

// change records the activities of one non-bot change of team.
func (a *allocator) change(c *Change, team int) {
	for _, ac := range c.Activity {
		a.add(c.Source, ac.Login, team, c.Repo, c.Category, ac.At)
	}
	a.add(c.Source, c.Author, team, c.Repo, c.Category, c.OpenedAt)
	a.add(c.Source, c.Author, team, c.Repo, c.Category, c.MergedAt)
}

// report turns slot's person-days (slot nTeams: the total) into the
// allocation report, with merged counts by category and the target.
func (a *allocator) report(slot int, mergedCat [2]int, target *Split) AllocationReport {
	out := AllocationReport{Target: target}
	var research, engineering float64
	var people []member
	if slot < a.nTeams {
		people = a.members[slot]
	} else {
		for p := range a.base {
			people = append(people, member{p, a.row(a.nTeams, p)})
		}
	}
	for _, m := range people {
		person, r := m.person, a.rows[m.row]
		if r == nil {
			continue
		}
		pa := PersonAllocation{Login: a.x.logins[person]}
		for _, bits := range r {
			switch bits {
			case researchBit:
				pa.Research++
			case engineeringBit:
				pa.Engineering++
			case researchBit | engineeringBit:
				pa.Research += 0.5
				pa.Engineering += 0.5
			}
		}
		if pa.Research+pa.Engineering == 0 {
			continue
		}
		research += pa.Research
		engineering += pa.Engineering
		out.ByPerson = append(out.ByPerson, pa)
	}
	slices.SortFunc(out.ByPerson, func(x, y PersonAllocation) int {
		if c := cmp.Compare(y.Research+y.Engineering, x.Research+x.Engineering); c != 0 {
			return c
		}
		return strings.Compare(strings.ToLower(x.Login), strings.ToLower(y.Login))
	})
	out.TotalDays = research + engineering
	if out.TotalDays > 0 {
		out.PersonDays = &Split{Research: 100 * research / out.TotalDays, Engineering: 100 * engineering / out.TotalDays}
	}
	if n := mergedCat[0] + mergedCat[1]; n > 0 {
		out.MergedChanges = &Split{Research: 100 * float64(mergedCat[0]) / float64(n), Engineering: 100 * float64(mergedCat[1]) / float64(n)}
	}
	if target != nil && out.PersonDays != nil {
		d := out.PersonDays.Research - target.Research
		out.Drift = &d
	}
	return out
}
