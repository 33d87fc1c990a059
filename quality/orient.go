package quality

import (
	"lightbox/internal/exif"
	"lightbox/quality/internal/raster"
)

// orient applies an EXIF orientation (1..8) so that features see the picture upright:
// composition and tilt depend on which way is up. Unknown values leave the image as stored.
func orient(m *raster.Image, o int) *raster.Image {
	if o < 2 || o > 8 {
		return m
	}
	ow, oh := exif.Upright(o, m.W, m.H)
	out := raster.New(ow, oh)
	for y := range oh {
		for x := range ow {
			sx, sy := exif.Source(o, m.W, m.H, x, y)
			i, j := sy*m.W+sx, y*ow+x
			out.R[j], out.G[j], out.B[j] = m.R[i], m.G[i], m.B[i]
		}
	}
	return out
}
