package raster

import (
	"image"
	"image/color"
)

// FromImage converts any decoded image to planar RGB. Alpha is composited over white, as a
// viewer shows a transparent PNG.
func FromImage(src image.Image) *Image { return FromImageScaled(src, 1) }

// FromImageScaled converts while averaging denom x denom blocks, giving a
// ceil(W/denom) x ceil(H/denom) image. Only one source row is expanded at a time, so a large
// PNG never exists twice at full size in float form.
func FromImageScaled(src image.Image, denom int) *Image {
	if denom < 1 {
		denom = 1
	}
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := (sw+denom-1)/denom, (sh+denom-1)/denom
	m := New(dw, dh)
	read := rowReader(src)
	row := make([]float32, 3*sw)
	if denom == 1 {
		for y := 0; y < sh; y++ {
			read(y+b.Min.Y, row)
			o := y * dw
			for x := 0; x < sw; x++ {
				m.R[o+x], m.G[o+x], m.B[o+x] = row[3*x], row[3*x+1], row[3*x+2]
			}
		}
		return m
	}
	acc := make([]float32, 3*dw)
	cnt := make([]float32, dw)
	for dy := 0; dy < dh; dy++ {
		clear(acc)
		clear(cnt)
		for y := dy * denom; y < min((dy+1)*denom, sh); y++ {
			read(y+b.Min.Y, row)
			for x := 0; x < sw; x++ {
				d := x / denom
				acc[3*d] += row[3*x]
				acc[3*d+1] += row[3*x+1]
				acc[3*d+2] += row[3*x+2]
				cnt[d]++
			}
		}
		o := dy * dw
		for d := 0; d < dw; d++ {
			m.R[o+d], m.G[o+d], m.B[o+d] = acc[3*d]/cnt[d], acc[3*d+1]/cnt[d], acc[3*d+2]/cnt[d]
		}
	}
	return m
}

// rowReader returns a function that writes source row y as interleaved RGB floats.
func rowReader(src image.Image) func(y int, dst []float32) {
	b := src.Bounds()
	w := b.Dx()
	switch s := src.(type) {
	case *image.Gray:
		return func(y int, dst []float32) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for x := 0; x < w; x++ {
				v := float32(p[x])
				dst[3*x], dst[3*x+1], dst[3*x+2] = v, v, v
			}
		}
	case *image.Gray16:
		return func(y int, dst []float32) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for x := 0; x < w; x++ {
				v := float32(uint16(p[2*x])<<8|uint16(p[2*x+1])) / 257
				dst[3*x], dst[3*x+1], dst[3*x+2] = v, v, v
			}
		}
	case *image.RGBA:
		return func(y int, dst []float32) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for x := 0; x < w; x++ {
				// Premultiplied: adding the missing coverage composites over white.
				a := 255 - float32(p[4*x+3])
				dst[3*x], dst[3*x+1], dst[3*x+2] = float32(p[4*x])+a, float32(p[4*x+1])+a, float32(p[4*x+2])+a
			}
		}
	case *image.NRGBA:
		return func(y int, dst []float32) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for x := 0; x < w; x++ {
				a := float32(p[4*x+3]) / 255
				wh := 255 * (1 - a)
				dst[3*x], dst[3*x+1], dst[3*x+2] = float32(p[4*x])*a+wh, float32(p[4*x+1])*a+wh, float32(p[4*x+2])*a+wh
			}
		}
	case *image.Paletted:
		lut := make([][3]float32, 256)
		for i := range lut {
			if i < len(s.Palette) {
				lut[i] = over(s.Palette[i])
			}
		}
		return func(y int, dst []float32) {
			p := s.Pix[s.PixOffset(b.Min.X, y):]
			for x := 0; x < w; x++ {
				c := lut[p[x]]
				dst[3*x], dst[3*x+1], dst[3*x+2] = c[0], c[1], c[2]
			}
		}
	case *image.YCbCr:
		sx, sy := chromaShifts(s.SubsampleRatio)
		return func(y int, dst []float32) {
			// COffset per pixel, written out: the call and its ratio switch cost more
			// than the conversion itself. The chroma products come from tables holding
			// exactly the float32 products the formulas compute.
			yrow := s.Y[s.YOffset(b.Min.X, y):][:w]
			crow := (y>>sy - s.Rect.Min.Y>>sy) * s.CStride
			cbRow, crRow := s.Cb[crow:], s.Cr[crow:]
			dst = dst[:3*w]
			for x, yv := range yrow {
				ci := (x+b.Min.X)>>sx - s.Rect.Min.X>>sx
				yy := float32(yv)
				cb, cr := cbRow[ci], crRow[ci]
				dst[3*x] = clamp255(yy + chroma.rFromCr[cr])
				dst[3*x+1] = clamp255(yy - chroma.gFromCb[cb] - chroma.gFromCr[cr])
				dst[3*x+2] = clamp255(yy + chroma.bFromCb[cb])
			}
		}
	default:
		return func(y int, dst []float32) {
			for x := 0; x < w; x++ {
				c := over(src.At(x+b.Min.X, y))
				dst[3*x], dst[3*x+1], dst[3*x+2] = c[0], c[1], c[2]
			}
		}
	}
}

// over composites a colour over white and returns 0..255 floats.
func over(c color.Color) [3]float32 {
	n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
	a := float32(n.A) / 65535
	wh := 255 * (1 - a)
	return [3]float32{float32(n.R)/257*a + wh, float32(n.G)/257*a + wh, float32(n.B)/257*a + wh}
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

// chroma holds the JFIF conversion's chroma terms for every byte value, as float32 products
// of the constants and (value - 128), the same values the arithmetic gives.
var chroma = func() (t struct{ rFromCr, gFromCb, gFromCr, bFromCb [256]float32 }) {
	for v := range 256 {
		c := float32(v) - 128
		t.rFromCr[v] = 1.402 * c
		t.gFromCb[v] = 0.344136 * c
		t.gFromCr[v] = 0.714136 * c
		t.bFromCb[v] = 1.772 * c
	}
	return t
}()

// chromaShifts returns how many bits a luma column and row index shift right to find its
// chroma sample, for each subsampling image.YCbCr knows.
func chromaShifts(r image.YCbCrSubsampleRatio) (sx, sy int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return 1, 0
	case image.YCbCrSubsampleRatio420:
		return 1, 1
	case image.YCbCrSubsampleRatio440:
		return 0, 1
	case image.YCbCrSubsampleRatio411:
		return 2, 0
	case image.YCbCrSubsampleRatio410:
		return 2, 1
	}
	return 0, 0
}
