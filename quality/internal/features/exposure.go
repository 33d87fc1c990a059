package features

import (
	"math"

	"lightbox/quality/internal/raster"
)

// exposureFeatures summarises the luma histogram: level (mean, median), contrast (std), the tails (p01, p05, p95, p99), crushed shadows and blown highlights
// (luma <= 2, >= 253, and any RGB channel at its ceiling, which catches a blown red sky
// whose luma is still moderate) and the histogram entropy (how many levels are used).
// Levels are reported as fractions of 255.
func exposureFeatures(luma *raster.Plane, v []float64) {
	var hist [256]int32
	var s, sq float64
	var lo, hi int
	for _, x := range luma.Pix {
		s += float64(x)
		sq += float64(x) * float64(x)
		b := int(x + 0.5)
		if b < 0 {
			b = 0
		} else if b > 255 {
			b = 255
		}
		hist[b]++
		if x <= 2 {
			lo++
		} else if x >= 253 {
			hi++
		}
	}
	// Mean linear light (gamma 2.2) in stops relative to 18% grey: a change of exposure by
	// s stops moves it by about s, whatever the scene, until clipping.
	var lin float64
	for b, c := range hist {
		lin += float64(c) * linLUT[b]
	}
	n := float64(len(luma.Pix))
	mean := s / n
	v[ExpMean] = mean / 255
	v[ExpStd] = math.Sqrt(math.Max(sq/n-mean*mean, 0)) / 255
	v[ExpP01] = histQuantile(&hist, n, 0.01)
	v[ExpP05] = histQuantile(&hist, n, 0.05)
	v[ExpP50] = histQuantile(&hist, n, 0.50)
	v[ExpP95] = histQuantile(&hist, n, 0.95)
	v[ExpP99] = histQuantile(&hist, n, 0.99)
	v[ExpClipLow] = float64(lo) / n
	v[ExpClipHigh] = float64(hi) / n
	var ent float64
	for _, c := range hist {
		if c > 0 {
			p := float64(c) / n
			ent -= p * math.Log2(p)
		}
	}
	v[ExpEntropy] = ent
	v[ExpKey] = math.Log2(math.Max(lin/n, 1e-4) / 0.18)
}

var linLUT = func() (t [256]float64) {
	for i := range t {
		t[i] = math.Pow(float64(i)/255, 2.2)
	}
	return t
}()

// histQuantile interpolates inside the bin so that a small shift of the whole histogram
// moves the quantile smoothly instead of by whole code values; result in 0..1.
func histQuantile(h *[256]int32, n, q float64) float64 {
	k := q * n
	var acc float64
	for b, c := range h {
		if c == 0 {
			continue
		}
		if acc+float64(c) > k {
			f := (k - acc) / float64(c)
			return math.Min(math.Max((float64(b)-0.5+f)/255, 0), 1)
		}
		acc += float64(c)
	}
	return 1
}
