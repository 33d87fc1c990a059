package content

import "math"

// clutter is the share of the frame that is busy at the scale of objects: cells whose
// colour jumps against their neighbours. A photo with a subject has calm regions (sky, wall,
// bokeh, floor) around it; a heap of small objects, a flower bed or a crowd changes colour
// from cell to cell everywhere, leaving the eye no place to rest and no subject to find.
// Measured on ~10 px cell means rather than on pixel edges, so that a sharp photo is not
// mistaken for a busy one, nor a blurred heap for a calm one.
func clutter(g *grid) float64 {
	var s, n float64
	for cy := 0; cy < g.gh; cy++ {
		for cx := 0; cx < g.gw; cx++ {
			i := cy*g.gw + cx
			var d float64
			var k int
			if cx+1 < g.gw {
				d += cellDist(g, i, i+1)
				k++
			}
			if cx > 0 {
				d += cellDist(g, i, i-1)
				k++
			}
			if cy+1 < g.gh {
				d += cellDist(g, i, i+g.gw)
				k++
			}
			if cy > 0 {
				d += cellDist(g, i, i-g.gw)
				k++
			}
			if k == 0 {
				continue
			}
			s += ramp(d/float64(k), 8, 25)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return s / n
}

func cellDist(g *grid, i, j int) float64 {
	dl, da, db := g.l[i]-g.l[j], g.a[i]-g.a[j], g.b[i]-g.b[j]
	return math.Sqrt(float64(dl*dl + da*da + db*db))
}

// centreFocus is the log ratio of gradient energy in the central quarter of the frame to
// that in the outer band: positive when the middle holds sharp detail against a calmer or
// defocused surround (a subject), negative when the interest is pushed to the edges.
func centreFocus(g *grid) float64 {
	var cen, cn, bor, bn float64
	for cy := 0; cy < g.gh; cy++ {
		fy := (float64(cy) + 0.5) / float64(g.gh)
		for cx := 0; cx < g.gw; cx++ {
			fx := (float64(cx) + 0.5) / float64(g.gw)
			m := float64(g.mag[cy*g.gw+cx])
			if fx > 0.25 && fx < 0.75 && fy > 0.25 && fy < 0.75 {
				cen += m
				cn++
			} else if fx < 0.12 || fx > 0.88 || fy < 0.12 || fy > 0.88 {
				bor += m
				bn++
			}
		}
	}
	if cn == 0 || bn == 0 {
		return 0
	}
	return math.Log((cen/cn + 0.5) / (bor/bn + 0.5))
}
