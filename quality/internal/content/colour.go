package content

import (
	"math"

	"lightbox/quality/internal/raster"
)

// colourStats is the output of the single colour pass that the other steps reuse.
type colourStats struct {
	hist [4096]int32 // 4 bits per channel: enough to tell "few colours" from "a photo"
	n    float64     // pixels sampled into hist
}

// colourPass walks the image once on a 2x2 lattice (a quarter of the pixels: these are
// distribution statistics, and the lattice keeps Analyze inside its time budget): colour
// histogram, Hasler–Süsstrunk colourfulness, saturation, a chroma-weighted hue histogram for
// harmony, the luma histogram for tone, and the per-cell colour sums for saliency.
func colourPass(img *raster.Image, luma *raster.Plane, g *grid, a *Analysis, cs *colourStats) {
	var srg, syb, srg2, syb2, ssat float64
	var hue [36]float64
	var lh [256]int32
	w, h := img.W, img.H
	step := lattice(w, h)
	var n float64
	for y := 0; y < h; y += step {
		row := (y / g.c) * g.gw
		for x := 0; x < w; x += step {
			i := y*w + x
			r, gg, b := img.R[i], img.G[i], img.B[i]
			cs.hist[q4(r)<<8|q4(gg)<<4|q4(b)]++
			rg := r - gg
			yb := 0.5*(r+gg) - b
			srg += float64(rg)
			syb += float64(yb)
			srg2 += float64(rg * rg)
			syb2 += float64(yb * yb)
			mx, mn := max(r, gg, b), min(r, gg, b)
			if mx > 1 {
				ssat += float64((mx - mn) / mx)
			}
			// Hue on the opponent plane; grey pixels carry no hue and are skipped.
			if ch := mx - mn; ch > 12 {
				ang := fastAtan2(float64(yb), float64(rg)) // -pi..pi
				bin := int((ang + math.Pi) * (36 / (2 * math.Pi)))
				if bin >= 36 {
					bin = 35
				} else if bin < 0 {
					bin = 0
				}
				hue[bin] += float64(ch)
			}
			l := luma.Pix[i]
			lh[q8(l)]++
			c := row + int(g.cx[x])
			g.n[c]++
			g.l[c] += l
			g.a[c] += rg
			g.b[c] += yb
			n++
		}
	}
	cs.n = n
	mrg, myb := srg/n, syb/n
	vrg := math.Max(srg2/n-mrg*mrg, 0)
	vyb := math.Max(syb2/n-myb*myb, 0)
	a.Colourfulness = math.Sqrt(vrg+vyb) + 0.3*math.Sqrt(mrg*mrg+myb*myb)
	a.Saturation = ssat / n
	a.Harmony = harmony(&hue)
	toneStats(&lh, n, a)

	var ent float64
	nz := make([]int32, 0, 256)
	for _, c := range cs.hist {
		if c > 0 {
			p := float64(c) / n
			ent -= p * math.Log2(p)
			nz = append(nz, c)
		}
	}
	a.ColourEntropy = ent
	a.Colours = math.Log2(float64(binsCovering(nz, 0.9*n)))
}

// lattice is the sampling step for distribution statistics: every second pixel in both
// directions, except on images too small to spare any.
func lattice(w, h int) int {
	if min(w, h) >= 64 {
		return 2
	}
	return 1
}

// binsCovering returns how many of the largest bins it takes to hold target pixels.
func binsCovering(counts []int32, target float64) int {
	// Counting sort by size: the histogram has at most 4096 bins, so this is cheap and avoids sort.
	if len(counts) == 0 {
		return 1
	}
	var mx int32
	for _, c := range counts {
		mx = max(mx, c)
	}
	// Bucket counts on a log scale; exact order inside a bucket does not matter much, so
	// walk buckets from the top and take whole bins.
	var buckets [64][]int32
	for _, c := range counts {
		k := int(63 * math.Log1p(float64(c)) / math.Log1p(float64(mx)))
		buckets[k] = append(buckets[k], c)
	}
	var sum float64
	used := 0
	for k := 63; k >= 0; k-- {
		for _, c := range buckets[k] {
			sum += float64(c)
			used++
			if sum >= target {
				return used
			}
		}
	}
	return max(used, 1)
}

// harmony is the largest share of hue weight that one classic harmonic template holds
// (Matsuda / Cohen-Or: a single 30° sector, two opposite 30° sectors, or one 90° sector,
// the wide template discounted because it holds more by construction).
func harmony(h *[36]float64) float64 {
	var tot float64
	for _, v := range h {
		tot += v
	}
	if tot <= 0 {
		return 1 // no chroma at all: nothing clashes
	}
	sector := func(start, width int) float64 {
		var s float64
		for k := range width {
			s += h[(start+k)%36]
		}
		return s
	}
	best := 0.0
	for s := range 36 {
		i := sector(s, 3)
		best = max(best, i, i+sector(s+18, 3), 0.85*sector(s, 9))
	}
	return best / tot
}

// toneStats reads brightness, contrast, clipping and entropy from the luma histogram.
func toneStats(lh *[256]int32, n float64, a *Analysis) {
	var s, s2, ent float64
	for v, c := range lh {
		if c == 0 {
			continue
		}
		f := float64(c)
		s += f * float64(v)
		s2 += f * float64(v) * float64(v)
		p := f / n
		ent -= p * math.Log2(p)
	}
	mean := s / n
	a.Brightness = mean
	a.Contrast = math.Sqrt(math.Max(s2/n-mean*mean, 0))
	a.ToneEntropy = ent
	p1, p99 := percentile(lh, n, 0.01), percentile(lh, n, 0.99)
	a.Range = float64(p99 - p1)
	var lo, hi int32
	for v := 0; v <= 6; v++ {
		lo += lh[v]
	}
	for v := 250; v < 256; v++ {
		hi += lh[v]
	}
	a.ClipLow = float64(lo) / n
	a.ClipHigh = float64(hi) / n
}

func percentile(lh *[256]int32, n, p float64) int {
	target := p * n
	var acc float64
	for v, c := range lh {
		acc += float64(c)
		if acc >= target {
			return v
		}
	}
	return 255
}

func q4(v float32) int { return q8(v) >> 4 }

func q8(v float32) int {
	if v <= 0 || v != v {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return int(v + 0.5)
}

// fastAtan2 is atan2 to about 1e-7 rad, a few times cheaper than math.Atan2; orientation
// histograms with 0.5° bins need no more.
func fastAtan2(y, x float64) float64 {
	ax, ay := math.Abs(x), math.Abs(y)
	if ax == 0 && ay == 0 {
		return 0
	}
	var r float64
	swap := ay > ax
	if swap {
		r = ax / ay
	} else {
		r = ay / ax
	}
	// Abramowitz & Stegun 4.4.49: atan on [0,1] within 2e-8.
	s := r * r
	t := r * (1 + s*(-0.3333314528+s*(0.1999355085+s*(-0.1420889944+s*(0.1065626393+
		s*(-0.0752896400+s*(0.0429096138+s*(-0.0161657367+s*0.0028662257))))))))
	if swap {
		t = math.Pi/2 - t
	}
	if x < 0 {
		t = math.Pi - t
	}
	if y < 0 {
		t = -t
	}
	return t
}
