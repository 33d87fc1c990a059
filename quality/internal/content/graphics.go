package content

import (
	"math"

	"lightbox/quality/internal/raster"
)

const (
	flatRange   = 3  // 3x3 luma range at or below this is "digitally flat": rendered, not photographed
	nearBgR     = 5  // strokes up to ~10 px wide lie within this distance of their background
	inkContrast = 60 // luma levels between legible ink and its background
)

// graphicsPass tells rendered graphics from photographs. A page, a screenshot or a terminal
// is a flat, noise-free background with thin strokes on it: every ink pixel is close to a
// background pixel. A photograph has sensor noise and texture everywhere, and its content
// forms thick regions far from any plain background, even where a sky is blown out.
// All shares are sampled on the 2x2 lattice, which keeps the pass cheap.
func graphicsPass(luma *raster.Plane, bg []uint8, a *Analysis) {
	w, h := luma.W, luma.H
	p := luma.Pix
	near := dilate(bg, w, h, nearBgR)
	bgl := float32(0.299*a.DominantRGB[0] + 0.587*a.DominantRGB[1] + 0.114*a.DominantRGB[2])
	step := lattice(w, h)
	var n, flatN, thick, pairs, same, inkN, inkStrong int
	var diffHist [256]int32 // |luma step| between background neighbours, 0.1-level bins
	for y := 0; y < h; y += step {
		ya, yb := max(y-1, 0)*w, min(y+1, h-1)*w
		r0, r1, r2 := p[ya:ya+w], p[y*w:y*w+w], p[yb:yb+w]
		for x := 0; x < w; x += step {
			i := y*w + x
			n++
			xa, xb := max(x-1, 0), min(x+1, w-1)
			// 3x3 range, stopping at the first neighbour that breaks flatness: photos fail
			// within a sample or two, and branch-free min/max keeps noisy data cheap.
			flat := true
			hi, lo := r1[x], r1[x]
			for _, v := range [8]float32{r1[xa], r1[xb], r0[x], r2[x], r0[xa], r0[xb], r2[xa], r2[xb]} {
				hi, lo = max(hi, v), min(lo, v)
				if hi-lo > flatRange {
					flat = false
					break
				}
			}
			if flat {
				flatN++
			} else if near[i] == 0 {
				thick++
			}
			if bg[i] != 0 {
				// A rendered background repeats one exact level from pixel to pixel (JPEG
				// keeps most of that away from the strokes); paper or a wall under a camera
				// never does: sensor noise.
				if x+1 < w && bg[i+1] != 0 {
					pairs++
					d := r1[x+1] - r1[x]
					if d < 0 {
						d = -d
					}
					if d < 0.5 {
						same++
					}
					diffHist[min(int(d*10), len(diffHist)-1)]++
				}
			} else {
				// Ink contrast: how far the non-background pixels are from the background.
				inkN++
				if d := r1[x] - bgl; d >= inkContrast || d <= -inkContrast {
					inkStrong++
				}
			}
		}
	}
	a.FlatShare = float64(flatN) / float64(n)
	a.ThickTexture = float64(thick) / float64(n)
	if pairs > 0 {
		a.BgFlat = float64(same) / float64(pairs)
		// Median step → noise σ: for Gaussian noise the step between neighbours has
		// σ√2, and its median absolute value is 0.6745 of that.
		var acc int
		for k, c := range diffHist {
			acc += int(c)
			if 2*acc >= pairs {
				a.BgNoise = (float64(k) + 0.5) / 10 / (0.6745 * math.Sqrt2)
				break
			}
		}
	}
	if inkN > 0 {
		a.InkContrast = float64(inkStrong) / float64(inkN)
	}
	a.TextLikeness = textLikeness(a)
}

// textLikeness is a soft AND of the conditions of a plain-text image: a dominant background
// (at least about half the frame), clean like a render or a scan rather than grainy like
// paper under a camera (slight noise, as on the fills Pure accepts, is fine), ink made of sharp
// strokes (edge pixels are as many as ink pixels: the ink is all outline, unlike a dark or
// washed-out photo whose non-background regions are smooth areas), and almost no textured
// region away from the background.
func textLikeness(a *Analysis) float64 {
	bg := ramp(a.DominantShare, 0.35, 0.6)
	clean := ramp(a.BgNoise, 2.5, 1.5)
	thin := ramp(a.ThickTexture, 0.08, 0.02)
	ink := 1 - a.DominantShare
	strokes := 0.0
	if ink >= 0.005 && a.DetailDensity > 0 {
		outline := ramp(a.EdgeDensity/ink, 0.3, 0.8)
		// Type is crisp: nearly every gradient is a strong edge. Lights at night, the other
		// "bright strokes on a flat dark background", glow, leaving many weak gradients.
		crisp := ramp(a.EdgeDensity/a.DetailDensity, 0.45, 0.6)
		legible := ramp(a.InkContrast, 0.15, 0.35)
		strokes = outline * crisp * legible
	}
	return bg * clean * thin * strokes
}

// dilate returns mask grown by a (2r+1)x(2r+1) square, with running window sums per axis.
func dilate(mask []uint8, w, h, r int) []uint8 {
	tmp := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		row := mask[y*w : y*w+w]
		out := tmp[y*w : y*w+w]
		s := 0
		for x := 0; x < min(r, w); x++ {
			s += int(row[x])
		}
		for x := 0; x < w; x++ {
			if x+r < w {
				s += int(row[x+r])
			}
			if x-r-1 >= 0 {
				s -= int(row[x-r-1])
			}
			if s > 0 {
				out[x] = 1
			}
		}
	}
	out := make([]uint8, w*h)
	col := make([]int32, w)
	for y := 0; y < min(r, h); y++ {
		for x, v := range tmp[y*w : y*w+w] {
			col[x] += int32(v)
		}
	}
	for y := 0; y < h; y++ {
		if y+r < h {
			for x, v := range tmp[(y+r)*w : (y+r)*w+w] {
				col[x] += int32(v)
			}
		}
		if y-r-1 >= 0 {
			for x, v := range tmp[(y-r-1)*w : (y-r-1)*w+w] {
				col[x] -= int32(v)
			}
		}
		o := out[y*w : y*w+w]
		for x, s := range col {
			if s > 0 {
				o[x] = 1
			}
		}
	}
	return out
}
