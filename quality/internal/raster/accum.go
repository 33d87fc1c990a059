package raster

// Accumulator box-averages pixels into an image 1/denom the size as they arrive, in any
// order, so a decoder never holds the full-size image. Pixels that arrive row by row, left
// to right, give exactly FromImageScaled's values (the same sums in the same order).
type Accumulator struct {
	m      *Image
	cnt    []float32
	denom  int
	sw, sh int
}

// NewAccumulator prepares for a sw x sh source reduced by denom (>= 1).
func NewAccumulator(sw, sh, denom int) *Accumulator {
	denom = max(denom, 1)
	dw, dh := (sw+denom-1)/denom, (sh+denom-1)/denom
	return &Accumulator{m: New(dw, dh), cnt: make([]float32, dw*dh), denom: denom, sw: sw, sh: sh}
}

// Add adds source row y's pixels at x0, x0+dx, ... given as interleaved RGB.
func (a *Accumulator) Add(y, x0, dx int, rgb []float32) {
	if y < 0 || y >= a.sh {
		return
	}
	o := (y / a.denom) * a.m.W
	for i, x := 0, x0; 3*i+2 < len(rgb) && x < a.sw; i, x = i+1, x+dx {
		d := o + x/a.denom
		a.m.R[d] += rgb[3*i]
		a.m.G[d] += rgb[3*i+1]
		a.m.B[d] += rgb[3*i+2]
		a.cnt[d]++
	}
}

// Image divides the sums by the counts and returns the reduced image.
func (a *Accumulator) Image() *Image {
	for i, c := range a.cnt {
		if c > 0 {
			a.m.R[i] /= c
			a.m.G[i] /= c
			a.m.B[i] /= c
		}
	}
	return a.m
}
