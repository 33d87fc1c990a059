package jpegdec

import "encoding/binary"

// scanComp is one component of a scan with its entropy tables.
type scanComp struct {
	c      *component
	dc, ac *huffTable
}

type scanInfo struct {
	comps          [4]scanComp
	n              int
	ss, se, ah, al int
}

// Errors on hot paths are preallocated so decoding never allocates.
var (
	errBadCode    = &FormatError{Msg: "bad Huffman code"}
	errCoefIndex  = &FormatError{Msg: "coefficient index beyond 63"}
	errBadDCSize  = &FormatError{Msg: "bad DC magnitude category"}
	errEarlyMark  = &FormatError{Msg: "entropy-coded data interrupted by a marker"}
	errMissingRST = &FormatError{Msg: "missing restart marker"}
)

// parseAndDecodeScan reads a scan header (B.2.3), validates it against the
// frame and decodes the entropy-coded segment that follows.
func (d *decoder) parseAndDecodeScan(seg []byte) error {
	if len(seg) < 1 {
		return formatErr("short SOS segment")
	}
	var sc scanInfo
	sc.n = int(seg[0])
	if sc.n < 1 || sc.n > 4 || len(seg) != 4+2*sc.n {
		return formatErr("bad SOS segment")
	}
	p := seg[1+2*sc.n:]
	sc.ss, sc.se, sc.ah, sc.al = int(p[0]), int(p[1]), int(p[2]>>4), int(p[2]&15)
	// T.81 caps an interleaved MCU at 10 blocks; nothing here depends on
	// that, so larger MCUs (e.g. 4x4 luma) are decoded rather than refused.
	for i := 0; i < sc.n; i++ {
		id, tables := int(seg[1+2*i]), seg[2+2*i]
		var c *component
		for j := range d.comps {
			if d.comps[j].id == id {
				c = &d.comps[j]
			}
		}
		if c == nil {
			return formatErr("scan names an unknown component")
		}
		for j := 0; j < i; j++ {
			if sc.comps[j].c == c {
				return formatErr("component repeated in a scan")
			}
		}
		td, ta := int(tables>>4), int(tables&15)
		if td > 3 || ta > 3 {
			return formatErr("bad Huffman table selector")
		}
		sc.comps[i] = scanComp{c: c}
		// Which tables the scan really needs depends on its kind.
		needDC, needAC := true, true
		if d.progressive {
			needDC = sc.ss == 0 && sc.ah == 0
			needAC = sc.ss != 0
		}
		if needDC && !d.dcOK[td] || needAC && !d.acOK[ta] {
			return formatErr("missing Huffman table")
		}
		if d.tabs != nil {
			sc.comps[i].dc, sc.comps[i].ac = &d.tabs.dc[td], &d.tabs.ac[ta]
		}
		if !c.latched {
			if !d.qtOK[c.tq] {
				return formatErr("missing quantization table")
			}
			for k := 0; k < 64; k++ {
				c.q[k] = int32(d.qt[c.tq][zigzag[k]])
			}
			c.latched = true
		}
	}
	if d.progressive {
		if err := d.checkProgressiveScan(&sc); err != nil {
			return err
		}
	}
	return d.decodeScan(&sc)
}

// decodeScan decodes the MCUs of one scan, handling restart markers, then
// leaves d.pos at the marker that follows the entropy-coded data.
func (d *decoder) decodeScan(sc *scanInfo) error {
	d.br.reset(d.data, d.pos)
	d.resetPredictors(sc)
	mcusX, mcusY := d.mcusX, d.mcusY
	if sc.n == 1 {
		// Non-interleaved: each MCU is one block of the component's own grid.
		mcusX, mcusY = sc.comps[0].c.nbw, sc.comps[0].c.nbh
	}
	mode := d.blockMode(sc)
	mcu := 0
	for my := 0; my < mcusY; my++ {
		for mx := 0; mx < mcusX; mx++ {
			if d.ri > 0 && mcu > 0 && mcu%d.ri == 0 {
				if err := d.restart(sc); err != nil {
					return err
				}
			}
			mcu++
			if sc.n == 1 {
				if d.eobrun > 0 && mode >= modeACFirst {
					// Inside an EOB run (progressive AC scans are never
					// interleaved): at most correction bits, no symbols.
					if c := sc.comps[0].c; mode == modeACRefine {
						i := my*c.bw + mx
						if m := c.nz[i] & bandMask(sc.ss, sc.se); m != 0 {
							r := &d.br
							r.acc, r.n = correct(r, r.acc, r.n, m, c.coef[i*c.cs:i*c.cs+c.cs], int16(1)<<uint(sc.al))
						}
					}
					d.eobrun--
					continue
				}
				if err := d.block(mode, sc, &sc.comps[0], mx, my); err != nil {
					return err
				}
				continue
			}
			for i := 0; i < sc.n; i++ {
				s := &sc.comps[i]
				for v := 0; v < s.c.v; v++ {
					for h := 0; h < s.c.h; h++ {
						if err := d.block(mode, sc, s, mx*s.c.h+h, my*s.c.v+v); err != nil {
							return err
						}
					}
				}
			}
		}
		// Corrupt or truncated data would otherwise be decoded from invented
		// zero bits to the end of the frame.
		if d.br.overrun() {
			return d.overrunErr()
		}
	}
	for i := 0; i < sc.n; i++ {
		c := sc.comps[i].c
		if !d.progressive || sc.ss == 0 {
			c.done = true
		}
		if d.progressive {
			band := bandMask(sc.ss, sc.se)
			if sc.al == 0 {
				c.final |= band
			} else {
				c.final &^= band
			}
		}
	}
	d.pos = findMarker(d.data, d.br.pos)
	return nil
}

func (d *decoder) resetPredictors(sc *scanInfo) {
	for i := 0; i < sc.n; i++ {
		sc.comps[i].c.pred = 0
	}
	d.eobrun = 0
}

// overrunErr classifies a scan that needed more bits than it had.
func (d *decoder) overrunErr() error {
	p := findMarker(d.data, d.br.pos)
	if p+1 >= len(d.data) || d.data[p+1] == 0xD9 {
		return ErrTruncated
	}
	return errEarlyMark
}

// restart consumes the RSTn marker ending a restart interval. Bytes before
// the marker that the interval did not need are skipped: some encoders leave
// garbage there.
func (d *decoder) restart(sc *scanInfo) error {
	if d.br.overrun() {
		return d.overrunErr()
	}
	p := findMarker(d.data, d.br.pos)
	if p+1 >= len(d.data) || d.data[p+1] == 0xD9 {
		return ErrTruncated
	}
	if m := d.data[p+1]; m < 0xD0 || m > 0xD7 {
		return errMissingRST
	}
	d.br.reset(d.data, p+2)
	d.resetPredictors(sc)
	return nil
}

// Block decoding modes.
const (
	modeSeq = iota
	modeSeqDC
	modeDCFirst
	modeDCRefine
	modeACFirst
	modeACRefine
)

func (d *decoder) blockMode(sc *scanInfo) int {
	switch {
	case !d.progressive && d.denom == 8:
		return modeSeqDC
	case !d.progressive:
		return modeSeq
	case sc.ss == 0 && sc.ah == 0:
		return modeDCFirst
	case sc.ss == 0:
		return modeDCRefine
	case sc.ah == 0:
		return modeACFirst
	}
	return modeACRefine
}

// zigzagLimit is the last zigzag index a reduced IDCT reads: 4x4 needs up to
// (3,3) = index 24, 2x2 up to (1,1) = index 4.
var zigzagLimit = [9]int{1: 63, 2: 24, 4: 4, 8: 0}

// block decodes the block at (bx, by) of a component's block grid.
func (d *decoder) block(mode int, sc *scanInfo, s *scanComp, bx, by int) error {
	c := s.c
	switch mode {
	case modeSeq:
		last, err := d.decodeBlock(&d.blk, s.dc, s.ac, &c.q, &c.pred, zigzagLimit[d.denom])
		if err != nil {
			return err
		}
		n := d.scale
		dst := c.plane[by*n*c.stride+bx*n:]
		switch {
		case last == 0:
			fillBlock(dst, c.stride, n, dcPixel(d.blk[0]))
			d.blk[0] = 0
			return nil
		case n == 8:
			idct8(&d.blk, dst, c.stride)
			d.blk = [64]int32{}
			return nil
		case n == 4:
			idct4(&d.blk, dst, c.stride)
		default:
			idct2(&d.blk, dst, c.stride)
		}
		for k := 0; k <= last; k++ {
			d.blk[zigzag[k]] = 0
		}
		return nil
	case modeSeqDC:
		dc, err := d.decodeBlockDC(s.dc, s.ac, &c.pred)
		if err != nil {
			return err
		}
		c.plane[by*c.stride+bx] = dcPixel(dc * c.q[0])
		return nil
	}
	i := by*c.bw + bx
	coef := c.coef[i*c.cs : i*c.cs+c.cs]
	switch mode {
	case modeDCFirst:
		return d.dcFirst(coef, s, sc.al)
	case modeDCRefine:
		d.dcRefine(coef, sc.al)
		return nil
	case modeACFirst:
		return d.acFirst(coef, &c.nz[i], s.ac, sc)
	}
	return d.acRefine(coef, &c.nz[i], s.ac, sc)
}

// decodeBlock entropy-decodes one sequential block (F.2.2), storing
// dequantized coefficients whose zigzag index is <= limit into blk in
// natural order; the others are decoded and dropped because the reduced
// IDCT never reads them. It returns the highest zigzag index stored.
// The bit accumulator lives in locals so it stays in registers.
func (d *decoder) decodeBlock(blk *[64]int32, dct, act *huffTable, q *[64]int32, pred *int32, limit int) (int, error) {
	r := &d.br
	acc, n := r.acc, r.n
	if n < 32 {
		acc, n = r.fill(acc, n)
	}
	// DC difference.
	if e := dct.fast[acc>>(64-lookBits)]; e != 0 {
		l := uint(e & 15)
		acc <<= l
		n -= l
		*pred += e >> 8
	} else {
		sym, l := decodeSym(dct, acc)
		if l == 0 || sym > 15 {
			if l == 0 {
				return 0, errBadCode
			}
			return 0, errBadDCSize
		}
		acc <<= l
		s := uint(sym)
		*pred += extend(int32(acc>>(64-s)), s)
		acc <<= s
		n -= l + s
	}
	blk[0] = *pred * q[0]
	last := 0
	for k := 1; k < 64; {
		if n < 32 {
			// Inlined fast path of bitReader.fill.
			if p := r.pos; p+8 <= len(r.data) {
				if w := binary.BigEndian.Uint64(r.data[p:]); !hasFF(w) {
					acc |= w >> n
					r.pos = p + int((63-n)>>3)
					n |= 56
				} else {
					acc, n = r.fillSlow(acc, n)
				}
			} else {
				acc, n = r.fillSlow(acc, n)
			}
		}
		if e := act.fast[acc>>(64-lookBits)]; e != 0 {
			l := uint(e & 15)
			acc <<= l
			n -= l
			k += int(e>>4) & 15
			if k > 63 {
				return 0, errCoefIndex
			}
			if k <= limit {
				blk[zigzag[k]] = (e >> 8) * q[k]
				last = k
			}
			k++
			continue
		}
		e := act.sym[acc>>(64-lookBits)]
		rs, l := uint8(e), uint(e>>8)
		if l == 0 {
			if rs, l = act.decodeLong(acc); l == 0 {
				return 0, errBadCode
			}
		}
		acc <<= l
		n -= l
		run, s := int(rs>>4), uint(rs&15)
		if s == 0 {
			if run != 15 {
				break // EOB
			}
			if k += 16; k > 64 { // ZRL
				return 0, errCoefIndex
			}
			continue
		}
		k += run
		if k > 63 {
			return 0, errCoefIndex
		}
		v := extend(int32(acc>>(64-s)), s)
		acc <<= s
		n -= s
		if k <= limit {
			blk[zigzag[k]] = v * q[k]
			last = k
		}
		k++
	}
	r.acc, r.n = acc, n
	return last, nil
}

// decodeBlockDC decodes one sequential block but keeps only its quantized
// DC value: AC symbols are skipped using the code+magnitude lengths.
func (d *decoder) decodeBlockDC(dct, act *huffTable, pred *int32) (int32, error) {
	r := &d.br
	acc, n := r.acc, r.n
	if n < 32 {
		acc, n = r.fill(acc, n)
	}
	if e := dct.fast[acc>>(64-lookBits)]; e != 0 {
		l := uint(e & 15)
		acc <<= l
		n -= l
		*pred += e >> 8
	} else {
		sym, l := decodeSym(dct, acc)
		if l == 0 {
			return 0, errBadCode
		}
		if sym > 15 {
			return 0, errBadDCSize
		}
		acc <<= l
		s := uint(sym)
		*pred += extend(int32(acc>>(64-s)), s)
		acc <<= s
		n -= l + s
	}
	for k := 1; k < 64; {
		if n < 32 {
			// Inlined fast path of bitReader.fill.
			if p := r.pos; p+8 <= len(r.data) {
				if w := binary.BigEndian.Uint64(r.data[p:]); !hasFF(w) {
					acc |= w >> n
					r.pos = p + int((63-n)>>3)
					n |= 56
				} else {
					acc, n = r.fillSlow(acc, n)
				}
			} else {
				acc, n = r.fillSlow(acc, n)
			}
		}
		e := uint(act.skip[acc>>(64-lookBits)])
		if e == 0 {
			rs, l := act.decodeLong(acc)
			if l == 0 {
				return 0, errBadCode
			}
			run, s := int(rs>>4), uint(rs&15)
			if s == 0 && run != 15 {
				acc <<= l
				n -= l
				break
			}
			e = (l + s) | uint(run+1)<<5
			if s == 0 {
				e = l | 16<<5
			}
		}
		l := e & 31
		acc <<= l
		n -= l
		if e&skipEOB != 0 {
			break
		}
		k += int(e>>5) & 31
		if k > 64 {
			return 0, errCoefIndex
		}
	}
	r.acc, r.n = acc, n
	return *pred, nil
}
