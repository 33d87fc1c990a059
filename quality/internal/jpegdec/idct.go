package jpegdec

import "math"

// zigzag maps a zigzag sequence index (T.81 Figure A.6) to the natural
// row-major index inside an 8x8 block.
var zigzag = func() (z [64]uint8) {
	k := 0
	for s := 0; s < 15; s++ {
		// Odd anti-diagonals run down-left (row increasing), even ones up-right.
		lo, hi := max(0, s-7), min(s, 7)
		for i := lo; i <= hi; i++ {
			row := i
			if s%2 == 0 {
				row = hi - (i - lo)
			}
			z[k] = uint8(row*8 + (s - row))
			k++
		}
	}
	return z
}()

// The 8x8 IDCT (A.3.3) is separable; each 1-D pass computes
//
//	x[n] = sum_k c(k) X[k] cos((2n+1)k*pi/16),  c(0) = 1/(2*sqrt 2), c(k) = 1/2,
//
// so that the 2-D product carries the spec's 1/4*C(u)*C(v) factor. Splitting
// X into even and odd indices gives x[n] = e[n]+o[n], x[7-n] = e[n]-o[n]; the
// even half splits again into X0/X4 and X2/X6 parts. Constants are the
// needed cosines times 1/2 in 13-bit fixed point; the column pass keeps two
// extra fraction bits for the row pass.
const (
	idctBits  = 13
	pass1Bits = 2
	kA        = 2896 // c(0) = cos(pi/4)/2
	kC2       = 3784 // cos(pi/8)/2
	kS2       = 1567 // sin(pi/8)/2
	kC1       = 4017 // cos(1pi/16)/2
	kC3       = 3406 // cos(3pi/16)/2
	kC5       = 2276 // cos(5pi/16)/2
	kC7       = 799  // cos(7pi/16)/2
)

func clamp8(v int32) uint8 {
	if uint32(v) > 255 {
		if v < 0 {
			return 0
		}
		return 255
	}
	return uint8(v)
}

// idct8 transforms dequantized natural-order coefficients into an 8x8 pixel
// block at dst with the given stride, applying the +128 level shift.
func idct8(blk *[64]int32, dst []byte, stride int) {
	var tmp [64]int32
	const sh1 = idctBits - pass1Bits
	const r1 = 1 << (sh1 - 1)
	for x := 0; x < 8; x++ {
		c0, c1, c2, c3 := blk[x], blk[8+x], blk[16+x], blk[24+x]
		c4, c5, c6, c7 := blk[32+x], blk[40+x], blk[48+x], blk[56+x]
		if c1|c2|c3|c4|c5|c6|c7 == 0 {
			v := (c0*kA + r1) >> sh1
			tmp[x], tmp[8+x], tmp[16+x], tmp[24+x] = v, v, v, v
			tmp[32+x], tmp[40+x], tmp[48+x], tmp[56+x] = v, v, v, v
			continue
		}
		ee0, ee1 := (c0+c4)*kA+r1, (c0-c4)*kA+r1
		eo0, eo1 := c2*kC2+c6*kS2, c2*kS2-c6*kC2
		e0, e3 := ee0+eo0, ee0-eo0
		e1, e2 := ee1+eo1, ee1-eo1
		o0 := c1*kC1 + c3*kC3 + c5*kC5 + c7*kC7
		o1 := c1*kC3 - c3*kC7 - c5*kC1 - c7*kC5
		o2 := c1*kC5 - c3*kC1 + c5*kC7 + c7*kC3
		o3 := c1*kC7 - c3*kC5 + c5*kC3 - c7*kC1
		tmp[x], tmp[56+x] = (e0+o0)>>sh1, (e0-o0)>>sh1
		tmp[8+x], tmp[48+x] = (e1+o1)>>sh1, (e1-o1)>>sh1
		tmp[16+x], tmp[40+x] = (e2+o2)>>sh1, (e2-o2)>>sh1
		tmp[24+x], tmp[32+x] = (e3+o3)>>sh1, (e3-o3)>>sh1
	}
	const sh2 = idctBits + pass1Bits
	// Rounding and the +128 level shift folded into one constant.
	const r2 = 1<<(sh2-1) + 128<<sh2
	for y := 0; y < 8; y++ {
		t := (*[8]int32)(tmp[y*8 : y*8+8])
		out := (*[8]byte)(dst[y*stride : y*stride+8])
		c0, c1, c2, c3, c4, c5, c6, c7 := t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]
		if c1|c2|c3|c4|c5|c6|c7 == 0 {
			v := clamp8((c0*kA + r2) >> sh2)
			*out = [8]byte{v, v, v, v, v, v, v, v}
			continue
		}
		ee0, ee1 := (c0+c4)*kA+r2, (c0-c4)*kA+r2
		eo0, eo1 := c2*kC2+c6*kS2, c2*kS2-c6*kC2
		e0, e3 := ee0+eo0, ee0-eo0
		e1, e2 := ee1+eo1, ee1-eo1
		o0 := c1*kC1 + c3*kC3 + c5*kC5 + c7*kC7
		o1 := c1*kC3 - c3*kC7 - c5*kC1 - c7*kC5
		o2 := c1*kC5 - c3*kC1 + c5*kC7 + c7*kC3
		o3 := c1*kC7 - c3*kC5 + c5*kC3 - c7*kC1
		out[0], out[7] = clamp8((e0+o0)>>sh2), clamp8((e0-o0)>>sh2)
		out[1], out[6] = clamp8((e1+o1)>>sh2), clamp8((e1-o1)>>sh2)
		out[2], out[5] = clamp8((e2+o2)>>sh2), clamp8((e2-o2)>>sh2)
		out[3], out[4] = clamp8((e3+o3)>>sh2), clamp8((e3-o3)>>sh2)
	}
}

// dcPixel is the mean of a block with dequantized DC value dc: the 2-D IDCT
// of a DC-only block is dc/8 everywhere, plus the level shift.
func dcPixel(dc int32) uint8 {
	return clamp8((dc + 4 + 128*8) >> 3)
}

// fillBlock writes a constant s x s block.
func fillBlock(dst []byte, stride, s int, v byte) {
	for y := 0; y < s; y++ {
		row := dst[y*stride : y*stride+s]
		for i := range row {
			row[i] = v
		}
	}
}

// Reduced IDCTs. Averaging the full 8-point IDCT over d = 8/N consecutive
// pixels gives, per frequency u, the N-point IDCT of X[u] scaled by
//
//	g(u) = sin(d*u*pi/16) / (d*sin(u*pi/16))   (g(0) = 1),
//
// evaluated at the group centres, i.e. out[m] = sum_u c(u) g(u) X[u]
// cos((2m+1)u*pi/(2N)). Keeping only u < N (the frequencies the reduced
// grid can represent) yields the area-downsampled block without aliasing
// the dropped high frequencies back in.
var (
	red4 = reducedMatrix(4)
	red2 = reducedMatrix(2)
)

func reducedMatrix(n int) (m [4][4]int32) {
	d := float64(8 / n)
	for o := 0; o < n; o++ {
		for u := 0; u < n; u++ {
			c, g := 0.5, 1.0
			if u == 0 {
				c = 1 / (2 * math.Sqrt2)
			} else {
				g = math.Sin(d*float64(u)*math.Pi/16) / (d * math.Sin(float64(u)*math.Pi/16))
			}
			v := c * g * math.Cos(float64(2*o+1)*float64(u)*math.Pi/float64(2*n))
			m[o][u] = int32(math.Round(v * (1 << idctBits)))
		}
	}
	return m
}

// idct4 produces the 4x4 area average of the block from its top-left 4x4
// coefficients. Row 3-o of the matrix equals row o with odd-frequency signs
// flipped, so each 1-D pass needs only outputs 0 and 1 of even and odd sums.
func idct4(blk *[64]int32, dst []byte, stride int) {
	var tmp [16]int32
	const sh1 = idctBits - pass1Bits
	const r1 = 1 << (sh1 - 1)
	m := &red4
	a0, a1, a2, a3 := m[0][0], m[0][1], m[0][2], m[0][3]
	b1, b2, b3 := m[1][1], m[1][2], m[1][3] // m[1][0] == a0
	for u := 0; u < 4; u++ {                // columns: vertical transform
		c0, c1, c2, c3 := blk[u], blk[8+u], blk[16+u], blk[24+u]
		e0, e1 := c0*a0+c2*a2+r1, c0*a0+c2*b2+r1
		o0, o1 := c1*a1+c3*a3, c1*b1+c3*b3
		tmp[u], tmp[12+u] = (e0+o0)>>sh1, (e0-o0)>>sh1
		tmp[4+u], tmp[8+u] = (e1+o1)>>sh1, (e1-o1)>>sh1
	}
	const sh2 = idctBits + pass1Bits
	const r2 = 1<<(sh2-1) + 128<<sh2
	for y := 0; y < 4; y++ {
		t := (*[4]int32)(tmp[y*4 : y*4+4])
		out := (*[4]byte)(dst[y*stride : y*stride+4])
		c0, c1, c2, c3 := t[0], t[1], t[2], t[3]
		e0, e1 := c0*a0+c2*a2+r2, c0*a0+c2*b2+r2
		o0, o1 := c1*a1+c3*a3, c1*b1+c3*b3
		out[0], out[3] = clamp8((e0+o0)>>sh2), clamp8((e0-o0)>>sh2)
		out[1], out[2] = clamp8((e1+o1)>>sh2), clamp8((e1-o1)>>sh2)
	}
}

// idct2 produces the 2x2 area average of the block from its top-left 2x2
// coefficients.
func idct2(blk *[64]int32, dst []byte, stride int) {
	const sh = 2 * idctBits
	const r = 1<<(sh-1) + 128<<sh
	a, b := red2[0][0], red2[0][1] // red2[1] = {a, -b}
	c00, c01, c10, c11 := int64(blk[0]), int64(blk[1]), int64(blk[8]), int64(blk[9])
	// vertical then horizontal, kept in 64 bits to avoid an intermediate shift
	t0a, t0b := c00*int64(a)+c10*int64(b), c01*int64(a)+c11*int64(b) // row 0
	t1a, t1b := c00*int64(a)-c10*int64(b), c01*int64(a)-c11*int64(b) // row 1
	A, B := int64(a), int64(b)
	dst[0] = clamp8(int32((t0a*A + t0b*B + r) >> sh))
	dst[1] = clamp8(int32((t0a*A - t0b*B + r) >> sh))
	dst[stride] = clamp8(int32((t1a*A + t1b*B + r) >> sh))
	dst[stride+1] = clamp8(int32((t1a*A - t1b*B + r) >> sh))
}
