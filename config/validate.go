package config

import (
	"fmt"
	"math"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Validate checks what the values mean (durations, regexps, names, URLs,
// allocations, guardrails) and returns Errors listing every problem, or
// nil. Parse and Load call it; call it again after changing a Config in
// code (e.g. the CLI applying --window).
func (c *Config) Validate() error {
	p := newCollector(c.file, c.lines, c.bad)
	c.validate(p)
	if out := finish(p.list, c.secrets()); out != nil {
		return out
	}
	return nil
}

func (c *Config) secrets() []string {
	return []string{c.GitHub.Token.Reveal(), c.GitLab.Token.Reveal()}
}

// span is the range a duration key accepts.
type span struct {
	min, max time.Duration
	days     bool   // whole days only
	example  string // shown in "allowed:"
}

var (
	windowSpan  = span{min: Day, max: 365 * Day, days: true, example: "14d"}
	refreshSpan = span{min: time.Minute, max: Day, example: "15m; 0 turns it off"}
	staleSpan   = span{min: time.Hour, max: 365 * Day, example: "7d"}
	maxRunSpan  = span{min: time.Minute, max: 30 * Day, example: "24h"}
	failSpan    = span{min: time.Hour, max: 365 * Day, example: "14d"}
)

func (c *Config) validate(p *collector) {
	checkDuration(p, "window", c.Window, windowSpan)
	if strings.TrimSpace(c.Refresh) != "0" {
		checkDuration(p, "refresh", c.Refresh, refreshSpan)
	}

	checkURL(p, "github.base_url", c.GitHub.BaseURL, true)
	checkList(p, "github.repos", c.GitHub.Repos, func(v string) string { return repoPath(v, 2, 2) }, "owner/name, e.g. acme/fraud-model")
	checkList(p, "github.orgs", c.GitHub.Orgs, func(v string) string { return repoPath(v, 1, 1) }, "an organisation name, e.g. acme-research")
	checkToken(p, "github.token", c.GitHub.Token, "GITHUB_TOKEN")

	checkURL(p, "gitlab.base_url", c.GitLab.BaseURL, false)
	checkList(p, "gitlab.projects", c.GitLab.Projects, func(v string) string { return repoPath(v, 2, 0) }, "a project path, e.g. acme/ml/feature-store")
	checkList(p, "gitlab.groups", c.GitLab.Groups, func(v string) string { return repoPath(v, 1, 0) }, "a group path, e.g. acme/research")
	checkToken(p, "gitlab.token", c.GitLab.Token, "GITLAB_TOKEN")

	c.checkTeams(p)

	checkRegexp(p, "deployments.production", c.Deployments.Production, false)
	checkRegexp(p, "deployments.staging", c.Deployments.Staging, false)
	checkList(p, "deployments.workflows", c.Deployments.Workflows, nonEmpty, "an Actions workflow file or a GitLab pipeline name, e.g. deploy.yml")

	c.checkExperiments(p)
	c.checkClassify(p)
	checkList(p, "bots", c.Bots, nonEmpty, `a login or a pattern with *, e.g. "*[bot]"`)
	c.checkGuardrails(p, "guardrails", c.Guardrails)
}

func checkDuration(p *collector, path, s string, r span) {
	d, err := ParseDuration(s)
	allowed := FormatDuration(r.min) + " to " + FormatDuration(r.max)
	if r.days {
		allowed += " in whole days"
	}
	allowed += ", e.g. " + r.example
	switch {
	case err != nil:
		p.add(path, "%v; allowed: %s (%s)", err, allowed, durationHelp)
	case d == 0:
		p.add(path, "must be more than zero; allowed: %s", allowed)
	case d < r.min || d > r.max:
		p.add(path, "%q is out of range; allowed: %s", s, allowed)
	case r.days && d%Day != 0:
		p.add(path, "%q is not a whole number of days; allowed: %s", s, allowed)
	}
}

// checkList runs check on every item and reports items listed twice
// (GitHub and GitLab names are case-insensitive, so is the comparison).
func checkList(p *collector, path string, items []string, check func(string) string, allowed string) {
	seen := map[string]int{}
	for i, v := range items {
		ip := fmt.Sprintf("%s[%d]", path, i)
		if msg := check(v); msg != "" {
			p.add(ip, "%s; allowed: %s", msg, allowed)
			continue
		}
		k := strings.ToLower(strings.TrimSpace(v))
		if first, dup := seen[k]; dup {
			p.add(ip, "%q is listed twice (also %s[%d]); keep one", v, path, first)
			continue
		}
		seen[k] = i
	}
}

func nonEmpty(v string) string {
	if strings.TrimSpace(v) == "" {
		return "is empty"
	}
	return ""
}

// segment is one part of a GitHub owner/name or GitLab path.
var segment = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// repoPath checks a slash-separated name of min..max parts (max 0: any).
func repoPath(v string, minParts, maxParts int) string {
	switch {
	case strings.TrimSpace(v) == "":
		return "is empty"
	case strings.Contains(v, "://"):
		return fmt.Sprintf("%q is a URL; write the path without the host", v)
	case strings.HasSuffix(v, ".git"):
		return fmt.Sprintf("%q ends in .git; drop it", v)
	}
	parts := strings.Split(v, "/")
	if len(parts) < minParts || (maxParts > 0 && len(parts) > maxParts) {
		return fmt.Sprintf("%q has the wrong number of parts", v)
	}
	for _, s := range parts {
		if !segment.MatchString(s) || s == "." || s == ".." {
			return fmt.Sprintf("%q is not a valid name", v)
		}
	}
	return ""
}

func checkURL(p *collector, path, raw string, github bool) {
	allowed := "https://gitlab.com or https://HOST (http only for loopback hosts: 127.0.0.0/8, ::1, localhost)"
	if github {
		allowed = "https://api.github.com or https://HOST/api/v3 (http only for loopback hosts: 127.0.0.0/8, ::1, localhost)"
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	switch {
	case err != nil || u.Host == "" || u.Opaque != "":
		if strings.Contains(raw, "@") {
			// It may hold user:password; never echo it.
			p.add(path, "is not a URL; allowed: %s", allowed)
		} else {
			p.add(path, "%q is not a URL; allowed: %s", raw, allowed)
		}
	case u.User != nil:
		p.add(path, "must not hold a user name or password (give the token through the environment); allowed: %s", allowed)
	case strings.EqualFold(u.Scheme, "http") && !loopback(u.Hostname()):
		p.add(path, "%q uses http to a host that is not loopback; tokens would travel in clear text; allowed: %s", raw, allowed)
	case !strings.EqualFold(u.Scheme, "https") && !strings.EqualFold(u.Scheme, "http"):
		p.add(path, "%q must start with https://; allowed: %s", raw, allowed)
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		p.add(path, "%q must not have a query or fragment; allowed: %s", raw, allowed)
	case github && (strings.EqualFold(u.Hostname(), "github.com") || strings.EqualFold(u.Hostname(), "www.github.com")):
		p.add(path, "%q is the web site, not the API; allowed: %s", raw, allowed)
	}
}

// loopback reports whether host is on this machine: 127.0.0.0/8, ::1 or
// localhost.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func checkToken(p *collector, path string, tok Secret, env string) {
	if strings.HasPrefix(strings.TrimSpace(tok.Reveal()), "$") {
		p.add(path, "environment variables are not expanded in the config; remove the token and set %s", env)
	}
}

func checkRegexp(p *collector, path, expr string, needGroup bool) *regexp.Regexp {
	re, err := regexp.Compile(expr)
	if err != nil {
		p.add(path, "bad regexp: %v; allowed: a Go (RE2) regexp, e.g. (?i)^prod", err)
		return nil
	}
	if needGroup && re.NumSubexp() == 0 {
		p.add(path, "%q has no capture group; allowed: a regexp whose first (...) group is the key, e.g. ^exp[-/](\\w+)", expr)
	}
	return re
}

// login is a GitHub or GitLab user name (GitLab allows dots, Enterprise
// Managed Users have underscores).
var login = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)

func member(v string) string {
	name := v
	if i := strings.IndexByte(v, ':'); i >= 0 {
		if src := v[:i]; src != "github" && src != "gitlab" {
			return fmt.Sprintf("%q has an unknown source prefix %q", v, src)
		}
		name = v[i+1:]
	}
	switch {
	case strings.HasPrefix(name, "@"):
		return fmt.Sprintf("%q starts with @; drop it", v)
	case !login.MatchString(name):
		return fmt.Sprintf("%q is not a login", v)
	}
	return ""
}

func githubTeam(v string) string {
	if strings.HasPrefix(v, "@") {
		return fmt.Sprintf("%q starts with @; drop it", v)
	}
	if msg := repoPath(v, 2, 2); msg != "" {
		return fmt.Sprintf("%q is not org/team-slug", v)
	}
	return ""
}

func (c *Config) checkTeams(p *collector) {
	names := map[string]int{}
	for i, t := range c.Teams {
		tp := fmt.Sprintf("teams[%d]", i)
		name := strings.TrimSpace(t.Name)
		switch {
		case name == "":
			p.add(tp+".name", "is empty; every team needs a name")
		case strings.IndexFunc(name, unicode.IsControl) >= 0:
			p.add(tp+".name", "%q holds control characters", name)
		default:
			k := strings.ToLower(name)
			if first, dup := names[k]; dup {
				p.add(tp+".name", "%q is already the name of teams[%d]; team names must be unique", name, first)
			} else {
				names[k] = i
			}
		}
		checkList(p, tp+".members", t.Members, member, "a login, github:LOGIN or gitlab:LOGIN")
		if t.GitHubTeam != "" {
			if msg := githubTeam(t.GitHubTeam); msg != "" {
				p.add(tp+".github_team", "%s; allowed: org/team-slug, e.g. acme/fraud", msg)
			}
		}
		checkList(p, tp+".repos", t.Repos, func(v string) string { return repoPath(v, 2, 0) }, "owner/name or a GitLab project path, e.g. acme/fraud-model")
		if len(t.Members) == 0 && t.GitHubTeam == "" && len(t.Repos) == 0 {
			p.add(tp, "has no members, github_team or repos, so nothing would count for it; allowed: at least one of them")
		}
		checkAllocation(p, tp+".allocation", t.Allocation)
		c.checkGuardrails(p, tp+".guardrails", t.Guardrails)
	}
}

func checkAllocation(p *collector, path string, a *Allocation) {
	if a == nil || p.under(path+".research") || p.under(path+".engineering") {
		// A half that is not a number was reported; a sum would only confuse.
		return
	}
	const allowed = "research and engineering in percent, adding up to 100, e.g. {research: 30, engineering: 70}"
	if a.Research == nil || a.Engineering == nil {
		missing := "research"
		if a.Research != nil {
			missing = "engineering"
		} else if a.Engineering == nil {
			missing = "research and engineering"
		}
		p.add(path, "%s missing; allowed: %s", missing, allowed)
		return
	}
	ok := true
	for _, f := range []struct {
		key string
		v   float64
	}{{"research", *a.Research}, {"engineering", *a.Engineering}} {
		if !(f.v >= 0 && f.v <= 100) {
			p.add(path+"."+f.key, "must be between 0 and 100, got %s; allowed: %s", num(f.v), allowed)
			ok = false
		}
	}
	if sum := *a.Research + *a.Engineering; ok && math.Abs(sum-100) > 1e-9 {
		p.add(path, "research + engineering must be 100, got %s", num(sum))
	}
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func (c *Config) checkExperiments(p *collector) {
	e := c.Experiments
	checkList(p, "experiments.workflows", e.Workflows, workflowFile, "a workflow file name in .github/workflows, e.g. train.yml")
	if e.Pipelines.Ref != "" {
		checkRegexp(p, "experiments.pipelines.ref", e.Pipelines.Ref, false)
	}
	if e.Pipelines.Name != "" {
		checkRegexp(p, "experiments.pipelines.name", e.Pipelines.Name, false)
	}
	if e.Key != "branch" && e.Key != "run_name" {
		p.add("experiments.key", "%q is not allowed; use branch or run_name", e.Key)
	}
	if e.KeyPattern != "" {
		checkRegexp(p, "experiments.key_pattern", e.KeyPattern, true)
	}
	checkDuration(p, "experiments.stale_after", e.StaleAfter, staleSpan)
	checkDuration(p, "experiments.max_run", e.MaxRun, maxRunSpan)
	checkDuration(p, "experiments.fail_fast", e.FailFast, failSpan)
}

func workflowFile(v string) string {
	switch {
	case strings.TrimSpace(v) == "":
		return "is empty"
	case strings.Contains(v, "/"):
		return fmt.Sprintf("%q is a path; write the file name only", v)
	case !strings.HasSuffix(v, ".yml") && !strings.HasSuffix(v, ".yaml"):
		return fmt.Sprintf("%q is not a .yml or .yaml file name", v)
	}
	return ""
}

// classifyEntry is one category rule of `classify`, in file order.
type classifyEntry struct {
	category string
	rule     ClassifyRule
	path     string
}

// classifyEntries decodes the classify mapping in order; malformed parts
// (already reported by the schema walk) are skipped.
func (c *Config) classifyEntries() []classifyEntry {
	w := newWalker(newCollector("", map[string]int{}, nil))
	n := w.deref(&c.Classify)
	if isNull(n) || n.Kind != yaml.MappingNode {
		return nil
	}
	var out []classifyEntry
	for _, e := range w.entries(n, "classify") {
		if !isCategory(e.key.Value) {
			continue
		}
		var r ClassifyRule
		decodeNode(e.val, &r)
		out = append(out, classifyEntry{e.key.Value, r, "classify." + e.key.Value})
	}
	return out
}

// decodeNode decodes as much of n as fits; the schema walk has already
// reported what does not.
func decodeNode(n *yaml.Node, v any) {
	defer func() { _ = recover() }()
	_ = n.Decode(v)
}

func (c *Config) checkClassify(p *collector) {
	for _, e := range c.classifyEntries() {
		checkList(p, e.path+".labels", e.rule.Labels, nonEmpty, "a label name, e.g. spike")
		for i, b := range e.rule.Branches {
			bp := fmt.Sprintf("%s.branches[%d]", e.path, i)
			if b == "" {
				p.add(bp, "is empty, so it would match every branch; allowed: a Go (RE2) regexp, e.g. ^exp/")
				continue
			}
			checkRegexp(p, bp, b, false)
		}
		if len(e.rule.Labels) == 0 && len(e.rule.Branches) == 0 {
			p.add(e.path, "has no labels or branches, so it never matches; allowed: labels: [...] and/or branches: [...]")
		}
	}
}
