package content

import (
	"image/color"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

// Test-only generators for the content classes synth does not draw: screenshots, document
// pages, camera shots of a page, and cluttered scenes.

const testW, testH = 500, 375

// thin keeps every third case under the race detector or -short: the race detector slows the
// float loops tenfold and only the concurrency test needs it; the full lists run otherwise.
func thin[T any](cases []T) []T {
	var out []T
	k := thinStep()
	for i, c := range cases {
		if i%k == (i/k)%k {
			out = append(out, c)
		}
	}
	return out
}

func thinStep() int {
	if raceEnabled || testing.Short() {
		return 3
	}
	return 1
}

// caseList collects named test images and, like thin, builds only the ones it keeps.
type caseList struct {
	n     int
	cases []namedImage
}

func (c *caseList) add(name string, build func() *raster.Image) {
	// The kept phase rotates with n/step so that lists built in groups of three (a fill,
	// its JPEG and its noisy version) keep every kind, not only the first of each group.
	if k := thinStep(); c.n%k == (c.n/k)%k {
		c.cases = append(c.cases, namedImage{name, build()})
	}
	c.n++
}

// cached builds each fixture once per test binary: several tests share the same scenes and
// ladders, and the degradations (exposure above all) are slow to compute.
var fixtures sync.Map // key -> func() any

func cached[T any](key string, build func() T) T {
	f, _ := fixtures.LoadOrStore(key, sync.OnceValue(func() any { return build() }))
	return f.(func() any)().(T)
}

var (
	white    = color.RGBA{255, 255, 255, 255}
	ink      = color.RGBA{25, 25, 30, 255}
	terminal = color.RGBA{28, 30, 36, 255}
	green    = color.RGBA{190, 240, 190, 255}
)

// paste copies src into dst with its top-left corner at (x0, y0), clipped to dst.
func paste(dst, src *raster.Image, x0, y0 int) {
	for y := 0; y < src.H; y++ {
		dy := y + y0
		if dy < 0 || dy >= dst.H {
			continue
		}
		for x := 0; x < src.W; x++ {
			dx := x + x0
			if dx < 0 || dx >= dst.W {
				continue
			}
			i, j := dy*dst.W+dx, y*src.W+x
			dst.R[i], dst.G[i], dst.B[i] = src.R[j], src.G[j], src.B[j]
		}
	}
}

// fillRect paints the rectangle [x0,x1)x[y0,y1) with one colour.
func fillRect(m *raster.Image, x0, y0, x1, y1 int, c [3]float32) {
	for y := max(y0, 0); y < min(y1, m.H); y++ {
		for x := max(x0, 0); x < min(x1, m.W); x++ {
			i := y*m.W + x
			m.R[i], m.G[i], m.B[i] = c[0], c[1], c[2]
		}
	}
}

// screenshot draws an application window: a dark title bar with three buttons, a grey
// toolbar, a light side panel with menu entries and a white text area.
func screenshot(w, h int, size float64) *raster.Image {
	m := synth.Solid(w, h, 255, 255, 255)
	bar := h / 14
	fillRect(m, 0, 0, w, bar, [3]float32{45, 48, 56})
	for k := range 3 {
		cx := 12 + k*18
		fillRect(m, cx, bar/2-4, cx+9, bar/2+5, [3]float32{[3]float32{237, 106, 94}[k], [3]float32{245, 190, 79}[k], [3]float32{98, 197, 84}[k]})
	}
	fillRect(m, 0, bar, w, 2*bar, [3]float32{236, 236, 238})
	side := w / 5
	panel := synth.Text(side, h-2*bar, size*0.9, color.RGBA{246, 246, 248, 255}, color.RGBA{70, 70, 80, 255})
	paste(m, panel, 0, 2*bar)
	body := synth.Text(w-side, h-2*bar, size, white, ink)
	paste(m, body, side, 2*bar)
	return m
}

// document draws a page: wide margins, a large heading and body paragraphs.
func document(w, h int) *raster.Image {
	m := synth.Solid(w, h, 252, 252, 250)
	head := synth.Text(w-40, 100, 22, color.RGBA{252, 252, 250, 255}, color.RGBA{20, 30, 80, 255})
	paste(m, head, 20, 0)
	body := synth.Text(w-80, h-120, 11, color.RGBA{252, 252, 250, 255}, ink)
	paste(m, body, 40, 100)
	return m
}

// cameraDocument is a phone photo of a printed page on a desk: the page does not fill the
// frame, light falls off across it, and the sensor adds noise and slight blur.
func cameraDocument(seed uint64, w, h int) *raster.Image {
	m := synth.Scene(seed, w, h)
	page := synth.Text(w*3/4, h*5/6, 11, color.RGBA{235, 232, 225, 255}, ink)
	paste(m, page, w/8, h/12)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			f := float32(0.75 + 0.3*float64(x)/float64(w) - 0.1*float64(y)/float64(h))
			m.R[i] *= f
			m.G[i] *= f
			m.B[i] *= f
		}
	}
	return synth.Noise(synth.Blur(m, 0.7), 3, seed)
}

// cluttered draws hundreds of small objects of random colours over a busy background:
// no subject, no calm region.
func cluttered(seed uint64, w, h int) *raster.Image {
	rng := rand.New(rand.NewPCG(seed, 99))
	m := raster.New(w, h)
	for i := range m.R {
		m.R[i], m.G[i], m.B[i] = 120, 110, 100
	}
	// A coarse random mosaic as background: shelves, leaves, a crowd.
	for y := 0; y < h; y += 6 {
		for x := 0; x < w; x += 6 {
			c := [3]float32{float32(60 + rng.IntN(150)), float32(60 + rng.IntN(150)), float32(60 + rng.IntN(150))}
			fillRect(m, x, y, x+6, y+6, c)
		}
	}
	for range 900 {
		cx, cy := rng.Float64()*float64(w), rng.Float64()*float64(h)
		r := 3 + 7*rng.Float64()
		c := [3]float32{float32(rng.IntN(256)), float32(rng.IntN(256)), float32(rng.IntN(256))}
		round := rng.IntN(2) == 0
		for y := int(cy - r); y <= int(cy+r); y++ {
			for x := int(cx - r); x <= int(cx+r); x++ {
				if x < 0 || y < 0 || x >= w || y >= h {
					continue
				}
				if round && math.Hypot(float64(x)-cx, float64(y)-cy) > r {
					continue
				}
				i := y*w + x
				m.R[i], m.G[i], m.B[i] = c[0], c[1], c[2]
			}
		}
	}
	return synth.Noise(m, 2, seed)
}
