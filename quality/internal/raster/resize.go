package raster

// Resize returns the image scaled to w x h. Shrinking averages every source pixel that
// a destination pixel covers (an area filter: no aliasing, so noise and blur measured at
// the working scale mean the same thing whatever the original size); enlarging is bilinear.
func (m *Image) Resize(w, h int) *Image {
	out := New(w, h)
	// One intermediate buffer and one set of weights serve all three planes: in a fresh
	// process every new page costs a fault, and this buffer is as large as a plane.
	r := newResizer(m.W, m.H, w, h)
	r.plane(m.R, out.R)
	r.plane(m.G, out.G)
	r.plane(m.B, out.B)
	return out
}

// Resize returns the plane scaled to w x h with the same filters as Image.Resize.
func (p *Plane) Resize(w, h int) *Plane {
	out := NewPlane(w, h)
	newResizer(p.W, p.H, w, h).plane(p.Pix, out.Pix)
	return out
}

// resizer scales planes of one size to another, separably: rows first into tmp (dw x sh),
// then columns.
type resizer struct {
	sw, sh, dw, dh int
	xw, yw         [][]tap
	tmp            []float32
}

func newResizer(sw, sh, dw, dh int) *resizer {
	r := &resizer{sw: sw, sh: sh, dw: dw, dh: dh}
	if sw != dw || sh != dh {
		r.xw, r.yw = axisWeights(sw, dw), axisWeights(sh, dh)
		r.tmp = make([]float32, dw*sh)
	}
	return r
}

func (r *resizer) plane(src, dst []float32) {
	sw, sh, dw := r.sw, r.sh, r.dw
	if r.tmp == nil {
		copy(dst, src)
		return
	}
	tmp := r.tmp
	for y := 0; y < sh; y++ {
		row := src[y*sw : (y+1)*sw]
		out := tmp[y*dw : (y+1)*dw]
		for x, taps := range r.xw {
			var s float32
			for _, t := range taps {
				s += row[t.i] * t.w
			}
			out[x] = s
		}
	}
	for y, taps := range r.yw {
		out := dst[y*dw : (y+1)*dw]
		for i := range out {
			out[i] = 0
		}
		for _, t := range taps {
			row := tmp[t.i*dw : (t.i+1)*dw]
			for x, v := range row {
				out[x] += v * t.w
			}
		}
	}
}

type tap struct {
	i int
	w float32
}

// axisWeights lists, for each destination index, the source indices and weights.
func axisWeights(src, dst int) [][]tap {
	res := make([][]tap, dst)
	scale := float64(src) / float64(dst)
	if scale >= 1 {
		for d := range res {
			lo, hi := float64(d)*scale, float64(d+1)*scale
			for s := int(lo); s < src && float64(s) < hi; s++ {
				a, b := float64(s), float64(s+1)
				if a < lo {
					a = lo
				}
				if b > hi {
					b = hi
				}
				if b > a {
					res[d] = append(res[d], tap{s, float32((b - a) / scale)})
				}
			}
		}
		return res
	}
	for d := range res {
		c := (float64(d)+0.5)*scale - 0.5
		if c < 0 {
			c = 0
		}
		i0 := int(c)
		f := c - float64(i0)
		i1 := i0 + 1
		if i1 >= src {
			i1 = src - 1
		}
		if i1 == i0 || f == 0 {
			res[d] = []tap{{i0, 1}}
		} else {
			res[d] = []tap{{i0, float32(1 - f)}, {i1, float32(f)}}
		}
	}
	return res
}

// FitWithin returns the largest size with the same aspect ratio whose long side is at most
// maxSide; an image already small enough keeps its size.
func FitWithin(w, h, maxSide int) (int, int) {
	if w <= maxSide && h <= maxSide {
		return w, h
	}
	if w >= h {
		nh := (h*maxSide + w/2) / w
		return maxSide, max(nh, 1)
	}
	nw := (w*maxSide + h/2) / h
	return max(nw, 1), maxSide
}
