package content

import "math"

const (
	salLBins = 16 // luma quantisation for histogram contrast
	salCBins = 22 // per opponent-colour axis (-255..255 in steps of ~24)
	bandPct  = 0.08
)

// saliency finds the subject as the cells whose colour is rare and far from the rest of the
// image (global histogram contrast, Cheng et al. 2011, on cell means instead of pixels), and
// reads composition from it: where the subject sits, how big it is, how much of it the frame
// edge cuts, and how clearly it stands out.
func saliency(g *grid, a *Analysis) {
	k := g.gw * g.gh
	sal := make([]float64, k)
	binOf := make([]int32, k)
	idx := make(map[int32]int32, 64)
	type bin struct{ n, l, a, b float64 }
	var bins []bin
	for i := range k {
		if g.n[i] == 0 {
			binOf[i] = -1
			continue
		}
		l, ca, cb := float64(g.l[i]), float64(g.a[i]), float64(g.b[i])
		key := int32(qz(l/16, salLBins)*salCBins*salCBins + qz((ca+255)/24, salCBins)*salCBins + qz((cb+255)/24, salCBins))
		j, ok := idx[key]
		if !ok {
			j = int32(len(bins))
			idx[key] = j
			bins = append(bins, bin{})
		}
		b := &bins[j]
		b.n++
		b.l += l
		b.a += ca
		b.b += cb
		binOf[i] = j
	}
	for j := range bins {
		b := &bins[j]
		b.l /= b.n
		b.a /= b.n
		b.b /= b.n
	}
	// Contrast of each colour against all others, weighted by how many cells hold them.
	bsal := make([]float64, len(bins))
	for i := range bins {
		var s float64
		for j := range bins {
			dl, da, db := bins[i].l-bins[j].l, bins[i].a-bins[j].a, bins[i].b-bins[j].b
			s += bins[j].n * math.Sqrt(dl*dl+da*da+db*db)
		}
		bsal[i] = s
	}
	for i, j := range binOf {
		if j >= 0 {
			sal[i] = bsal[j]
		}
	}
	// Rarity alone marks a whole sky; a subject also differs from its own surroundings, so
	// the rarity is weighted by centre-surround contrast at two scales.
	cs := centreSurround(g)
	hmax := 0.0
	for _, v := range sal {
		hmax = math.Max(hmax, v)
	}
	if hmax > 0 {
		for i := range sal {
			sal[i] = math.Sqrt(sal[i]/hmax) * cs[i]
		}
	}
	sal = smooth3(sal, g.gw, g.gh)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range sal {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	a.SubjectX, a.SubjectY = 0.5, 0.5
	if !(hi-lo > 1e-9) {
		return // one colour everywhere: no subject
	}
	var mean, m2 float64
	for i, v := range sal {
		v = (v - lo) / (hi - lo)
		sal[i] = v
		mean += v
		m2 += v * v
	}
	mean /= float64(k)
	sd := math.Sqrt(math.Max(m2/float64(k)-mean*mean, 0))
	thr := mean + 0.75*sd

	bx := max(1, int(math.Round(bandPct*float64(g.gw))))
	by := max(1, int(math.Round(bandPct*float64(g.gh))))
	var sw, sx, sy, edge, in, out float64
	var nin int
	for cy := 0; cy < g.gh; cy++ {
		for cx := 0; cx < g.gw; cx++ {
			v := sal[cy*g.gw+cx]
			if v < thr {
				out += v
				continue
			}
			nin++
			in += v
			sw += v
			sx += v * (float64(cx) + 0.5) / float64(g.gw)
			sy += v * (float64(cy) + 0.5) / float64(g.gh)
			if cx < bx || cy < by || cx >= g.gw-bx || cy >= g.gh-by {
				edge += v
			}
		}
	}
	if nin == 0 || sw == 0 {
		return
	}
	a.SubjectX, a.SubjectY = sx/sw, sy/sw
	a.SubjectArea = float64(nin) / float64(k)
	a.SubjectEdge = edge / sw
	mo := 0.0
	if k > nin {
		mo = out / float64(k-nin)
	}
	a.SubjectContrast = clamp(in/float64(nin)-mo, 0, 1)
}

func qz(v float64, n int) int {
	i := int(v)
	if i < 0 {
		return 0
	}
	if i >= n {
		return n - 1
	}
	return i
}

// smooth3 averages each cell with its 3x3 neighbourhood, hiding quantisation steps.
func smooth3(v []float64, w, h int) []float64 {
	out := make([]float64, len(v))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var s float64
			var n int
			for yy := max(y-1, 0); yy <= min(y+1, h-1); yy++ {
				for xx := max(x-1, 0); xx <= min(x+1, w-1); xx++ {
					s += v[yy*w+xx]
					n++
				}
			}
			out[y*w+x] = s / float64(n)
		}
	}
	return out
}

// centreSurround is, per cell, the colour distance between the cell and the mean of the
// cells around it within 6 and within 12 cells (box means from summed-area tables).
func centreSurround(g *grid) []float64 {
	w, h := g.gw, g.gh
	sat := func(v []float32) []float64 {
		t := make([]float64, (w+1)*(h+1))
		for y := 0; y < h; y++ {
			var row float64
			for x := 0; x < w; x++ {
				row += float64(v[y*w+x])
				t[(y+1)*(w+1)+x+1] = t[y*(w+1)+x+1] + row
			}
		}
		return t
	}
	tl, ta, tb := sat(g.l), sat(g.a), sat(g.b)
	box := func(t []float64, x0, y0, x1, y1 int) float64 {
		return t[y1*(w+1)+x1] - t[y0*(w+1)+x1] - t[y1*(w+1)+x0] + t[y0*(w+1)+x0]
	}
	out := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			var s float64
			for _, r := range [2]int{6, 12} {
				x0, y0, x1, y1 := max(x-r, 0), max(y-r, 0), min(x+r+1, w), min(y+r+1, h)
				n := float64((x1 - x0) * (y1 - y0))
				dl := float64(g.l[i]) - box(tl, x0, y0, x1, y1)/n
				da := float64(g.a[i]) - box(ta, x0, y0, x1, y1)/n
				db := float64(g.b[i]) - box(tb, x0, y0, x1, y1)/n
				s += math.Sqrt(dl*dl + da*da + db*db)
			}
			out[i] = s / 2
		}
	}
	return out
}
