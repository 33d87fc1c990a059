package features

import (
	"math"
	"sync"

	"lightbox/quality/internal/raster"
)

// workspace holds every scratch plane one Technical call needs. Workspaces are pooled so
// that steady-state calls reuse them; each call owns its workspace exclusively, which is
// what makes Technical safe for concurrent use.
type workspace struct {
	w, h int
	// p is the luma padded by one replicated pixel on each side (stride w+2): every 3x3
	// stencil then runs without border branches.
	p []float32
	// lumaPix is the caller's luma (not owned; dropped when the workspace is returned).
	lumaPix []float32
	// Per-pixel maps from the gradient pass.
	lap, gx, gy, mag, nabs []float32
	// Scratch for wavelets, blockiness and the NSS maps. t0, t1 and t2 are not planes of
	// their own: once the edge widths are measured, p, gx and gy are dead and lend them
	// their memory (reuseDead), three planes a fresh process does not fault in. t3 and t4
	// are (w/2) x (h/2), for the half scale.
	t0, t1, t2, t3, t4 []float32
	rows               []float32 // two rows of w: the Crété blur's column sums
	// Summaries from the gradient pass.
	lapSum, lapSq    float64
	magSum, magSq    float64
	magMax, lapAbMax float32
	ten, lumSum      float64
	lumSq, centreE   float64
	centreN          int
	hist             histogram
	blocks, scratch  []float64
	bidx             [2][]int
	sorted           []float64
	order            []int
	edgeThr          float32 // Sobel magnitude separating edges from flat areas (noise mask)
}

var pool = sync.Pool{New: func() any { return new(workspace) }}

func getWorkspace(w, h int) *workspace {
	ws := pool.Get().(*workspace)
	ws.w, ws.h = w, h
	n := w * h
	grow(&ws.p, (w+2)*(h+2))
	for _, b := range []*[]float32{&ws.lap, &ws.gx, &ws.gy, &ws.mag, &ws.nabs} {
		grow(b, n)
	}
	grow(&ws.rows, 2*w)
	ws.t0, ws.t1, ws.t2 = nil, nil, nil // lent by reuseDead
	// t3 and t4 only ever hold the half-scale image and its maps: a quarter of the
	// pixels, and a fresh process faults in every page allocated.
	for _, b := range []*[]float32{&ws.t3, &ws.t4} {
		grow(b, max((w/2)*(h/2), 1))
	}
	return ws
}

// halve fills ws.t3 with the luma averaged over 2x2 blocks ((w/2) x (h/2)), the second
// scale shared by the noise and NSS features.
func (ws *workspace) halve(l *raster.Plane) {
	w, h := ws.w, ws.h
	w2, h2 := w/2, h/2
	half := ws.t3[:w2*h2]
	pix := l.Pix
	for y := 0; y < h2; y++ {
		a := pix[2*y*w:]
		b := pix[(2*y+1)*w:]
		o := half[y*w2 : y*w2+w2]
		for x := range o {
			o[x] = (a[2*x] + a[2*x+1] + b[2*x] + b[2*x+1]) * 0.25
		}
	}
}

// reuseDead lends the memory of p, gx and gy, which nothing reads after the edge widths,
// to t0, t1 and t2.
func (ws *workspace) reuseDead() {
	n := ws.w * ws.h
	ws.t0, ws.t1, ws.t2 = ws.p[:n], ws.gx[:n], ws.gy[:n]
}

func putWorkspace(ws *workspace) {
	ws.lumaPix = nil
	pool.Put(ws)
}

func grow(b *[]float32, n int) {
	if cap(*b) < n {
		*b = make([]float32, n)
	}
	*b = (*b)[:n]
}

// pad copies the luma into ws.p with a one-pixel replicated border.
func (ws *workspace) pad(l *raster.Plane) {
	w, h := ws.w, ws.h
	s := w + 2
	for y := -1; y <= h; y++ {
		sy := min(max(y, 0), h-1)
		src := l.Pix[sy*w : sy*w+w]
		dst := ws.p[(y+1)*s : (y+2)*s]
		dst[0] = src[0]
		copy(dst[1:w+1], src)
		dst[w+1] = src[w-1]
	}
}

// gradients runs the 3x3 stencils shared by the blur and noise features in one pass:
// Laplacian, Sobel x/y and magnitude, and the absolute Immerkær noise-mask response. It also
// gathers the sums the global features need (moments, Tenengrad energy, centre energy), so
// that no later pass has to re-read the maps for them.
func (ws *workspace) gradients() {
	w, h := ws.w, ws.h
	s := w + 2
	p := ws.p
	var lapSum, lapSq, magSum, magSq, ten, lumSum, lumSq, centre float64
	var magMax, lapMax float32
	x0, x1 := w/4, w-w/4
	y0, y1 := h/4, h-h/4
	for y := 0; y < h; y++ {
		up := p[y*s : y*s+s]
		mid := p[(y+1)*s : (y+1)*s+s]
		dn := p[(y+2)*s : (y+2)*s+s]
		o := y * w
		lap := ws.lap[o : o+w]
		gx := ws.gx[o : o+w]
		gy := ws.gy[o : o+w]
		mag := ws.mag[o : o+w]
		nabs := ws.nabs[o : o+w]
		var rl, rl2, rm, rm2, rt, ri, ri2 float32
		for x := 0; x < w; x++ {
			a, b, c := up[x], up[x+1], up[x+2]
			d, e, f := mid[x], mid[x+1], mid[x+2]
			g, hh, i := dn[x], dn[x+1], dn[x+2]
			l := b + d + f + hh - 4*e
			sx := (c + 2*f + i) - (a + 2*d + g)
			sy := (g + 2*hh + i) - (a + 2*b + c)
			m2 := sx*sx + sy*sy
			m := float32(math.Sqrt(float64(m2)))
			// Immerkær's mask [1 -2 1; -2 4 -2; 1 -2 1] cancels every linear ramp, so in flat
			// areas it sees only noise.
			n := (a + c + g + i) - 2*(b+d+f+hh) + 4*e
			lap[x], gx[x], gy[x], mag[x], nabs[x] = l, sx, sy, m, abs32(n)
			rl += l
			rl2 += l * l
			rm += m
			rm2 += m2
			ri += e
			ri2 += e * e
			if m > tenengradTau {
				rt += m2
			}
			magMax = max(magMax, m)
			lapMax = max(lapMax, abs32(l))
		}
		lapSum += float64(rl)
		lapSq += float64(rl2)
		magSum += float64(rm)
		magSq += float64(rm2)
		ten += float64(rt)
		lumSum += float64(ri)
		lumSq += float64(ri2)
		if y >= y0 && y < y1 {
			var rc float32
			for _, m := range mag[x0:x1] {
				rc += m * m
			}
			centre += float64(rc)
		}
	}
	ws.lapSum, ws.lapSq, ws.magSum, ws.magSq = lapSum, lapSq, magSum, magSq
	ws.magMax, ws.lapAbMax = magMax, lapMax
	ws.ten, ws.lumSum, ws.lumSq = ten, lumSum, lumSq
	ws.centreE, ws.centreN = centre, (x1-x0)*(y1-y0)
}

// histogram summarises a non-negative map so that percentiles and top-fraction means cost
// one binning pass instead of a sort.
type histogram struct {
	cnt  [histBins]int32
	sum  [histBins]float64
	scal float32
	n    int
}

const histBins = 1024

func (hg *histogram) build(vals []float32, maxv float32, abs bool) {
	clear(hg.cnt[:])
	clear(hg.sum[:])
	hg.n = len(vals)
	if maxv <= 0 {
		hg.scal = 0
		hg.cnt[0] = int32(len(vals))
		return
	}
	hg.scal = float32(histBins-1) / maxv
	for _, v := range vals {
		if abs && v < 0 {
			v = -v
		}
		b := int(v * hg.scal)
		if b >= histBins {
			b = histBins - 1
		} else if b < 0 { // NaN in the input: never index out of range
			b = 0
		}
		hg.cnt[b]++
		hg.sum[b] += float64(v)
	}
}

// topMean is the mean of the largest frac of the values.
func (hg *histogram) topMean(frac float64) float64 {
	k := max(int(math.Ceil(frac*float64(hg.n))), 1)
	var got int
	var s float64
	for b := histBins - 1; b >= 0 && got < k; b-- {
		c := int(hg.cnt[b])
		if c == 0 {
			continue
		}
		take := min(c, k-got)
		s += hg.sum[b] * float64(take) / float64(c)
		got += take
	}
	if got == 0 {
		return 0
	}
	return s / float64(got)
}

// quantile returns the value below which a fraction q of the values lie (bin resolution).
func (hg *histogram) quantile(q float64) float32 {
	if hg.scal == 0 {
		return 0
	}
	k := int(q * float64(hg.n))
	var acc int
	for b := 0; b < histBins; b++ {
		acc += int(hg.cnt[b])
		if acc > k {
			return (float32(b) + 1) / hg.scal
		}
	}
	return float32(histBins) / hg.scal
}
