package jpegdec

import "encoding/binary"

// bitReader reads entropy-coded data MSB first. The accumulator is
// left-aligned: the next unread bit is bit 63 and n bits are valid. Bits below
// the valid ones are either zero or, after a fast refill, copies of the very
// next stream bits, so OR-ing those same bytes in again later is harmless.
//
// The reader never moves past a marker: when it meets 0xFF followed by a
// non-zero byte (or runs out of data) it stops and supplies zero bits. pad
// counts those invented bits; consuming any of them (n < pad) means the scan
// needed more data than it had.
type bitReader struct {
	data []byte
	pos  int // next byte to load
	acc  uint64
	n    uint
	pad  uint
	stop bool // reached a marker or the end of data
}

func (r *bitReader) reset(data []byte, pos int) {
	*r = bitReader{data: data, pos: pos}
}

// overrun reports whether invented bits were consumed.
func (r *bitReader) overrun() bool { return r.n < r.pad }

// hasFF reports whether any byte of w is 0xFF (a zero byte of ^w).
func hasFF(w uint64) bool {
	x := ^w
	return (x-0x0101010101010101)&^x&0x8080808080808080 != 0
}

// fill tops the accumulator up to at least 56 valid bits. The common case
// loads eight bytes at once; any 0xFF (stuffing or a marker) takes the
// byte-at-a-time path.
func (r *bitReader) fill(acc uint64, n uint) (uint64, uint) {
	p := r.pos
	if p+8 <= len(r.data) {
		w := binary.BigEndian.Uint64(r.data[p:])
		if !hasFF(w) {
			acc |= w >> n
			r.pos = p + int((63-n)>>3)
			return acc, n | 56
		}
	}
	return r.fillSlow(acc, n)
}

func (r *bitReader) fillSlow(acc uint64, n uint) (uint64, uint) {
	for n <= 56 {
		if r.stop {
			n += 8
			r.pad += 8
			continue
		}
		if r.pos >= len(r.data) {
			r.stop = true
			continue
		}
		b := r.data[r.pos]
		if b == 0xFF {
			if r.pos+1 >= len(r.data) || r.data[r.pos+1] != 0 {
				// A marker (or fill bytes before one, or a lone 0xFF at the
				// very end): entropy data ends here.
				r.stop = true
				continue
			}
			r.pos += 2 // stuffed 0xFF00 stands for a data byte 0xFF
		} else {
			r.pos++
		}
		acc |= uint64(b) << (56 - n)
		n += 8
	}
	return acc, n
}

// ensure makes at least 32 bits available in the struct fields.
func (r *bitReader) ensure() {
	if r.n < 32 {
		r.acc, r.n = r.fill(r.acc, r.n)
	}
}

// bits reads s (0..16) bits.
func (r *bitReader) bits(s uint) int32 {
	r.ensure()
	v := int32(r.acc >> (64 - s)) // s == 0 shifts everything out: 0
	r.acc <<= s
	r.n -= s
	return v
}

func (r *bitReader) bit() bool {
	r.ensure()
	v := r.acc>>63 != 0
	r.acc <<= 1
	r.n--
	return v
}

// decode reads one Huffman symbol.
func (r *bitReader) decode(t *huffTable) (uint8, error) {
	r.ensure()
	sym, l := decodeSym(t, r.acc)
	if l == 0 {
		return 0, errBadCode
	}
	r.acc <<= l
	r.n -= l
	return sym, nil
}

// decodeSym resolves the symbol whose code is left-aligned in acc; length 0
// means invalid.
func decodeSym(t *huffTable, acc uint64) (uint8, uint) {
	e := t.sym[acc>>(64-lookBits)]
	if e>>8 != 0 {
		return uint8(e), uint(e >> 8)
	}
	return t.decodeLong(acc)
}

// findMarker returns the index of the 0xFF that starts the next marker at or
// after pos, skipping entropy data, stuffed 0xFF00 pairs and fill bytes; it
// returns len(data) if there is none.
func findMarker(data []byte, pos int) int {
	for i := pos; i+1 < len(data); i++ {
		if data[i] != 0xFF {
			continue
		}
		switch data[i+1] {
		case 0x00:
			i++
		case 0xFF:
			// fill byte; the marker starts at a later 0xFF
		default:
			return i
		}
	}
	return len(data)
}
