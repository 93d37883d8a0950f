package tui

import (
	"math"
	"strconv"

	"github.com/pace-dev/pace/domain"
)

// The Allocation tab: the research/engineering split the team agreed
// against the split it lives, overall and by person.

func (m *Model) allocationTop(td *teamData) []string {
	a := &td.rep.Allocation
	st := m.st
	const lw = 16
	bw := max(10, min(40, m.width-lw-26))
	row := func(label string, s *domain.Split, target *float64, note string) string {
		var res *float64
		r, e := dash, dash
		if s != nil {
			res = &s.Research
			r, e = pctOf(s.Research), pctOf(s.Engineering)
		}
		return pad(label, lw) + allocBar(st, res, target, bw) + " " + rfit(r, 5) + " " + rfit(e, 5) + " " + note
	}
	var target *float64
	if a.Target != nil {
		target = &a.Target.Research
	}
	out := []string{
		st.Heading.Render(pad("", lw) + pad("research █ · engineering ░ · target │", bw) + " " + rfit("res", 5) + " " + rfit("eng", 5)),
		row("target", a.Target, target, ""),
		row("person-days", a.PersonDays, target, st.Dim.Render(trimZero(a.TotalDays)+" days")),
		row("merged changes", a.MergedChanges, target, ""),
	}
	switch {
	case a.Target == nil && td.org:
		out = append(out, pad("drift", lw)+st.Dim.Render("the organisation has no target of its own; each team has one"))
	case a.Target == nil:
		out = append(out, pad("drift", lw)+st.Dim.Render("no target agreed: set teams[].allocation in the config"))
	case a.Drift == nil:
		out = append(out, pad("drift", lw)+dash)
	default:
		d := *a.Drift
		txt := strconv.FormatFloat(math.Round(d*10)/10, 'f', -1, 64)
		if d > 0 {
			txt = "+" + txt
		}
		txt += " points of research against the target"
		ok := true
		for _, g := range td.rep.Guardrails {
			if g.Metric == "allocation_drift" {
				ok = g.OK
				txt += " (rule " + g.Rule + ")"
			}
		}
		if ok {
			out = append(out, pad("drift", lw)+st.Good.Render(txt))
		} else {
			out = append(out, pad("drift", lw)+st.Bad.Render(txt))
		}
	}
	return append(clipAll(out, m.width), "")
}

// pctOf is a percent share as "48%".
func pctOf(f float64) string { return strconv.Itoa(int(math.Round(f))) + "%" }

func (m *Model) personHeader() string {
	return "  " + pad("PERSON", 18) + " " + rfit("RESEARCH", 9) + " " + rfit("ENGINEER", 9) + "  " + "SHARE OF RESEARCH"
}

func (m *Model) personRow(p *domain.PersonAllocation) string {
	tot := p.Research + p.Engineering
	var share *float64
	pct := dash
	if tot > 0 {
		v := p.Research / tot * 100
		share = &v
		pct = pctOf(v)
	}
	var target *float64
	if td := m.team(); td != nil && td.rep.Allocation.Target != nil {
		target = &td.rep.Allocation.Target.Research
	}
	bw := max(10, min(30, m.width-2-18-1-9-1-9-2-6))
	return fit(p.Login, 18) + " " + rfit(trimZero(p.Research), 9) + " " + rfit(trimZero(p.Engineering), 9) + "  " +
		allocBar(m.st, share, target, bw) + " " + rfit(pct, 4)
}
