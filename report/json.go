package report

import (
	"bufio"
	"encoding/json"
	"math"
	"time"

	"github.com/pace-dev/pace/domain"
	"github.com/pace-dev/pace/textsafe"
)

// writeJSON writes the snapshot as schema pace.snapshot/v1: two-space
// indent, trailing newline, keys in struct order.
func writeJSON(w *bufio.Writer, rep *domain.Report, sel selection) error {
	snap := jsonSnapshot{
		Schema:      Schema,
		Org:         strOrNull(textsafe.Clean(rep.Org)),
		GeneratedAt: rfc3339(rep.GeneratedAt),
		Window: jsonWindow{
			Start: rfc3339(rep.Window.Start), End: rfc3339(rep.Window.End), Days: round(rep.Window.Days(), 3),
			PreviousStart: rfc3339(rep.Previous.Start), PreviousEnd: rfc3339(rep.Previous.End),
		},
		Teams: []jsonTeam{},
		Total: toJSONTeam(&rep.Total, rep),
		DataQuality: jsonQuality{
			NegativeSpans: rep.Quality.NegativeSpans, FutureEvents: rep.Quality.FutureEvents,
			BotChanges: rep.Quality.BotChanges, UnattributedChanges: rep.Quality.UnattributedChanges,
		},
		Sources: make([]jsonSrc, 0, len(rep.Sources)),
	}
	for _, t := range sel.teams(rep) {
		snap.Teams = append(snap.Teams, toJSONTeam(t, rep))
	}
	for _, s := range rep.Sources {
		errs := make([]string, len(s.Errors))
		for i, e := range s.Errors {
			errs[i] = textsafe.Clean(e)
		}
		snap.Sources = append(snap.Sources, jsonSrc{Name: textsafe.Clean(s.Name), LastSync: timeOrNull(s.LastSync), Errors: errs})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(snap) // Encode ends with the newline
}

func toJSONTeam(t *domain.TeamReport, rep *domain.Report) jsonTeam {
	return jsonTeam{
		Name: textsafe.Clean(t.Name),
		Changes: jsonChanges{
			Merged: t.Changes.Merged, Opened: t.Changes.Opened, BotsExcluded: t.Changes.BotsExcluded,
		},
		CycleTime:        metric(t.CycleTime),
		Coding:           metric(t.Coding),
		Pickup:           metric(t.Pickup),
		Review:           metric(t.Review),
		Deploy:           metric(t.Deploy),
		LeadTime:         metric(t.LeadTime),
		Deploys:          deploys(&t.Deploys),
		Experiments:      experiments(&t.Experiments),
		Allocation:       allocation(&t.Allocation),
		WaitingForReview: waiting(t.Waiting),
		Guardrails:       guardrails(t.Guardrails),
		Trend:            trend(t, rep),
	}
}

func stats(s domain.Stats) jsonStats {
	if !s.Known() {
		return jsonStats{Count: s.Count}
	}
	return jsonStats{Count: s.Count, P50: ptr(s.P50), P75: ptr(s.P75), P90: ptr(s.P90)}
}

func metric(m domain.Metric) jsonMetric {
	return jsonMetric{jsonStats: stats(m.Current), Previous: stats(m.Previous)}
}

// deploys leaves the frequencies null for a team pace has never seen deploy
// to production: "no data" is not "zero deploys a week".
func deploys(d *domain.DeployReport) jsonDeploys {
	out := jsonDeploys{
		Production: d.Production,
		Failed:     d.Failed,
		Recovery:   metric(d.Recovery),
		Dora: jsonDora{
			DeployFrequency: strOrNull(d.Dora.DeployFrequency), LeadTime: strOrNull(d.Dora.LeadTime),
			ChangeFailureRate: strOrNull(d.Dora.ChangeFailureRate), Recovery: strOrNull(d.Dora.Recovery),
		},
		ByTier: jsonTiers{
			Production: tier(d.ByTier[domain.Production]),
			Staging:    tier(d.ByTier[domain.Staging]),
			Other:      tier(d.ByTier[domain.OtherTier]),
		},
		Failures: make([]jsonFailed, 0, len(d.Failures)),
	}
	if d.HasDeployments {
		out.PerWeek = ptr(round(d.PerWeek, 2))
		out.DeployDaysPerWeek = ptr(round(d.DaysPerWeek, 2))
		out.PreviousPerWeek = ptr(round(d.PreviousPerWeek, 2))
	}
	if d.ChangeFailureRate != nil {
		out.ChangeFailureRate = ptr(round(*d.ChangeFailureRate, 4))
	}
	for _, f := range d.Failures {
		if f.Failed == nil {
			continue
		}
		jf := jsonFailed{
			Repo: textsafe.Clean(f.Failed.Repo), Environment: textsafe.Clean(f.Failed.Environment),
			URL: strOrNull(textsafe.Clean(f.Failed.URL)), FailedAt: timeOrNull(f.Failed.FinishedAt),
		}
		if f.Recovered != nil {
			jf.RecoveredAt = timeOrNull(f.Recovered.FinishedAt)
		}
		if f.Seconds >= 0 {
			jf.Recovery = ptr(f.Seconds)
		}
		out.Failures = append(out.Failures, jf)
	}
	return out
}

func tier(t domain.TierDeploys) jsonTier {
	return jsonTier{Successful: t.Successful, PerWeek: round(t.PerWeek, 2), DeployDaysPerWeek: round(t.DaysPerWeek, 2)}
}

func experiments(e *domain.ExperimentReport) jsonExperiments {
	out := jsonExperiments{
		Running: e.Running, Active: e.Active, Adopted: e.Adopted, Abandoned: e.Abandoned,
		DecisionsPerWeek: round(e.DecisionsPerWeek, 2),
		Turnaround:       metric(e.Turnaround),
		RunDuration:      metric(e.RunDuration),
		QueueTime:        metric(e.QueueTime),
		TimeToDecision:   metric(e.TimeToDecision),
		Stale:            make([]jsonStale, 0, len(e.Stale)),
		Zombies:          make([]jsonZombie, 0, len(e.Zombies)),
		FastFailures:     make([]jsonFastFailed, 0, len(e.FastFailures)),
	}
	for _, x := range e.Stale {
		out.Stale = append(out.Stale, jsonStale{
			Key: textsafe.Clean(x.Key), Repo: textsafe.Clean(x.Repo), Owner: strOrNull(textsafe.Clean(x.Owner)),
			FirstRunAt: timeOrNull(x.FirstRunAt), LastRunAt: timeOrNull(x.LastRunAt),
			Idle: x.IdleSeconds, Runs: len(x.Runs), Source: string(x.Source),
		})
	}
	for _, z := range e.Zombies {
		jz := jsonZombie{Key: textsafe.Clean(z.Experiment.Key), Repo: textsafe.Clean(z.Experiment.Repo),
			Running: z.Seconds, Source: string(z.Experiment.Source)}
		if z.Run != nil {
			jz.RunURL = strOrNull(textsafe.Clean(z.Run.URL))
			jz.StartedAt = timeOrNull(z.Run.StartedAt)
		}
		out.Zombies = append(out.Zombies, jz)
	}
	for _, x := range e.FastFailures {
		jf := jsonFastFailed{Key: textsafe.Clean(x.Key), Repo: textsafe.Clean(x.Repo),
			Owner: strOrNull(textsafe.Clean(x.Owner)), Source: string(x.Source)}
		if !x.ConcludedAt.IsZero() && !x.FirstRunAt.IsZero() {
			jf.DecidedIn = ptr(int64(x.ConcludedAt.Sub(x.FirstRunAt) / time.Second))
		}
		out.FastFailures = append(out.FastFailures, jf)
	}
	return out
}

// allocation keeps shares in percent (0-100), like the config's targets, so
// that drift = person_days.research − target.research reads in points.
func allocation(a *domain.AllocationReport) jsonAllocation {
	out := jsonAllocation{
		Target: split(a.Target), PersonDays: split(a.PersonDays), MergedChanges: split(a.MergedChanges),
		TotalDays: round(a.TotalDays, 2),
	}
	if a.Drift != nil {
		out.Drift = ptr(round(*a.Drift, 1))
	}
	return out
}

func split(s *domain.Split) *jsonSplit {
	if s == nil {
		return nil
	}
	return &jsonSplit{Research: round(s.Research, 1), Engineering: round(s.Engineering, 1)}
}

func waiting(ws []domain.Waiting) []jsonWaiting {
	out := make([]jsonWaiting, 0, len(ws))
	for _, w := range ws {
		c := w.Change
		out = append(out, jsonWaiting{
			Repo: textsafe.Clean(c.Repo), Number: c.Number, Title: textsafe.Clean(c.Title),
			URL: strOrNull(textsafe.Clean(c.URL)), Author: strOrNull(textsafe.Clean(c.Author)),
			ReadyAt: timeOrNull(c.ReadyAt), Wait: w.Seconds, Source: string(c.Source),
		})
	}
	return out
}

// unitName is a guardrail unit as the JSON names it.
func unitName(u domain.GuardrailUnit) string {
	switch u {
	case domain.UnitDuration:
		return "seconds"
	case domain.UnitCount:
		return "count"
	case domain.UnitRate:
		return "per_week"
	case domain.UnitPercent:
		return "percent"
	case domain.UnitPoints:
		return "points"
	}
	return ""
}

func guardrails(gs []domain.GuardrailResult) []jsonGuardrail {
	out := make([]jsonGuardrail, 0, len(gs))
	for _, g := range gs {
		jg := jsonGuardrail{Metric: g.Metric, Rule: g.Rule, OK: g.OK, Unit: unitName(domain.GuardrailMetrics[g.Metric])}
		if g.Value != nil {
			jg.Value = ptr(round(*g.Value, 4))
		}
		out = append(out, jg)
	}
	return out
}

// trend holds the 12 ISO weeks; a week without data is null, and a team
// never seen deploying has null deploy counts rather than zeros.
func trend(t *domain.TeamReport, rep *domain.Report) jsonTrend {
	out := jsonTrend{
		WeekStarts:    make([]string, domain.Weeks),
		CycleTimeP50:  make([]*int64, domain.Weeks),
		Deploys:       make([]*int, domain.Weeks),
		TurnaroundP50: make([]*int64, domain.Weeks),
		LeadTimeP50:   make([]*int64, domain.Weeks),
		PickupP75:     make([]*int64, domain.Weeks),
		Decisions:     make([]int, domain.Weeks),
	}
	for i := range domain.Weeks {
		out.WeekStarts[i] = rfc3339(rep.WeekStarts[i])
		out.CycleTimeP50[i] = p50(t.CycleTime.Weekly[i])
		out.TurnaroundP50[i] = p50(t.Experiments.Turnaround.Weekly[i])
		out.LeadTimeP50[i] = p50(t.LeadTime.Weekly[i])
		if s := t.Pickup.Weekly[i]; s.Known() {
			out.PickupP75[i] = ptr(s.P75)
		}
		if t.Deploys.HasDeployments {
			out.Deploys[i] = ptr(t.Deploys.Weekly[i])
		}
		out.Decisions[i] = t.Experiments.DecisionsWeekly[i]
	}
	return out
}

func p50(s domain.Stats) *int64 {
	if !s.Known() {
		return nil
	}
	return ptr(s.P50)
}

func ptr[T any](v T) *T { return &v }

// strOrNull is nil for "", so an unknown string reads null.
func strOrNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// timeOrNull is RFC3339 UTC, or nil for the zero time.
func timeOrNull(t time.Time) *string { return strOrNull(rfc3339(t)) }

// round keeps n decimals so output is stable and free of float noise
// (0.30000000000000004); NaN and ±Inf, which JSON cannot hold, become 0
// (domain guards its divisions, so this is only a last defence).
func round(v float64, n int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	p := math.Pow(10, float64(n))
	return math.Round(v*p) / p
}
