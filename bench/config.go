package bench

import (
	"fmt"
	"regexp"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/pace-dev/pace/config"
	"github.com/pace-dev/pace/domain"
)

// The file shapes below mirror the config schema (SPEC §3) with omitempty,
// so the written file says only what the settings hold; config.Load is the
// judge of whether it is valid.
type fileConfig struct {
	Window      string          `yaml:"window"`
	Refresh     string          `yaml:"refresh"`
	GitHub      *fileSource     `yaml:"github,omitempty"`
	GitLab      *fileSource     `yaml:"gitlab,omitempty"`
	Teams       []fileTeam      `yaml:"teams"`
	Deployments fileDeployments `yaml:"deployments"`
	Experiments fileExperiments `yaml:"experiments"`
	Classify    yaml.Node       `yaml:"classify"`
	Bots        []string        `yaml:"bots"`
	Guardrails  *yaml.Node      `yaml:"guardrails,omitempty"`
}

type fileSource struct {
	Repos    []string `yaml:"repos,omitempty"`
	Projects []string `yaml:"projects,omitempty"`
}

type fileTeam struct {
	Name       string     `yaml:"name"`
	Members    []string   `yaml:"members,omitempty"`
	Repos      []string   `yaml:"repos,omitempty"`
	Allocation *fileSplit `yaml:"allocation,omitempty"`
	Guardrails *yaml.Node `yaml:"guardrails,omitempty"`
}

type fileSplit struct {
	Research    float64 `yaml:"research"`
	Engineering float64 `yaml:"engineering"`
}

type fileDeployments struct {
	Production string   `yaml:"production,omitempty"`
	Staging    string   `yaml:"staging,omitempty"`
	Workflows  []string `yaml:"workflows,omitempty"`
}

type fileExperiments struct {
	Workflows  []string       `yaml:"workflows,omitempty"`
	Pipelines  *filePipelines `yaml:"pipelines,omitempty"`
	Key        string         `yaml:"key,omitempty"`
	KeyPattern string         `yaml:"key_pattern,omitempty"`
	StaleAfter string         `yaml:"stale_after"`
	MaxRun     string         `yaml:"max_run"`
	FailFast   string         `yaml:"fail_fast"`
}

type filePipelines struct {
	Ref  string `yaml:"ref,omitempty"`
	Name string `yaml:"name,omitempty"`
}

type fileRule struct {
	Labels   []string `yaml:"labels,omitempty"`
	Branches []string `yaml:"branches,omitempty"`
}

// ConfigYAML writes the config a leader of ds's organisation would keep:
// the GitHub repos and GitLab projects the data came from, and s as
// settings (teams with members, repos, allocation and guardrails,
// deployments, experiments, classify rules, bots, global guardrails).
// Background refresh is off: a benchmark must never reach for the network.
func ConfigYAML(ds *domain.Dataset, s domain.Settings) ([]byte, error) {
	c := fileConfig{
		Window:  config.FormatDuration(s.Window),
		Refresh: "0",
		Bots:    s.Bots,
		Deployments: fileDeployments{
			Production: reString(s.Production), Staging: reString(s.Staging), Workflows: s.DeployWorkflows,
		},
		Experiments: fileExperiments{
			Workflows:  s.Experiments.Workflows,
			Key:        s.Experiments.Key,
			KeyPattern: reString(s.Experiments.KeyPattern),
			StaleAfter: config.FormatDuration(s.Experiments.StaleAfter),
			MaxRun:     config.FormatDuration(s.Experiments.MaxRun),
			FailFast:   config.FormatDuration(s.Experiments.FailFast),
		},
		Guardrails: rules(s.Guardrails),
	}
	if ref, name := reString(s.Experiments.PipelineRef), reString(s.Experiments.PipelineName); ref != "" || name != "" {
		c.Experiments.Pipelines = &filePipelines{Ref: ref, Name: name}
	}
	gh, gl := reposBySource(ds)
	if len(gh) > 0 {
		c.GitHub = &fileSource{Repos: gh}
	}
	if len(gl) > 0 {
		c.GitLab = &fileSource{Projects: gl}
	}
	for _, t := range s.Teams {
		ft := fileTeam{Name: t.Name, Repos: t.Repos, Guardrails: rules(t.Guardrails)}
		for _, m := range t.Members {
			if m.Source != "" {
				ft.Members = append(ft.Members, string(m.Source)+":"+m.Login)
			} else {
				ft.Members = append(ft.Members, m.Login)
			}
		}
		if a := t.Allocation; a != nil {
			ft.Allocation = &fileSplit{Research: a.Research, Engineering: a.Engineering}
		}
		c.Teams = append(c.Teams, ft)
	}
	classify, err := classifyNode(s.Classify)
	if err != nil {
		return nil, err
	}
	c.Classify = classify
	out, err := yaml.Marshal(&c)
	if err != nil {
		return nil, fmt.Errorf("bench: write config: %w", err)
	}
	return out, nil
}

// classifyNode keeps the rules' order, which decides the category: a map
// would sort "engineering" before "research".
func classifyNode(rs []domain.ClassifyRule) (yaml.Node, error) {
	n := yaml.Node{Kind: yaml.MappingNode}
	seen := map[domain.Category]bool{}
	for _, r := range rs {
		if seen[r.Category] {
			return n, fmt.Errorf("bench: classify: two rules for %s cannot be written as one config", r.Category)
		}
		seen[r.Category] = true
		fr := fileRule{Labels: r.Labels}
		for _, b := range r.Branches {
			fr.Branches = append(fr.Branches, b.String())
		}
		var v yaml.Node
		if err := v.Encode(fr); err != nil {
			return n, err
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: string(r.Category)}, &v)
	}
	return n, nil
}

// rules is a guardrail list as the config writes it, metric: rule, in
// order (the report lists guardrails in file order). The Rule field holds
// the rule as written ("<= 48h").
func rules(gs []domain.Guardrail) *yaml.Node {
	if len(gs) == 0 {
		return nil
	}
	n := &yaml.Node{Kind: yaml.MappingNode}
	for _, g := range gs {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: g.Metric},
			&yaml.Node{Kind: yaml.ScalarNode, Style: yaml.SingleQuotedStyle, Value: g.Rule})
	}
	return n
}

// reposBySource lists the GitHub repos and GitLab projects ds holds data of.
func reposBySource(ds *domain.Dataset) (github, gitlab []string) {
	seen := map[string]bool{}
	add := func(src domain.Source, repo string) {
		k := string(src) + ":" + repo
		if seen[k] {
			return
		}
		seen[k] = true
		if src == domain.GitLab {
			gitlab = append(gitlab, repo)
		} else {
			github = append(github, repo)
		}
	}
	for i := range ds.Changes {
		add(ds.Changes[i].Source, ds.Changes[i].Repo)
	}
	for i := range ds.Deployments {
		add(ds.Deployments[i].Source, ds.Deployments[i].Repo)
	}
	for i := range ds.Runs {
		add(ds.Runs[i].Source, ds.Runs[i].Repo)
	}
	slices.Sort(github)
	slices.Sort(gitlab)
	return github, gitlab
}

func reString(re *regexp.Regexp) string {
	if re == nil {
		return ""
	}
	return re.String()
}
