// Package raster holds the planar float images that every quality feature works on.
//
// Values are 8-bit sRGB code values (0..255) stored as float32, not linear light:
// the features were designed and calibrated on code values, as people see them.
package raster

// Plane is one channel, row-major, Pix[y*W+x].
type Plane struct {
	W, H int
	Pix  []float32
}

// NewPlane allocates a zeroed plane.
func NewPlane(w, h int) *Plane { return &Plane{W: w, H: h, Pix: make([]float32, w*h)} }

// At returns the value at (x, y) with coordinates clamped to the edges, which is the
// border rule all filters in this project use.
func (p *Plane) At(x, y int) float32 {
	if x < 0 {
		x = 0
	} else if x >= p.W {
		x = p.W - 1
	}
	if y < 0 {
		y = 0
	} else if y >= p.H {
		y = p.H - 1
	}
	return p.Pix[y*p.W+x]
}

// Image is a planar RGB image.
type Image struct {
	W, H    int
	R, G, B []float32
}

// New allocates a zeroed image.
func New(w, h int) *Image {
	n := w * h
	buf := make([]float32, 3*n)
	return &Image{W: w, H: h, R: buf[:n:n], G: buf[n : 2*n : 2*n], B: buf[2*n:]}
}

// Luma returns BT.601 luma, the Y of JPEG's YCbCr, so it matches what the encoder saw.
func (m *Image) Luma() *Plane {
	p := NewPlane(m.W, m.H)
	for i := range p.Pix {
		p.Pix[i] = 0.299*m.R[i] + 0.587*m.G[i] + 0.114*m.B[i]
	}
	return p
}
