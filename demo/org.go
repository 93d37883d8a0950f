package demo

import (
	"strconv"
	"time"

	"github.com/pace-dev/pace/domain"
)

// person is someone who authors changes and runs experiments.
type person struct {
	login    string  // GitHub login; also the GitLab username unless gitlab is set
	gitlab   string  // GitLab username when it differs from the GitHub login
	research float64 // how much this person leans to research work (0..1)
	weight   float64 // how many changes they author relative to teammates
}

// on returns the person's login on a source.
func (p *person) on(src domain.Source) string {
	if src == domain.GitLab && p.gitlab != "" {
		return p.gitlab
	}
	return p.login
}

// deployMode says how a repo ships.
type deployMode int

const (
	noDeploys       deployMode = iota // a library or notebooks: merged, never deployed
	envDeploys                        // deployment objects per environment (GitHub deployments, GitLab environments)
	workflowDeploys                   // a deploy.yml Actions run on the base branch, no deployment objects
)

// repoSpec is one repository or GitLab project of a team.
type repoSpec struct {
	source      domain.Source
	path        string
	base        string  // default branch, also the deployed ref
	share       float64 // share of the team's changes landing here
	firstNumber int     // the first PR/MR number inside the generated history
	deploy      deployMode
	staging     string  // staging environment name, "" when there is none
	production  string  // production environment name
	tiered      bool    // the API reports the environment tier (GitLab)
	exact       bool    // the source knows which deployment shipped a change
	perWeek     float64 // production deployment attempts per week
	bots        []string
}

// timing holds a team's median durations for the parts of a change, in hours.
type timing struct {
	coding, pickup, review float64
}

// expFate is how an experiment ends (or has not, yet).
type expFate int

const (
	live           expFate = iota // no decision yet: running, active or stale, from its timing
	adopted                       // its change merged
	abandonedClose                // its change closed unmerged
	abandonedLabel                // its change labelled "abandoned", left open
)

// lastRun is the state of an experiment's latest run at now.
type lastRun int

const (
	lastDone    lastRun = iota // finished
	lastRunning                // in progress, started recently
	lastZombie                 // in progress for longer than max_run
)

// expStory is a hand-written experiment with exact offsets from now, so
// that every team shows each experiment state regardless of the random
// background.
type expStory struct {
	repo      int
	slug      string // branch is "exp/"+slug
	title     string
	firstAgo  time.Duration
	lastAgo   time.Duration
	runs      int
	fate      expFate
	decideAgo time.Duration
	last      lastRun
}

// failStory is a production deployment that fails and is recovered later.
type failStory struct {
	repo         int
	ago          time.Duration
	recoverAfter time.Duration
	revert       bool // the recovery ships a revert of the culprit
}

// teamSpec describes a team and everything the generator needs to invent
// its history.
type teamSpec struct {
	name      string
	people    []person
	outsiders []person // in no team; author a few engineering changes in the team's repos
	repos     []repoSpec
	target    domain.Split

	changesPerWeek float64
	researchShare  float64 // share of human changes that are research
	timing         timing
	// trend gives the multipliers of work (coding, review) and pickup for
	// a change opened age weeks before now, so weekly trends move.
	trend       func(age float64) (work, pickup float64)
	unreviewed  float64 // share of merges without any review
	experiments int     // random experiments over the history, besides the stories
	expRepos    []int   // repos where experiments run
	expGap      time.Duration
	benchmarks  bool // experiments are eval.yml benchmarks, not training runs
	stories     []expStory
	failures    []failStory
	waiting     []time.Duration // ready this long ago and still without a review at now
	guardrails  []domain.Guardrail
	vocab       vocab
}

// members returns the team's configured members: every person by login,
// plus a "gitlab:" member for a different GitLab username.
func (t *teamSpec) members() []domain.Member {
	out := make([]domain.Member, 0, len(t.people)+2)
	for i := range t.people {
		p := &t.people[i]
		out = append(out, domain.Member{Login: p.login})
		if p.gitlab != "" {
			out = append(out, domain.Member{Source: domain.GitLab, Login: p.gitlab})
		}
	}
	return out
}

// replicate returns the spec of the r-th copy of t (r >= 1) for scaled
// organisations: "Fraud ML 2" with repos "acme/fraud-model-2" and logins
// "priya.raman-2". Copy 0 is t itself, so scale 1 is a prefix of every
// larger scale.
func (t teamSpec) replicate(r int) teamSpec {
	if r == 0 {
		return t
	}
	n := strconv.Itoa(r + 1)
	t.name += " " + n
	t.people = renamePeople(t.people, n)
	t.outsiders = renamePeople(t.outsiders, n)
	repos := make([]repoSpec, len(t.repos))
	for i, rp := range t.repos {
		rp.path += "-" + n
		repos[i] = rp
	}
	t.repos = repos
	return t
}

func renamePeople(ps []person, n string) []person {
	out := make([]person, len(ps))
	for i, p := range ps {
		p.login += "-" + n
		if p.gitlab != "" {
			p.gitlab += "-" + n
		}
		out[i] = p
	}
	return out
}

// hours converts fractional hours to a whole-second duration.
func hours(h float64) time.Duration { return secs(time.Duration(h * float64(time.Hour))) }

// guardrail builds a guardrail the way the config loader would.
func guardrail(metric string, op domain.Op, value float64, rule string) domain.Guardrail {
	return domain.Guardrail{Metric: metric, Op: op, Value: value, Rule: string(op) + " " + rule}
}

const day = 24 * time.Hour
