package domain

import (
	"slices"
	"time"
)

// Experiment runs: which runs are experiment runs, their keys, and how they
// group into experiments (SPEC §3 experiments, §4 Experiment).

// expKey identifies an experiment: its runs share source, repo and key.
type expKey struct {
	source    Source
	repo, key string
}

// runStart is when a run started; a run the source gives no start for
// (still queued) starts at its creation.
func runStart(r *Run) time.Time {
	if !r.StartedAt.IsZero() {
		return r.StartedAt
	}
	return r.CreatedAt
}

// runResultAt is a run's result as of now: in progress until it finished.
func runResultAt(r *Run, now time.Time) Result {
	switch {
	case r.FinishedAt.After(now):
		return InProgress
	case r.FinishedAt.IsZero() && (r.Result == "" || r.Result == InProgress):
		return InProgress
	}
	return r.Result
}

// expMatcher decides which runs are experiment runs and their keys, with
// the regexp answers cached per branch and name (runs repeat them).
type expMatcher struct {
	rules  ExperimentRules
	refOK  map[string]bool
	nameOK map[string]bool
	keyOf  map[string]string
}

// newExpMatcher prepares rules for a pass over the runs.
func newExpMatcher(rules ExperimentRules) *expMatcher {
	return &expMatcher{rules: rules, refOK: map[string]bool{}, nameOK: map[string]bool{}, keyOf: map[string]string{}}
}

// enabled reports whether any run can be an experiment run.
func (m *expMatcher) enabled() bool {
	return len(m.rules.Workflows) > 0 || m.rules.PipelineRef != nil || m.rules.PipelineName != nil
}

// isExperiment applies SPEC §3: GitHub runs of the listed workflow files;
// GitLab pipelines as PipelineSelected says (cached per ref and name).
func (m *expMatcher) isExperiment(r *Run) bool {
	if r.Source != GitLab {
		return workflowIn(m.rules.Workflows, r.Workflow)
	}
	if m.rules.PipelineRef == nil && m.rules.PipelineName == nil {
		return false
	}
	if m.rules.PipelineRef != nil {
		ok, seen := m.refOK[r.Branch]
		if !seen {
			ok = m.rules.PipelineRef.MatchString(r.Branch)
			m.refOK[r.Branch] = ok
		}
		if !ok {
			return false
		}
	}
	if m.rules.PipelineName == nil {
		return true
	}
	ok, seen := m.nameOK[r.Name]
	if !seen {
		ok = m.rules.PipelineName.MatchString(r.Name)
		m.nameOK[r.Name] = ok
	}
	return ok
}

// key is the run's experiment key: the first capture of KeyPattern in its
// name (the whole match when the pattern has no group) when it matches,
// else its branch; with Key "run_name" and no pattern, its name (or its
// branch when it has none).
func (m *expMatcher) key(r *Run) string {
	if re := m.rules.KeyPattern; re != nil {
		k, seen := m.keyOf[r.Name]
		if !seen {
			if sub := re.FindStringSubmatch(r.Name); sub != nil {
				k = sub[0]
				if len(sub) > 1 && sub[1] != "" {
					k = sub[1]
				}
			}
			m.keyOf[r.Name] = k
		}
		if k != "" {
			return k
		}
		return r.Branch
	}
	if m.rules.Key == "run_name" && r.Name != "" {
		return r.Name
	}
	return r.Branch
}

// groupRuns gathers the experiment runs that started before now by key.
// Experiments and their run lists are carved out of two slabs: an
// organisation can have tens of thousands of experiments.
func (cx *computer) groupRuns(m *expMatcher) []*Experiment {
	var runOf, expOf []int32
	for i := range cx.ds.Runs {
		r := &cx.ds.Runs[i]
		if !m.isExperiment(r) {
			continue
		}
		if st := runStart(r); st.IsZero() || !st.Before(cx.now) {
			continue
		}
		runOf = append(runOf, int32(i))
	}
	index := make(map[expKey]int32, len(runOf)) // sized once: growing it was the pass's main cost
	var keys []expKey
	expOf = make([]int32, 0, len(runOf))
	kept := runOf[:0]
	for _, i := range runOf {
		r := &cx.ds.Runs[i]
		k := expKey{r.Source, r.Repo, m.key(r)}
		if k.key == "" {
			continue
		}
		j, ok := index[k]
		if !ok {
			j = int32(len(keys))
			index[k] = j
			keys = append(keys, k)
		}
		kept, expOf = append(kept, i), append(expOf, j)
	}
	runOf = kept
	if len(keys) == 0 {
		return nil
	}
	offset := make([]int32, len(keys)+1)
	for _, j := range expOf {
		offset[j+1]++
	}
	for j := range keys {
		offset[j+1] += offset[j]
	}
	runs := make([]*Run, len(runOf))
	fill := slices.Clone(offset[:len(keys)])
	for n, j := range expOf {
		runs[fill[j]] = &cx.ds.Runs[runOf[n]]
		fill[j]++
	}
	slab := make([]Experiment, len(keys))
	exps := make([]*Experiment, len(keys))
	for j, k := range keys {
		e := &slab[j]
		e.Source, e.Repo, e.Key = k.source, k.repo, k.key
		e.Runs = runs[offset[j]:offset[j+1]:offset[j+1]]
		exps[j] = e
	}
	return exps
}

// PipelineSelected reports whether a GitLab pipeline with this ref and name
// is an experiment run: at least one of PipelineRef and PipelineName is set,
// and each one that is set matches (a rule left out matches any pipeline).
// The GitLab source fetches pipelines by the same rule.
func (r ExperimentRules) PipelineSelected(ref, name string) bool {
	if r.PipelineRef == nil && r.PipelineName == nil {
		return false
	}
	return (r.PipelineRef == nil || r.PipelineRef.MatchString(ref)) &&
		(r.PipelineName == nil || r.PipelineName.MatchString(name))
}
