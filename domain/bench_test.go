package domain

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// synthetic builds an organisation of the brief's scale: 40 teams of 10
// (every tenth person also in the next team), 400 repos, 150,000 changes
// over 180 days with ~7 activities each, 30,000 deployments and 100,000
// runs (60 % experiment runs). Deterministic; not realistic in shape, only
// in size and in touching every code path.
func synthetic(now time.Time) (*Dataset, Settings) {
	r := rand.New(rand.NewPCG(42, 7))
	s := DefaultSettings()
	s.DeployWorkflows = []string{"deploy.yml"}
	s.Experiments.Workflows = []string{"train.yml"}
	const teams, perTeam, repos = 40, 10, 400
	login := func(i int) string { return "user" + strconv.Itoa(i) }
	repo := func(i int) string { return "acme/repo-" + strconv.Itoa(i) }
	for t := range teams {
		tm := Team{Name: "Team " + strconv.Itoa(t), Allocation: &Split{Research: 30, Engineering: 70}}
		for m := range perTeam {
			tm.Members = append(tm.Members, Member{Login: login(t*perTeam + m)})
		}
		tm.Members = append(tm.Members, Member{Login: login(((t+1)*perTeam)%(teams*perTeam) + 0)})
		for k := range repos / teams {
			tm.Repos = append(tm.Repos, repo(t*(repos/teams)+k))
		}
		tm.Guardrails = []Guardrail{{Metric: "pickup.p75", Op: LE, Value: 8 * 3600}}
		s.Teams = append(s.Teams, tm)
	}
	s.Guardrails = []Guardrail{{Metric: "cycle_time.p50", Op: LE, Value: 48 * 3600}, {Metric: "deploys_per_week", Op: GE, Value: 5}}
	people := teams*perTeam + 40 // some outsiders
	span := 180 * 24 * time.Hour
	at := func(back time.Duration) time.Time { return now.Add(-back).Truncate(time.Second) }
	rnd := func(max time.Duration) time.Duration { return time.Duration(r.Int64N(int64(max))) }

	ds := &Dataset{Org: "acme"}
	ds.Changes = make([]Change, 150_000)
	for i := range ds.Changes {
		author := login(r.IntN(people))
		if i%50 == 0 {
			author = "renovate[bot]"
		}
		opened := at(rnd(span))
		c := Change{Source: GitHub, Repo: repo(r.IntN(repos)), Number: i, Author: author, BaseBranch: "main",
			HeadBranch: "feat/" + strconv.Itoa(i), OpenedAt: opened, ReadyAt: opened, Title: "change " + strconv.Itoa(i)}
		if i%7 == 0 {
			c.Labels = []string{"research"}
		}
		c.Activity = make([]Activity, 0, 7)
		c.Activity = append(c.Activity, Activity{Kind: Commit, Login: author, At: opened.Add(-rnd(48 * time.Hour))},
			Activity{Kind: Commit, Login: author, At: opened.Add(rnd(24 * time.Hour))})
		rev := login(r.IntN(people))
		first := opened.Add(rnd(30 * time.Hour))
		c.Activity = append(c.Activity, Activity{Kind: Review, Login: rev, At: first},
			Activity{Kind: ReviewComment, Login: rev, At: first.Add(time.Minute)},
			Activity{Kind: Comment, Login: author, At: first.Add(time.Hour)},
			Activity{Kind: Comment, Login: "ci[bot]", At: first.Add(2 * time.Hour)},
			Activity{Kind: Approval, Login: rev, At: first.Add(3 * time.Hour)})
		switch {
		case i%10 < 8:
			c.MergedAt = first.Add(4*time.Hour + rnd(48*time.Hour))
		case i%10 == 8:
			c.ClosedAt = first.Add(rnd(72 * time.Hour))
		}
		ds.Changes[i] = c
	}
	ds.Deployments = make([]Deployment, 30_000)
	for i := range ds.Deployments {
		fin := at(rnd(span))
		res := Success
		if i%9 == 0 {
			res = Failure
		}
		env := "production"
		if i%4 == 0 {
			env = "staging"
		}
		ds.Deployments[i] = Deployment{Source: GitHub, Repo: repo(r.IntN(repos)), ID: strconv.Itoa(i), Environment: env,
			Ref: "main", CreatedAt: fin.Add(-10 * time.Minute), FinishedAt: fin, Result: res}
	}
	ds.Runs = make([]Run, 100_000)
	for i := range ds.Runs {
		start := at(rnd(span))
		run := Run{Source: GitHub, Repo: repo(r.IntN(repos)), ID: strconv.Itoa(i), Workflow: "ci.yml", Branch: "feat/x",
			Actor: login(r.IntN(people)), CreatedAt: start.Add(-time.Minute), StartedAt: start, FinishedAt: start.Add(rnd(2 * time.Hour)), Result: Success}
		switch {
		case i%10 < 6:
			run.Workflow, run.Branch = "train.yml", "exp/"+strconv.Itoa(i%6000)
		case i%10 == 6:
			run.Workflow = "deploy.yml"
		}
		if i%997 == 0 {
			run.FinishedAt, run.Result = time.Time{}, InProgress
		}
		ds.Runs[i] = run
	}
	return ds, s
}

func BenchmarkCompute(b *testing.B) {
	now := time.Date(2024, 6, 12, 12, 0, 0, 0, time.UTC)
	ds, s := synthetic(now)
	activities := 0
	for i := range ds.Changes {
		activities += len(ds.Changes[i].Activity)
	}
	b.Logf("changes %d, activities %d, deployments %d, runs %d", len(ds.Changes), activities, len(ds.Deployments), len(ds.Runs))
	Prepare(ds, s)
	for _, days := range []int{14, 90} {
		b.Run(fmt.Sprintf("window=%dd", days), func(b *testing.B) {
			s := s
			s.Window = time.Duration(days) * 24 * time.Hour
			b.ReportAllocs()
			var peak uint64
			cpu0 := cpuTime()
			for b.Loop() {
				rep := Compute(ds, s, now)
				if rep.Total.CycleTime.Current.Count == 0 {
					b.Fatal("no data")
				}
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

func BenchmarkPrepare(b *testing.B) {
	now := time.Date(2024, 6, 12, 12, 0, 0, 0, time.UTC)
	ds, s := synthetic(now)
	Prepare(ds, s)
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		ds.prep.key = "" // force the full derivation every time
		Prepare(ds, s)
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
