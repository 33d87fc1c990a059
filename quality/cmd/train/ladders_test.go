package main

import (
	"math"
	"testing"

	"lightbox/quality"
	"lightbox/quality/internal/features"
	"lightbox/quality/synth"
)

// bestKey finds the peak of ratings that fall with the distance of the key from +0.4.
func TestBestKey(t *testing.T) {
	var samples []sample
	for k := -2.0; k <= 2; k += 0.05 {
		tech := make([]float64, features.NumFeatures)
		tech[features.ExpKey] = k
		samples = append(samples, sample{MOS: 70 - 20*math.Abs(k-0.4), M: quality.Measurement{Tech: tech}})
	}
	if got := bestKey(samples); math.Abs(got-0.4) > 0.02 {
		t.Fatalf("bestKey %+.2f, want +0.40", got)
	}
}

// Components recomputed from cached features equal those Measure gives, so a cache made
// before a component's formula changed still trains on the current formula.
func TestRecomputeComponents(t *testing.T) {
	scene := synth.Scene(7, 320, 240)
	for _, img := range [][]byte{synth.EncodePNG(synth.RGBA(scene)), synth.EncodeJPEG(scene, 40), synth.EncodePNG(synth.RGBA(synth.Exposure(scene, 1.5)))} {
		m, err := quality.Measure(img, quality.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := m.Components
		m.Components = features.Components{}
		recomputeComponents(&m)
		if m.Components != want {
			t.Fatalf("recomputed %+v, Measure gave %+v", m.Components, want)
		}
	}
}

// The ladder photos are well exposed and rated at least 50, spread over the file order.
func TestLadderPhotosWellExposed(t *testing.T) {
	var samples []sample
	for i := range 100 {
		tech := make([]float64, features.NumFeatures)
		tech[features.ExpKey] = quality.BestKey + float64(i%5-2)*0.2 // keys off by 0, ±0.2, ±0.4
		samples = append(samples, sample{MOS: float64(40 + i%3*10), M: quality.Measurement{Tech: tech}})
	}
	photos := ladderPhotos(samples, 5)
	if len(photos) != 5 {
		t.Fatalf("%d photos, want 5", len(photos))
	}
	for _, p := range photos {
		if s := samples[p]; s.MOS < 50 || !quality.WellExposed(s.M) {
			t.Errorf("photo %d: rated %.0f, key %+.2f", p, s.MOS, s.M.Tech[features.ExpKey])
		}
	}
	if photos[4] < 50 {
		t.Errorf("photos %v bunch at the start of the file order", photos)
	}
}
