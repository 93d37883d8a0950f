package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzHostileText puts arbitrary text everywhere an API string is printed
// and checks every format stays safe: no escapes or controls, text lines
// within Width, JSON and CSV still parse.
func FuzzHostileText(f *testing.F) {
	for _, s := range []string{hostileTitle, "", "修复👩‍💻" + strings.Repeat("宽", 80), "=cmd|' /C calc'!A0", "\x1b", "a\u009b2Jb", "|*_[x](y)<b>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rep, ds := fixture()
		fr := &rep.Teams[0]
		fr.Waiting[0].Change.Title, fr.Waiting[0].Change.Author, fr.Waiting[0].Change.Repo = s, s, s
		fr.Experiments.Stale[0].Key, fr.Experiments.Stale[0].Owner = s, s
		fr.Experiments.Zombies[0].Experiment.Key = s
		fr.Experiments.FastFailures[0].Repo = s
		rep.Org, rep.Sources[0].Name, rep.Sources[1].Errors[0] = s, s, s
		ds.Changes[0].Title, ds.Changes[0].Author = s, s
		for _, format := range Formats() {
			var b bytes.Buffer
			if err := Write(&b, rep, ds, Options{Format: format}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, r := range out {
				if (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e' {
					t.Fatalf("%s output holds control %U for input %q", format, r, s)
				}
			}
			switch format {
			case FormatText:
				checkWidth(t, out)
			case FormatJSON:
				if !json.Valid(b.Bytes()) {
					t.Fatalf("invalid JSON for input %q", s)
				}
			case FormatCSV:
				recs, err := csv.NewReader(&b).ReadAll()
				if err != nil {
					t.Fatalf("csv does not parse for input %q: %v", s, err)
				}
				for _, r := range recs {
					if len(r) != len(CSVColumns()) {
						t.Fatalf("csv row has %d fields", len(r))
					}
				}
			}
		}
	})
}
