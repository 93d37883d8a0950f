package report

import (
	"encoding/csv"
	"strings"
	"testing"
)

func TestCSV(t *testing.T) {
	out := write(t, Options{Format: "csv"})
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "source,repo,number,url,title,author,team,category,draft,bot,opened_at,ready_at,first_commit_at,first_review_at,approved_at,merged_at,closed_at,deployed_at,coding_s,pickup_s,review_s,deploy_s,cycle_time_s,lead_time_s"
	if got := strings.Join(recs[0], ","); got != wantHeader {
		t.Fatalf("header\n got %s\nwant %s", got, wantHeader)
	}
	var keys []string
	for _, r := range recs[1:] {
		keys = append(keys, r[0]+":"+r[1]+"#"+r[2])
	}
	want := "github:acme/fraud-model#3 github:acme/fraud-model#7 github:acme/fraud-model#9 github:acme/fraud-model#412 github:acme/misc#2 gitlab:acme/platform#1"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("rows\n got %s\nwant %s", got, want)
	}
	row := func(key string) map[string]string {
		for i, k := range keys {
			if k == key {
				m := map[string]string{}
				for j, col := range recs[0] {
					m[col] = recs[i+1][j]
				}
				return m
			}
		}
		t.Fatalf("no row %s", key)
		return nil
	}
	r7 := row("github:acme/fraud-model#7")
	for col, v := range map[string]string{
		"first_commit_at": "2026-11-21T09:00:00Z", "merged_at": "2026-11-24T09:00:00Z", "deployed_at": "",
		"closed_at": "", "coding_s": "86400", "pickup_s": "86400", "review_s": "86400", "deploy_s": "",
		"cycle_time_s": "259200", "lead_time_s": "", "category": "research", "team": "Fraud ML", "bot": "false", "draft": "false",
	} {
		if r7[col] != v {
			t.Errorf("#7 %s = %q, want %q", col, r7[col], v)
		}
	}
	if r := row("github:acme/fraud-model#3"); r["bot"] != "true" || r["author"] != "renovate[bot]" {
		t.Errorf("bot row: %v", r)
	}
	if r := row("github:acme/fraud-model#9"); r["deployed_at"] != "" || r["lead_time_s"] != "" || r["deploy_s"] != "" {
		t.Errorf("a deployment after now leaks into the CSV: %v", r)
	}
	if r := row("gitlab:acme/platform#1"); r["title"] != `'=HYPERLINK("http://x")` {
		t.Errorf("formula title not defused: %q", r["title"])
	}
	r412 := row("github:acme/fraud-model#412")
	if want := "Red alert link fix gnp.exe <b>bold</b> *stars* and a very long tail that keeps going and going"; r412["title"] != want {
		t.Errorf("csv title = %q, want %q (clean, untruncated)", r412["title"], want)
	}

	filtered := write(t, Options{Format: "csv", Teams: []string{"platform"}})
	if lines := strings.Split(strings.TrimSpace(filtered), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "gitlab,acme/platform,1,") {
		t.Errorf("csv filtered to Platform:\n%s", filtered)
	}
}
