package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pace-dev/pace/domain"
)

// Settings converts the config into what the metrics run on: durations
// parsed, regexps compiled, members split into source and login, guardrails
// parsed (durations in seconds) in file order. It expects a validated
// Config; anything invalid is skipped or left at its default rather than
// panicking, so it is safe on a Config built in code.
func (c *Config) Settings() domain.Settings {
	s := domain.DefaultSettings()
	if d, err := ParseDuration(c.Window); err == nil && d > 0 {
		s.Window = d
	}
	s.Bots = append([]string(nil), c.Bots...)
	if re := compile(c.Deployments.Production); re != nil {
		s.Production = re
	}
	if re := compile(c.Deployments.Staging); re != nil {
		s.Staging = re
	}
	s.DeployWorkflows = append([]string(nil), c.Deployments.Workflows...)

	e := c.Experiments
	s.Experiments.Workflows = append([]string(nil), e.Workflows...)
	s.Experiments.PipelineRef = compile(e.Pipelines.Ref)
	s.Experiments.PipelineName = compile(e.Pipelines.Name)
	if e.Key == "branch" || e.Key == "run_name" {
		s.Experiments.Key = e.Key
	}
	if re := compile(e.KeyPattern); re != nil && re.NumSubexp() > 0 {
		s.Experiments.KeyPattern = re
	}
	if d, err := ParseDuration(e.StaleAfter); err == nil && d > 0 {
		s.Experiments.StaleAfter = d
	}
	if d, err := ParseDuration(e.MaxRun); err == nil && d > 0 {
		s.Experiments.MaxRun = d
	}
	if d, err := ParseDuration(e.FailFast); err == nil && d > 0 {
		s.Experiments.FailFast = d
	}

	if n := c.Classify; !isNull(&n) {
		s.Classify = nil
		for _, ce := range c.classifyEntries() {
			r := domain.ClassifyRule{Category: domain.Category(ce.category)}
			for _, l := range ce.rule.Labels {
				if l = strings.TrimSpace(l); l != "" {
					r.Labels = append(r.Labels, l)
				}
			}
			for _, b := range ce.rule.Branches {
				if re := compile(b); re != nil {
					r.Branches = append(r.Branches, re)
				}
			}
			s.Classify = append(s.Classify, r)
		}
	}

	s.Guardrails = c.guardrails("guardrails", c.Guardrails)
	s.Teams = make([]domain.Team, 0, len(c.Teams))
	for i, t := range c.Teams {
		s.Teams = append(s.Teams, c.team(i, t))
	}
	return s
}

func (c *Config) team(i int, t Team) domain.Team {
	dt := domain.Team{
		Name:       strings.TrimSpace(t.Name),
		Repos:      append([]string(nil), t.Repos...),
		Guardrails: c.guardrails(fmt.Sprintf("teams[%d].guardrails", i), t.Guardrails),
	}
	for _, m := range t.Members {
		dt.Members = append(dt.Members, ParseMember(m))
	}
	if a := t.Allocation; a != nil && a.Research != nil && a.Engineering != nil {
		dt.Allocation = &domain.Split{Research: *a.Research, Engineering: *a.Engineering}
	}
	return dt
}

// ParseMember splits "gitlab:bob.smith" into {GitLab, "bob.smith"}; a login
// without a prefix matches every source.
func ParseMember(s string) domain.Member {
	s = strings.TrimSpace(s)
	if src, login, ok := strings.Cut(s, ":"); ok && (src == string(domain.GitHub) || src == string(domain.GitLab)) {
		return domain.Member{Source: domain.Source(src), Login: login}
	}
	return domain.Member{Login: s}
}

// compile returns nil for an empty or invalid expression.
func compile(expr string) *regexp.Regexp {
	if expr == "" {
		return nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil
	}
	return re
}
