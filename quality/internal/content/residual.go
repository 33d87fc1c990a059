package content

import "math"

// residual is the RMS of the cell-mean luma around the best quadratic surface in x and y.
// A fill or a plain (linear or gently curved) gradient leaves almost nothing; a sky with
// clouds, a plastered wall or any object leaves a clear residual. Cell means average the
// sensor noise away, so a noisy fill still counts as plain.
func residual(g *grid) float64 {
	// Normal equations for v ≈ Σ c_k φ_k(x, y), φ = 1, x, y, x², xy, y², x and y in -1..1.
	var ata [6][6]float64
	var atb [6]float64
	var phi [6]float64
	basis := func(cx, cy int) {
		x := 2*(float64(cx)+0.5)/float64(g.gw) - 1
		y := 2*(float64(cy)+0.5)/float64(g.gh) - 1
		phi = [6]float64{1, x, y, x * x, x * y, y * y}
	}
	var wsum float64
	for cy := 0; cy < g.gh; cy++ {
		for cx := 0; cx < g.gw; cx++ {
			i := cy*g.gw + cx
			wt := float64(g.n[i])
			if wt == 0 {
				continue
			}
			basis(cx, cy)
			v := float64(g.l[i])
			for r := range 6 {
				for c := range 6 {
					ata[r][c] += wt * phi[r] * phi[c]
				}
				atb[r] += wt * phi[r] * v
			}
			wsum += wt
		}
	}
	if wsum == 0 {
		return 0
	}
	coef, ok := solve6(ata, atb)
	if !ok {
		coef = [6]float64{atb[0] / ata[0][0]} // too few cells for a surface: fit the mean
	}
	var ss float64
	for cy := 0; cy < g.gh; cy++ {
		for cx := 0; cx < g.gw; cx++ {
			i := cy*g.gw + cx
			if g.n[i] == 0 {
				continue
			}
			basis(cx, cy)
			var f float64
			for k := range 6 {
				f += coef[k] * phi[k]
			}
			d := float64(g.l[i]) - f
			ss += float64(g.n[i]) * d * d
		}
	}
	return math.Sqrt(ss / wsum)
}

// solve6 solves the 6x6 system by Gaussian elimination with partial pivoting; it reports
// false when the system is (nearly) singular, as it is for grids of one or two cells a side.
func solve6(a [6][6]float64, b [6]float64) ([6]float64, bool) {
	var x [6]float64
	scale := a[0][0]
	for c := range 6 {
		p := c
		for r := c + 1; r < 6; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) <= 1e-9*scale {
			return x, false
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		for r := c + 1; r < 6; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < 6; k++ {
				a[r][k] -= f * a[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	for r := 5; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < 6; k++ {
			s -= a[r][k] * x[k]
		}
		x[r] = s / a[r][r]
	}
	return x, true
}
