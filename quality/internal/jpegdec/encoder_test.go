package jpegdec

import (
	"math"
)

// A small baseline JPEG encoder for tests: it writes layouts image/jpeg
// cannot (any sampling factors, restart intervals, non-interleaved scans,
// 16-bit quantization tables, long Huffman codes, CMYK) and keeps the exact
// reconstruction a correct decoder must produce, computed with a float IDCT.

type encComp struct {
	id     byte
	h, v   int
	tq     int
	tab    int                    // Huffman table pair (0 flat, 1 deep)
	sample func(x, y int) float64 // in component sample coordinates
}

type encSpec struct {
	w, h        int
	comps       []encComp
	quant       [4][64]uint16 // natural order
	quant16     [4]bool       // write with 16-bit precision
	ri          int           // restart interval in MCUs
	garbage     bool          // junk bytes before each RST marker
	fill        bool          // 0xFF fill bytes before markers
	perCompScan bool          // one non-interleaved scan per component
	adobe       int           // -1: no APP14; else the transform flag
	extraSegs   bool          // COM and unknown APPn segments
	sof         byte          // 0xC0 or 0xC1
}

type encResult struct {
	data   []byte
	planes []plane // exact reconstruction of each component at full scale
}

var (
	cosTab = func() (t [8][8]float64) {
		for x := 0; x < 8; x++ {
			for u := 0; u < 8; u++ {
				t[x][u] = math.Cos(float64(2*x+1) * float64(u) * math.Pi / 16)
			}
		}
		return t
	}()
	dcSyms = []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	acSyms = func() []byte {
		s := []byte{0x00, 0x01, 0x02, 0x11, 0x03, 0x04, 0x21, 0x12, 0x05, 0x31, 0x13, 0x41, 0x06, 0x22, 0xF0}
		seen := map[byte]bool{}
		for _, b := range s {
			seen[b] = true
		}
		for r := 0; r < 16; r++ {
			for sz := 1; sz <= 10; sz++ {
				if b := byte(r<<4 | sz); !seen[b] {
					s = append(s, b)
				}
			}
		}
		return s
	}()
)

func cc(u int) float64 {
	if u == 0 {
		return 1 / math.Sqrt2
	}
	return 1
}

// huffSpec returns BITS and HUFFVAL. Flat tables use one code length; deep
// ones spread lengths up to 16 so the decoder's long-code path is used.
func huffSpec(dc, deep bool) ([16]uint8, []byte) {
	var bits [16]uint8
	syms := acSyms
	if dc {
		syms = dcSyms
	}
	switch {
	case dc && !deep:
		bits[3] = 12
	case dc:
		for l := 1; l <= 11; l++ {
			bits[l-1] = 1
		}
		bits[11] = 1
	case !deep:
		bits[7] = uint8(len(syms))
	default:
		for l := 2; l <= 15; l++ {
			bits[l-1] = 1
		}
		bits[15] = uint8(len(syms) - 14)
	}
	return bits, syms
}

type code struct {
	c uint32
	l uint
}

func huffCodes(bits [16]uint8, syms []byte) map[byte]code {
	m := map[byte]code{}
	c, k := uint32(0), 0
	for l := 1; l <= 16; l++ {
		for i := 0; i < int(bits[l-1]); i++ {
			m[syms[k]] = code{c, uint(l)}
			c++
			k++
		}
		c <<= 1
	}
	return m
}

type bitWriter struct {
	out []byte
	acc uint64
	n   uint
}

func (w *bitWriter) put(v uint32, l uint) {
	w.acc = w.acc<<l | uint64(v)&(1<<l-1)
	w.n += l
	for w.n >= 8 {
		b := byte(w.acc >> (w.n - 8))
		w.out = append(w.out, b)
		if b == 0xFF {
			w.out = append(w.out, 0)
		}
		w.n -= 8
	}
}

func (w *bitWriter) flush() {
	if w.n > 0 {
		w.put(0x7F, 8-w.n) // pad with 1 bits
	}
}

func magnitude(v int) (uint, uint32) {
	a := v
	if a < 0 {
		a = -a
	}
	s := uint(0)
	for a > 0 {
		s++
		a >>= 1
	}
	if v < 0 {
		v += 1<<s - 1
	}
	return s, uint32(v)
}

func encodeTest(sp encSpec) encResult {
	if sp.sof == 0 {
		sp.sof = 0xC0
	}
	nc := len(sp.comps)
	hmax, vmax := 1, 1
	for _, c := range sp.comps {
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	if nc == 1 {
		hmax, vmax = sp.comps[0].h, sp.comps[0].v
	}
	mcusX, mcusY := ceilDiv(sp.w, 8*hmax), ceilDiv(sp.h, 8*vmax)
	if nc == 1 {
		mcusX, mcusY = ceilDiv(sp.w, 8), ceilDiv(sp.h, 8)
	}

	// Transform and quantize every block of every component; reconstruct.
	type compData struct {
		bw, bh, nbw, nbh, cw, ch int
		blocks                   [][64]int // quantized, natural order
		recon                    []uint8
	}
	cds := make([]compData, nc)
	var res encResult
	for i, c := range sp.comps {
		cd := &cds[i]
		h, v := c.h, c.v
		if nc == 1 {
			h, v = 1, 1
		}
		cd.cw, cd.ch = ceilDiv(sp.w*h, hmax), ceilDiv(sp.h*v, vmax)
		if nc == 1 {
			cd.cw, cd.ch = sp.w, sp.h
		}
		cd.bw, cd.bh = mcusX*h, mcusY*v
		cd.nbw, cd.nbh = ceilDiv(cd.cw, 8), ceilDiv(cd.ch, 8)
		cd.blocks = make([][64]int, cd.bw*cd.bh)
		stride := cd.bw * 8
		cd.recon = make([]uint8, stride*cd.bh*8)
		q := sp.quant[c.tq]
		for by := 0; by < cd.bh; by++ {
			for bx := 0; bx < cd.bw; bx++ {
				var px [8][8]float64
				for y := 0; y < 8; y++ {
					for x := 0; x < 8; x++ {
						sx, sy := min(bx*8+x, cd.cw-1), min(by*8+y, cd.ch-1)
						px[y][x] = math.Round(math.Max(0, math.Min(255, c.sample(sx, sy)))) - 128
					}
				}
				blk := &cd.blocks[by*cd.bw+bx]
				var deq [8][8]float64
				for v := 0; v < 8; v++ {
					for u := 0; u < 8; u++ {
						s := 0.0
						for y := 0; y < 8; y++ {
							for x := 0; x < 8; x++ {
								s += px[y][x] * cosTab[x][u] * cosTab[y][v]
							}
						}
						f := s * cc(u) * cc(v) / 4
						qv := int(math.Round(f / float64(q[v*8+u])))
						blk[v*8+u] = qv
						deq[v][u] = float64(qv * int(q[v*8+u]))
					}
				}
				for y := 0; y < 8; y++ {
					for x := 0; x < 8; x++ {
						s := 0.0
						for v := 0; v < 8; v++ {
							for u := 0; u < 8; u++ {
								s += cc(u) * cc(v) * deq[v][u] * cosTab[x][u] * cosTab[y][v]
							}
						}
						cd.recon[(by*8+y)*stride+bx*8+x] = uint8(math.Max(0, math.Min(255, math.Round(s/4+128))))
					}
				}
			}
		}
		rec := cd.recon
		res.planes = append(res.planes, plane{cd.cw, cd.ch, func(x, y int) uint8 { return rec[y*stride+x] }})
	}

	// Markers.
	var out []byte
	marker := func(m byte, payload []byte) {
		if sp.fill {
			out = append(out, 0xFF, 0xFF)
		}
		out = append(out, 0xFF, m)
		if payload != nil {
			n := len(payload) + 2
			out = append(out, byte(n>>8), byte(n))
			out = append(out, payload...)
		}
	}
	out = append(out, 0xFF, 0xD8)
	if sp.adobe >= 0 {
		marker(0xEE, []byte{'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, byte(sp.adobe)})
	}
	if sp.extraSegs {
		marker(0xFE, []byte("a comment"))
		marker(0xE2, []byte("ICC_PROFILE\x00junk"))
	}
	var dqt []byte
	used := map[int]bool{}
	for _, c := range sp.comps {
		used[c.tq] = true
	}
	for t := 0; t < 4; t++ {
		if !used[t] {
			continue
		}
		if sp.quant16[t] {
			dqt = append(dqt, 0x10|byte(t))
			for k := 0; k < 64; k++ {
				v := sp.quant[t][zigzag[k]]
				dqt = append(dqt, byte(v>>8), byte(v))
			}
		} else {
			dqt = append(dqt, byte(t))
			for k := 0; k < 64; k++ {
				dqt = append(dqt, byte(sp.quant[t][zigzag[k]]))
			}
		}
	}
	marker(0xDB, dqt)
	sof := []byte{8, byte(sp.h >> 8), byte(sp.h), byte(sp.w >> 8), byte(sp.w), byte(nc)}
	for _, c := range sp.comps {
		sof = append(sof, c.id, byte(c.h<<4|c.v), byte(c.tq))
	}
	marker(sp.sof, sof)
	var dht []byte
	var codes [2][2]map[byte]code // [table][dc=0/ac=1]
	for tab := 0; tab < 2; tab++ {
		for class := 0; class < 2; class++ {
			bits, syms := huffSpec(class == 0, tab == 1)
			dht = append(dht, byte(class<<4|tab))
			dht = append(dht, bits[:]...)
			dht = append(dht, syms...)
			codes[tab][class] = huffCodes(bits, syms)
		}
	}
	marker(0xC4, dht)
	if sp.ri > 0 {
		marker(0xDD, []byte{byte(sp.ri >> 8), byte(sp.ri)})
	}

	writeScan := func(ci []int) {
		sos := []byte{byte(len(ci))}
		for _, i := range ci {
			t := byte(sp.comps[i].tab)
			sos = append(sos, sp.comps[i].id, t<<4|t)
		}
		sos = append(sos, 0, 63, 0)
		marker(0xDA, sos)
		w := &bitWriter{out: out}
		preds := make([]int, nc)
		encBlock := func(i int, blk *[64]int) {
			dcT, acT := codes[sp.comps[i].tab][0], codes[sp.comps[i].tab][1]
			diff := blk[0] - preds[i]
			preds[i] = blk[0]
			s, bits := magnitude(diff)
			w.put(dcT[byte(s)].c, dcT[byte(s)].l)
			w.put(bits, s)
			run := 0
			for k := 1; k < 64; k++ {
				v := blk[zigzag[k]]
				if v == 0 {
					run++
					continue
				}
				for run > 15 {
					w.put(acT[0xF0].c, acT[0xF0].l)
					run -= 16
				}
				s, bits := magnitude(v)
				sym := byte(run<<4) | byte(s)
				if _, ok := acT[sym]; !ok || s > 10 {
					panic("test encoder: AC magnitude out of range; raise the quantizers")
				}
				w.put(acT[sym].c, acT[sym].l)
				w.put(bits, s)
				run = 0
			}
			if run > 0 {
				w.put(acT[0].c, acT[0].l)
			}
		}
		mx, my := mcusX, mcusY
		if len(ci) == 1 {
			mx, my = cds[ci[0]].nbw, cds[ci[0]].nbh
		}
		mcu, rst := 0, 0
		for y := 0; y < my; y++ {
			for x := 0; x < mx; x++ {
				if sp.ri > 0 && mcu > 0 && mcu%sp.ri == 0 {
					w.flush()
					if sp.garbage {
						w.out = append(w.out, 0x00, 0x5A, 0xFF, 0x00)
					}
					if sp.fill {
						w.out = append(w.out, 0xFF)
					}
					w.out = append(w.out, 0xFF, 0xD0+byte(rst%8))
					rst++
					for i := range preds {
						preds[i] = 0
					}
				}
				mcu++
				if len(ci) == 1 {
					cd := &cds[ci[0]]
					encBlock(ci[0], &cd.blocks[y*cd.bw+x])
					continue
				}
				for _, i := range ci {
					c, cd := sp.comps[i], &cds[i]
					for v := 0; v < c.v; v++ {
						for h := 0; h < c.h; h++ {
							encBlock(i, &cd.blocks[(y*c.v+v)*cd.bw+x*c.h+h])
						}
					}
				}
			}
		}
		w.flush()
		out = w.out
	}
	if sp.perCompScan || nc == 1 {
		for i := range sp.comps {
			writeScan([]int{i})
		}
	} else {
		all := make([]int, nc)
		for i := range all {
			all[i] = i
		}
		writeScan(all)
	}
	marker(0xD9, nil)
	res.data = out
	return res
}

// testQuant returns a quantization table growing with frequency.
func testQuant(base, slope int) (q [64]uint16) {
	for v := 0; v < 8; v++ {
		for u := 0; u < 8; u++ {
			q[v*8+u] = uint16(base + slope*(u+v))
		}
	}
	return q
}

// texSample is a smooth pattern with some texture, different per seed.
func texSample(seed int, texture float64) func(x, y int) float64 {
	return func(x, y int) float64 {
		fx, fy := float64(x), float64(y)
		v := 128 + 70*math.Sin(fx*0.05+float64(seed))*math.Cos(fy*0.04) + 20*math.Sin((fx+fy)*0.02)
		v += texture * (float64((x*7+y*13+seed*5)%17) - 8) * 2
		return v
	}
}
