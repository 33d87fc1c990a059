package content

import (
	"fmt"
	"testing"

	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

func lowQuality(m *raster.Image) int { return LowQuality(analyze(m), fixedClarity) }

func TestLowQualityPoorContentScoresLow(t *testing.T) {
	var cl caseList
	cl.add("solid grey", func() *raster.Image { return synth.Solid(testW, testH, 128, 128, 128) })
	cl.add("solid red jpeg50", func() *raster.Image { return synth.JPEG(synth.Solid(testW, testH, 230, 20, 30), 50) })
	cl.add("gradient", func() *raster.Image {
		return synth.Gradient(testW, testH, [3]uint8{20, 60, 160}, [3]uint8{240, 200, 120})
	})
	for s := uint64(1); s <= 2; s++ {
		cl.add(fmt.Sprintf("empty: wall %d", s), func() *raster.Image { return synth.Wall(s, testW, testH) })
		cl.add(fmt.Sprintf("empty: sparse sky %d", s), func() *raster.Image { return synth.Sparse(s, testW, testH) })
	}
	for _, size := range []float64{10, 16, 28} {
		cl.add(fmt.Sprintf("text %gpx", size), func() *raster.Image { return synth.Text(testW, testH, size, white, ink) })
		cl.add(fmt.Sprintf("terminal %gpx", size), func() *raster.Image { return synth.Text(testW, testH, size, terminal, green) })
	}
	cl.add("document page", func() *raster.Image { return document(testW, testH) })
	cl.add("screenshot", func() *raster.Image { return screenshot(testW, testH, 12) })
	for _, seed := range []uint64{1, 4} {
		sc := scene(seed)
		for _, f := range []float64{0.15, 0.2, 0.25} {
			cl.add(fmt.Sprintf("scene %d letterbox %.2f black", seed, f), func() *raster.Image { return synth.Letterbox(sc, f, 0) })
			cl.add(fmt.Sprintf("scene %d letterbox %.2f white", seed, f), func() *raster.Image { return synth.Letterbox(sc, f, 255) })
		}
	}
	for s := uint64(1); s <= 3; s++ {
		cl.add(fmt.Sprintf("cluttered %d", s), func() *raster.Image { return cluttered(s, testW, testH) })
	}
	for _, c := range cl.cases {
		a := analyze(c.img)
		if s := LowQuality(a, fixedClarity); s >= 50 {
			t.Errorf("%s: LowQualityScore %d, want < 50 (letterbox %.2f, clutter %.2f, residual %.1f, text %.2f)",
				c.name, s, a.Letterbox, a.Clutter, a.Residual, a.TextLikeness)
		}
	}
}

func TestLowQualityNormalScenesScoreHigh(t *testing.T) {
	for _, s := range thin([]uint64{1, 2, 3, 4, 5, 6}) {
		sc := scene(s)
		for name, m := range map[string]*raster.Image{"": sc, " jpeg75": synth.JPEG(sc, 75)} {
			if q := lowQuality(m); q <= 50 {
				a := analyze(m)
				t.Errorf("scene %d%s: LowQualityScore %d, want > 50 (subject %.2f/%.2f, clutter %.2f, letterbox %.2f)",
					s, name, q, a.SubjectContrast, a.CentreFocus, a.Clutter, a.Letterbox)
			}
		}
	}
}

func TestLowQualityLetterboxLowersTheScore(t *testing.T) {
	sc := scene(3)
	prev := lowQuality(sc)
	for _, f := range []float64{0.05, 0.15, 0.25} {
		s := lowQuality(synth.Letterbox(sc, f, 0))
		if s >= prev {
			t.Errorf("letterbox %.2f: %d, not below %d", f, s, prev)
		}
		prev = s
	}
}
