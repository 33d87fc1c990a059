package jpegdec

// lookBits is the width of the Huffman lookahead tables. 9 bits resolve the
// vast majority of codes of typical tables in one lookup while keeping all
// eight possible tables (about 3.5 KB each) inside L1 cache.
const lookBits = 11

const skipEOB = 1 << 15

// huffTable is a canonical Huffman table (T.81 Annex C) prepared for fast
// decoding.
type huffTable struct {
	// fast resolves code and appended magnitude bits in one lookup when both
	// fit in lookBits: value<<8 | run<<4 | totalLength. Zero means "not
	// resolvable here" (long code, too many extra bits, or an AC symbol with
	// size 0 such as EOB/ZRL that needs special handling).
	fast [1 << lookBits]int32
	// sym resolves only the symbol: symbol | codeLength<<8; zero code length
	// means the code is longer than lookBits.
	sym [1 << lookBits]uint16
	// skip serves decoders that only need to step over AC symbols: it gives
	// code plus magnitude length (bits 0-4), how far the zigzag index moves
	// (bits 5-9: run+1, or 16 for ZRL) and skipEOB for end-of-block. Zero
	// means a code longer than lookBits.
	skip [1 << lookBits]uint16
	// For codes longer than lookBits (F.2.2.3): maxCode[l] is the largest code
	// of length l (-1 if none), valOff[l] maps a code of length l to an index
	// into vals.
	maxCode [17]int32
	valOff  [17]int32
	vals    [256]uint8
	nvals   int
}

// build constructs the table from the BITS counts (counts[i] codes of length
// i+1) and HUFFVAL symbols. isDC selects how fast entries are derived: a DC
// symbol is the magnitude category, an AC symbol is run<<4|size.
func (t *huffTable) build(counts *[16]uint8, vals []uint8, isDC bool) error {
	total := 0
	for _, c := range counts {
		total += int(c)
	}
	if total == 0 || total > 256 || total != len(vals) {
		return formatErr("bad Huffman table size")
	}
	*t = huffTable{}
	t.nvals = total
	copy(t.vals[:], vals)

	// Canonical code assignment (C.1/C.2): codes of each length are
	// consecutive and the next length starts at (last+1)<<1.
	code := int32(0)
	k := 0
	for l := 1; l <= 16; l++ {
		n := int32(counts[l-1])
		t.maxCode[l] = -1
		if n > 0 {
			t.valOff[l] = int32(k) - code
			if code+n > 1<<uint(l) {
				return formatErr("over-subscribed Huffman table")
			}
			for i := int32(0); i < n; i++ {
				if l <= lookBits {
					t.fillLookahead(uint32(code+i), l, vals[k+int(i)], isDC)
				}
			}
			code += n
			k += int(n)
			t.maxCode[l] = code - 1
		}
		code <<= 1
	}
	return nil
}

// fillLookahead fills every lookahead slot whose leading l bits equal code.
func (t *huffTable) fillLookahead(code uint32, l int, symbol uint8, isDC bool) {
	shift := uint(lookBits - l)
	first := code << shift
	last := first + 1<<shift
	run, size := int32(symbol>>4), int32(symbol&15)
	if isDC {
		run, size = 0, int32(symbol)
	}
	skip := uint16(l+int(size)) | uint16(run+1)<<5
	if !isDC && size == 0 {
		skip = uint16(l) | 16<<5 // ZRL
		if run != 15 {
			skip = uint16(l) | skipEOB
		}
	}
	for i := first; i < last; i++ {
		t.sym[i] = uint16(symbol) | uint16(l)<<8
		t.skip[i] = skip
		if size > 15 || (!isDC && size == 0) || l+int(size) > lookBits {
			continue
		}
		// The magnitude bits follow the code inside the same lookahead index.
		bits := int32(i>>(uint(lookBits-l)-uint(size))) & (1<<uint(size) - 1)
		v := extend(bits, uint(size))
		t.fast[i] = v<<8 | run<<4 | int32(l+int(size))
	}
}

// decodeLong decodes a code longer than lookBits whose bits are left-aligned
// in acc. It returns the symbol and the code length, or length 0 when the bits
// are not a valid code.
func (t *huffTable) decodeLong(acc uint64) (uint8, uint) {
	for l := lookBits + 1; l <= 16; l++ {
		c := int32(acc >> (64 - uint(l)))
		if c <= t.maxCode[l] {
			idx := c + t.valOff[l]
			if idx < 0 || int(idx) >= t.nvals {
				return 0, 0
			}
			return t.vals[idx], uint(l)
		}
	}
	return 0, 0
}

// extend converts s magnitude bits to a signed coefficient (F.2.2.1).
func extend(v int32, s uint) int32 {
	if s == 0 {
		return 0
	}
	if v < 1<<(s-1) {
		v -= 1<<s - 1
	}
	return v
}
