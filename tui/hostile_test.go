package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/pace-dev/pace/domain"
)

// Hostile text from the APIs: escape sequences, OSC 8 hyperlinks, BEL,
// a 300-character title, emoji with ZWJ, CJK, Hebrew and Arabic, bidi
// overrides. It must come out sanitised and never break the layout.
var hostile = struct {
	csi, osc8, bell, long, emoji, cjk, hebrew, arabic, bidi string
}{
	csi:    "\x1b[31mRED\x1b[0m alert \x1b[2J\x1b[Hcleared screen",
	osc8:   "\x1b]8;;https://evil.example/\x07click me\x1b]8;;\x07 now",
	bell:   "ring\x07ring\x07 the bell\r\nand a newline",
	long:   strings.Repeat("Refactor the feature pipeline ", 10), // 300 characters
	emoji:  "🚀 Ship it 🎉 by 👩‍💻 and 👨‍👩‍👧 family",
	cjk:    "修复数据管道中的错误并添加监控指标以检测漂移",
	hebrew: "תיקון באג בצינור הנתונים",
	arabic: "إصلاح خطأ في خط أنابيب البيانات",
	bidi:   "invoice\u202efdp.exe harmless",
}

// hostileDataset is one team whose every string is hostile.
func hostileDataset(now time.Time) (*domain.Dataset, domain.Settings) {
	s := domain.DefaultSettings()
	s.Teams = []domain.Team{{
		Name:       "Fraud \x1b[1mML\x1b[0m 🚀",
		Members:    []domain.Member{{Login: "alice"}, {Login: "דוד"}, {Login: "\x1b]0;pwned\x07mallory"}},
		Repos:      []string{"acme/fraud-model"},
		Allocation: &domain.Split{Research: 60, Engineering: 40},
		Guardrails: []domain.Guardrail{{Metric: "cycle_time.p50", Op: domain.LE, Value: 48 * 3600, Rule: "<= 48h"}},
	}}
	s.Experiments.Workflows = []string{"train.yml"}
	h := func(d float64) time.Time { return now.Add(-time.Duration(d * float64(time.Hour))) }
	titles := []string{hostile.csi, hostile.osc8, hostile.bell, hostile.long, hostile.emoji, hostile.cjk, hostile.hebrew, hostile.arabic, hostile.bidi}
	authors := []string{"alice", "דוד", "\x1b]0;pwned\x07mallory", "alice", "דוד", "alice", "דוד", "alice", "alice"}
	ds := &domain.Dataset{Org: "Acme \x1b[5mBlink\x1b[0m Analytics 中文", Sources: []domain.SourceStatus{
		{Name: "github", LastSync: now.Add(-10 * time.Minute), Errors: []string{"acme/secret: 404 \x1b[31mnot found\x1b[0m"}},
	}}
	for i, t := range titles {
		base := float64(30 + 10*i)
		c := domain.Change{
			Source: domain.GitHub, Repo: "acme/fraud-model", Number: 100 + i,
			URL:   "https://github.com/acme/fraud-model/pull/" + itoa(100+i),
			Title: t, Author: authors[i],
			Labels:     []string{"research", "\x1b[7mlabel"},
			HeadBranch: "feat/\x1b[2Jbranch-" + itoa(i), BaseBranch: "main",
			OpenedAt: h(base + 20), ReadyAt: h(base + 18), FirstCommitAt: h(base + 24),
			FirstReviewAt: h(base + 10), MergedAt: h(base), MergeSHA: "sha" + itoa(i),
		}
		ds.Changes = append(ds.Changes, c)
	}
	// One more, open and waiting for review, with a javascript: URL.
	ds.Changes = append(ds.Changes, domain.Change{
		Source: domain.GitHub, Repo: "acme/fraud-model", Number: 200, URL: "javascript:alert(1)",
		Title: hostile.emoji + " " + hostile.arabic, Author: "דוד", HeadBranch: "feat/x", BaseBranch: "main",
		OpenedAt: h(50), ReadyAt: h(49), FirstCommitAt: h(52),
	})
	ds.Deployments = []domain.Deployment{
		{Source: domain.GitHub, Repo: "acme/fraud-model", ID: "d1", URL: "https://github.com/acme/fraud-model/deployments/1",
			Environment: "production", SHA: "sha0", Ref: "main", CreatedAt: h(20), FinishedAt: h(19.5), Result: domain.Success},
		{Source: domain.GitHub, Repo: "acme/fraud-model", ID: "d2", Environment: "production\x1b[31m!", SHA: "sha1",
			Ref: "main", CreatedAt: h(10), FinishedAt: h(9.8), Result: domain.Failure},
	}
	for i, at := range []float64{400, 380, 300} {
		ds.Runs = append(ds.Runs, domain.Run{
			Source: domain.GitHub, Repo: "acme/fraud-model", ID: "r" + itoa(i), URL: "https://github.com/acme/fraud-model/actions/runs/" + itoa(i),
			Workflow: "train.yml", Name: "train " + hostile.osc8, Branch: "exp/\x1b[2J" + hostile.cjk, Actor: "דוד",
			CreatedAt: h(at + 0.1), StartedAt: h(at), FinishedAt: h(at - 1), Result: domain.Failure,
		})
	}
	return ds, s
}

func TestHostileTextIsSanitised(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		w, h := size[0], size[1]
		ds, s := hostileDataset(fixedNow)
		m := newTestModel(&dsBackend{ds: ds}, s, w, h)
		start(t, m)
		frames := map[string]string{}
		frames["overview"] = m.View()
		press(m, "enter")
		frames["cycle"] = m.View()
		press(m, "enter")
		frames["change"] = m.View()
		press(m, "esc", "3")
		frames["experiments"] = m.View()
		press(m, "enter")
		frames["experiment"] = m.View()
		press(m, "esc", "5")
		frames["waiting"] = m.View()
		press(m, "o")
		if !strings.Contains(m.View(), "only http and https links are opened") {
			t.Errorf("o on a javascript: URL did not refuse it:\n%s", m.View())
		}
		press(m, "e")
		frames["errors"] = m.View()
		for name, f := range frames {
			t.Run(name+"_"+itoa(w)+"x"+itoa(h), func(t *testing.T) {
				checkFrame(t, f, w, h)
				for _, bad := range []string{"pwned", "\u202e", "evil.example"} {
					if strings.Contains(f, bad) {
						t.Errorf("frame shows %q", bad)
					}
				}
				golden.RequireEqual(t, []byte(f))
			})
		}
	}
}
