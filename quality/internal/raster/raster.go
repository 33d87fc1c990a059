// Package raster holds the planar float images that every quality feature works on.
//
// Values are 8-bit sRGB code values (0..255) stored as float32, not linear light:
// the features were designed and calibrated on code values, as people see them.
package raster

import (
	"image"
	"image/color"
)

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

// FromImage converts any decoded image to planar RGB, with fast paths for the types the
// decoders produce. Alpha is composited over white, as a viewer shows a transparent PNG.
func FromImage(src image.Image) *Image {
	b := src.Bounds()
	m := New(b.Dx(), b.Dy())
	i := 0
	switch s := src.(type) {
	case *image.Gray:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			row := s.Pix[(y-b.Min.Y)*s.Stride : (y-b.Min.Y)*s.Stride+b.Dx()]
			for _, v := range row {
				f := float32(v)
				m.R[i], m.G[i], m.B[i] = f, f, f
				i++
			}
		}
	case *image.RGBA:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			row := s.Pix[(y-b.Min.Y)*s.Stride : (y-b.Min.Y)*s.Stride+4*b.Dx()]
			for x := 0; x < len(row); x += 4 {
				// Premultiplied: composite over white.
				a := 255 - float32(row[x+3])
				m.R[i], m.G[i], m.B[i] = float32(row[x])+a, float32(row[x+1])+a, float32(row[x+2])+a
				i++
			}
		}
	case *image.NRGBA:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			row := s.Pix[(y-b.Min.Y)*s.Stride : (y-b.Min.Y)*s.Stride+4*b.Dx()]
			for x := 0; x < len(row); x += 4 {
				a := float32(row[x+3]) / 255
				w := 255 * (1 - a)
				m.R[i], m.G[i], m.B[i] = float32(row[x])*a+w, float32(row[x+1])*a+w, float32(row[x+2])*a+w
				i++
			}
		}
	case *image.YCbCr:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				yy := float32(s.Y[s.YOffset(x, y)])
				ci := s.COffset(x, y)
				cb := float32(s.Cb[ci]) - 128
				cr := float32(s.Cr[ci]) - 128
				m.R[i] = clamp255(yy + 1.402*cr)
				m.G[i] = clamp255(yy - 0.344136*cb - 0.714136*cr)
				m.B[i] = clamp255(yy + 1.772*cb)
				i++
			}
		}
	default:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := color.NRGBA64Model.Convert(src.At(x, y)).(color.NRGBA64)
				a := float32(c.A) / 65535
				w := 255 * (1 - a)
				m.R[i] = float32(c.R)/257*a + w
				m.G[i] = float32(c.G)/257*a + w
				m.B[i] = float32(c.B)/257*a + w
				i++
			}
		}
	}
	return m
}

func clamp255(v float32) float32 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return v
}
