package quality

import (
	"image"
	"testing"

	"lightbox/quality/synth"
)

// The clarity ladders on generated scenes: ClarityScore (before rounding) must fall along
// blur, noise, compression, under- and over-exposure for at least 90 % of rung pairs.
func TestClarityFallsAlongDegradationLadders(t *testing.T) {
	if testing.Short() {
		t.Skip("ladders assess 150 images")
	}
	if raceEnabled {
		t.Skip("no concurrency here; .ci/run runs the ladders without the race detector")
	}
	seeds := []uint64{21, 22, 23, 24, 25}
	for _, l := range synth.ClarityLadders() {
		var ok, pairs int
		for _, seed := range seeds {
			scene := synth.Scene(seed, 500, 375)
			var scores []float64
			for _, rung := range l.Rungs(scene) {
				m, err := Measure(rung, Options{})
				if err != nil {
					t.Fatal(err)
				}
				scores = append(scores, clarity().Predict(m))
			}
			o, n := synth.OrderedShare(scores)
			ok += o
			pairs += n
			if o < n {
				t.Logf("%s seed %d: %v over %v", l.Name, seed, round1(scores), l.Steps)
			}
		}
		share := float64(ok) / float64(pairs)
		t.Logf("%s: %.1f%% of %d pairs in order", l.Name, 100*share, pairs)
		if share < 0.9 {
			t.Errorf("%s ladder: only %.1f%% of pairs in order, want >= 90%%", l.Name, 100*share)
		}
	}
}

// AestheticScore must fall when a photo is desaturated to mush, tilted, badly cropped or
// darkened.
func TestAestheticFallsWithFlaws(t *testing.T) {
	for _, seed := range []uint64{31, 32, 33} {
		s := synth.Scene(seed, 500, 375)
		base := mustAssess(t, synth.EncodePNG(synth.RGBA(s))).AestheticScore
		flaws := map[string][]byte{
			"mush":    synth.EncodePNG(synth.RGBA(synth.Desaturate(s, 0.85, 0.6))),
			"tilt 8":  synth.EncodePNG(synth.RGBA(synth.Rotate(s, 8))),
			"crop":    synth.EncodePNG(synth.RGBA(synth.Crop(s, image.Rect(320, 200, 500, 375)))),
			"dark -2": synth.EncodePNG(synth.RGBA(synth.Exposure(s, -2))),
		}
		for name, data := range flaws {
			if got := mustAssess(t, data).AestheticScore; got >= base {
				t.Errorf("seed %d, %s: AestheticScore %d, not below the original's %d", seed, name, got, base)
			}
		}
	}
}

func round1(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(int(x*10+0.5)) / 10
	}
	return out
}
