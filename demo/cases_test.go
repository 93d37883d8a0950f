package demo

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
)

// experiment is a test-side grouping of experiment runs by (repo, branch),
// following SPEC §3's rules independently of domain's implementation.
type experiment struct {
	repo, branch string
	runs         []*domain.Run
	change       *domain.Change
}

func (e *experiment) first() time.Time { return e.runs[0].StartedAt }
func (e *experiment) last() time.Time  { return e.runs[len(e.runs)-1].StartedAt }

func (e *experiment) concluded() (time.Time, bool) {
	switch c := e.change; {
	case c == nil:
		return time.Time{}, false
	case c.Merged():
		return c.MergedAt, true
	case !c.ClosedAt.IsZero():
		return c.ClosedAt, true
	case slices.Contains(c.Labels, "abandoned"):
		return c.UpdatedAt, true
	}
	return time.Time{}, false
}

func isExperimentRun(s *domain.Settings, r *domain.Run) bool {
	if r.Source == domain.GitHub {
		return slices.Contains(s.Experiments.Workflows, r.Workflow)
	}
	return s.Experiments.PipelineRef.MatchString(r.Branch) && s.Experiments.PipelineName.MatchString(r.Name)
}

func experiments(ds *domain.Dataset, s *domain.Settings) []*experiment {
	byKey := map[string]*experiment{}
	var out []*experiment
	for i := range ds.Runs {
		r := &ds.Runs[i]
		if !isExperimentRun(s, r) {
			continue
		}
		k := r.Repo + "@" + r.Branch
		e := byKey[k]
		if e == nil {
			e = &experiment{repo: r.Repo, branch: r.Branch}
			byKey[k] = e
			out = append(out, e)
		}
		e.runs = append(e.runs, r)
	}
	for i := range ds.Changes {
		c := &ds.Changes[i]
		if e := byKey[c.Repo+"@"+c.HeadBranch]; e != nil {
			e.change = c
		}
	}
	for _, e := range out {
		slices.SortFunc(e.runs, func(a, b *domain.Run) int { return a.StartedAt.Compare(b.StartedAt) })
	}
	return out
}

func isReviewKind(k domain.ActivityKind) bool { return k != domain.Commit }

// humanReviewed reports whether someone other than the author, not a bot,
// reviewed, commented or approved.
func humanReviewed(s *domain.Settings, c *domain.Change) bool {
	for _, a := range c.Activity {
		if isReviewKind(a.Kind) && a.Login != "" && a.Login != c.Author && !domain.MatchBot(s.Bots, a.Login) {
			return true
		}
	}
	return false
}

func isProduction(s *domain.Settings, d *domain.Deployment) bool {
	if d.Tier != "" {
		return d.Tier == domain.Production
	}
	return s.Production.MatchString(d.Environment)
}

// TestDemoCoversEveryCase asserts on the data itself that the demo holds
// each situation the product must show: every metric, state and edge case
// named in the brief and SPEC.
func TestDemoCoversEveryCase(t *testing.T) {
	ds, s := Generate(fixedNow, 1)
	now := fixedNow
	exps := experiments(ds, &s)
	teamOf := map[string]*domain.Team{}
	for i := range s.Teams {
		for _, r := range s.Teams[i].Repos {
			teamOf[r] = &s.Teams[i]
		}
	}
	members := map[string]int{} // login (with source prefix) -> number of teams
	for _, tm := range s.Teams {
		for _, m := range tm.Members {
			members[string(m.Source)+":"+m.Login]++
		}
	}
	bot := func(login string) bool { return domain.MatchBot(s.Bots, login) }
	anyChange := func(f func(c *domain.Change) bool) bool {
		for i := range ds.Changes {
			if f(&ds.Changes[i]) {
				return true
			}
		}
		return false
	}
	anyDeploy := func(f func(d *domain.Deployment) bool) bool {
		for i := range ds.Deployments {
			if f(&ds.Deployments[i]) {
				return true
			}
		}
		return false
	}
	anyRun := func(f func(r *domain.Run) bool) bool {
		for i := range ds.Runs {
			if f(&ds.Runs[i]) {
				return true
			}
		}
		return false
	}
	anyExp := func(f func(e *experiment) bool) bool {
		return slices.ContainsFunc(exps, f)
	}

	cases := map[string]func() bool{
		"draft then ready": func() bool {
			return anyChange(func(c *domain.Change) bool { return c.ReadyAt.After(c.OpenedAt) && c.Merged() })
		},
		"never draft": func() bool {
			return anyChange(func(c *domain.Change) bool { return c.ReadyAt.Equal(c.OpenedAt) && c.Merged() })
		},
		"still a draft": func() bool {
			return anyChange(func(c *domain.Change) bool { return c.Draft && c.ClosedAt.IsZero() && !bot(c.Author) })
		},
		"bot change": func() bool {
			return anyChange(func(c *domain.Change) bool { return bot(c.Author) && c.Merged() })
		},
		"bot review on a human change": func() bool {
			return anyChange(func(c *domain.Change) bool {
				return !bot(c.Author) && slices.ContainsFunc(c.Activity, func(a domain.Activity) bool {
					return isReviewKind(a.Kind) && bot(a.Login)
				})
			})
		},
		"bot approval": func() bool {
			return anyChange(func(c *domain.Change) bool {
				return slices.ContainsFunc(c.Activity, func(a domain.Activity) bool { return a.Kind == domain.Approval && bot(a.Login) })
			})
		},
		"revert": func() bool {
			return anyChange(func(c *domain.Change) bool {
				return strings.HasPrefix(c.Title, `Revert "`) && strings.HasSuffix(c.Title, `"`) && c.Merged()
			})
		},
		"unreviewed merge": func() bool {
			return anyChange(func(c *domain.Change) bool { return c.Merged() && !bot(c.Author) && !humanReviewed(&s, c) })
		},
		"waiting for review for days": func() bool {
			return anyChange(func(c *domain.Change) bool {
				return c.Merged() == false && c.ClosedAt.IsZero() && !c.Draft && !bot(c.Author) &&
					!humanReviewed(&s, c) && now.Sub(c.ReadyAt) > 2*day
			})
		},
		"closed unmerged": func() bool {
			return anyChange(func(c *domain.Change) bool { return !c.ClosedAt.IsZero() && !bot(c.Author) })
		},
		"rebased: first commit after opening": func() bool {
			return anyChange(func(c *domain.Change) bool { return c.FirstCommitAt.After(c.OpenedAt) })
		},
		"review before ready": func() bool {
			return anyChange(func(c *domain.Change) bool {
				return !c.FirstReviewAt.IsZero() && c.FirstReviewAt.Before(c.ReadyAt)
			})
		},
		"GitLab commit without a login": func() bool {
			return anyChange(func(c *domain.Change) bool {
				return c.Source == domain.GitLab && slices.ContainsFunc(c.Activity, func(a domain.Activity) bool {
					return a.Kind == domain.Commit && a.Login == ""
				})
			})
		},
		"labels: bug, infra, research, experiment, spike, abandoned": func() bool {
			for _, l := range []string{"bug", "infra", "research", "experiment", "spike", "abandoned"} {
				if !anyChange(func(c *domain.Change) bool { return slices.Contains(c.Labels, l) }) {
					return false
				}
			}
			return true
		},
		"branches: feat/, fix/, exp/, research/, spike/": func() bool {
			for _, p := range []string{"feat/", "fix/", "exp/", "research/", "spike/"} {
				if !anyChange(func(c *domain.Change) bool { return strings.HasPrefix(c.HeadBranch, p) }) {
					return false
				}
			}
			return true
		},
		"exact and fallback deploys": func() bool {
			fallback := anyChange(func(c *domain.Change) bool { return c.Merged() && !c.DeployExact && c.Repo == "acme/search-ranker" })
			return fallback && anyChange(func(c *domain.Change) bool { return c.DeployExact && c.Source == domain.GitHub }) &&
				anyChange(func(c *domain.Change) bool { return c.DeployExact && c.Source == domain.GitLab })
		},
		"merged but never deployed": func() bool {
			return anyChange(func(c *domain.Change) bool { return c.Merged() && c.Repo == "acme/fraud-notebooks" })
		},
		"failed then recovered production deployment": func() bool {
			return anyDeploy(func(f *domain.Deployment) bool {
				if f.Result != domain.Failure || !isProduction(&s, f) {
					return false
				}
				return anyDeploy(func(d *domain.Deployment) bool {
					return d.Repo == f.Repo && d.Environment == f.Environment && d.Result == domain.Success &&
						d.FinishedAt.After(f.FinishedAt) && d.FinishedAt.Sub(f.FinishedAt) < day
				})
			})
		},
		"deployment in progress": func() bool {
			return anyDeploy(func(d *domain.Deployment) bool { return d.Result == domain.InProgress && isProduction(&s, d) })
		},
		"deployment cancelled": func() bool {
			return anyDeploy(func(d *domain.Deployment) bool { return d.Result == domain.Cancelled })
		},
		"staging and production environments": func() bool {
			return anyDeploy(func(d *domain.Deployment) bool { return s.Staging.MatchString(d.Environment) }) &&
				anyDeploy(func(d *domain.Deployment) bool { return d.Environment == "prod" }) &&
				anyDeploy(func(d *domain.Deployment) bool { return d.Environment == "production" })
		},
		"GitLab tier where the name says nothing": func() bool {
			return anyDeploy(func(d *domain.Deployment) bool {
				return d.Source == domain.GitLab && d.Tier == domain.Production && !s.Production.MatchString(d.Environment)
			})
		},
		"deploy.yml runs": func() bool {
			return anyRun(func(r *domain.Run) bool {
				return slices.Contains(s.DeployWorkflows, r.Workflow) && r.Result == domain.Success
			})
		},
		"CI runs that are not experiments, also on exp/ branches": func() bool {
			return anyRun(func(r *domain.Run) bool { return r.Workflow == "ci.yml" }) &&
				anyRun(func(r *domain.Run) bool { return strings.HasPrefix(r.Branch, "exp/") && !isExperimentRun(&s, r) })
		},
		"GitHub train.yml and eval.yml runs": func() bool {
			return anyRun(func(r *domain.Run) bool { return r.Workflow == "train.yml" }) &&
				anyRun(func(r *domain.Run) bool { return r.Workflow == "eval.yml" })
		},
		"GitLab experiment pipelines": func() bool {
			return anyRun(func(r *domain.Run) bool {
				return r.Source == domain.GitLab && isExperimentRun(&s, r) && strings.HasPrefix(r.Name, "train: ")
			})
		},
		"queue times of seconds to minutes": func() bool {
			return anyRun(func(r *domain.Run) bool { return r.StartedAt.Sub(r.CreatedAt) < time.Minute }) &&
				anyRun(func(r *domain.Run) bool {
					return isExperimentRun(&s, r) && r.StartedAt.Sub(r.CreatedAt) > 5*time.Minute
				})
		},
		"zombie run": func() bool {
			return anyRun(func(r *domain.Run) bool {
				return isExperimentRun(&s, r) && r.Result == domain.InProgress && now.Sub(r.StartedAt) >= s.Experiments.MaxRun+6*time.Hour
			})
		},
		"experiment running now": func() bool {
			return anyRun(func(r *domain.Run) bool {
				return isExperimentRun(&s, r) && r.Result == domain.InProgress && now.Sub(r.StartedAt) < 3*time.Hour
			})
		},
		"fast turnaround: runs hours apart": func() bool {
			return anyExp(func(e *experiment) bool {
				for i := 1; i < len(e.runs); i++ {
					if d := e.runs[i].StartedAt.Sub(e.runs[i-1].StartedAt); d > 0 && d < 4*time.Hour {
						return true
					}
				}
				return false
			})
		},
		"one-run experiment": func() bool { return anyExp(func(e *experiment) bool { return len(e.runs) == 1 }) },
		"stale experiment branch": func() bool {
			return anyExp(func(e *experiment) bool {
				_, done := e.concluded()
				idle := now.Sub(e.last())
				return !done && idle >= 10*day && idle <= 30*day
			})
		},
		"active experiment": func() bool {
			return anyExp(func(e *experiment) bool {
				_, done := e.concluded()
				return !done && now.Sub(e.last()) < s.Experiments.StaleAfter
			})
		},
		"adopted experiment": func() bool {
			return anyExp(func(e *experiment) bool { return e.change != nil && e.change.Merged() })
		},
		"fast-failed experiment with an instructive name": func() bool {
			return anyExp(func(e *experiment) bool {
				at, done := e.concluded()
				return done && !e.change.Merged() && at.Sub(e.first()) <= s.Experiments.FailFast &&
					e.branch == "exp/graph-features-v2"
			})
		},
		"experiment abandoned slowly": func() bool {
			return anyExp(func(e *experiment) bool {
				at, done := e.concluded()
				return done && !e.change.Merged() && at.Sub(e.first()) > s.Experiments.FailFast
			})
		},
		"experiment abandoned by label": func() bool {
			return anyExp(func(e *experiment) bool {
				return e.change != nil && e.change.ClosedAt.IsZero() && !e.change.Merged() && slices.Contains(e.change.Labels, "abandoned")
			})
		},
		"GitLab change in a team that also has GitHub changes": func() bool {
			for _, tm := range s.Teams {
				has := map[domain.Source]bool{}
				for i := range ds.Changes {
					if teamOf[ds.Changes[i].Repo] == teamOf[tm.Repos[0]] {
						has[ds.Changes[i].Source] = true
					}
				}
				if has[domain.GitHub] && has[domain.GitLab] {
					return true
				}
			}
			return false
		},
		"person in two teams who authors in both": func() bool {
			for login, n := range members {
				l := strings.TrimPrefix(login, ":")
				if n < 2 || strings.Contains(l, ":") {
					continue
				}
				teams := map[string]bool{}
				for i := range ds.Changes {
					if ds.Changes[i].Author == l {
						teams[teamOf[ds.Changes[i].Repo].Name] = true
					}
				}
				if len(teams) >= 2 {
					return true
				}
			}
			return false
		},
		"gitlab: member authoring GitLab changes": func() bool {
			for login := range members {
				if l, ok := strings.CutPrefix(login, "gitlab:"); ok &&
					anyChange(func(c *domain.Change) bool { return c.Source == domain.GitLab && c.Author == l }) {
					return true
				}
			}
			return false
		},
		"outsider authoring in a team repo": func() bool {
			return anyChange(func(c *domain.Change) bool {
				return !bot(c.Author) && members[":"+c.Author] == 0 && members[string(c.Source)+":"+c.Author] == 0
			})
		},
	}
	names := make([]string, 0, len(cases))
	for n := range cases {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			if !cases[n]() {
				t.Errorf("the demo has no %s", n)
			}
		})
	}
}

// TestTitlesReadLikeARealOrg checks titles are clean text without
// placeholders and rarely repeat.
func TestTitlesReadLikeARealOrg(t *testing.T) {
	ds, s := Generate(fixedNow, 1)
	seen := map[string]int{}
	human := 0
	for _, c := range ds.Changes {
		for _, r := range c.Title {
			if r < 0x20 || r == 0x7f || r > 0x7e {
				t.Fatalf("%s: title %q has a non-ASCII or control character", c.Key(), c.Title)
			}
		}
		if strings.Contains(c.Title, "%s") || strings.Contains(c.Title, "  ") || c.Title != strings.TrimSpace(c.Title) {
			t.Errorf("%s: title %q looks unfinished", c.Key(), c.Title)
		}
		if !domain.MatchBot(s.Bots, c.Author) && !strings.HasPrefix(c.Title, "Revert") {
			seen[c.Title]++
			human++
		}
	}
	dups := 0
	for _, n := range seen {
		dups += n - 1
	}
	if dups*20 > human {
		t.Errorf("%d of %d human titles are repeats", dups, human)
	}
}
