package content

import (
	"math"

	"lightbox/quality/internal/raster"
)

const (
	edgeThreshold   = 8 // levels per pixel: a visible edge, well above sensor noise
	detailThreshold = 2 // levels per pixel: any texture at all
	tiltThreshold   = 6 // gradients weaker than this are too noisy to orient
	orientBins      = 180
)

// orientHist is gradient weight by deviation from the nearest axis, in 0.5° bins over
// -45°..45° (bin 90 = 0°): a level horizon or plumb wall piles up at 0°, a tilted one at the tilt.
type orientHist [orientBins]float64

// gradientPass runs a Sobel filter over luma once: edge and detail densities, per-cell
// gradient sums for clutter and saliency, and the orientation histogram for tilt.
func gradientPass(luma *raster.Plane, g *grid, a *Analysis, oh *orientHist) {
	w, h := luma.W, luma.H
	p := luma.Pix
	var edges, details int
	for y := 0; y < h; y++ {
		ym, yp := max(y-1, 0), min(y+1, h-1)
		r0, r1, r2 := p[ym*w:ym*w+w], p[y*w:y*w+w], p[yp*w:yp*w+w]
		row := (y / g.c) * g.gw
		oriented := y > 0 && y < h-1 && y&1 == 0
		for x := 0; x < w; x++ {
			xm, xp := max(x-1, 0), min(x+1, w-1)
			gx := (r0[xp] + 2*r1[xp] + r2[xp] - r0[xm] - 2*r1[xm] - r2[xm]) * 0.125
			gy := (r2[xm] + 2*r2[x] + r2[xp] - r0[xm] - 2*r0[x] - r0[xp]) * 0.125
			m2 := gx*gx + gy*gy
			if m2 < detailThreshold*detailThreshold {
				continue
			}
			details++
			m := float32(math.Sqrt(float64(m2)))
			c := row + int(g.cx[x])
			g.mag[c] += m
			if m2 >= edgeThreshold*edgeThreshold {
				edges++
				g.edge[c]++
			}
			// Orientation on the 2x2 lattice only (weighted up to match): a horizon is long,
			// and atan2 is the most expensive step of the pass. Border pixels see a clamped
			// neighbourhood whose orientation is biased to the axes, so they are left out.
			if m >= tiltThreshold && oriented && x&1 == 0 && x > 0 && x < w-1 {
				// Deviation of the gradient direction from the nearest axis, folded to -45..45°.
				d := fastAtan2(float64(gy), float64(gx)) * (180 / math.Pi)
				if d < 0 {
					d += 180
				}
				if d >= 90 {
					d -= 90
				}
				if d >= 45 {
					d -= 90
				}
				// Bins are centred on multiples of 0.5°, bin 90 on level; ±45° wrap together.
				bin := int((d + 45.25) * 2)
				if bin >= orientBins {
					bin -= orientBins
				} else if bin < 0 {
					bin = 0
				}
				oh[bin] += 4 * float64(m)
			}
		}
	}
	n := float64(w * h)
	a.EdgeDensity = float64(edges) / n
	a.DetailDensity = float64(details) / n
}
