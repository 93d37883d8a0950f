package tui

import (
	"strconv"
	"strings"

	"github.com/pace-dev/pace/domain"
)

// The Deploys tab: DORA's view of how often a team ships, how often that
// fails and how fast it recovers.

func (m *Model) deploysTop(td *teamData) []string {
	d := &td.rep.Deploys
	st := m.st
	if !d.HasDeployments {
		return []string{
			st.Dim.Render(clip("No production deployment of this team's repos is in the data.", m.width)),
			st.Dim.Render(clip("Deployments count when their environment matches `deployments.production`", m.width)),
			st.Dim.Render(clip("or when they are runs of `deployments.workflows`.", m.width)),
			"",
		}
	}
	bucket := func(b string) string {
		if b == "" {
			return ""
		}
		return " (" + b + ")"
	}
	const lw = 12
	prod := pad("Production", lw) + plural(d.Production, "deploy") + " · " + fmtRate(d.PerWeek) + "/week" + bucket(d.Dora.DeployFrequency) +
		" · on " + fmtRate(d.DaysPerWeek) + " days/week · previous " + fmtRate(d.PreviousPerWeek) + "/week"
	fail := pad("Failures", lw) + strconv.Itoa(d.Failed) + " failed · change failure rate " + fmtPct(d.ChangeFailureRate) + bucket(d.Dora.ChangeFailureRate) +
		" · recovery p50 " + fmtP(d.Recovery.Current, 50) + bucket(d.Dora.Recovery)
	lead := pad("Lead time", lw) + "p50 " + fmtP(td.rep.LeadTime.Current, 50) + bucket(d.Dora.LeadTime) + " · " + m.tierText(d)
	out := []string{clip(prod, m.width), clip(fail, m.width), clip(lead, m.width)}

	// As wide as the terminal allows, up to 8 cells a week.
	each := max(3, min(8, (m.width-2)/domain.Weeks))
	rows := 3
	if m.height >= 40 {
		rows = 6
	}
	vals := d.Weekly[:]
	hi := 0
	for _, v := range vals {
		hi = max(hi, v)
	}
	out = append(out, st.Heading.Render("Production deploys per ISO week")+st.Dim.Render(" (max "+strconv.Itoa(hi)+")"))
	bars := vbars(st, vals, each, rows)
	out = append(out, bars...)
	var counts strings.Builder
	for _, v := range vals {
		counts.WriteString(rfit(strconv.Itoa(v), each-1) + " ")
	}
	out = append(out, st.Dim.Render(counts.String()))
	ws := m.data.report.WeekStarts
	axis := pad(fmtDay(ws[0]), each*domain.Weeks-6) + fmtDay(ws[domain.Weeks-1])
	return append(out, st.Dim.Render(axis))
}

// tierText lists deploy counts by environment tier.
func (m *Model) tierText(d *domain.DeployReport) string {
	var parts []string
	for _, t := range []domain.Tier{domain.Production, domain.Staging, domain.OtherTier} {
		if td, ok := d.ByTier[t]; ok {
			parts = append(parts, string(t)+" "+strconv.Itoa(td.Successful))
		}
	}
	if len(parts) == 0 {
		return "no deployment by tier"
	}
	return "by tier: " + strings.Join(parts, ", ")
}

// deployCols sizes the deployment columns; the repo takes the rest up to
// 40 cells, and wide terminals also get the ref and the duration.
func (m *Model) deployCols() (envW, repoW, refW int) {
	envW = 11
	if m.width >= 120 {
		envW, refW = 16, 20
	}
	used := 2 + 10 + 1 + envW + 1 + 1 + 8 + 1 + 12 + 1 + 9
	if refW > 0 {
		used += refW + 1 + 6 + 1
	}
	repoW = max(8, min(40, m.width-used))
	return
}

func (m *Model) deployHeader() string {
	ew, rw, fw := m.deployCols()
	s := "  " + pad("RESULT", 10) + " " + pad("ENVIRONMENT", ew) + " " + pad("REPO", rw) + " " + pad("SHA", 8) + " " + pad("FINISHED", 12) + " " + rfit("RECOVERY", 9)
	if fw > 0 {
		s += " " + rfit("TOOK", 6) + " " + pad("REF", fw)
	}
	return s
}

func (m *Model) deployRow(td *teamData, d *domain.Deployment) string {
	ew, rw, fw := m.deployCols()
	res := resultText(m.st, d.Result)
	sha := d.SHA
	if len(sha) > 7 {
		sha = sha[:7]
	}
	rec := ""
	if d.Result == domain.Failure {
		rec = "not yet"
		for _, r := range td.rep.Deploys.Failures {
			if r.Failed == d && r.Seconds >= 0 {
				rec = fmtDur(r.Seconds)
			}
		}
	}
	fin := fmtTime(d.FinishedAt)
	if d.FinishedAt.IsZero() {
		fin = "running"
	}
	s := res + " " + fit(d.Environment, ew) + " " + fit(d.Repo, rw) + " " + fit(sha, 8) + " " + pad(fin, 12) + " " + rfit(rec, 9)
	if fw > 0 {
		took := int64(-1)
		if !d.FinishedAt.IsZero() && !d.FinishedAt.Before(d.CreatedAt) {
			took = int64(d.FinishedAt.Sub(d.CreatedAt).Seconds())
		}
		s += " " + rfit(fmtDur(took), 6) + " " + fit(d.Ref, fw)
	}
	return s
}

// resultText is a run or deployment result in 10 cells, readable without
// colour: a glyph and a word.
func resultText(st Styles, r domain.Result) string {
	switch r {
	case domain.Success:
		return st.Good.Render(pad("✓ success", 10))
	case domain.Failure:
		return st.Bad.Render(pad("✗ failure", 10))
	case domain.InProgress:
		return st.Warn.Render(pad("◌ running", 10))
	case domain.Cancelled:
		return st.Dim.Render(pad("○ cancel", 10))
	default:
		return st.Dim.Render(pad("? "+dash, 10))
	}
}
