package content

import "lightbox/quality/internal/raster"

// dominantTol is how far (per channel) a pixel may be from the dominant colour and still be
// "background": wide enough for JPEG ringing and mild sensor noise on a fill, narrow enough
// that a lit wall or a sky gradient spreads over several such colours.
const dominantTol = 10

// dominant finds the most common colour and marks the pixels close to it in bg (1 = background).
// The peak is searched on the histogram smoothed over neighbouring bins, so a fill that
// straddles a bin boundary is not split in two; two mean-shift steps then centre the colour.
func dominant(img *raster.Image, cs *colourStats, a *Analysis, bg []uint8) {
	best, bestSum := 0, int32(-1)
	for k, c := range cs.hist {
		if c == 0 {
			continue
		}
		r, g, b := k>>8, (k>>4)&15, k&15
		var s int32
		for dr := -1; dr <= 1; dr++ {
			for dg := -1; dg <= 1; dg++ {
				for db := -1; db <= 1; db++ {
					rr, gg, bb := r+dr, g+dg, b+db
					if rr < 0 || gg < 0 || bb < 0 || rr > 15 || gg > 15 || bb > 15 {
						continue
					}
					s += cs.hist[rr<<8|gg<<4|bb]
				}
			}
		}
		if s > bestSum {
			best, bestSum = k, s
		}
	}
	// Start from the centre of the peak bin, with a window as wide as the smoothed peak.
	c := [3]float32{float32(best>>8)*16 + 8, float32((best>>4)&15)*16 + 8, float32(best&15)*16 + 8}
	step := lattice(img.W, img.H)
	c = meanNear(img, c, 24, step)
	c = meanNear(img, c, 14, step)
	var cnt int
	for i := range img.R {
		if near(img.R[i], c[0], dominantTol) && near(img.G[i], c[1], dominantTol) && near(img.B[i], c[2], dominantTol) {
			bg[i] = 1
			cnt++
		} else {
			bg[i] = 0
		}
	}
	a.DominantShare = float64(cnt) / float64(len(img.R))
	a.DominantRGB = [3]float64{float64(c[0]), float64(c[1]), float64(c[2])}
}

// meanNear is one mean-shift step: the mean colour of the pixels within tol of c, sampled
// every step pixels in both directions.
func meanNear(img *raster.Image, c [3]float32, tol float32, step int) [3]float32 {
	var s [3]float64
	var n int
	for y := 0; y < img.H; y += step {
		for x := 0; x < img.W; x += step {
			i := y*img.W + x
			r, g, b := img.R[i], img.G[i], img.B[i]
			if near(r, c[0], tol) && near(g, c[1], tol) && near(b, c[2], tol) {
				s[0] += float64(r)
				s[1] += float64(g)
				s[2] += float64(b)
				n++
			}
		}
	}
	if n == 0 {
		return c
	}
	return [3]float32{float32(s[0] / float64(n)), float32(s[1] / float64(n)), float32(s[2] / float64(n))}
}

func near(v, c, tol float32) bool { return v-c <= tol && c-v <= tol }
