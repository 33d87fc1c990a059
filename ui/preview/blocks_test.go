package preview

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// checkGrid asserts the shape every Blocks result must have and returns its cells.
func checkGrid(t *testing.T, s string, cols, rows int) [][]cell {
	t.Helper()
	lines := strings.Split(s, "\n")
	if len(lines) != rows {
		t.Fatalf("%d lines, want %d", len(lines), rows)
	}
	var grid [][]cell
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != cols {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, w, cols, l)
		}
		if !strings.HasSuffix(l, "\x1b[m") {
			t.Fatalf("line %d does not end with an SGR reset: %q", i, l)
		}
		cells := parseCells(t, l)
		if len(cells) != cols {
			t.Fatalf("line %d has %d cells, want %d", i, len(cells), cols)
		}
		grid = append(grid, cells)
	}
	return grid
}

func wantCell(t *testing.T, grid [][]cell, r, c int, text string, fg, bg int32) {
	t.Helper()
	got := grid[r][c]
	if got.text != text || got.fg != fg || got.bg != bg {
		t.Errorf("cell (%d,%d) = %q fg %06x bg %06x, want %q fg %06x bg %06x",
			r, c, got.text, got.fg, got.bg, text, fg, bg)
	}
}

func TestBlocksQuadrantColours(t *testing.T) {
	R, G, B, W := rgb(red), rgb(green), rgb(blue), rgb(white)
	for _, tc := range []struct {
		name       string
		img        image.Image
		cols, rows int
	}{
		{"exact 2x2", quadrants(2, 2), 2, 1},
		{"upscaled 2x2", quadrants(2, 2), 4, 2},
		{"downscaled 200x200", quadrants(200, 200), 8, 4},
		{"downscaled 900x900", quadrants(900, 900), 6, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			grid := checkGrid(t, Blocks(tc.img, tc.cols, tc.rows), tc.cols, tc.rows)
			for r := range tc.rows {
				for c := range tc.cols {
					left := c < tc.cols/2
					// Each cell's two pixels lie in the same quadrant except in the middle row
					// of an odd row count, where the top pixel is above the midline.
					topUpper := 2*r < tc.rows
					botUpper := 2*r+1 < tc.rows
					pick := func(upper bool) int32 {
						switch {
						case upper && left:
							return R
						case upper:
							return G
						case left:
							return B
						}
						return W
					}
					wantCell(t, grid, r, c, "▀", pick(topUpper), pick(botUpper))
				}
			}
		})
	}
}

func TestBlocksKeepsAspectWithPlainMargins(t *testing.T) {
	// A 4:1 picture in a square area (16 x 8 cells = 16 x 16 pixels) is 16 x 4 pixels:
	// two cell rows of picture, three blank rows above and below.
	s := Blocks(solid(400, 100, red), 16, 8)
	grid := checkGrid(t, s, 16, 8)
	lines := strings.Split(s, "\n")
	blank := strings.Repeat(" ", 16) + "\x1b[m"
	for r := range 8 {
		picture := r == 3 || r == 4
		if !picture {
			if lines[r] != blank {
				t.Errorf("row %d should be an uncoloured margin, got %q", r, lines[r])
			}
			continue
		}
		for c := range 16 {
			wantCell(t, grid, r, c, "▀", rgb(red), rgb(red))
		}
	}

	// 8 x 2 pixels in 8 x 4 cells: a centred picture would start at pixel row 3 and be
	// split over two half-filled cells; starting at an even row keeps it in one row.
	grid = checkGrid(t, Blocks(solid(40, 10, green), 8, 4), 8, 4)
	for r := range 4 {
		for c := range 8 {
			if r == 1 {
				wantCell(t, grid, r, c, "▀", rgb(green), rgb(green))
			} else {
				wantCell(t, grid, r, c, " ", noColour, noColour)
			}
		}
	}

	// Tall picture in a wide area: margins left and right, spaces without colour.
	grid = checkGrid(t, Blocks(solid(50, 100, blue), 20, 5), 20, 5)
	for r := range 5 {
		for c := range 20 {
			inside := c >= 7 && c < 12 // 5 px wide picture centred in 20 columns
			if inside {
				wantCell(t, grid, r, c, "▀", rgb(blue), rgb(blue))
			} else {
				wantCell(t, grid, r, c, " ", noColour, noColour)
			}
		}
	}
}

func TestBlocksOddPictureHeightUsesHalfCell(t *testing.T) {
	// 6 x 3 pixels in 6 x 2 cells (6 x 4 pixels): the last picture row has no partner,
	// so that cell shows only its top half and leaves the background to the terminal.
	grid := checkGrid(t, Blocks(solid(6, 3, green), 6, 2), 6, 2)
	wantCell(t, grid, 0, 0, "▀", rgb(green), rgb(green))
	wantCell(t, grid, 1, 0, "▀", rgb(green), noColour)
}

func TestBlocksTransparencyShowsTerminalBackground(t *testing.T) {
	m := solid(4, 4, red)
	for y := 2; y < 4; y++ { // bottom half fully transparent
		for x := range 4 {
			m.SetRGBA(x, y, color.RGBA{})
		}
	}
	grid := checkGrid(t, Blocks(m, 4, 2), 4, 2)
	wantCell(t, grid, 0, 0, "▀", rgb(red), rgb(red))
	wantCell(t, grid, 1, 0, " ", noColour, noColour)

	// Half-transparent pixels come out at full strength, not darkened toward black.
	n := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	for i := 0; i < len(n.Pix); i += 4 {
		copy(n.Pix[i:], []uint8{200, 100, 50, 200})
	}
	grid = checkGrid(t, Blocks(n, 2, 1), 2, 1)
	got := grid[0][0].fg
	if r := got >> 16; r < 198 || r > 202 {
		t.Errorf("semi-opaque red channel = %d, want about 200", r)
	}
}

func TestBlocksShapeAtManySizes(t *testing.T) {
	imgs := map[string]image.Image{
		"1x1":       solid(1, 1, white),
		"landscape": quadrants(300, 100),
		"portrait":  quadrants(90, 400),
		"noise":     noise(123, 77),
	}
	for name, img := range imgs {
		for _, sz := range [][2]int{{1, 1}, {1, 5}, {5, 1}, {3, 7}, {17, 3}, {80, 40}} {
			t.Run(fmt.Sprintf("%s/%dx%d", name, sz[0], sz[1]), func(t *testing.T) {
				checkGrid(t, Blocks(img, sz[0], sz[1]), sz[0], sz[1])
			})
		}
	}
}

func TestBlocksDegenerateInputs(t *testing.T) {
	img := quadrants(4, 4)
	for _, sz := range [][2]int{{0, 0}, {0, 3}, {3, 0}, {-1, 2}, {2, -1}} {
		if s := Blocks(img, sz[0], sz[1]); s != "" {
			t.Errorf("Blocks(%dx%d) = %q, want empty", sz[0], sz[1], s)
		}
	}
	blank := strings.Repeat(" ", 3) + "\x1b[m"
	for name, im := range map[string]image.Image{
		"nil":   nil,
		"empty": image.NewRGBA(image.Rectangle{}),
	} {
		if s := Blocks(im, 3, 2); s != blank+"\n"+blank {
			t.Errorf("%s image: %q, want a blank 3x2 area", name, s)
		}
	}
}

func TestBlocksSkipsRepeatedColours(t *testing.T) {
	// A flat picture needs one colour change per line, not one per cell.
	s := Blocks(solid(100, 100, red), 40, 20)
	if n := strings.Count(s, "38;2;"); n != 20 {
		t.Errorf("foreground set %d times for 20 flat lines, want 20", n)
	}
}

// BenchmarkBlocks80x40 is the budget that matters: a 1600x1200 picture drawn in an 80x40
// pane, fit included. It must stay in the low milliseconds to redraw on resize.
func BenchmarkBlocks80x40(b *testing.B) {
	for name, img := range map[string]image.Image{
		"rgba":  noise(1600, 1200),
		"ycbcr": ycbcrNoise(1600, 1200),
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				_ = Blocks(img, 80, 40)
			}
		})
	}
}

func ycbcrNoise(w, h int) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	src := noise(w, h)
	for i := range m.Y {
		m.Y[i] = src.Pix[4*i]
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = src.Pix[4*i+1], src.Pix[4*i+2]
	}
	return m
}
