package raster

import "image"

// FromImageResized is FromImage followed by Resize to dw x dh, computed row by row: each
// source row is converted and resized across, then added into the output rows it covers.
// The full-size float image and the intermediate buffer are never made; for an 800x600 JPEG
// that is 7 MB a fresh process does not fault in. Every output is the same sum in the same
// order as Resize computes it, so the result is identical (TestFromImageResizedMatches).
func FromImageResized(src image.Image, dw, dh int) *Image {
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	if sw == dw && sh == dh {
		return FromImage(src)
	}
	out := New(dw, dh)
	xw, yw := axisWeights(sw, dw), axisWeights(sh, dh)
	// For each source row, the output rows it feeds and with what weight, in output order;
	// each output row's taps come in source order, as Resize adds them.
	type use struct {
		y int
		w float32
	}
	uses := make([][]use, sh)
	for y, taps := range yw {
		for _, t := range taps {
			uses[t.i] = append(uses[t.i], use{y, t.w})
		}
	}
	read := rowReader(src)
	row := make([]float32, 3*sw)
	across := make([]float32, 3*dw)
	dst := [3][]float32{out.R, out.G, out.B}
	for sy := range sh {
		if len(uses[sy]) == 0 {
			continue
		}
		read(sy+b.Min.Y, row)
		ar, ag, ab := across[:dw], across[dw:2*dw], across[2*dw:]
		for x, taps := range xw {
			// The three channels together: one pass over the taps, each channel's sum
			// in the same order as Resize's.
			var r, g, bl float32
			for _, t := range taps {
				p := row[3*t.i : 3*t.i+3]
				r += p[0] * t.w
				g += p[1] * t.w
				bl += p[2] * t.w
			}
			ar[x], ag[x], ab[x] = r, g, bl
		}
		for _, u := range uses[sy] {
			// An output row's first tap stores rather than adds (0 + v*w, the same value):
			// reading a fresh page before writing it costs a second page fault.
			first := yw[u.y][0].i == sy
			for ch := range 3 {
				a := across[ch*dw : (ch+1)*dw]
				o := dst[ch][u.y*dw : (u.y+1)*dw]
				if first {
					for x, v := range a {
						o[x] = 0 + v*u.w
					}
					continue
				}
				for x, v := range a {
					o[x] += v * u.w
				}
			}
		}
	}
	return out
}
