package mobilenet

import (
	"math"
	"slices"
	"testing"
)

type resizeGolden struct {
	Cases []struct {
		W       int          `json:"w"`
		H       int          `json:"h"`
		OutW    int          `json:"outW"`
		OutH    int          `json:"outH"`
		HWC     []float64    `json:"hwc"`
		Samples [][4]float64 `json:"samples"`
	} `json:"cases"`
}

// resizeSource replicates resizeSource in golden.js; every value is exact in float32.
func resizeSource(x, y, c int) float32 {
	return float32((x*37+y*91+c*53)%255) + float32((x+2*y+c)%4)*0.25
}

func resizePlanes(w, h int) (r, g, b []float32) {
	p := [3][]float32{make([]float32, w*h), make([]float32, w*h), make([]float32, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			for c := range p {
				p[c][y*w+x] = resizeSource(x, y, c)
			}
		}
	}
	return p[0], p[1], p[2]
}

// TestResizeMatchesTFJS expects bit-identical output: the arithmetic follows the tfjs
// CPU kernel's order in float64, as JavaScript evaluates it.
func TestResizeMatchesTFJS(t *testing.T) {
	var g resizeGolden
	readJSON(t, "resize.json", &g)
	if len(g.Cases) == 0 {
		t.Fatal("no resize cases")
	}
	for _, cs := range g.Cases {
		r, gr, b := resizePlanes(cs.W, cs.H)
		dst := make([]float32, cs.OutW*cs.OutH*3)
		if err := ResizeToHWC(r, gr, b, cs.W, cs.H, cs.OutW, cs.OutH, dst); err != nil {
			t.Fatal(err)
		}
		check := func(i int, want float64) {
			if float64(dst[i]) != float64(float32(want)) {
				t.Errorf("%dx%d->%dx%d: value %d = %.9g, want %.9g", cs.W, cs.H, cs.OutW, cs.OutH, i, dst[i], want)
			}
		}
		if cs.HWC != nil {
			if len(cs.HWC) != len(dst) {
				t.Fatalf("golden has %d values, want %d", len(cs.HWC), len(dst))
			}
			for i, want := range cs.HWC {
				check(i, want)
			}
		}
		for _, s := range cs.Samples {
			check((int(s[0])*cs.OutW+int(s[1]))*3+int(s[2]), s[3])
		}
	}
}

func TestResizeErrors(t *testing.T) {
	p := make([]float32, 12)
	ok := make([]float32, 2*2*3)
	for _, tc := range []struct {
		name             string
		r, g, b, dst     []float32
		w, h, outW, outH int
	}{
		{"zero width", p, p, p, ok, 0, 3, 2, 2},
		{"negative out", p, p, p, ok, 4, 3, -2, 2},
		{"short plane", p[:11], p, p, ok, 4, 3, 2, 2},
		{"short dst", p, p, p, ok[:11], 4, 3, 2, 2},
		{"long dst", p, p, p, make([]float32, 13), 4, 3, 2, 2},
		{"overflow", p, p, p, ok, math.MaxInt / 2, 3, 2, 2},
	} {
		if err := ResizeToHWC(tc.r, tc.g, tc.b, tc.w, tc.h, tc.outW, tc.outH, tc.dst); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if err := ResizeToHWC(p, p, p, 4, 3, 2, 2, ok); err != nil {
		t.Errorf("valid call: %v", err)
	}
}

func TestResizeAllocatesNothing(t *testing.T) {
	r, g, b := resizePlanes(50, 40)
	dst := make([]float32, 224*224*3)
	if n := testing.AllocsPerRun(3, func() { _ = ResizeToHWC(r, g, b, 50, 40, 224, 224, dst) }); n != 0 {
		t.Errorf("%v allocations per call", n)
	}
}

// A region is resized as if it had been cut out first, and copied exactly at its own size.
func TestRegionToHWCIsTheCutOutResized(t *testing.T) {
	const w, h = 37, 29
	r, g, b := make([]float32, w*h), make([]float32, w*h), make([]float32, w*h)
	for i := range r {
		r[i], g[i], b[i] = float32(i%251), float32((i*7)%256), float32((i*13)%199)
	}
	reg := Rect{X: 5, Y: 3, W: 20, H: 17}
	cut := func(p []float32) []float32 {
		out := make([]float32, 0, reg.W*reg.H)
		for y := reg.Y; y < reg.Y+reg.H; y++ {
			out = append(out, p[y*w+reg.X:y*w+reg.X+reg.W]...)
		}
		return out
	}
	for _, size := range [][2]int{{20, 17}, {32, 40}, {11, 9}} {
		want := make([]float32, size[0]*size[1]*3)
		got := make([]float32, len(want))
		if err := ResizeToHWC(cut(r), cut(g), cut(b), reg.W, reg.H, size[0], size[1], want); err != nil {
			t.Fatal(err)
		}
		if err := RegionToHWC(r, g, b, w, h, reg, size[0], size[1], got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%v: region differs from the cut-out resized", size)
		}
	}
	same := make([]float32, reg.W*reg.H*3)
	if err := RegionToHWC(r, g, b, w, h, reg, reg.W, reg.H, same); err != nil {
		t.Fatal(err)
	}
	if got, want := same[3*(2*reg.W+4)], r[(reg.Y+2)*w+reg.X+4]/255; got != want {
		t.Fatalf("at its own size the region is not copied: %v, want %v", got, want)
	}
	for _, bad := range []Rect{{X: -1, W: 5, H: 5}, {X: 33, W: 5, H: 5}, {Y: 25, W: 5, H: 5}, {W: 0, H: 5}} {
		if err := RegionToHWC(r, g, b, w, h, bad, 8, 8, make([]float32, 8*8*3)); err == nil {
			t.Fatalf("region %+v accepted", bad)
		}
	}
}
