package demo

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/pace-dev/pace/domain"
)

// TestComputeKnowsEveryMetric checks that the demo gives every metric of
// every team a known value in the current window, so no screen of a team
// is empty in the demo.
func TestComputeKnowsEveryMetric(t *testing.T) {
	ds, s := Generate(fixedNow, 1)
	rep := domain.Compute(ds, s, fixedNow)
	if len(rep.Teams) != 4 {
		t.Fatalf("%d team reports", len(rep.Teams))
	}
	for _, tr := range rep.Teams {
		t.Run(tr.Name, func(t *testing.T) {
			for name, m := range map[string]domain.Metric{
				"cycle time": tr.CycleTime, "coding": tr.Coding, "pickup": tr.Pickup, "review": tr.Review,
				"deploy": tr.Deploy, "lead time": tr.LeadTime, "recovery": tr.Deploys.Recovery,
				"turnaround": tr.Experiments.Turnaround, "run duration": tr.Experiments.RunDuration,
				"queue time": tr.Experiments.QueueTime, "time to decision": tr.Experiments.TimeToDecision,
			} {
				if !m.Current.Known() {
					t.Errorf("%s: no data in the current window", name)
				}
			}
			// every week has merges; a research team may skip a week of
			// deploys, which shows an unknown point in the lead-time trend
			for name, m := range map[string]domain.Metric{"cycle time": tr.CycleTime, "lead time": tr.LeadTime} {
				if !m.Previous.Known() {
					t.Errorf("%s: no data in the previous window", name)
				}
				known := 0
				for _, st := range m.Weekly {
					if st.Known() {
						known++
					}
				}
				if known < domain.Weeks-2 || (name == "cycle time" && known < domain.Weeks) {
					t.Errorf("%s: data in only %d of %d weeks", name, known, domain.Weeks)
				}
			}
			d := tr.Deploys
			if d.Production == 0 || d.PerWeek <= 0 || d.DaysPerWeek <= 0 || d.ChangeFailureRate == nil || len(d.Failures) == 0 {
				t.Errorf("deploys incomplete: %d production, %.1f/week, CFR %v, %d failures", d.Production, d.PerWeek, d.ChangeFailureRate, len(d.Failures))
			}
			if d.Dora.DeployFrequency == "" || d.Dora.LeadTime == "" || d.Dora.ChangeFailureRate == "" || d.Dora.Recovery == "" {
				t.Errorf("a DORA bucket is unknown: %+v", d.Dora)
			}
			e := tr.Experiments
			if e.Active == 0 || e.Adopted+e.Abandoned == 0 || e.DecisionsPerWeek <= 0 || len(e.FastFailures) == 0 {
				t.Errorf("experiments incomplete: active %d, adopted %d, abandoned %d, %d fast failures",
					e.Active, e.Adopted, e.Abandoned, len(e.FastFailures))
			}
			a := tr.Allocation
			if a.Target == nil || a.PersonDays == nil || a.MergedChanges == nil || a.Drift == nil || len(a.ByPerson) < 5 {
				t.Errorf("allocation incomplete: %+v", a)
			}
			if tr.Changes.Merged == 0 || tr.Changes.Opened == 0 || tr.Changes.BotsExcluded == 0 {
				t.Errorf("change counts %+v", tr.Changes)
			}
			if len(tr.Waiting) == 0 || len(tr.Slowest) == 0 {
				t.Errorf("%d waiting, %d slowest", len(tr.Waiting), len(tr.Slowest))
			}
			if len(tr.Guardrails) == 0 {
				t.Error("no guardrails evaluated")
			}
			for _, g := range tr.Guardrails {
				if g.Value == nil {
					t.Errorf("guardrail %s has no value", g.Metric)
				}
			}
		})
	}
}

// TestComputeTellsTheStory checks the demo's storyline: Forecasting's
// reviewers are out, so its pickup breaches the guardrail; the other
// teams hold theirs. Across the org there are stale experiments, a
// zombie run, fast failures and work waiting for review.
func TestComputeTellsTheStory(t *testing.T) {
	ds, s := Generate(fixedNow, 1)
	rep := domain.Compute(ds, s, fixedNow)
	breached, passing := 0, 0
	for _, tr := range rep.Teams {
		if tr.Breached() {
			breached++
		} else {
			passing++
		}
		pickupBreached := false
		for _, g := range tr.Guardrails {
			if g.Metric == "pickup.p75" && !g.OK {
				pickupBreached = true
			}
		}
		if want := tr.Name == "Forecasting"; tr.Breached() != want || pickupBreached != want {
			t.Errorf("%s: breached=%v (pickup %v), want %v: %+v", tr.Name, tr.Breached(), pickupBreached, want, tr.Guardrails)
		}
	}
	if breached == 0 || passing == 0 {
		t.Errorf("%d teams breached, %d passing: want both", breached, passing)
	}
	org := rep.Total.Experiments
	if len(org.Stale) == 0 || len(org.Zombies) == 0 || len(org.FastFailures) == 0 || org.Running == 0 {
		t.Errorf("org experiments: %d stale, %d zombies, %d fast failures, %d running",
			len(org.Stale), len(org.Zombies), len(org.FastFailures), org.Running)
	}
	if len(rep.Total.Waiting) == 0 || rep.Total.Waiting[0].Seconds < 2*24*3600 {
		t.Errorf("nothing has waited for review for days: %d waiting", len(rep.Total.Waiting))
	}
	if rep.Quality.BotChanges == 0 || rep.Quality.NegativeSpans == 0 {
		t.Errorf("data quality notes missing: %+v", rep.Quality)
	}
	if rep.Quality.UnattributedChanges != 0 {
		t.Errorf("%d changes no team claims: every demo repo has an owner", rep.Quality.UnattributedChanges)
	}
}

// TestComputeIsTheSameAtAnyNow checks, end to end, that the window
// metrics do not depend on the calendar: the demo at another now gives
// the same current and previous windows.
func TestComputeIsTheSameAtAnyNow(t *testing.T) {
	other := fixedNow.Add(-(40*day + 5*time.Hour + 3*time.Minute))
	ds1, s1 := Generate(fixedNow, 1)
	ds2, s2 := Generate(other, 1)
	r1, r2 := domain.Compute(ds1, s1, fixedNow), domain.Compute(ds2, s2, other)
	for i := range r1.Teams {
		a, b := &r1.Teams[i], &r2.Teams[i]
		if a.CycleTime.Current != b.CycleTime.Current || a.CycleTime.Previous != b.CycleTime.Previous ||
			a.LeadTime.Current != b.LeadTime.Current || a.Deploys.Production != b.Deploys.Production ||
			a.Experiments.Turnaround.Current != b.Experiments.Turnaround.Current || len(a.Waiting) != len(b.Waiting) {
			t.Errorf("%s: metrics differ between two nows", a.Name)
		}
	}
}

// BenchmarkGenerate measures building the demo organisation.
func BenchmarkGenerate(b *testing.B) {
	for _, scale := range []int{1, 10, 100} {
		b.Run("scale="+strconv.Itoa(scale), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ds, _ := Generate(fixedNow, scale)
				if len(ds.Changes) == 0 {
					b.Fatal("empty")
				}
			}
		})
	}
}

// BenchmarkCompute measures domain.Compute on the demo at several scales:
// "prepared" is a recompute on a dataset already prepared with the same
// settings (the TUI's window key); "first" includes Prepare on a fresh
// dataset. Generation is outside the timer. dataset-MB is the live heap
// the dataset holds; peak-heap-MB is the heap in use right after a Compute
// started from a collected heap (dataset, report and Compute's garbage),
// the largest over the iterations.
func BenchmarkCompute(b *testing.B) {
	for _, scale := range []int{1, 10, 100} {
		name := "scale=" + strconv.Itoa(scale)
		b.Run("prepared/"+name, func(b *testing.B) {
			base := heapInUse()
			ds, s := Generate(fixedNow, scale)
			domain.Prepare(ds, s)
			dataMB := float64(heapInUse()-base) / (1 << 20)
			var peak uint64
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				runtime.GC()
				b.StartTimer()
				if rep := domain.Compute(ds, s, fixedNow); len(rep.Teams) == 0 {
					b.Fatal("no teams")
				}
				peak = max(peak, heapNow())
			}
			b.ReportMetric(dataMB, "dataset-MB")
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(len(ds.Changes)), "changes")
		})
		b.Run("first/"+name, func(b *testing.B) {
			var peak uint64
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				ds, s := Generate(fixedNow, scale)
				runtime.GC()
				b.StartTimer()
				if rep := domain.Compute(ds, s, fixedNow); len(rep.Teams) == 0 {
					b.Fatal("no teams")
				}
				peak = max(peak, heapNow())
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	return heapNow()
}

func heapNow() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
