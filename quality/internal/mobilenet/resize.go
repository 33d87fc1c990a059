package mobilenet

import (
	"fmt"
	"math"
)

// ResizeToHWC builds the network input from planar channels with values in 0..255
// (w x h each, row-major): a bilinear resize to outW x outH, interleaved as HWC, divided
// by 255. It reproduces tfjs's tf.image.resizeBilinear(img, [outH, outW]) with its
// defaults (alignCorners and halfPixelCenters false) followed by .div(255), value for
// value: source coordinate = output index * (in size / out size), neighbours at its
// floor and ceiling (clamped to the last row/column), interpolated along x on both
// rows, then along y, in float64, rounded to float32.
//
// This is not what nsfwjs itself does (it divides by 255 first and resizes with
// alignCorners true); it is the preprocessing the quality features were fitted with.
// dst must hold outW*outH*3 values. It does not allocate.
func ResizeToHWC(r, g, b []float32, w, h, outW, outH int, dst []float32) error {
	return RegionToHWC(r, g, b, w, h, Rect{W: w, H: h}, outW, outH, dst)
}

// Rect is a region of a plane: its top-left corner and its size.
type Rect struct{ X, Y, W, H int }

// RegionToHWC is ResizeToHWC on the region src of the w x h planes, as if the region had
// been cut out first. A region resized to its own size is copied exactly (divided by 255):
// the backbone then sees the pixels themselves, not a resampling of them.
func RegionToHWC(r, g, b []float32, w, h int, src Rect, outW, outH int, dst []float32) error {
	switch {
	case w <= 0 || h <= 0 || outW <= 0 || outH <= 0:
		return fmt.Errorf("mobilenet: resize %dx%d to %dx%d", w, h, outW, outH)
	case h > math.MaxInt32/w || outH > math.MaxInt32/(3*outW):
		return fmt.Errorf("mobilenet: resize %dx%d to %dx%d: too large", w, h, outW, outH)
	case src.X < 0 || src.Y < 0 || src.W <= 0 || src.H <= 0 || src.X > w-src.W || src.Y > h-src.H:
		return fmt.Errorf("mobilenet: region %+v outside a %dx%d image", src, w, h)
	case len(r) != w*h || len(g) != w*h || len(b) != w*h:
		return fmt.Errorf("mobilenet: resize: planes of %d, %d, %d values, want %d", len(r), len(g), len(b), w*h)
	case len(dst) != outW*outH*3:
		return fmt.Errorf("mobilenet: resize: destination of %d values, want %d", len(dst), outW*outH*3)
	}
	planes := [3][]float32{r, g, b}
	if src.W == outW && src.H == outH {
		// At its own size every tap lands on a pixel with weight 0 on its neighbour, so
		// the interpolation below would only copy: copy directly (bit for bit the same).
		for oy := range outH {
			row := (oy+src.Y)*w + src.X
			out := dst[oy*outW*3 : (oy+1)*outW*3]
			for c, p := range planes {
				for ox, v := range p[row : row+outW] {
					out[ox*3+c] = v / 255
				}
			}
		}
		return nil
	}
	rowRatio := float64(src.H) / float64(outH)
	colRatio := float64(src.W) / float64(outW)
	// The column taps are the same on every row: worked out once, on the stack, for the
	// widths the backbone uses; wider outputs work them out per pixel.
	var cols [512]colTaps
	if outW <= len(cols) {
		for ox := range outW {
			cols[ox].x0, cols[ox].x1, cols[ox].fx = bilinearTaps(colRatio, ox, src.W)
		}
	}
	for oy := 0; oy < outH; oy++ {
		y0, y1, fy := bilinearTaps(rowRatio, oy, src.H)
		y0, y1 = (y0+src.Y)*w+src.X, (y1+src.Y)*w+src.X // row starts in the planes
		out := dst[oy*outW*3 : (oy+1)*outW*3]
		for ox := 0; ox < outW; ox++ {
			var x0, x1 int
			var fx float64
			if outW <= len(cols) {
				x0, x1, fx = cols[ox].x0, cols[ox].x1, cols[ox].fx
			} else {
				x0, x1, fx = bilinearTaps(colRatio, ox, src.W)
			}
			for c, p := range planes {
				tl, tr := float64(p[y0+x0]), float64(p[y0+x1])
				bl, br := float64(p[y1+x0]), float64(p[y1+x1])
				// The explicit conversions forbid fused multiply-adds, which
				// JavaScript never uses, so the rounding matches tfjs exactly.
				top := tl + float64((tr-tl)*fx)
				bottom := bl + float64((br-bl)*fx)
				v := top + float64((bottom-top)*fy)
				out[ox*3+c] = float32(v) / 255
			}
		}
	}
	return nil
}

// colTaps is bilinearTaps's answer for one output column.
type colTaps struct {
	x0, x1 int
	fx     float64
}

// bilinearTaps returns the two source indices of output index i and the weight of
// the second.
func bilinearTaps(ratio float64, i, n int) (lo, hi int, frac float64) {
	src := ratio * float64(i)
	fl := math.Floor(src)
	lo = max(0, int(fl))
	frac = src - float64(lo)
	hi = min(n-1, int(math.Ceil(src)))
	return lo, hi, frac
}
