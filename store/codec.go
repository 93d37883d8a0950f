package store

import (
	"encoding/binary"
	"errors"
	"unsafe"
)

// The packed row bodies (see body.go) are built from three primitives:
// unsigned varints, zig-zag signed varints and length-prefixed strings.
// The driver hands every SQL value over with a mutex, a type switch and an
// allocation; one BLOB per row instead of a dozen columns is what makes a
// million-row Load fast.

// packer appends values to a byte slice.
type packer struct{ b []byte }

func (p *packer) byte(v byte)   { p.b = append(p.b, v) }
func (p *packer) uint(v uint64) { p.b = binary.AppendUvarint(p.b, v) }
func (p *packer) int(v int64)   { p.b = binary.AppendVarint(p.b, v) }
func (p *packer) str(s string)  { p.uint(uint64(len(s))); p.b = append(p.b, s...) }

// errCorrupt reports a body that does not decode: a damaged file, or a
// bug in the encoder, never a user error.
var errCorrupt = errors.New("packed row is malformed")

// unpacker reads what a packer wrote. The first malformed read sets err;
// reads after it return zero values, so a decoder checks err once at the end.
type unpacker struct {
	b   []byte
	err error
}

func (u *unpacker) fail() {
	if u.err == nil {
		u.err = errCorrupt
	}
	u.b = nil
}

func (u *unpacker) byte() byte {
	if len(u.b) == 0 {
		u.fail()
		return 0
	}
	v := u.b[0]
	u.b = u.b[1:]
	return v
}

func (u *unpacker) uint() uint64 {
	// Most values (counts, lengths, indexes) fit in one byte; this much
	// is inlined, the rest is not.
	if b := u.b; len(b) > 0 && b[0] < 0x80 {
		u.b = b[1:]
		return uint64(b[0])
	}
	return u.uintSlow()
}

func (u *unpacker) uintSlow() uint64 {
	v, n := binary.Uvarint(u.b)
	if n <= 0 {
		u.fail()
		return 0
	}
	u.b = u.b[n:]
	return v
}

func (u *unpacker) int() int64 {
	x := u.uint()
	return int64(x>>1) ^ -int64(x&1)
}

// count reads a length or count and checks it against what is left, so a
// corrupt body cannot make the decoder allocate gigabytes.
func (u *unpacker) count(minSize int) int {
	n := u.uint()
	if n > uint64(len(u.b)/max(minSize, 1)) {
		u.fail()
		return 0
	}
	return int(n)
}

// bytes reads a string's bytes; they alias the body, so the caller copies
// or interns them.
func (u *unpacker) bytes() []byte { return u.take(u.uint()) }

// done checks that the whole body was read.
func (u *unpacker) done() error {
	if u.err == nil && len(u.b) != 0 {
		u.err = errCorrupt
	}
	return u.err
}

// arenaBlock is the size of the blocks arena copies unique strings into.
const arenaBlock = 256 << 10

// arena makes strings that are unique to one row (URLs, titles, SHAs, ids)
// without one allocation each: they are copied into large blocks and
// point into them. A block's bytes are never written again once a string
// points at them, which is what makes unsafe.String sound here. A Load's
// strings live as long as its Dataset, so shared blocks waste nothing.
type arena struct{ buf []byte }

func (a *arena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	dst := a.reserve(len(b))
	copy(dst, b)
	return unsafe.String(&dst[0], len(dst))
}

// reserve returns n fresh bytes (n > 0) for the caller to fill once and
// turn into a string with view.
func (a *arena) reserve(n int) []byte {
	if n > cap(a.buf)-len(a.buf) {
		if n > arenaBlock/8 {
			return make([]byte, n) // a huge title gets its own allocation
		}
		a.buf = make([]byte, 0, arenaBlock)
	}
	start := len(a.buf)
	a.buf = a.buf[:start+n]
	return a.buf[start : start+n : start+n]
}

// view turns bytes from reserve, filled, into a string without a copy.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// take reads n raw bytes; they alias the body.
func (u *unpacker) take(n uint64) []byte {
	if n > uint64(len(u.b)) {
		u.fail()
		return nil
	}
	v := u.b[:n:n]
	u.b = u.b[n:]
	return v
}
