package store

import (
	"encoding/hex"
	"strconv"
	"strings"
)

// Compact forms of the strings that make up most of a body's bytes:
// commit SHAs, numeric ids and URLs. Smaller bodies mean fewer pages to
// read and less garbage per Load (the driver copies every body); the
// decoder rebuilds the exact string. Each form starts with a uvarint whose
// low bit says which way the rest is written.

// hexStr packs lowercase hex of even length (a commit SHA) as its bytes,
// half as long; any other string as it is.
func (p *packer) hexStr(s string) {
	if len(s) < 2 || len(s)%2 != 0 || !isLowerHex(s) {
		p.uint(uint64(len(s)) << 1)
		p.b = append(p.b, s...)
		return
	}
	p.uint(uint64(len(s)/2)<<1 | 1)
	for i := 0; i < len(s); i += 2 {
		p.b = append(p.b, unhex(s[i])<<4|unhex(s[i+1]))
	}
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c - 'a' + 10
}

// numStr packs a decimal number written the canonical way (an API id) as
// a varint; any other string as it is.
func (p *packer) numStr(s string) {
	if v, err := strconv.ParseUint(s, 10, 62); err == nil && strconv.FormatUint(v, 10) == s {
		p.uint(v<<1 | 1)
		return
	}
	p.uint(uint64(len(s)) << 1)
	p.b = append(p.b, s...)
}

// URL forms: literal; prefix + repo + tail; prefix + repo + middle + key,
// where key is the item's number or id. APIs build URLs that way
// ("https://github.com/" + repo + "/pull/" + number), so a body stores a
// few bytes where the URL took fifty.
const (
	urlLiteral = iota
	urlRepo
	urlRepoKey
)

// url packs u, the URL of an item of repo whose number or id is key.
func (p *packer) url(u, repo, key string) {
	if i := strings.Index(u, repo); repo != "" && i >= 0 {
		rest := u[i+len(repo):]
		if key != "" && len(rest) > len(key) && strings.HasSuffix(rest, key) {
			p.byte(urlRepoKey)
			p.str(u[:i])
			p.str(rest[:len(rest)-len(key)])
			return
		}
		p.byte(urlRepo)
		p.str(u[:i])
		p.str(rest)
		return
	}
	p.byte(urlLiteral)
	p.str(u)
}

func (d *decoder) hexStr(u *unpacker) string {
	h := u.uint()
	if h&1 == 0 {
		return d.ar.str(u.take(h >> 1))
	}
	raw := u.take(h >> 1)
	if len(raw) == 0 {
		u.fail()
		return ""
	}
	dst := d.ar.reserve(2 * len(raw))
	hex.Encode(dst, raw)
	return view(dst)
}

func (d *decoder) numStr(u *unpacker) string {
	h := u.uint()
	if h&1 == 0 {
		return d.ar.str(u.take(h >> 1))
	}
	var buf [20]byte
	return d.ar.str(strconv.AppendUint(buf[:0], h>>1, 10))
}

// unpackURL rebuilds what packer.url wrote. A URL without the item's key
// is often shared by many items (a deployment's environment page), so a
// copy recently built is reused. The key comes as bytes or a string, whichever the caller has,
// so that neither is converted.
func unpackURL[K string | []byte](d *decoder, u *unpacker, repo string, key K) string {
	form := u.byte()
	switch form {
	case urlLiteral:
		return d.ar.str(u.bytes())
	case urlRepo, urlRepoKey:
	default:
		u.fail()
		return ""
	}
	prefix, mid := u.bytes(), u.bytes()
	if form == urlRepo {
		d.scratch = append(append(append(d.scratch[:0], prefix...), repo...), mid...)
		return d.in.recent(d.scratch, &d.ar)
	}
	dst := d.ar.reserve(len(prefix) + len(repo) + len(mid) + len(key))
	n := copy(dst, prefix)
	n += copy(dst[n:], repo)
	n += copy(dst[n:], mid)
	copy(dst[n:], key)
	return view(dst)
}
