package features

import (
	"image/color"
	"math"
	"sync"
	"testing"

	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

func TestNamesAreCompleteAndUnique(t *testing.T) {
	if len(Names) != NumFeatures {
		t.Fatalf("len(Names) = %d, want %d", len(Names), NumFeatures)
	}
	seen := map[string]bool{}
	for i, n := range Names {
		if n == "" {
			t.Errorf("feature %d has no name", i)
		}
		if seen[n] {
			t.Errorf("duplicate name %q", n)
		}
		seen[n] = true
	}
	if NumFeatures < 30 || NumFeatures > 80 {
		t.Errorf("%d features; the design asks for about 30-60 plus NSS", NumFeatures)
	}
}

func checkFinite(t *testing.T, name string, in Input) []float64 {
	t.Helper()
	v := Technical(in)
	if len(v) != len(Names) {
		t.Fatalf("%s: %d values, want %d", name, len(v), len(Names))
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			t.Errorf("%s: %s = %v", name, Names[i], x)
		}
	}
	c := ComponentsOf(in, v)
	for _, x := range []float64{c.Blur, c.Noise, c.Exposure, c.Compression} {
		if math.IsNaN(x) || x < 0 || x > 100 {
			t.Errorf("%s: component out of 0..100: %+v", name, c)
			break
		}
	}
	return v
}

func noiseOnly(w, h int, sigma float64, seed uint64) *raster.Image {
	return synth.Noise(synth.Solid(w, h, 128, 128, 128), sigma, seed)
}

func TestFeaturesFiniteOnDegenerateImages(t *testing.T) {
	cases := map[string]*raster.Image{
		"black 500x375": synth.Solid(500, 375, 0, 0, 0),
		"white 200x150": synth.Solid(200, 150, 255, 255, 255),
		"red 64x64":     synth.Solid(64, 64, 255, 0, 0),
		"1x1":           synth.Solid(1, 1, 10, 20, 30),
		"2x2":           synth.Scene(1, 2, 2),
		"3x500":         synth.Scene(2, 3, 500),
		"500x3":         synth.Scene(3, 500, 3),
		"7x9":           synth.Scene(4, 7, 9),
		"text page":     synth.Text(500, 375, 16, color.RGBA{255, 255, 255, 255}, color.RGBA{0, 0, 0, 255}),
		"terminal":      synth.Text(400, 300, 12, color.RGBA{0, 0, 0, 255}, color.RGBA{200, 255, 200, 255}),
		"noise σ40":     noiseOnly(200, 150, 40, 1),
		"noise σ120":    noiseOnly(200, 150, 120, 2),
		"gradient":      synth.Gradient(200, 150, [3]uint8{0, 0, 0}, [3]uint8{255, 255, 255}),
		"wall":          synth.Wall(1, 300, 200),
	}
	for name, m := range cases {
		checkFinite(t, name, plainInput(m))
		// Also as a JPEG with a zero (unknown) table and as an input whose caller
		// shrank a much larger file.
		in := plainInput(m)
		in.JPEG = &JPEGInfo{}
		in.OrigW, in.OrigH, in.FileBytes = m.W*9, m.H*9, 1
		checkFinite(t, name+" (jpeg header, resized)", in)
	}
	// Garbage pixels (out of range, NaN, Inf) must not panic, and still give finite values.
	bad := synth.Scene(6, 64, 48)
	bad.R[5], bad.G[7], bad.B[9], bad.R[100] = float32(math.NaN()), float32(math.Inf(1)), -300, 900
	checkFinite(t, "garbage pixels", plainInputRaw(bad))
	// No luma supplied, and no image at all.
	m := synth.Scene(5, 50, 40)
	checkFinite(t, "nil luma", Input{Img: m})
	if v := Technical(Input{}); len(v) != NumFeatures {
		t.Fatalf("empty input: %d values", len(v))
	}
}

func TestSharpCleanPhotoScoresWell(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		in := plainInput(synth.Scene(seed, 500, 375))
		c := ComponentsOf(in, Technical(in))
		t.Logf("seed %d: %+v", seed, c)
		for _, x := range []float64{c.Blur, c.Noise, c.Exposure, c.Compression} {
			if x < 70 {
				t.Errorf("seed %d: clean scene scores %+v, want every component >= 70", seed, c)
				break
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := jpegInput(synth.Scene(7, 500, 375), 70)
	b := plainInput(synth.Noise(synth.Scene(8, 320, 480), 12, 1))
	va := Technical(a)
	Technical(b) // dirty the pooled workspace with another size
	va2 := Technical(a)
	for i := range va {
		if math.Float64bits(va[i]) != math.Float64bits(va2[i]) {
			t.Errorf("%s: %v then %v", Names[i], va[i], va2[i])
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	var ins []Input
	for s := range uint64(4) {
		ins = append(ins, plainInput(synth.Scene(s, 200+40*int(s), 150)))
	}
	want := make([][]float64, len(ins))
	for i, in := range ins {
		want[i] = Technical(in)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range 3 {
				i := (g + r) % len(ins)
				got := Technical(ins[i])
				for f := range got {
					if math.Float64bits(got[f]) != math.Float64bits(want[i][f]) {
						errs <- Names[f]
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent call changed %s", e)
	}
}

func TestSteadyStateAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	in := plainInput(synth.Scene(1, 500, 375))
	v := make([]float64, NumFeatures)
	TechnicalInto(in, v)
	if a := testing.AllocsPerRun(20, func() { TechnicalInto(in, v) }); a > 1 {
		t.Errorf("%.1f allocations per call in steady state", a)
	}
}

func TestEstimateJPEGQuality(t *testing.T) {
	for q := 1; q <= 100; q++ {
		if got := EstimateJPEGQuality(ijgTable(q)); got != float64(q) {
			t.Errorf("IJG table for quality %d estimated as %v", q, got)
		}
	}
	// Tables written by Go's encoder, read back from the file.
	for _, q := range []int{4, 25, 50, 75, 90, 100} {
		info := parseJPEGInfo(synth.EncodeJPEG(synth.Scene(1, 32, 32), q))
		if got := EstimateJPEGQuality(info.LumaQuant); got != float64(q) {
			t.Errorf("Go-encoded quality %d estimated as %v", q, got)
		}
	}
	// A non-IJG table (every step 1.5x the q=80 one) lands between the right neighbours.
	var odd [64]uint16
	for i, x := range ijgTable(80) {
		odd[i] = uint16(math.Round(float64(x) * 1.5))
	}
	if got := EstimateJPEGQuality(odd); got < 60 || got > 80 {
		t.Errorf("scaled table estimated as %v, want 60..80", got)
	}
	if got := EstimateJPEGQuality([64]uint16{}); got != 100 {
		t.Errorf("empty table: %v", got)
	}
}

func TestNoiseEstimateTracksSigma(t *testing.T) {
	// Luma noise sigma is 0.668x the per-channel sigma for independent RGB noise.
	for _, s := range []float64{3, 10, 25} {
		in := plainInput(noiseOnly(256, 192, s, 3))
		v := Technical(in)
		want := 0.668 * s
		for _, f := range []int{NoiseImmerkaer, NoiseWhite} {
			if math.Abs(v[f]-want) > 0.2*want+0.5 {
				t.Errorf("sigma %v: %s = %.2f, want about %.2f", s, Names[f], v[f], want)
			}
		}
	}
	// Fine texture is not noise: a clean scene's white-noise estimate stays near its floor.
	v := Technical(plainInput(synth.Scene(2, 500, 375)))
	if v[NoiseWhite] > 1.5 {
		t.Errorf("clean scene: noise.white = %.2f", v[NoiseWhite])
	}
}

func TestGGDShapeFit(t *testing.T) {
	for _, a := range []float64{0.3, 0.5, 1, 2, 3.5, 8} {
		if got := shapeFromRho(rhoOf(a)); math.Abs(got-a) > 1e-3*a {
			t.Errorf("shapeFromRho(rho(%v)) = %v", a, got)
		}
	}
	// Gaussian: rho = 2/pi, shape 2; Laplacian: rho = 1/2, shape 1.
	if got := shapeFromRho(2 / math.Pi); math.Abs(got-2) > 1e-3 {
		t.Errorf("Gaussian shape %v", got)
	}
	if got := shapeFromRho(0.5); math.Abs(got-1) > 1e-3 {
		t.Errorf("Laplacian shape %v", got)
	}
}

func TestBlockinessNeedsTheGrid(t *testing.T) {
	j := jpegInput(synth.Scene(1, 500, 375), 20)
	v := Technical(j)
	if v[CompBlockRatio] < 0.5 {
		t.Errorf("quality-20 JPEG at its own size: block ratio %.2f, want >= 0.5", v[CompBlockRatio])
	}
	// The same pixels said to come from a file 4x larger: the 8-px grid is averaged away
	// (period 2 px), so the measure must stand down to its neutral value.
	j.OrigW, j.OrigH = 2000, 1500
	v = Technical(j)
	if v[CompBlockRatio] != 0 {
		t.Errorf("misaligned grid: block ratio %.3f, want neutral 0", v[CompBlockRatio])
	}
}

// TestBlockinessOnScaledGrid: when the caller shrank the decoded JPEG by up to 2x, blocking
// is still found on the 8-px grid scaled by the same factor.
func TestBlockinessOnScaledGrid(t *testing.T) {
	for _, ow := range []int{625, 1000} {
		oh := ow * 3 / 4
		base := synth.Scene(1, ow, oh)
		var br [2]float64
		for k, q := range []int{90, 20} {
			j := jpegInput(base, q)
			r := j.Img.Resize(500, 375)
			br[k] = Technical(Input{Img: r, Luma: r.Luma(), OrigW: ow, OrigH: oh})[CompBlockRatio]
		}
		if br[1] < br[0]+0.4 {
			t.Errorf("%dx%d shrunk to 500x375: block ratio q90 %.2f, q20 %.2f", ow, oh, br[0], br[1])
		}
	}
}

// plainInputRaw wraps m without rounding it to 8 bits.
func plainInputRaw(m *raster.Image) Input {
	return Input{Img: m, Luma: m.Luma(), OrigW: m.W, OrigH: m.H}
}

func TestGreyFlag(t *testing.T) {
	scene := synth.Scene(2, 200, 150)
	grey := synth.Desaturate(scene, 1, 0)
	b := synth.EncodeImageJPEG(synth.Gray(scene), 90)
	cases := []struct {
		name string
		in   Input
		want float64
	}{
		{"colour scene", plainInput(scene), 0},
		{"desaturated RGB", plainInput(grey), 1},
		{"one-channel JPEG", inputOf(scene, len(b), parseJPEGInfo(b)), 1},
	}
	for _, c := range cases {
		if got := Technical(c.in)[ColGrey]; got != c.want {
			t.Errorf("%s: col.grey = %v, want %v", c.name, got, c.want)
		}
	}
}
