package quality

import "lightbox/quality/internal/raster"

// orient applies an EXIF orientation (1..8) so that features see the picture upright:
// composition and tilt depend on which way is up. Unknown values leave the image as stored.
func orient(m *raster.Image, o int) *raster.Image {
	if o < 2 || o > 8 {
		return m
	}
	w, h := m.W, m.H
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := raster.New(ow, oh)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2: // mirrored horizontally
				dx, dy = w-1-x, y
			case 3: // rotated 180
				dx, dy = w-1-x, h-1-y
			case 4: // mirrored vertically
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // rotated 90 clockwise to view
				dx, dy = h-1-y, x
			case 7: // transversed
				dx, dy = h-1-y, w-1-x
			case 8: // rotated 90 counter-clockwise to view
				dx, dy = y, w-1-x
			}
			i, j := y*w+x, dy*ow+dx
			out.R[j], out.G[j], out.B[j] = m.R[i], m.G[i], m.B[i]
		}
	}
	return out
}
