package features

import (
	"math"
	"slices"

	"lightbox/quality/internal/raster"
)

// haarFeatures decomposes the luma with a 3-level Haar transform and records the detail
// log-energy of each level, the fine/coarse ratios (blur removes the fine levels first, so
// the ratios fall with blur largely independently of content contrast) and a FISH_bb-like
// pooled block sharpness (Vu & Chandler 2012, with Haar instead of CDF 9/7).
//
// Coefficients are averages, not orthonormal: LL stays in code values and a detail is half
// the difference between two half-blocks, so level energies are comparable across levels.
func haarFeatures(ws *workspace, luma *raster.Plane, v []float64) {
	const levels = 3
	const bs = 16 // FISH block size at level 0
	nbx, nby := ws.w/bs, ws.h/bs
	nb := nbx * nby
	// Per block and level: LH, HL, HH energy sums.
	need := nb * levels * 3
	if cap(ws.blocks) < need {
		ws.blocks = make([]float64, need)
	}
	blk := ws.blocks[:need]
	clear(blk)

	src, sw, sh := luma.Pix, ws.w, ws.h
	dst := ws.t0
	var e [levels]float64
	for lv := 0; lv < levels; lv++ {
		w2, h2 := sw/2, sh/2
		if w2 == 0 || h2 == 0 {
			break
		}
		bsl := bs >> (lv + 1) // block size in this level's coefficients
		var slh, shl, shh float64
		for y := 0; y < h2; y++ {
			r0 := src[2*y*sw : 2*y*sw+sw]
			r1 := src[(2*y+1)*sw : (2*y+1)*sw+sw]
			out := dst[y*w2 : y*w2+w2]
			by := y / bsl
			for x := 0; x < w2; x++ {
				a, b := r0[2*x], r0[2*x+1]
				c, d := r1[2*x], r1[2*x+1]
				out[x] = (a + b + c + d) * 0.25
				lh := (a + b - c - d) * 0.25
				hl := (a - b + c - d) * 0.25
				hh := (a - b - c + d) * 0.25
				elh, ehl, ehh := float64(lh*lh), float64(hl*hl), float64(hh*hh)
				slh += elh
				shl += ehl
				shh += ehh
				if bx := x / bsl; by < nby && bx < nbx {
					k := ((by*nbx+bx)*levels + lv) * 3
					blk[k] += elh
					blk[k+1] += ehl
					blk[k+2] += ehh
				}
			}
		}
		m := float64(w2 * h2)
		e[lv] = math.Log1p((slh + shl + shh) / (3 * m))
		src, sw, sh = dst, w2, h2
		if lv == 0 {
			dst = ws.t1
		} else {
			dst = ws.t2
		}
	}
	v[BlurHaar1], v[BlurHaar2], v[BlurHaar3] = e[0], e[1], e[2]
	v[BlurHaarR12] = e[0] - e[1]
	v[BlurHaarR23] = e[1] - e[2]

	if nb == 0 {
		return
	}
	fish := ws.blockScratch(nb)
	for b := 0; b < nb; b++ {
		var f float64
		for lv := 0; lv < levels; lv++ {
			side := float64(int(bs) >> (lv + 1))
			cnt := side * side
			k := (b*levels + lv) * 3
			elh := math.Log10(1 + blk[k]/cnt)
			ehl := math.Log10(1 + blk[k+1]/cnt)
			ehh := math.Log10(1 + blk[k+2]/cnt)
			// FISH: alpha = 0.8 weights the diagonal band; finer levels count more.
			en := 0.2*(elh+ehl)/2 + 0.8*ehh
			f += float64(int(1)<<(levels-1-lv)) * en
		}
		fish[b] = f
	}
	slices.Sort(fish)
	k := max(int(math.Ceil(0.01*float64(nb))), 1)
	var s float64
	for _, f := range fish[nb-k:] {
		s += f
	}
	v[BlurFishBB] = math.Sqrt(s / float64(k))
}

// sortScratch returns a sorted copy of x in scratch memory.
func (ws *workspace) sortScratch(x []float64) []float64 {
	if cap(ws.sorted) < len(x) {
		ws.sorted = make([]float64, len(x))
	}
	s := ws.sorted[:len(x)]
	copy(s, x)
	slices.Sort(s)
	return s
}

// argsortScratch returns the indices that sort x ascending (ties by index, so the order is
// deterministic).
func (ws *workspace) argsortScratch(x []float64) []int {
	if cap(ws.order) < len(x) {
		ws.order = make([]int, len(x))
	}
	o := ws.order[:len(x)]
	for i := range o {
		o[i] = i
	}
	slices.SortFunc(o, func(a, b int) int {
		if x[a] < x[b] {
			return -1
		}
		if x[a] > x[b] {
			return 1
		}
		return a - b
	})
	return o
}

// blockScratch returns a float64 buffer of n values that does not overlap ws.blocks.
func (ws *workspace) blockScratch(n int) []float64 {
	if cap(ws.scratch) < n {
		ws.scratch = make([]float64, n)
	}
	return ws.scratch[:n]
}
