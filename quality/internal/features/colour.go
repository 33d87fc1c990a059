package features

import (
	"math"

	"lightbox/quality/internal/raster"
)

// colourFeatures: Hasler & Süsstrunk (2003) colourfulness on the opponent axes rg = R-G and
// yb = (R+G)/2-B; HSV saturation mean and spread; the colour cast as the distance of the
// mean (Cb, Cr) from neutral; and a grey flag (1 when the JPEG has no chroma, or when
// practically every pixel has equal channels).
func colourFeatures(img *raster.Image, jp *JPEGInfo, v []float64) {
	var srg, syb, qrg, qyb, ss, qs, scb, scr float64
	var grey, clip int
	w := img.W
	// Row sums in float32 (at most 512 terms), the image sums in float64.
	for y := 0; y < img.H; y++ {
		R, G, B := img.R[y*w:y*w+w], img.G[y*w:y*w+w], img.B[y*w:y*w+w]
		var arg, ayb, brg, byb, as, bs, acb, acr float32
		for i := range R {
			r, g, b := R[i], G[i], B[i]
			rg := r - g
			yb := 0.5*(r+g) - b
			arg += rg
			ayb += yb
			brg += rg * rg
			byb += yb * yb
			mx := max(r, g, b)
			mn := min(r, g, b)
			var sat float32
			if mx > 0 {
				sat = (mx - mn) / mx
			}
			as += sat
			bs += sat * sat
			acb += -0.168736*r - 0.331264*g + 0.5*b
			acr += 0.5*r - 0.418688*g - 0.081312*b
			if mx-mn <= 3 {
				grey++
			}
			if mx >= 253.5 {
				clip++
			}
		}
		srg += float64(arg)
		syb += float64(ayb)
		qrg += float64(brg)
		qyb += float64(byb)
		ss += float64(as)
		qs += float64(bs)
		scb += float64(acb)
		scr += float64(acr)
	}
	n := float64(len(img.R))
	mrg, myb := srg/n, syb/n
	vrg := math.Max(qrg/n-mrg*mrg, 0)
	vyb := math.Max(qyb/n-myb*myb, 0)
	v[ColColourfulness] = math.Sqrt(vrg+vyb) + 0.3*math.Hypot(mrg, myb)
	ms := ss / n
	v[ColSatMean] = ms
	v[ColSatStd] = math.Sqrt(math.Max(qs/n-ms*ms, 0))
	v[ColCast] = math.Hypot(scb/n, scr/n)
	// Any channel at its ceiling (an exposure feature, counted here to save a pass).
	v[ExpClipRGB] = float64(clip) / n
	if (jp != nil && !jp.HasChroma) || float64(grey) >= 0.995*n {
		v[ColGrey] = 1
	}
}
