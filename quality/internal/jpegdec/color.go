package jpegdec

import "image"

// buildImage wraps the decoded planes. YCbCr and grey planes are returned
// as they are (colour conversion is the caller's job); only RGB, CMYK, YCCK
// and unusual sampling layouts are converted to RGBA here.
func (d *decoder) buildImage() (image.Image, error) {
	w, h := ceilDiv(d.hdr.Width, d.denom), ceilDiv(d.hdr.Height, d.denom)
	rect := image.Rect(0, 0, w, h)
	cs := d.comps
	switch len(cs) {
	case 1:
		return &image.Gray{Pix: cs[0].plane, Stride: cs[0].stride, Rect: rect}, nil
	case 3:
		if d.isRGB() {
			return d.toRGBA(rect, convRGB), nil
		}
		if ratio, ok := d.subsampleRatio(); ok {
			return &image.YCbCr{
				Y: cs[0].plane, Cb: cs[1].plane, Cr: cs[2].plane,
				YStride: cs[0].stride, CStride: cs[1].stride,
				SubsampleRatio: ratio, Rect: rect,
			}, nil
		}
		return d.toRGBA(rect, convYCbCr), nil
	}
	if d.hdr.Adobe && d.hdr.AdobeTransform != 0 {
		return d.toRGBA(rect, convYCCK), nil
	}
	return d.toRGBA(rect, convCMYK), nil
}

// isRGB reports whether a 3-component frame holds RGB rather than YCbCr:
// Adobe transform 0 says so; without JFIF or Adobe markers, component ids
// 'R','G','B' do too (libjpeg's convention).
func (d *decoder) isRGB() bool {
	if d.hdr.Adobe {
		return d.hdr.AdobeTransform == 0
	}
	if d.jfif {
		return false
	}
	c := d.comps
	return c[0].id == 'R' && c[1].id == 'G' && c[2].id == 'B'
}

// subsampleRatio maps the sampling factors to an image.YCbCrSubsampleRatio
// when luma has the maximal factors and both chroma components agree.
func (d *decoder) subsampleRatio() (image.YCbCrSubsampleRatio, bool) {
	y, cb, cr := &d.comps[0], &d.comps[1], &d.comps[2]
	if y.h != d.hmax || y.v != d.vmax || cb.h != cr.h || cb.v != cr.v ||
		y.h%cb.h != 0 || y.v%cb.v != 0 {
		return 0, false
	}
	switch [2]int{y.h / cb.h, y.v / cb.v} {
	case [2]int{1, 1}:
		return image.YCbCrSubsampleRatio444, true
	case [2]int{2, 1}:
		return image.YCbCrSubsampleRatio422, true
	case [2]int{2, 2}:
		return image.YCbCrSubsampleRatio420, true
	case [2]int{1, 2}:
		return image.YCbCrSubsampleRatio440, true
	case [2]int{4, 1}:
		return image.YCbCrSubsampleRatio411, true
	case [2]int{4, 2}:
		return image.YCbCrSubsampleRatio410, true
	}
	return 0, false
}

const (
	convRGB = iota
	convYCbCr
	convCMYK
	convYCCK
)

// toRGBA converts the planes with nearest-neighbour upsampling of
// subsampled components: output pixel x reads component sample
// floor(x*h/hmax), which holds at every scale because each plane is reduced
// by the same factor.
func (d *decoder) toRGBA(rect image.Rectangle, conv int) *image.RGBA {
	img := image.NewRGBA(rect)
	w, h := rect.Dx(), rect.Dy()
	nc := len(d.comps)
	var xmap [4][]int32
	for i := 0; i < nc; i++ {
		c := &d.comps[i]
		xmap[i] = make([]int32, w)
		for x := range xmap[i] {
			xmap[i][x] = int32(x * c.h / d.hmax)
		}
	}
	var rows [4][]byte
	for y := 0; y < h; y++ {
		for i := 0; i < nc; i++ {
			c := &d.comps[i]
			off := (y * c.v / d.vmax) * c.stride
			rows[i] = c.plane[off : off+c.stride]
		}
		out := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := 0; x < w; x++ {
			var r, g, b uint8
			a0 := rows[0][xmap[0][x]]
			a1 := rows[1][xmap[1][x]]
			a2 := rows[2][xmap[2][x]]
			switch conv {
			case convRGB:
				r, g, b = a0, a1, a2
			case convYCbCr:
				r, g, b = ycbcrToRGB(a0, a1, a2)
			case convCMYK:
				k := rows[3][xmap[3][x]]
				r, g, b = mul255(a0, k), mul255(a1, k), mul255(a2, k)
			case convYCCK:
				// YCCK encodes the (Adobe-inverted) CMY as if it were RGB.
				k := rows[3][xmap[3][x]]
				r, g, b = ycbcrToRGB(a0, a1, a2)
				r, g, b = mul255(255-r, k), mul255(255-g, k), mul255(255-b, k)
			}
			o := out[4*x : 4*x+4 : 4*x+4]
			o[0], o[1], o[2], o[3] = r, g, b, 255
		}
	}
	return img
}

// mul255 returns round(a*b/255). Adobe CMYK stores inverted ink, so
// R = (255-C)(255-K)/255 becomes a plain product of the stored samples.
func mul255(a, b uint8) uint8 {
	t := uint32(a)*uint32(b) + 128
	return uint8((t + t>>8) >> 8)
}

// ycbcrToRGB is the JFIF conversion in 16-bit fixed point.
func ycbcrToRGB(y, cb, cr uint8) (uint8, uint8, uint8) {
	yy := int32(y)<<16 + 1<<15
	cb1, cr1 := int32(cb)-128, int32(cr)-128
	r := (yy + 91881*cr1) >> 16
	g := (yy - 22554*cb1 - 46802*cr1) >> 16
	b := (yy + 116130*cb1) >> 16
	return clamp8(r), clamp8(g), clamp8(b)
}
