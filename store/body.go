package store

import (
	"fmt"
	"strconv"
	"time"

	"github.com/pace-dev/pace/domain"
)

// A row's body is one BLOB holding every field Load needs, so a row costs
// the driver one value instead of a dozen (see codec.go). The columns
// beside it in a table are the keys and the fields SQL itself compares in
// upserts; the body repeats the ones Load needs, so Load reads the body
// alone. Layout, in order (str: length-prefixed bytes; times: see
// packer.times):
//
//	change:     format, source, repo, number, url, title, author, flags
//	            (bit 0 draft), base branch, head branch, times (opened,
//	            ready, updated, merged, closed, first commit, first review,
//	            approved), merge sha, labels (count, strs), logins (count,
//	            strs), activities (count, then each: kind byte, [kind str],
//	            login ref, [at as a difference from the previous one])
//	deployment: format, source, repo, id, url, environment, tier, sha, ref,
//	            times (created, finished), result
//	run:        format, source, repo, id, url, workflow, name, branch, sha,
//	            actor, event, times (created, started, finished), result
//
// Ids, URLs and SHAs take the compact forms of compact.go.
//
// An activity's login ref is 0 for no login, 1 for the change's author and
// 2+i for logins[i]: each login is written and interned once per change.
// Its kind byte holds a kindCode in the low bits (0: the kind's text
// follows) and noTime when its time is zero. The exact deployment is not
// in the body: it lives in columns, the source's and the deploy link's side
// by side, which commits update without rewriting the body (see links.go).

// bodyFormat is the first byte of every body; a decoder meeting another
// value refuses the row rather than misread it.
const bodyFormat = 1

// Bits of an activity's kind byte.
const (
	kindMask = 0x07
	noTime   = 0x08
)

// kinds maps kind codes to the kinds of the domain; code 0 is "spelled out".
var kinds = [...]domain.ActivityKind{1: domain.Commit, 2: domain.Review, 3: domain.ReviewComment, 4: domain.Comment, 5: domain.Approval}

func kindCode(k domain.ActivityKind) byte {
	for i := 1; i < len(kinds); i++ {
		if kinds[i] == k {
			return byte(i)
		}
	}
	return 0
}

// times packs a fixed list of times: a bit mask of the non-zero ones, then
// each of those as its difference from the one before (from 0 for the
// first), which keeps a change's dates a few bytes each.
func (p *packer) times(ts ...time.Time) {
	var mask uint64
	for i, t := range ts {
		if unix(t) != 0 {
			mask |= 1 << i
		}
	}
	p.uint(mask)
	prev := int64(0)
	for _, t := range ts {
		if s := unix(t); s != 0 {
			p.int(s - prev)
			prev = s
		}
	}
}

// times reads what packer.times wrote into dst, in the same order.
func (u *unpacker) times(dst ...*time.Time) {
	mask := u.uint()
	if mask>>len(dst) != 0 {
		u.fail()
		return
	}
	prev := int64(0)
	for i, d := range dst {
		if mask&(1<<i) != 0 {
			prev += u.int()
			*d = fromUnix(prev)
		}
	}
}

// packChange appends c's body to p.b. It refuses an activity without a
// kind (the v1 schema's CHECK did the same).
func packChange(p *packer, c *domain.Change) error {
	p.byte(bodyFormat)
	p.str(string(c.Source))
	p.str(c.Repo)
	p.uint(uint64(c.Number))
	p.url(c.URL, c.Repo, strconv.Itoa(c.Number))
	p.str(c.Title)
	p.str(c.Author)
	var flags byte
	if c.Draft {
		flags |= 1
	}
	p.byte(flags)
	p.str(c.BaseBranch)
	p.str(c.HeadBranch)
	p.times(c.OpenedAt, c.ReadyAt, c.UpdatedAt, c.MergedAt, c.ClosedAt, c.FirstCommitAt, c.FirstReviewAt, c.ApprovedAt)
	p.hexStr(c.MergeSHA)
	p.uint(uint64(len(c.Labels)))
	for _, l := range c.Labels {
		p.str(l)
	}
	// The login table: a change has a handful of people, so a linear
	// search beats a map.
	var table [8]string
	logins := table[:0]
	ref := func(login string) uint64 {
		if login == "" {
			return 0
		}
		if login == c.Author {
			return 1
		}
		for j, l := range logins {
			if l == login {
				return uint64(2 + j)
			}
		}
		logins = append(logins, login)
		return uint64(1 + len(logins))
	}
	for i := range c.Activity {
		ref(c.Activity[i].Login)
	}
	p.uint(uint64(len(logins)))
	for _, l := range logins {
		p.str(l)
	}
	p.uint(uint64(len(c.Activity)))
	prev := int64(0)
	for i := range c.Activity {
		a := &c.Activity[i]
		if a.Kind == "" {
			return fmt.Errorf("activity %d has no kind", i)
		}
		code := kindCode(a.Kind)
		at := unix(a.At)
		if at == 0 {
			code |= noTime
		}
		p.byte(code)
		if code&kindMask == 0 {
			p.str(string(a.Kind))
		}
		p.uint(ref(a.Login))
		if at != 0 {
			p.int(at - prev)
			prev = at
		}
	}
	return nil
}

func packDeployment(p *packer, d *domain.Deployment) {
	p.byte(bodyFormat)
	p.str(string(d.Source))
	p.str(d.Repo)
	p.numStr(d.ID)
	p.url(d.URL, d.Repo, d.ID)
	p.str(d.Environment)
	p.str(string(d.Tier))
	p.hexStr(d.SHA)
	p.str(d.Ref)
	p.times(d.CreatedAt, d.FinishedAt)
	p.str(string(d.Result))
}

func packRun(p *packer, r *domain.Run) {
	p.byte(bodyFormat)
	p.str(string(r.Source))
	p.str(r.Repo)
	p.numStr(r.ID)
	p.url(r.URL, r.Repo, r.ID)
	p.str(r.Workflow)
	p.str(r.Name)
	p.str(r.Branch)
	p.hexStr(r.SHA)
	p.str(r.Actor)
	p.str(r.Event)
	p.times(r.CreatedAt, r.StartedAt, r.FinishedAt)
	p.str(string(r.Result))
}

// decoder turns bodies into domain values; each Load lane has its own, so
// lanes share no state. Strings repeated across rows (repos, people,
// labels, branches) are interned; strings unique to a row go to the arena;
// activity and label slices are cut from large blocks.
type decoder struct {
	in      *interner
	ar      arena
	acts    []domain.Activity
	strs    []string
	logins  []string // the current change's login table, reused
	scratch []byte   // a URL being rebuilt before it is interned
	num     []byte   // a change's number in decimal, the key of its URL
}

// blockLen is how many activities or labels a block holds.
const blockLen = 8192

func newDecoder() *decoder { return &decoder{in: newInterner()} }

// activities returns n zeroed activities cut from the current block, with
// no spare capacity: appending to one change's list copies it rather than
// overwrite the next change's.
func (d *decoder) activities(n int) []domain.Activity {
	if n > cap(d.acts)-len(d.acts) {
		d.acts = make([]domain.Activity, 0, max(n, blockLen))
	}
	s := len(d.acts)
	d.acts = d.acts[:s+n]
	return d.acts[s : s+n : s+n]
}

// labels is activities for label lists.
func (d *decoder) labels(n int) []string {
	if n > cap(d.strs)-len(d.strs) {
		d.strs = make([]string, 0, max(n, blockLen))
	}
	s := len(d.strs)
	d.strs = d.strs[:s+n]
	return d.strs[s : s+n : s+n]
}

// header reads the format byte, the source and the repo.
func (d *decoder) header(u *unpacker) (domain.Source, string) {
	if u.byte() != bodyFormat {
		u.fail()
		return "", ""
	}
	return d.in.source(u.bytes()), d.in.str(u.bytes())
}

// change decodes a change body into c, which must be zero (or hold only
// the fields the body does not: the exact deployment).
func (d *decoder) change(body []byte, c *domain.Change) error {
	u := unpacker{b: body}
	c.Source, c.Repo = d.header(&u)
	c.Number = int(u.uint())
	d.num = strconv.AppendInt(d.num[:0], int64(c.Number), 10)
	c.URL = unpackURL(d, &u, c.Repo, d.num)
	c.Title = d.ar.str(u.bytes())
	c.Author = d.in.str(u.bytes())
	c.Draft = u.byte()&1 != 0
	c.BaseBranch = d.in.str(u.bytes())
	// Head branches are mostly one per change: a map would hold them all
	// for little sharing, so only recent repeats are shared.
	c.HeadBranch = d.in.recent(u.bytes(), &d.ar)
	u.times(&c.OpenedAt, &c.ReadyAt, &c.UpdatedAt, &c.MergedAt, &c.ClosedAt, &c.FirstCommitAt, &c.FirstReviewAt, &c.ApprovedAt)
	c.MergeSHA = d.hexStr(&u)
	if n := u.count(1); n > 0 {
		c.Labels = d.labels(n)
		for i := range c.Labels {
			c.Labels[i] = d.in.str(u.bytes())
		}
	}
	n := u.count(1)
	d.logins = append(d.logins[:0], "", c.Author)
	for range n {
		d.logins = append(d.logins, d.in.str(u.bytes()))
	}
	if n := u.count(2); n > 0 && u.err == nil {
		c.Activity = d.activities(n)
		prev := int64(0)
		for i := range c.Activity {
			a := &c.Activity[i]
			code := u.byte()
			if k := code & kindMask; k != 0 && int(k) < len(kinds) {
				a.Kind = kinds[k]
			} else if k == 0 {
				a.Kind = d.in.kind(u.bytes())
			} else {
				u.fail()
			}
			if ref := u.uint(); ref < uint64(len(d.logins)) {
				a.Login = d.logins[ref]
			} else {
				u.fail()
			}
			if code&noTime == 0 {
				prev += u.int()
				a.At = fromUnix(prev)
			}
		}
	}
	return u.done()
}

func (d *decoder) deployment(body []byte, dep *domain.Deployment) error {
	u := unpacker{b: body}
	dep.Source, dep.Repo = d.header(&u)
	dep.ID = d.numStr(&u)
	dep.URL = unpackURL(d, &u, dep.Repo, dep.ID)
	dep.Environment = d.in.str(u.bytes())
	dep.Tier = d.in.tier(u.bytes())
	dep.SHA = d.hexStr(&u)
	dep.Ref = d.in.str(u.bytes())
	u.times(&dep.CreatedAt, &dep.FinishedAt)
	dep.Result = d.in.result(u.bytes())
	return u.done()
}

func (d *decoder) run(body []byte, r *domain.Run) error {
	u := unpacker{b: body}
	r.Source, r.Repo = d.header(&u)
	r.ID = d.numStr(&u)
	r.URL = unpackURL(d, &u, r.Repo, r.ID)
	r.Workflow = d.in.str(u.bytes())
	r.Name = d.ar.str(u.bytes())
	r.Branch = d.in.str(u.bytes())
	r.SHA = d.hexStr(&u)
	r.Actor = d.in.str(u.bytes())
	r.Event = d.in.str(u.bytes())
	u.times(&r.CreatedAt, &r.StartedAt, &r.FinishedAt)
	r.Result = d.in.result(u.bytes())
	return u.done()
}
