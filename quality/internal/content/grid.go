package content

// grid accumulates per-cell statistics on a coarse grid (about 48 cells on the long side).
// Composition, clutter and large-scale structure are judged on cells: a subject is a region,
// not a pixel, and cells make those steps cost almost nothing.
type grid struct {
	c, gw, gh int
	cx        []int32   // column -> cell column, precomputed for the hot loops
	n         []float32 // lattice samples per cell (colour pass)
	npix      []float32 // pixels per cell (gradient pass visits every pixel)
	l, a, b   []float32 // sums, then means, of luma and the two opponent colour axes
	mag       []float32 // sum of Sobel gradient magnitudes
	edge      []float32 // count of edge pixels (gradient > edgeThreshold)
}

const gridCells = 48

func newGrid(w, h int) *grid {
	c := (max(w, h) + gridCells - 1) / gridCells
	c = max(c, 1)
	gw, gh := (w+c-1)/c, (h+c-1)/c
	k := gw * gh
	buf := make([]float32, 6*k)
	g := &grid{c: c, gw: gw, gh: gh, cx: make([]int32, w),
		n: buf[:k:k], l: buf[k : 2*k : 2*k], a: buf[2*k : 3*k : 3*k], b: buf[3*k : 4*k : 4*k],
		mag: buf[4*k : 5*k : 5*k], edge: buf[5*k:]}
	for x := range g.cx {
		g.cx[x] = int32(x / c)
	}
	g.npix = make([]float32, k)
	for cy := range gh {
		for cx := range gw {
			g.npix[cy*gw+cx] = float32((min((cx+1)*c, w) - cx*c) * (min((cy+1)*c, h) - cy*c))
		}
	}
	return g
}

// finish turns the colour sums into means; mag and edge become per-pixel averages.
func (g *grid) finish() {
	for i, n := range g.n {
		if n > 0 {
			g.l[i] /= n
			g.a[i] /= n
			g.b[i] /= n
		}
		if p := g.npix[i]; p > 0 {
			g.mag[i] /= p
			g.edge[i] /= p
		}
	}
}
