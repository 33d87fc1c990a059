package mobilenet

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// Golden values come from testdata/golden/golden.js: the original nsfwjs model run by
// tfjs's CPU backend. tfjs accumulates in float64 and applies batch norm separately;
// this package folds batch norm and accumulates in float32, so values differ by float32
// rounding amplified through ~40 layers. A wrong layout, padding or stride shows up as
// errors of order 1 and more.
const (
	goldenRelTol = 1e-3
	goldenAbsTol = 1e-4
)

type goldenFile struct {
	TFJS  string `json:"tfjs"`
	Cases []struct {
		Name   string    `json:"name"`
		Kind   string    `json:"kind"`
		H      int       `json:"h"`
		W      int       `json:"w"`
		Taps   []float64 `json:"taps"`
		Layers map[string]struct {
			Shape   []int        `json:"shape"`
			Samples [][4]float64 `json:"samples"`
		} `json:"layers"`
	} `json:"cases"`
}

func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// patternValue replicates inputPattern in golden.js exactly: integer arithmetic, then
// n/255, which rounds to the same float32 as JavaScript's float64 division stored in a
// Float32Array (the double rounding is harmless for a quotient of small integers).
func patternValue(kind string, h, w, y, x, c int) float32 {
	var n int
	if kind == "texture" {
		n = (x*(7+c) + y*(13+2*c) + ((x*y+3*c)%29)*11) % 256
	} else {
		n = ((x*255)/(w-1)*(c+1) + (y*200)/(h-1) + ((x>>3)+(y>>3))%2*40*c) % 256
	}
	return float32(n) / 255
}

func patternImage(kind string, h, w int) []float32 {
	img := make([]float32, h*w*3)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			for c := 0; c < 3; c++ {
				img[(y*w+x)*3+c] = patternValue(kind, h, w, y, x, c)
			}
		}
	}
	return img
}

// errStats tracks the largest absolute error and the largest relative error among
// values not near zero (|want| >= 0.01), where a relative error means something.
type errStats struct {
	maxAbs, maxRel     float64
	worstAbs, worstRel string
}

func (e *errStats) check(t *testing.T, what string, got, want float64) {
	t.Helper()
	d := math.Abs(got - want)
	if d > e.maxAbs || e.worstAbs == "" {
		e.maxAbs, e.worstAbs = d, what
	}
	if a := math.Abs(want); a >= 0.01 && d/a > e.maxRel {
		e.maxRel, e.worstRel = d/a, what
	}
	if !(d <= goldenAbsTol+goldenRelTol*math.Abs(want)) {
		t.Errorf("%s = %.7g, want %.7g (abs err %.3g)", what, got, want, d)
	}
}

func (e *errStats) log(t *testing.T, what string) {
	t.Helper()
	t.Logf("%s: max abs error %.3g (%s), max rel error %.3g (%s)", what, e.maxAbs, e.worstAbs, e.maxRel, e.worstRel)
}

func TestGoldenActivations(t *testing.T) {
	var g goldenFile
	readJSON(t, "activations.json", &g)
	n, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) == 0 {
		t.Fatal("no golden cases")
	}
	for _, cs := range g.Cases {
		t.Run(cs.Name, func(t *testing.T) {
			img := patternImage(cs.Kind, cs.H, cs.W)
			ws := n.getWorkspace(cs.H, cs.W)
			got := make([]float32, NumTaps)
			var raw, taps errStats
			seen := 0
			n.forward(ws, img, cs.H, cs.W, got, func(_ int, name string, act []float32, h, w, c int) {
				ref, ok := cs.Layers[name+"_relu"]
				if !ok {
					return
				}
				seen++
				if ref.Shape[0] != h || ref.Shape[1] != w || ref.Shape[2] != c {
					t.Errorf("%s: shape %dx%dx%d, want %v", name, h, w, c, ref.Shape)
					return
				}
				for _, s := range ref.Samples {
					y, x, k := int(s[0]), int(s[1]), int(s[2])
					raw.check(t, name+"_relu"+posString(y, x, k), float64(act[(y*w+x)*c+k]), s[3])
				}
			})
			if seen != len(cs.Layers) {
				t.Errorf("hook saw %d of the %d sampled layers", seen, len(cs.Layers))
			}
			if len(cs.Taps) != NumTaps {
				t.Fatalf("golden has %d taps", len(cs.Taps))
			}
			for i, want := range cs.Taps {
				taps.check(t, "tap["+itoa(i)+"]", float64(got[i]), want)
			}
			raw.log(t, "raw activations")
			taps.log(t, "taps")
		})
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func posString(y, x, c int) string {
	return "[y=" + itoa(y) + " x=" + itoa(x) + " c=" + itoa(c) + "]"
}
