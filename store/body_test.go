package store

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pace-dev/pace/domain"
)

// roundTrip packs c and decodes it with a fresh decoder.
func roundTrip(t *testing.T, c *domain.Change) domain.Change {
	t.Helper()
	var p packer
	if err := packChange(&p, c); err != nil {
		t.Fatal(err)
	}
	var got domain.Change
	if err := newDecoder().change(p.b, &got); err != nil {
		t.Fatalf("decode %x: %v", p.b, err)
	}
	return got
}

func TestChangeBodyRoundTrip(t *testing.T) {
	full := fullChange()
	// The exact deployment lives in columns, not in the body.
	full.DeployedAt, full.DeploymentID, full.DeployExact = time.Time{}, "", false
	full.Activity = append(full.Activity,
		domain.Activity{Kind: "deploy_note", Login: "zoe"},                                 // unknown kind, zero time
		domain.Activity{Kind: domain.Review, Login: "alice", At: at(-30 * 24 * time.Hour)}, // time going backwards
		domain.Activity{Kind: domain.Review, Login: "alice", At: at(-30 * 24 * time.Hour)}, // same second twice
	)
	for i := range 12 { // more people than the login table's first array
		full.Activity = append(full.Activity, domain.Activity{Kind: domain.Comment, Login: string(rune('a'+i)) + "-dev", At: at(time.Duration(i) * time.Minute)})
	}
	if got := roundTrip(t, &full); !reflect.DeepEqual(got, full) {
		t.Errorf("full change:\n got %+v\nwant %+v", got, full)
	}
	empty := domain.Change{Source: "bitbucket", Repo: "x", Number: 1}
	if got := roundTrip(t, &empty); !reflect.DeepEqual(got, empty) {
		t.Errorf("empty change: got %+v", got)
	}
	var p packer
	bad := domain.Change{Source: domain.GitHub, Repo: "x", Number: 1, Activity: []domain.Activity{{Login: "a"}}}
	if err := packChange(&p, &bad); err == nil {
		t.Error("an activity without a kind was packed")
	}
}

func TestDeploymentAndRunBodiesRoundTrip(t *testing.T) {
	g := newSynth(4)
	for i := range 20 {
		d := g.deployment("acme/platform", i)
		d.Tier = []domain.Tier{"", domain.Production, domain.Staging, domain.OtherTier, "canary"}[i%5]
		d.Result = []domain.Result{"", domain.Success, domain.Failure, domain.InProgress, domain.Cancelled, "skipped"}[i%6]
		if i%4 == 0 {
			d.FinishedAt = time.Time{}
		}
		var p packer
		packDeployment(&p, &d)
		var got domain.Deployment
		if err := newDecoder().deployment(p.b, &got); err != nil || !reflect.DeepEqual(got, d) {
			t.Errorf("deployment %d: %v\n got %+v\nwant %+v", i, err, got, d)
		}
		r := g.run("acme/platform", i)
		r.Result = d.Result
		if i%3 == 0 {
			r.StartedAt, r.FinishedAt = time.Time{}, time.Time{}
		}
		p.b = p.b[:0]
		packRun(&p, &r)
		var gotRun domain.Run
		if err := newDecoder().run(p.b, &gotRun); err != nil || gotRun != r {
			t.Errorf("run %d: %v\n got %+v\nwant %+v", i, err, gotRun, r)
		}
	}
}

// Every strict prefix of a body, and a body with a byte too many, is
// refused (a damaged row is an error, never a wrong value or a panic).
func TestBodyTruncatedIsRefused(t *testing.T) {
	c := fullChange()
	var p packer
	if err := packChange(&p, &c); err != nil {
		t.Fatal(err)
	}
	for n := range len(p.b) {
		var got domain.Change
		if err := newDecoder().change(p.b[:n], &got); !errors.Is(err, errCorrupt) {
			t.Fatalf("prefix of %d/%d bytes: err = %v, want errCorrupt", n, len(p.b), err)
		}
	}
	var got domain.Change
	if err := newDecoder().change(append(p.b, 0), &got); !errors.Is(err, errCorrupt) {
		t.Errorf("body with a trailing byte: err = %v", err)
	}
	other := append([]byte{bodyFormat + 1}, p.b[1:]...)
	if err := newDecoder().change(other, &got); !errors.Is(err, errCorrupt) {
		t.Errorf("body of an unknown format: err = %v", err)
	}
}

// Decoded slices have no spare capacity: appending to one change's
// activities must not overwrite the next change's.
func TestDecodedSlicesAreClipped(t *testing.T) {
	d := newDecoder()
	var p packer
	a, b := fullChange(), fullChange()
	b.Title = "second"
	var ca, cb domain.Change
	for _, x := range []struct {
		in  *domain.Change
		out *domain.Change
	}{{&a, &ca}, {&b, &cb}} {
		p.b = p.b[:0]
		if err := packChange(&p, x.in); err != nil {
			t.Fatal(err)
		}
		if err := d.change(p.b, x.out); err != nil {
			t.Fatal(err)
		}
	}
	if cap(ca.Activity) != len(ca.Activity) || cap(ca.Labels) != len(ca.Labels) {
		t.Fatalf("activities cap %d len %d, labels cap %d len %d", cap(ca.Activity), len(ca.Activity), cap(ca.Labels), len(ca.Labels))
	}
	first := cb.Activity[0]
	ca.Activity = append(ca.Activity, domain.Activity{Kind: domain.Comment, Login: "intruder"})
	if cb.Activity[0] != first {
		t.Error("appending to one change's activities changed the next change's")
	}
}

// FuzzChangeBody packs changes built from fuzzed text and numbers and
// checks they decode to themselves, whatever the text holds.
func FuzzChangeBody(f *testing.F) {
	f.Add("acme/platform", "Fix \x1b[31m", "alice", "bug", "bob", "review_comment", int64(1741595415), int64(-3600), 7, true)
	f.Add("", "", "", "", "", "x", int64(0), int64(0), 1, false)
	f.Add("ü/🚀", "\u202e", "alice", "", "alice", "commit", int64(-1), int64(1<<40), 1<<30, false)
	f.Fuzz(func(t *testing.T, repo, title, author, label, login, kind string, base, step int64, number int, draft bool) {
		if kind == "" || number <= 0 || !utf8.ValidString(repo+title+author+label+login+kind) {
			t.Skip()
		}
		base, step = base%(1<<40), step%(1<<40) // keep times within what time.Unix represents exactly
		tm := func(k int64) time.Time { return fromUnix(base + k*step) }
		c := domain.Change{Source: domain.GitHub, Repo: repo, Number: number, Title: title, Author: author,
			Labels: []string{label, label + "2"}, Draft: draft, OpenedAt: tm(0), ReadyAt: tm(1), MergedAt: tm(2),
			FirstCommitAt: tm(-1), MergeSHA: title, URL: label + repo + login + strconv.Itoa(number),
			Activity: []domain.Activity{
				{Kind: domain.ActivityKind(kind), Login: login, At: tm(3)},
				{Kind: domain.Commit, Login: author, At: tm(-2)},
				{Kind: domain.Approval, Login: login + "x", At: tm(4)},
				{Kind: domain.ActivityKind(kind), Login: "", At: tm(5)},
			}}
		if got := roundTrip(t, &c); !reflect.DeepEqual(got, c) {
			t.Fatalf("\n got %+v\nwant %+v", got, c)
		}
	})
}

// FuzzDecodeBody feeds arbitrary bytes to the decoders: they may refuse
// them, never panic or loop.
func FuzzDecodeBody(f *testing.F) {
	c := fullChange()
	var p packer
	if err := packChange(&p, &c); err != nil {
		f.Fatal(err)
	}
	f.Add(p.b)
	f.Add([]byte{bodyFormat, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		d := newDecoder()
		var ch domain.Change
		var dep domain.Deployment
		var r domain.Run
		_ = d.change(b, &ch)
		_ = d.deployment(b, &dep)
		_ = d.run(b, &r)
	})
}

// The compact forms give back every string exactly, compact or not.
func TestCompactFormsRoundTrip(t *testing.T) {
	shas := []string{"", "0123456789abcdef0123456789abcdef01234567", "ABCDEF", "abc", "zz", "00", "not a sha", "ü"}
	ids := []string{"", "0", "7", "5000000001", "007", "-3", "1e3", "4611686018427387904", "deploy-7", " 1"}
	urls := []struct{ url, repo, key string }{
		{"https://github.com/acme/platform/pull/42", "acme/platform", "42"},
		{"https://gitlab.com/acme/ml/fs/-/merge_requests/7", "acme/ml/fs", "7"},
		{"https://github.com/acme/platform/deployments/production", "acme/platform", "981"},
		{"https://github.com/acme/platform/actions/runs/42?x=1", "acme/platform", "42"},
		{"https://example.com/acme/platform", "acme/platform", ""},
		{"https://example.com/42", "acme/platform", "42"},
		{"acme/platform42", "acme/platform", "42"},
		{"", "acme/platform", "1"},
		{"https://github.com/", "", "1"},
	}
	d := newDecoder()
	for _, s := range shas {
		var p packer
		p.hexStr(s)
		u := unpacker{b: p.b}
		if got := d.hexStr(&u); got != s || u.done() != nil {
			t.Errorf("hexStr %q came back as %q (%v)", s, got, u.err)
		}
	}
	for _, s := range ids {
		var p packer
		p.numStr(s)
		u := unpacker{b: p.b}
		if got := d.numStr(&u); got != s || u.done() != nil {
			t.Errorf("numStr %q came back as %q (%v)", s, got, u.err)
		}
	}
	for _, c := range urls {
		var p packer
		p.url(c.url, c.repo, c.key)
		u := unpacker{b: p.b}
		if got := unpackURL(d, &u, c.repo, c.key); got != c.url || u.done() != nil {
			t.Errorf("url %q came back as %q (%v)", c.url, got, u.err)
		}
		// A URL of the repo ending with the key keeps only the host and
		// the middle part.
		if c.repo != "" && strings.HasSuffix(c.url, "/"+c.key) && strings.HasPrefix(c.url, "https://") && len(p.b) > 40 {
			t.Errorf("url %q took %d bytes: not compacted", c.url, len(p.b))
		}
	}
}
