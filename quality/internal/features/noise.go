package features

import (
	"math"

	"lightbox/quality/internal/raster"
)

// immerkaerScale turns a mean absolute response of Immerkær's mask into a noise standard
// deviation: the mask has sum of squares 36, and E|X| = sigma*sqrt(2/pi) for a Gaussian.
var immerkaerScale = math.Sqrt(math.Pi/2) / 6

// noiseFeatures estimates the noise level three ways:
//   - noise.immerkaer: Immerkær (1996) over pixels that are neither edges (the 10% strongest
//     Sobel responses) nor clipped (where noise is invisible, not absent);
//   - noise.flat: the same response averaged in the 10% flattest 8x8 blocks, which is what a
//     viewer sees in skies and walls and is less inflated by texture;
//   - noise.chroma: Immerkær on Cb and Cr (colour speckle of small sensors).
//
// All are in luma code values (sigma of the luma noise).
func noiseFeatures(ws *workspace, img *raster.Image, luma *raster.Plane, v []float64) {
	w, h := ws.w, ws.h
	thr := ws.edgeThr
	x0, x1, y0, y1 := 0, w, 0, h
	if w >= 3 {
		x0, x1 = 1, w-1
	}
	if h >= 3 {
		y0, y1 = 1, h-1
	}
	var s float64
	var cnt int
	for y := y0; y < y1; y++ {
		o := y * w
		mag := ws.mag[o : o+w]
		nab := ws.nabs[o : o+w]
		lum := luma.Pix[o : o+w]
		for x := x0; x < x1; x++ {
			if mag[x] <= thr && lum[x] > 2 && lum[x] < 253 {
				s += float64(nab[x])
				cnt++
			}
		}
	}
	if cnt > 0 {
		v[NoiseImmerkaer] = immerkaerScale * s / float64(cnt)
	}

	// Flattest blocks, and the white-noise share of their fine-scale response. For each 8x8
	// block, s1 is the Immerkær estimate at full resolution and s2 the same over the
	// matching 4x4 block of the 2x2-averaged image. Averaging four pixels halves white noise
	// but leaves texture (whose amplitude is similar across octaves in natural images) about
	// unchanged: s1^2 = n^2 + t^2 and s2^2 = n^2/4 + t^2 give n^2 = 4/3 (s1^2 - s2^2). A
	// field of fine texture (gravel, foliage) thus stops passing for noise.
	const bs = 8
	nbx, nby := w/bs, h/bs
	w2, h2 := w/2, h/2
	half := ws.t3
	if nb := nbx * nby; nb > 0 {
		sc := ws.blockScratch(2 * nb)
		s1s := sc[:0:nb]
		s2s := sc[nb:nb]
		for by := 0; by < nby; by++ {
			for bx := 0; bx < nbx; bx++ {
				var sn, sl float32
				for y := by * bs; y < by*bs+bs; y++ {
					o := y*w + bx*bs
					for x := o; x < o+bs; x++ {
						sn += ws.nabs[x]
						sl += luma.Pix[x]
					}
				}
				ml := sl / (bs * bs)
				if ml <= 8 || ml >= 247 {
					continue
				}
				var sh float32
				var nh int
				for y := max(by*bs/2, 1); y < min(by*bs/2+bs/2, h2-1); y++ {
					for x := max(bx*bs/2, 1); x < min(bx*bs/2+bs/2, w2-1); x++ {
						sh += abs32(immerkaer(half, y*w2+x, w2))
						nh++
					}
				}
				if nh == 0 {
					continue
				}
				s1s = append(s1s, immerkaerScale*float64(sn)/(bs*bs))
				s2s = append(s2s, immerkaerScale*float64(sh)/float64(nh))
			}
		}
		if m := len(s1s); m > 0 {
			k := max(m/10, 1)
			// noise.flat: the tenth of the blocks with the least fine-scale response.
			f := ws.sortScratch(s1s)
			var t float64
			for _, x := range f[:k] {
				t += x
			}
			v[NoiseFlat] = t / float64(k)
			// noise.white: in the fifth of the blocks with the least coarse-scale response
			// (least texture), the white part of the fine-scale response.
			k = max(m/5, 1)
			order := ws.argsortScratch(s2s)
			var a1, a2 float64
			for _, i := range order[:k] {
				a1 += s1s[i] * s1s[i]
				a2 += s2s[i] * s2s[i]
			}
			v[NoiseWhite] = math.Sqrt(math.Max(4.0/3*(a1-a2)/float64(k), 0))
		}
	}

	// Chroma: Immerkær's mask is linear, so its response on Cb and Cr is the same mix of its
	// responses on R, G and B; no chroma planes are needed. Every second pixel of every
	// second row is plenty for a global estimate and quarters the cost.
	if w >= 3 && h >= 3 {
		var sb, sr float64
		cnt = 0
		for y := 1; y < h-1; y += 2 {
			o := y * w
			mag := ws.mag[o : o+w]
			var rb, rr float32
			for x := 1; x < w-1; x += 2 {
				if mag[x] > thr {
					continue
				}
				i := o + x
				nr := immerkaer(img.R, i, w)
				ng := immerkaer(img.G, i, w)
				nb := immerkaer(img.B, i, w)
				rb += abs32(-0.168736*nr - 0.331264*ng + 0.5*nb)
				rr += abs32(0.5*nr - 0.418688*ng - 0.081312*nb)
				cnt++
			}
			sb += float64(rb)
			sr += float64(rr)
		}
		if cnt > 0 {
			a := immerkaerScale * sb / float64(cnt)
			b := immerkaerScale * sr / float64(cnt)
			v[NoiseChroma] = math.Hypot(a, b)
		}
	}
}

// immerkaer is the response of [1 -2 1; -2 4 -2; 1 -2 1] at interior index i.
func immerkaer(p []float32, i, w int) float32 {
	u, d := i-w, i+w
	return (p[u-1] + p[u+1] + p[d-1] + p[d+1]) - 2*(p[u]+p[i-1]+p[i+1]+p[d]) + 4*p[i]
}
