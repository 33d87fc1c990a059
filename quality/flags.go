package quality

import "lightbox/quality/internal/raster"

// Geometry flags, exactly as the API documents them.
const (
	longAspect    = 3    // LongImage when width/height >= 3 or <= 1/3
	smallLongSide = 179  // SmallImage when the long side is under 179 px
	bigShortSide  = 1000 // BigImage when the short side is over 1000 px
)

func isLong(w, h int) bool {
	// Integer comparison: no rounding at the exact 3:1 boundary.
	return w >= longAspect*h || h >= longAspect*w
}

func isSmall(w, h int) bool { return max(w, h) < smallLongSide }

func isBig(w, h int) bool { return min(w, h) > bigShortSide }

// Greyscale tolerance. JPEG stores colour as subsampled, quantised chroma, so a grey photo
// saved as a colour JPEG comes back with channel differences of a level or two; a toned
// (sepia, cyanotype) image differs by far more, and is not greyscale in the API's sense.
const (
	greyMaxSpread       = 6     // a pixel whose channels differ by more is coloured
	greyColouredShare   = 0.002 // more than 0.2 % coloured pixels: not black-and-white
	greyMeanSpreadLimit = 1.5   // and the average spread must stay near rounding noise
)

// isGreyPixels reports whether red, green and blue carry the same values, within rounding.
func isGreyPixels(m *raster.Image) bool {
	n := len(m.R)
	if n == 0 {
		return false
	}
	coloured := 0
	var total float64
	for i := 0; i < n; i++ {
		r, g, b := m.R[i], m.G[i], m.B[i]
		s := max(r, g, b) - min(r, g, b)
		total += float64(s)
		if s > greyMaxSpread {
			coloured++
		}
	}
	return float64(coloured) <= greyColouredShare*float64(n) && total/float64(n) <= greyMeanSpreadLimit
}
