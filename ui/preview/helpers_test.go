package preview

import (
	"image"
	"image/color"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

var (
	red   = color.RGBA{255, 0, 0, 255}
	green = color.RGBA{0, 255, 0, 255}
	blue  = color.RGBA{0, 0, 255, 255}
	white = color.RGBA{255, 255, 255, 255}
)

// quadrants returns a w x h image whose quarters are red (top left), green (top right),
// blue (bottom left) and white (bottom right).
func quadrants(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x < w/2 && y >= h/2:
				c = blue
			case x >= w/2 && y >= h/2:
				c = white
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

func solid(w, h int, c color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return m
}

// noise is a deterministic photo stand-in that compresses about as badly as a photo.
func noise(w, h int) *image.RGBA {
	r := rand.New(rand.NewPCG(1, 2))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255
	}
	return m
}

func rgb(c color.RGBA) int32 { return int32(c.R)<<16 | int32(c.G)<<8 | int32(c.B) }

// cell is one terminal cell as a terminal would see it after interpreting SGR.
type cell struct {
	text   string // the grapheme: base rune plus any combining marks
	fg, bg int32  // 0xRRGGBB, noColour, or -(256+n) for 256-colour index n
}

// parseCells interprets one line of SGR-coloured text. It fails the test on any escape
// other than SGR, so stray sequences cannot hide in the output.
func parseCells(t *testing.T, line string) []cell {
	t.Helper()
	var cells []cell
	fg, bg := noColour, noColour
	for len(line) > 0 {
		if strings.HasPrefix(line, "\x1b[") {
			end := strings.IndexByte(line, 'm')
			if end < 0 {
				t.Fatalf("unterminated escape in %q", line)
			}
			params := line[2:end]
			if strings.ContainsAny(params, "\x1b") {
				t.Fatalf("non-SGR escape in %q", line)
			}
			fg, bg = applySGR(t, params, fg, bg)
			line = line[end+1:]
			continue
		}
		if line[0] == 0x1b {
			t.Fatalf("unexpected escape %q", line)
		}
		r := []rune(line)
		n := 1
		for n < len(r) && isCombining(r[n]) {
			n++
		}
		txt := string(r[:n])
		cells = append(cells, cell{txt, fg, bg})
		line = line[len(txt):]
	}
	return cells
}

func isCombining(r rune) bool { return r >= 0x300 && r < 0x700 }

func applySGR(t *testing.T, params string, fg, bg int32) (int32, int32) {
	t.Helper()
	if params == "" || params == "0" {
		return noColour, noColour
	}
	ps := strings.Split(params, ";")
	num := func(i int) int32 {
		if i >= len(ps) {
			t.Fatalf("short SGR %q", params)
		}
		n, err := strconv.Atoi(ps[i])
		if err != nil {
			t.Fatalf("bad SGR %q", params)
		}
		return int32(n)
	}
	for i := 0; i < len(ps); i++ {
		switch ps[i] {
		case "0":
			fg, bg = noColour, noColour
		case "39":
			fg = noColour
		case "49":
			bg = noColour
		case "38", "48":
			kind := ps[i]
			var c int32
			switch num(i + 1) {
			case 2:
				c = num(i+2)<<16 | num(i+3)<<8 | num(i+4)
				i += 4
			case 5:
				c = -(256 + num(i+2))
				i += 2
			default:
				t.Fatalf("bad colour in SGR %q", params)
			}
			if kind == "38" {
				fg = c
			} else {
				bg = c
			}
		default:
			t.Fatalf("unexpected SGR parameter %q in %q", ps[i], params)
		}
	}
	return fg, bg
}
