package content

import (
	"math"

	"lightbox/quality/internal/raster"
)

const (
	barStd    = 2.0  // a bar row is uniform: luma std at most this (JPEG ringing included)
	barDrift  = 2.5  // and stays within this of the outermost row: a real sky keeps brightening
	barMinPct = 0.02 // thinner bands are frames or borders, not bars
)

// letterbox returns the share of the frame covered by uniform bars along two opposite edges
// (letterbox: top and bottom; pillarbox: left and right), whichever pair is larger. A single
// band (a caption strip, a blown-out sky) counts at half weight: the same emptiness, milder.
// An image that is uniform throughout has no bars: it is a fill, and Pure handles it.
func letterbox(luma *raster.Plane) float64 {
	w, h := luma.W, luma.H
	rs := make([]float64, h)
	rs2 := make([]float64, h)
	cs := make([]float64, w)
	cs2 := make([]float64, w)
	for y := 0; y < h; y++ {
		var s, s2 float64
		for x, v := range luma.Pix[y*w : y*w+w] {
			f := float64(v)
			s += f
			s2 += f * f
			cs[x] += f
			cs2[x] += f * f
		}
		rs[y], rs2[y] = s, s2
	}
	return math.Max(bars(rs, rs2, float64(w)), bars(cs, cs2, float64(h)))
}

// bars measures the uniform runs at both ends of a line profile (sums and sums of squares
// of the lines, each n samples long) and returns their weighted share of the lines.
func bars(s, s2 []float64, n float64) float64 {
	m := len(s)
	if m < 4 {
		return 0
	}
	uniform := func(i int, ref float64) bool {
		mean := s[i] / n
		sd := math.Sqrt(math.Max(s2[i]/n-mean*mean, 0))
		return sd <= barStd && math.Abs(mean-ref) <= barDrift
	}
	run := func(start, step int) int {
		ref := s[start] / n
		k := 0
		for i := start; i >= 0 && i < m && uniform(i, ref); i += step {
			k++
		}
		return k
	}
	top, bot := run(0, 1), run(m-1, -1)
	if top+bot >= m*9/10 {
		return 0
	}
	minRun := int(math.Ceil(barMinPct * float64(m)))
	if top < minRun {
		top = 0
	}
	if bot < minRun {
		bot = 0
	}
	frac := float64(top+bot) / float64(m)
	if top == 0 || bot == 0 {
		frac /= 2
	}
	return frac
}
