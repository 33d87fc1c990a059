package preview

import (
	"image"
	"strconv"
	"strings"
)

// Blocks renders img in exactly cols x rows cells of "▀" (foreground = top pixel,
// background = bottom pixel) in 24-bit colour. A cell is about twice as tall as wide, so
// the picture is fitted into cols x 2*rows pixels with its aspect kept and centred; the
// margins are plain uncoloured spaces. Lines are joined with "\n" and each ends with an
// SGR reset, so a line can be cut out and composed on its own. Colours are only written
// when they change, which keeps flat areas cheap.
//
// Pixels less than half opaque are left to the terminal's background, so logos with
// transparency do not come out on a black slab. A nil image gives a blank area.
func Blocks(img image.Image, cols, rows int) string {
	if cols <= 0 || rows <= 0 {
		return ""
	}
	pic := image.NewRGBA(image.Rectangle{})
	if img != nil {
		pic = Fit(img, cols, 2*rows)
	}
	pw, ph := pic.Rect.Dx(), pic.Rect.Dy()
	x0 := (cols - pw) / 2
	// An even top margin keeps each cell's two pixels from the same pair of image rows;
	// only an odd-height picture then has a half-filled last row.
	y0 := ((2*rows - ph) / 2) &^ 1

	var sb strings.Builder
	sb.Grow(rows * (cols*24 + 8))
	var sgr []byte
	for r := range rows {
		if r > 0 {
			sb.WriteByte('\n')
		}
		fg, bg := noColour, noColour
		for c := range cols {
			top := pixelAt(pic, c-x0, 2*r-y0)
			bot := pixelAt(pic, c-x0, 2*r+1-y0)
			glyph := "▀"
			wantFG, wantBG := top, bot
			switch {
			case top == noColour && bot == noColour:
				if fg != noColour || bg != noColour {
					sb.WriteString("\x1b[m")
					fg, bg = noColour, noColour
				}
				sb.WriteByte(' ')
				continue
			case top == noColour: // only the lower half is picture
				glyph, wantFG, wantBG = "▄", bot, noColour
			}
			sgr = sgr[:0]
			if wantFG != fg {
				sgr = appendColour(sgr, "38", wantFG)
				fg = wantFG
			}
			if wantBG != bg {
				if len(sgr) > 0 {
					sgr = append(sgr, ';')
				}
				sgr = appendColour(sgr, "48", wantBG)
				bg = wantBG
			}
			if len(sgr) > 0 {
				sb.WriteString("\x1b[")
				sb.Write(sgr)
				sb.WriteByte('m')
			}
			sb.WriteString(glyph)
		}
		sb.WriteString("\x1b[m")
	}
	return sb.String()
}

// noColour marks a cell half that shows the terminal's own background.
const noColour int32 = -1

// pixelAt returns the straight (non-premultiplied) colour at (x, y) as 0xRRGGBB, or
// noColour outside the picture or where it is mostly transparent.
func pixelAt(m *image.RGBA, x, y int) int32 {
	if x < 0 || y < 0 || x >= m.Rect.Dx() || y >= m.Rect.Dy() {
		return noColour
	}
	i := y*m.Stride + 4*x
	p := m.Pix[i : i+4 : i+4]
	a := int32(p[3])
	if a < 128 {
		return noColour
	}
	r, g, b := int32(p[0]), int32(p[1]), int32(p[2])
	if a != 255 {
		r, g, b = min(r*255/a, 255), min(g*255/a, 255), min(b*255/a, 255)
	}
	return r<<16 | g<<8 | b
}

// appendColour appends "38;2;r;g;b" (or 48 for the background); noColour resets to the
// terminal default (39 or 49).
func appendColour(b []byte, kind string, c int32) []byte {
	if c == noColour {
		return append(b, kind[0], '9')
	}
	b = append(b, kind...)
	b = append(b, ";2;"...)
	b = strconv.AppendInt(b, int64(c>>16&0xff), 10)
	b = append(b, ';')
	b = strconv.AppendInt(b, int64(c>>8&0xff), 10)
	b = append(b, ';')
	b = strconv.AppendInt(b, int64(c&0xff), 10)
	return b
}
