package jpegdec

import "math/bits"

// Progressive decoding (G.1.2 / G.2). Quantized coefficients of every block
// are kept, in zigzag order, until the last scan: refinement scans are only
// decodable with the full history of which coefficients are already
// non-zero.

func (d *decoder) checkProgressiveScan(sc *scanInfo) error {
	switch {
	case sc.ss > sc.se || sc.se > 63:
		return formatErr("bad spectral selection")
	case sc.ss == 0 && sc.se != 0:
		return formatErr("DC scan with AC coefficients")
	case sc.ss != 0 && sc.n != 1:
		return formatErr("interleaved AC scan")
	case sc.ah > 13 || sc.al > 13:
		return formatErr("bad successive approximation")
	}
	return nil
}

// dcFirst decodes a DC difference and stores the point-transformed value.
func (d *decoder) dcFirst(coef []int16, s *scanComp, al int) error {
	r := &d.br
	sym, err := r.decode(s.dc)
	if err != nil {
		return err
	}
	if sym > 15 {
		return errBadDCSize
	}
	size := uint(sym)
	s.c.pred += extend(r.bits(size), size)
	coef[0] = int16(s.c.pred << uint(al))
	return nil
}

// dcRefine appends one more bit of the DC value.
func (d *decoder) dcRefine(coef []int16, al int) {
	if d.br.bit() {
		coef[0] |= 1 << uint(al)
	}
}

// acFirst decodes the first pass over a spectral band, including EOB runs
// that span many blocks.
func (d *decoder) acFirst(coef []int16, nz *uint64, t *huffTable, sc *scanInfo) error {
	if d.eobrun > 0 {
		d.eobrun--
		return nil
	}
	r := &d.br
	for k := sc.ss; k <= sc.se; {
		rs, err := r.decode(t)
		if err != nil {
			return err
		}
		run, s := int(rs>>4), uint(rs&15)
		if s == 0 {
			if run < 15 {
				// EOBn: this block and 2^run-1+extra following ones end here.
				d.eobrun = 1<<uint(run) - 1
				if run > 0 {
					d.eobrun += r.bits(uint(run))
				}
				break
			}
			k += 16
			continue
		}
		k += run
		if k > sc.se {
			return errCoefIndex
		}
		v := extend(r.bits(s), s) << uint(sc.al)
		if v != 0 {
			*nz |= 1 << uint(k)
		}
		if k < len(coef) {
			coef[k] = int16(v)
		}
		k++
	}
	return nil
}

// acRefine decodes a successive-approximation refinement pass (G.1.2.3):
// new coefficients have magnitude 1<<al, and every already non-zero
// coefficient passed over receives one correction bit. The bit accumulator
// is kept in locals: this loop reads single bits at a high rate.
func (d *decoder) acRefine(coef []int16, nzp *uint64, t *huffTable, sc *scanInfo) error {
	r := &d.br
	acc, n := r.acc, r.n
	p1 := int16(1) << uint(sc.al)
	nz := *nzp
	k, se := sc.ss, sc.se
	if d.eobrun == 0 {
	symbols:
		for k <= se {
			if n < 32 {
				acc, n = r.fill(acc, n)
			}
			e := t.sym[acc>>(64-lookBits)]
			rs, l := uint8(e), uint(e>>8)
			if l == 0 {
				if rs, l = t.decodeLong(acc); l == 0 {
					return errBadCode
				}
			}
			acc <<= l
			n -= l
			run, s := int(rs>>4), rs&15
			var val int16
			switch {
			case s != 0:
				// Only size 1 is valid; the sign bit follows.
				val = -p1
				if acc>>63 != 0 {
					val = p1
				}
				acc <<= 1
				n--
			case run != 15:
				d.eobrun = 1 << uint(run)
				if run > 0 {
					d.eobrun += int32(acc >> (64 - uint(run)))
					acc <<= uint(run)
					n -= uint(run)
				}
				break symbols
			}
			// Skip run zero-history coefficients (ZRL: 16 with val 0) and
			// place val at the next one; every non-zero coefficient passed
			// on the way takes one correction bit, in zigzag order. The
			// masks find those positions without walking the band.
			zeros := ^nz & bandMask(k, se)
			for ; run > 0 && zeros != 0; run-- {
				zeros &= zeros - 1
			}
			target := se + 1
			if zeros != 0 {
				target = bits.TrailingZeros64(zeros)
			}
			if m := nz & bandMask(k, target-1); m != 0 {
				acc, n = correct(r, acc, n, m, coef, p1)
			}
			if target <= se && val != 0 {
				nz |= 1 << uint(target)
				if target < len(coef) {
					coef[target] = val
				}
			}
			k = target + 1
		}
	}
	if d.eobrun > 0 && k <= se {
		// The rest of the band is in an EOB run: only correction bits, one
		// per already non-zero coefficient.
		if m := nz & bandMask(k, se); m != 0 {
			acc, n = correct(r, acc, n, m, coef, p1)
		}
	}
	if d.eobrun > 0 {
		d.eobrun--
	}
	r.acc, r.n = acc, n
	*nzp = nz
	return nil
}

// correct reads one correction bit per coefficient in m (in zigzag order)
// and applies those that fall on stored coefficients. Bits are taken up to
// 32 at a time, so at reduced scales, where few coefficients are stored,
// refinement costs little more than the symbols themselves.
func correct(r *bitReader, acc uint64, n uint, m uint64, coef []int16, p1 int16) (uint64, uint) {
	stored := ^uint64(0)
	if len(coef) < 64 {
		stored = 1<<uint(len(coef)) - 1
	}
	for m != 0 {
		if n < 32 {
			acc, n = r.fill(acc, n)
		}
		chunk := m
		cnt := bits.OnesCount64(m)
		if cnt > 32 {
			chunk, cnt = 0, 32
			for t, i := m, 0; i < 32; i++ {
				low := t & -t
				chunk |= low
				t &^= low
			}
		}
		m &^= chunk
		v := acc >> (64 - uint(cnt))
		acc <<= uint(cnt)
		n -= uint(cnt)
		for a := chunk & stored; a != 0; a &= a - 1 {
			j := bits.TrailingZeros64(a)
			rank := bits.OnesCount64(chunk & (1<<uint(j) - 1))
			if v>>uint(cnt-1-rank)&1 != 0 {
				refineCoef(&coef[j], p1)
			}
		}
	}
	return acc, n
}

// bandMask has bits lo..hi set (none when hi < lo); 0 <= lo <= 63, hi <= 63.
func bandMask(lo, hi int) uint64 {
	if hi < lo {
		return 0
	}
	return ^uint64(0) >> uint(63-hi) &^ (1<<uint(lo) - 1)
}

// refineCoef applies a set correction bit to a non-zero coefficient,
// moving its magnitude away from zero unless this bit was already set.
func refineCoef(c *int16, p1 int16) {
	if *c&p1 == 0 {
		if *c >= 0 {
			*c += p1
		} else {
			*c -= p1
		}
	}
}

// progressiveIDCT turns the accumulated coefficients into output samples at
// the requested scale.
func (d *decoder) progressiveIDCT() {
	n := d.scale
	blk := &d.blk
	for ci := range d.comps {
		c := &d.comps[ci]
		cs := c.cs
		for by := 0; by < c.bh; by++ {
			for bx := 0; bx < c.bw; bx++ {
				i := by*c.bw + bx
				coef := c.coef[i*cs : i*cs+cs]
				dst := c.plane[by*n*c.stride+bx*n:]
				dc := int32(coef[0]) * c.q[0]
				last := 0
				for k := 1; k < len(coef); k++ {
					if v := coef[k]; v != 0 {
						blk[zigzag[k]] = int32(v) * c.q[k]
						last = k
					}
				}
				if last == 0 {
					fillBlock(dst, c.stride, n, dcPixel(dc))
					continue
				}
				blk[0] = dc
				switch n {
				case 8:
					idct8(blk, dst, c.stride)
				case 4:
					idct4(blk, dst, c.stride)
				default:
					idct2(blk, dst, c.stride)
				}
				for k := 0; k <= last; k++ {
					blk[zigzag[k]] = 0
				}
			}
		}
	}
}
