package jpegdec

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
func (d *decoder) dcFirst(coef *[64]int16, s *scanComp, al int) error {
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
func (d *decoder) dcRefine(coef *[64]int16, al int) error {
	if d.br.bit() {
		coef[0] |= 1 << uint(al)
	}
	return nil
}

// acFirst decodes the first pass over a spectral band, including EOB runs
// that span many blocks.
func (d *decoder) acFirst(coef *[64]int16, t *huffTable, sc *scanInfo) error {
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
		coef[k] = int16(extend(r.bits(s), s) << uint(sc.al))
		k++
	}
	return nil
}

// acRefine decodes a successive-approximation refinement pass (G.1.2.3):
// new coefficients have magnitude 1<<al, and every already non-zero
// coefficient passed over receives one correction bit.
func (d *decoder) acRefine(coef *[64]int16, t *huffTable, sc *scanInfo) error {
	r := &d.br
	p1 := int16(1) << uint(sc.al)
	m1 := -p1
	k := sc.ss
	if d.eobrun == 0 {
	symbols:
		for k <= sc.se {
			rs, err := r.decode(t)
			if err != nil {
				return err
			}
			run, s := int(rs>>4), int(rs&15)
			var val int16
			switch {
			case s != 0:
				// Only size 1 is valid; the sign bit follows.
				if r.bit() {
					val = p1
				} else {
					val = m1
				}
			case run != 15:
				d.eobrun = 1 << uint(run)
				if run > 0 {
					d.eobrun += r.bits(uint(run))
				}
				break symbols
			}
			// Skip run zero-history coefficients (ZRL: 16 with val 0),
			// correcting the non-zero ones on the way, then place val.
			for ; k <= sc.se; k++ {
				c := &coef[k]
				if *c != 0 {
					refineCoef(r, c, p1)
					continue
				}
				if run == 0 {
					if val != 0 {
						*c = val
					}
					k++
					break
				}
				run--
			}
		}
	}
	if d.eobrun > 0 {
		// The rest of the band is in an EOB run: only correction bits.
		for ; k <= sc.se; k++ {
			if coef[k] != 0 {
				refineCoef(r, &coef[k], p1)
			}
		}
		d.eobrun--
	}
	return nil
}

// refineCoef applies a correction bit to a non-zero coefficient, moving its
// magnitude away from zero unless this bit was already set.
func refineCoef(r *bitReader, c *int16, p1 int16) {
	if r.bit() && *c&p1 == 0 {
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
	limit := zigzagLimit[d.denom]
	blk := &d.blk
	for ci := range d.comps {
		c := &d.comps[ci]
		for by := 0; by < c.bh; by++ {
			for bx := 0; bx < c.bw; bx++ {
				coef := (*[64]int16)(c.coef[(by*c.bw+bx)*64:])
				dst := c.plane[by*n*c.stride+bx*n:]
				dc := int32(coef[0]) * c.q[0]
				last := 0
				for k := 1; k <= limit; k++ {
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
