package features

import (
	"math"

	"lightbox/quality/internal/raster"
)

// ijgLuma is the JPEG standard's (Annex K) luminance table in natural order, the base that
// libjpeg, Go's image/jpeg and most software scale by the quality setting.
var ijgLuma = [64]uint16{
	16, 11, 10, 16, 24, 40, 51, 61,
	12, 12, 14, 19, 26, 58, 60, 55,
	14, 13, 16, 24, 40, 57, 69, 56,
	14, 17, 22, 29, 51, 87, 80, 62,
	18, 22, 37, 56, 68, 109, 103, 77,
	24, 35, 55, 64, 81, 104, 113, 92,
	49, 64, 78, 87, 103, 121, 120, 101,
	72, 92, 95, 98, 112, 100, 103, 99,
}

// ijgTable returns the baseline luma table libjpeg writes for quality q (1..100).
func ijgTable(q int) [64]uint16 {
	scale := 200 - 2*q
	if q < 50 {
		scale = 5000 / q
	}
	var t [64]uint16
	for i, b := range ijgLuma {
		x := (int(b)*scale + 50) / 100
		t[i] = uint16(min(max(x, 1), 255))
	}
	return t
}

// EstimateJPEGQuality returns the IJG-style quality (1..100) that the luma quantisation
// table q corresponds to. A table that libjpeg (or Go) wrote for an integer quality is
// recognised exactly; any other table (cameras, Photoshop) gets the quality whose scale
// factor matches its mean step, as a continuous value. An all-zero table means "unknown"
// and returns 100.
func EstimateJPEGQuality(q [64]uint16) float64 {
	for qq := 100; qq >= 1; qq-- {
		if ijgTable(qq) == q {
			return float64(qq)
		}
	}
	var sq, sb float64
	for i, x := range q {
		sq += float64(x)
		sb += float64(ijgLuma[i])
	}
	if sq == 0 {
		return 100
	}
	// libjpeg's scale in percent: S = 200-2Q for Q >= 50, 5000/Q below.
	s := 100 * sq / sb
	var est float64
	if s <= 100 {
		est = (200 - s) / 2
	} else {
		est = 5000 / s
	}
	return math.Min(math.Max(est, 1), 100)
}

// compressionFeatures: header evidence (quality estimate, JPEG flag, bits per pixel of the
// original file) and pixel evidence from Wang, Sheikh & Bovik (2002): mean absolute
// neighbour difference across 8x8 block boundaries (B) against inside blocks (A), and the
// zero-crossing rate of the differences (Z), which quantisation lowers by flattening blocks.
//
// The pixel grid only matches the coder's when the working image was not resized. When it
// was, blockiness is measured on the grid scaled by the resize factor while that grid's
// period is still at least 4 px (a downscale of at most 2x); beyond that the blocks are
// averaged away and the features take their neutral values (ratio 0, WSB of an unblocked image).
func compressionFeatures(ws *workspace, in Input, luma *raster.Plane, v []float64) {
	if in.JPEG != nil {
		v[CompQuality] = EstimateJPEGQuality(in.JPEG.LumaQuant)
		v[CompIsJPEG] = 1
	} else {
		v[CompQuality] = 100
	}
	ow, oh := in.OrigW, in.OrigH
	if ow <= 0 || oh <= 0 {
		ow, oh = ws.w, ws.h
	}
	bpp := 24.0 // unknown file size: treat as uncompressed
	if in.FileBytes > 0 {
		bpp = 8 * float64(in.FileBytes) / (float64(ow) * float64(oh))
	}
	v[CompBPP] = math.Log2(math.Min(math.Max(bpp, 1.0/64), 64))

	b, a, z, ok := blockiness(ws, luma, float64(ws.w)/float64(ow), float64(ws.h)/float64(oh))
	if !ok {
		// Neutral: no blocking, activity and zero crossings of a typical clean photo.
		b, a, z = 4, 4, 0.4
	}
	v[CompBlockRatio] = math.Log((b + 0.5) / (a + 0.5))
	v[CompZeroCross] = z
	v[CompWSB] = wsbScore(b, a, z)
}

// wsbScore is the WSB quality model fitted on LIVE JPEG (higher = better, about 1..10).
func wsbScore(b, a, z float64) float64 {
	b = math.Max(b, 1e-2)
	a = math.Max(a, 1e-2)
	z = math.Max(z, 1e-3)
	return -245.9 + 261.9*math.Pow(b, -0.0240)*math.Pow(a, 0.0160)*math.Pow(z, 0.0064)
}

// blockiness returns WSB's B, A, Z averaged over both directions; fx, fy are the working
// size over the original size. ok is false when the block grid cannot be located.
func blockiness(ws *workspace, luma *raster.Plane, fx, fy float64) (b, a, z float64, ok bool) {
	w, h := ws.w, ws.h
	px, py := 8*fx, 8*fy
	if px < 4 || py < 4 || w < 9 || h < 9 {
		return 0, 0, 0, false
	}
	bx := ws.boundaries(0, w, px)
	by := ws.boundaries(1, h, py)
	pix := luma.Pix
	// Differences are capped so that a few object edges that happen to fall on the grid
	// cannot pass for blocking: blocking is a small step repeated everywhere.
	const dcap = 24
	// Horizontal differences d(x) = I(x+1) - I(x), kept in t0 row by row.
	var allH, bH float64
	var zH int
	for y := 0; y < h; y++ {
		row := pix[y*w : y*w+w]
		d := ws.t0[:w-1]
		var s float32
		for x := range d {
			dx := row[x+1] - row[x]
			d[x] = dx
			s += min(abs32(dx), dcap)
		}
		allH += float64(s)
		for _, i := range bx {
			bH += float64(min(abs32(d[i]), dcap))
		}
		for x := 1; x < len(d); x++ {
			zH += negCount(d[x] * d[x-1])
		}
	}
	// Vertical: row differences, with the previous one kept for zero crossings.
	var allV, bV float64
	var zV int
	prev := ws.t1[:w]
	cur := ws.t2[:w]
	k := 0
	for y := 0; y < h-1; y++ {
		r0 := pix[y*w : y*w+w]
		r1 := pix[(y+1)*w : (y+1)*w+w]
		var s float32
		for x := range cur {
			dy := r1[x] - r0[x]
			cur[x] = dy
			s += min(abs32(dy), dcap)
		}
		allV += float64(s)
		if k < len(by) && by[k] == y {
			bV += float64(s)
			k++
		}
		if y > 0 {
			for x := range cur {
				zV += negCount(cur[x] * prev[x])
			}
		}
		prev, cur = cur, prev
	}
	nbH, naH := len(bx)*h, (w-1-len(bx))*h
	nbV, naV := len(by)*w, (h-1-len(by))*w
	if nbH == 0 || nbV == 0 || naH == 0 || naV == 0 {
		return 0, 0, 0, false
	}
	b = (bH/float64(nbH) + bV/float64(nbV)) / 2
	a = ((allH-bH)/float64(naH) + (allV-bV)/float64(naV)) / 2
	z = (float64(zH)/float64((w-2)*h) + float64(zV)/float64((h-2)*w)) / 2
	return b, a, z, true
}

// boundaries lists, for a line of n pixels, the indices i whose difference (i, i+1)
// straddles a block boundary of the (possibly scaled) 8-px grid with period p.
func (ws *workspace) boundaries(k, n int, p float64) []int {
	m := ws.bidx[k][:0]
	for j := 1; ; j++ {
		// The first pixel of block j sits at j*p in working coordinates.
		i := int(math.Round(float64(j)*p)) - 1
		if i >= n-1 {
			break
		}
		if i >= 0 {
			m = append(m, i)
		}
	}
	ws.bidx[k] = m
	return m
}
