package preview

import (
	"image"
	"image/color"

	"golang.org/x/image/draw"
)

// Fit scales img to the largest size that fits within w x h pixels with its aspect ratio
// kept (so one side equals the box). Nil images and empty boxes give an empty picture.
//
// The scaler depends on the ratio, because previews are nearly always big downscales:
//   - shrinking by 2x or more averages a few samples per output pixel: as smooth as a box
//     filter, and it costs per output pixel, not per source pixel (80x80 from 12 MP in
//     well under a millisecond, where CatmullRom reads every source pixel);
//   - growing by 2x or more repeats pixels, so icons and pixel art stay crisp;
//   - anything in between uses CatmullRom, where its cost is modest and quality shows.
func Fit(img image.Image, w, h int) *image.RGBA {
	if img == nil || w <= 0 || h <= 0 || img.Bounds().Empty() {
		return image.NewRGBA(image.Rectangle{})
	}
	b := img.Bounds()
	tw, th := fitSize(b.Dx(), b.Dy(), w, h)
	return scaleTo(img, tw, th)
}

// fitSize compares the two scale factors w/sw and h/sh in integers, so exact ratios
// (a 4:3 source in a 4:3 box) come out exact.
func fitSize(sw, sh, w, h int) (int, int) {
	if w*sh <= h*sw {
		return w, clamp((sh*w+sw/2)/sw, 1, h)
	}
	return clamp((sw*h+sh/2)/sh, 1, w), h
}

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

func scaleTo(img image.Image, tw, th int) *image.RGBA {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, tw, th))
	switch {
	case tw == sw && th == sh:
		draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
	case 2*tw <= sw && 2*th <= sh:
		areaSample(dst, img)
	case tw >= 2*sw && th >= 2*sh:
		draw.NearestNeighbor.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	default:
		draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	}
	return dst
}

// maxTaps bounds the samples per output pixel along each axis. Four by four evenly spaced
// samples already hide the aliasing that a 2x2 bilinear tap shows on big shrinks.
const maxTaps = 4

// taps lists, for each of n output pixels along an axis of src source pixels starting at
// origin, the source coordinates to average: pos[start[i]:start[i+1]] for pixel i.
func taps(src, n, origin int) (pos, start []int) {
	start = make([]int, n+1)
	pos = make([]int, 0, n*maxTaps)
	for i := range n {
		a, b := i*src/n, (i+1)*src/n
		b = max(b, a+1)
		if k := b - a; k <= maxTaps {
			for p := a; p < b; p++ {
				pos = append(pos, origin+p)
			}
		} else {
			for j := range maxTaps {
				pos = append(pos, origin+a+(2*j+1)*k/(2*maxTaps))
			}
		}
		start[i+1] = len(pos)
	}
	return pos, start
}

// areaSample fills dst with averages of premultiplied samples of img. The per-type row
// readers avoid img.At, which allocates a color per call and dominates otherwise.
func areaSample(dst *image.RGBA, img image.Image) {
	b := img.Bounds()
	tw, th := dst.Rect.Dx(), dst.Rect.Dy()
	xpos, xstart := taps(b.Dx(), tw, b.Min.X)
	ypos, ystart := taps(b.Dy(), th, b.Min.Y)
	add, finish := rowAdder(img, xpos)
	acc := make([]uint32, 4*tw)
	for y := range th {
		clear(acc)
		ys := ypos[ystart[y]:ystart[y+1]]
		for _, sy := range ys {
			add(sy, xpos, xstart, acc)
		}
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*tw]
		for x := range tw {
			n := uint32(len(ys) * (xstart[x+1] - xstart[x]))
			for c := range 4 {
				row[4*x+c] = uint8((acc[4*x+c] + n/2) / n)
			}
		}
		if finish != nil {
			finish(row)
		}
	}
}

// rowAdder returns a function that adds, for every output column x, the premultiplied
// RGBA of source pixels (xpos[xstart[x]:xstart[x+1]], sy) into acc[4x:4x+4], and, if the
// averages are not RGBA yet, a function converting a finished output row in place.
func rowAdder(img image.Image, xpos []int) (add func(sy int, xpos, xstart []int, acc []uint32), finish func(row []uint8)) {
	switch m := img.(type) {
	case *image.RGBA:
		return func(sy int, xpos, xstart []int, acc []uint32) {
			p := m.Pix[(sy-m.Rect.Min.Y)*m.Stride:]
			for x := 0; x+1 < len(xstart); x++ {
				for _, sx := range xpos[xstart[x]:xstart[x+1]] {
					i := (sx - m.Rect.Min.X) * 4
					acc[4*x] += uint32(p[i])
					acc[4*x+1] += uint32(p[i+1])
					acc[4*x+2] += uint32(p[i+2])
					acc[4*x+3] += uint32(p[i+3])
				}
			}
		}, nil
	case *image.NRGBA:
		return func(sy int, xpos, xstart []int, acc []uint32) {
			p := m.Pix[(sy-m.Rect.Min.Y)*m.Stride:]
			for x := 0; x+1 < len(xstart); x++ {
				for _, sx := range xpos[xstart[x]:xstart[x+1]] {
					i := (sx - m.Rect.Min.X) * 4
					a := uint32(p[i+3])
					acc[4*x] += (uint32(p[i])*a + 127) / 255
					acc[4*x+1] += (uint32(p[i+1])*a + 127) / 255
					acc[4*x+2] += (uint32(p[i+2])*a + 127) / 255
					acc[4*x+3] += a
				}
			}
		}, nil
	case *image.YCbCr:
		// Y, Cb and Cr are averaged and converted once per output pixel: the conversion is
		// linear up to clamping, and doing it per sample cost most of the time. Offsets
		// split into a row part and a column part for every subsampling ratio, so the
		// column parts are computed once.
		ycol := make([]int, len(xpos))
		ccol := make([]int, len(xpos))
		for i, sx := range xpos {
			ycol[i] = sx - m.Rect.Min.X
			ccol[i] = m.COffset(sx, m.Rect.Min.Y)
		}
		return func(sy int, _, xstart []int, acc []uint32) {
			yrow := (sy - m.Rect.Min.Y) * m.YStride
			crow := m.COffset(m.Rect.Min.X, sy)
			for x := 0; x+1 < len(xstart); x++ {
				for i := xstart[x]; i < xstart[x+1]; i++ {
					acc[4*x] += uint32(m.Y[yrow+ycol[i]])
					acc[4*x+1] += uint32(m.Cb[crow+ccol[i]])
					acc[4*x+2] += uint32(m.Cr[crow+ccol[i]])
					acc[4*x+3] += 255
				}
			}
		}, ycbcrRow
	case *image.Gray:
		return func(sy int, xpos, xstart []int, acc []uint32) {
			p := m.Pix[(sy-m.Rect.Min.Y)*m.Stride:]
			for x := 0; x+1 < len(xstart); x++ {
				for _, sx := range xpos[xstart[x]:xstart[x+1]] {
					v := uint32(p[sx-m.Rect.Min.X])
					acc[4*x] += v
					acc[4*x+1] += v
					acc[4*x+2] += v
					acc[4*x+3] += 255
				}
			}
		}, nil
	case *image.Paletted:
		pal := make([][4]uint32, len(m.Palette))
		for i, c := range m.Palette {
			r, g, b, a := c.RGBA()
			pal[i] = [4]uint32{r >> 8, g >> 8, b >> 8, a >> 8}
		}
		return func(sy int, xpos, xstart []int, acc []uint32) {
			p := m.Pix[(sy-m.Rect.Min.Y)*m.Stride:]
			for x := 0; x+1 < len(xstart); x++ {
				for _, sx := range xpos[xstart[x]:xstart[x+1]] {
					var c [4]uint32 // out-of-palette indices read as transparent, as image/draw does
					if i := int(p[sx-m.Rect.Min.X]); i < len(pal) {
						c = pal[i]
					}
					acc[4*x] += c[0]
					acc[4*x+1] += c[1]
					acc[4*x+2] += c[2]
					acc[4*x+3] += c[3]
				}
			}
		}, nil
	}
	return func(sy int, xpos, xstart []int, acc []uint32) {
		for x := 0; x+1 < len(xstart); x++ {
			for _, sx := range xpos[xstart[x]:xstart[x+1]] {
				r, g, b, a := img.At(sx, sy).RGBA()
				acc[4*x] += r >> 8
				acc[4*x+1] += g >> 8
				acc[4*x+2] += b >> 8
				acc[4*x+3] += a >> 8
			}
		}
	}, nil
}

// ycbcrRow converts a row of averaged Y, Cb, Cr (alpha already 255) to RGB in place.
func ycbcrRow(row []uint8) {
	for i := 0; i+3 < len(row); i += 4 {
		row[i], row[i+1], row[i+2] = color.YCbCrToRGB(row[i], row[i+1], row[i+2])
	}
}
