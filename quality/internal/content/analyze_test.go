package content

import (
	"math"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"

	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

func TestNamesMatchVector(t *testing.T) {
	v := analyze(synth.Scene(1, 64, 48)).Vector()
	if len(v) != len(Names) {
		t.Fatalf("Vector has %d values, Names has %d", len(v), len(Names))
	}
	seen := map[string]bool{}
	for _, n := range Names {
		if seen[n] {
			t.Errorf("duplicate feature name %q", n)
		}
		seen[n] = true
	}
}

func finite(t *testing.T, name string, a Analysis) {
	t.Helper()
	for i, v := range a.Vector() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("%s: feature %s = %v", name, Names[i], v)
		}
	}
	for _, s := range []int{Aesthetic(a, 50), LowQuality(a, 50)} {
		if s < 0 || s > 100 {
			t.Errorf("%s: score %d outside 0..100", name, s)
		}
	}
}

func TestDegenerateInputsGiveFiniteFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(w, h int) *raster.Image {
		m := raster.New(w, h)
		for i := range m.R {
			m.R[i], m.G[i], m.B[i] = 255*rng.Float32(), 255*rng.Float32(), 255*rng.Float32()
		}
		return m
	}
	cases := map[string]*raster.Image{
		"1x1":           synth.Solid(1, 1, 10, 20, 30),
		"1x1 random":    random(1, 1),
		"2x2 random":    random(2, 2),
		"3x500 random":  random(3, 500),
		"500x3 random":  random(500, 3),
		"3x500 scene":   synth.Scene(1, 3, 500),
		"7x5 text":      synth.Text(7, 5, 10, white, ink),
		"solid black":   synth.Solid(300, 200, 0, 0, 0),
		"solid white":   synth.Solid(300, 200, 255, 255, 255),
		"noise":         random(200, 150),
		"scene 512x512": synth.Scene(2, 512, 512),
	}
	for name, m := range cases {
		finite(t, name, Analyze(m, m.Luma()))
		finite(t, name+" nil luma", Analyze(m, nil))
	}
	nan := synth.Scene(3, 64, 48)
	nan.R[100], nan.G[7], nan.B[2000] = float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))
	finite(t, "NaN and Inf pixels", Analyze(nan, nil))
	finite(t, "nil image", Analyze(nil, nil))
	finite(t, "empty image", Analyze(raster.New(0, 0), nil))
}

func TestAnalyzeIsDeterministicAndConcurrencySafe(t *testing.T) {
	imgs := []*raster.Image{
		synth.Scene(1, 160, 120), synth.Text(160, 120, 10, white, ink), synth.Wall(1, 160, 120),
	}
	want := make([]Analysis, len(imgs))
	for i, m := range imgs {
		want[i] = analyze(m)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := range 4 {
		wg.Go(func() {
			for k := range 3 {
				i := (g + k) % len(imgs)
				if got := analyze(imgs[i]); !reflect.DeepEqual(got, want[i]) {
					errs <- "concurrent Analyze gave a different result"
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestTiltIsMeasured(t *testing.T) {
	for _, seed := range ladderSeeds() {
		if a := analyze(scene(seed)); a.TiltConfidence > 0.2 {
			t.Errorf("seed %d level scene: tilt %.1f° with confidence %.2f, want low confidence", seed, a.Tilt, a.TiltConfidence)
		}
		for _, l := range ladders(seed) {
			if l.name != "tilt" {
				continue
			}
			for k, deg := range []float64{5, 10, 15} {
				a := analyze(l.steps[k+1].img)
				if math.Abs(math.Abs(a.Tilt)-deg) > 1.5 || a.TiltConfidence < 0.5 {
					t.Errorf("seed %d rotated %g°: tilt %.1f° confidence %.2f", seed, deg, a.Tilt, a.TiltConfidence)
				}
			}
		}
	}
}

func TestLetterboxIsMeasured(t *testing.T) {
	sc := scene(2)
	if a := analyze(sc); a.Letterbox > 0.02 {
		t.Errorf("plain scene: letterbox %.3f, want 0", a.Letterbox)
	}
	for _, f := range []float64{0.1, 0.2} {
		a := analyze(synth.Letterbox(sc, f, 0))
		if math.Abs(a.Letterbox-2*f) > 0.03 {
			t.Errorf("bars of %.2f: letterbox %.3f, want %.2f", f, a.Letterbox, 2*f)
		}
	}
}

func TestFastAtan2(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 10000 {
		y, x := rng.NormFloat64()*100, rng.NormFloat64()*100
		if d := math.Abs(fastAtan2(y, x) - math.Atan2(y, x)); d > 1e-6 {
			t.Fatalf("fastAtan2(%v, %v) off by %v", y, x, d)
		}
	}
	for _, p := range [][2]float64{{0, 1}, {1, 0}, {0, -1}, {-1, 0}, {1, 1}, {-1, -1}} {
		if d := math.Abs(fastAtan2(p[0], p[1]) - math.Atan2(p[0], p[1])); d > 1e-6 {
			t.Errorf("fastAtan2%v off by %v", p, d)
		}
	}
}
