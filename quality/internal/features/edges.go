package features

import "math"

// maxEdgeWalk bounds the Marziliano walk on each side of an edge (px at working scale).
const maxEdgeWalk = 16

// edgeWidthFeatures measures Marziliano edge widths: at every Sobel edge that is a local
// maximum across its dominant direction, walk both ways along the row (vertical edges) or
// column (horizontal edges) while the intensity keeps rising or falling; the width is the
// distance between the two extrema. It also reports a CPBD-like sharpness (Narvekar & Karam
// 2011): the share of edges whose blur is below the just-noticeable width (3 px for contrast
// above 50, else 5 px).
//
// Edges must exceed a threshold that grows with the measured noise, so that noise speckle
// does not pass for a crowd of razor-sharp edges.
func edgeWidthFeatures(ws *workspace, v []float64) {
	w, h := ws.w, ws.h
	if w < 3 || h < 3 {
		return
	}
	s := w + 2
	p := ws.p
	// ...and with the image's own strongest edges, so that a brightened or contrast-stretched
	// soft texture does not suddenly join the edge population.
	thr := float32(max(40, 12*v[NoiseImmerkaer], 0.25*math.Expm1(v[BlurTopSobel])))
	var sumW float64
	var nEdges, nSharp int
	var wh [2*maxEdgeWalk + 1]int
	measure := func(width int, contrast float32) {
		wh[width]++
		jnb := 5.0
		if contrast > 50 {
			jnb = 3
		}
		sumW += float64(width)
		nEdges++
		// P_blur = 1 - exp(-(w/w_JNB)^3.6) <= 0.63 exactly when w <= w_JNB.
		if float64(width) <= jnb {
			nSharp++
		}
	}
	for y := 1; y < h-1; y++ {
		o := y * w
		gx := ws.gx[o : o+w]
		gy := ws.gy[o : o+w]
		mag := ws.mag[o : o+w]
		row := p[(y+1)*s+1 : (y+1)*s+1+w]
		for x := 1; x < w-1; x++ {
			m := mag[x]
			if m <= thr {
				continue
			}
			ax, ay := abs32(gx[x]), abs32(gy[x])
			if ax >= ay {
				// Mostly vertical edge: must peak along the row.
				if ax < abs32(gx[x-1]) || ax <= abs32(gx[x+1]) {
					continue
				}
				sg := float32(1)
				if gx[x] < 0 {
					sg = -1
				}
				l, r := x, x
				for l > 0 && x-l < maxEdgeWalk && sg*(row[l]-row[l-1]) > 0 {
					l--
				}
				for r < w-1 && r-x < maxEdgeWalk && sg*(row[r+1]-row[r]) > 0 {
					r++
				}
				measure(r-l, abs32(row[r]-row[l]))
			} else {
				if ay < abs32(ws.gy[o-w+x]) || ay <= abs32(ws.gy[o+w+x]) {
					continue
				}
				sg := float32(1)
				if gy[x] < 0 {
					sg = -1
				}
				at := func(yy int) float32 { return p[(yy+1)*s+x+1] }
				u, d := y, y
				for u > 0 && y-u < maxEdgeWalk && sg*(at(u)-at(u-1)) > 0 {
					u--
				}
				for d < h-1 && d-y < maxEdgeWalk && sg*(at(d+1)-at(d)) > 0 {
					d++
				}
				measure(d-u, abs32(at(d)-at(u)))
			}
		}
	}
	if nEdges == 0 {
		return
	}
	v[BlurEdgeWidth] = sumW / float64(nEdges)
	v[BlurCPBD] = float64(nSharp) / float64(nEdges)
	// The sharpest fifth of the edges: a sharp subject before a soft background keeps this
	// low, while global blur (or camera shake) widens every edge.
	v[BlurEdgeP20] = widthQuantile(wh[:], nEdges, 0.2)
}

// widthQuantile interpolates inside the integer width bins (a bin of width w spans
// w-0.5..w+0.5) so the quantile moves smoothly as edges widen.
func widthQuantile(h []int, n int, q float64) float64 {
	k := q * float64(n)
	var acc float64
	for w, c := range h {
		if c == 0 {
			continue
		}
		if acc+float64(c) >= k {
			return float64(w) - 0.5 + (k-acc)/float64(c)
		}
		acc += float64(c)
	}
	return float64(len(h))
}
