package content

import (
	"fmt"
	"image"
	"testing"

	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

// The clarity input is held fixed in these tests: the degradations must be seen by the
// content features themselves, not through the colleague's ClarityScore.
const fixedClarity = 70

func ladderSeeds() []uint64 {
	if raceEnabled || testing.Short() {
		return []uint64{1, 4}
	}
	return []uint64{1, 2, 3, 4, 5}
}

func scene(seed uint64) *raster.Image {
	return cached(fmt.Sprint("scene", seed), func() *raster.Image { return synth.Scene(seed, testW, testH) })
}

// ladder is an ordered list of images, each meant to be worse than the one before it.
type ladder struct {
	name  string
	steps []namedImage
}

func ladders(seed uint64) []ladder {
	return cached(fmt.Sprint("ladders", seed), func() []ladder { return buildLadders(seed) })
}

func buildLadders(seed uint64) []ladder {
	sc := scene(seed)
	orig := namedImage{"original", sc}
	mush := ladder{name: "mush", steps: []namedImage{orig}}
	for _, amt := range []float64{0.3, 0.55, 0.8, 1} {
		mush.steps = append(mush.steps, namedImage{fmt.Sprintf("desaturate %.2f", amt), synth.Desaturate(sc, amt, 0.6)})
	}
	tilt := ladder{name: "tilt", steps: []namedImage{orig}}
	for _, deg := range []float64{5, 10, 15} {
		tilt.steps = append(tilt.steps, namedImage{fmt.Sprintf("rotate %g°", deg), synth.Rotate(sc, deg)})
	}
	dark := ladder{name: "darken", steps: []namedImage{orig}}
	for _, st := range []float64{-1, -2, -3} {
		dark.steps = append(dark.steps, namedImage{fmt.Sprintf("exposure %g", st), synth.Exposure(sc, st)})
	}
	// Framing: from the full frame to a window that cuts the scene's objects at its edges
	// and leaves them in a corner, then a smaller one that does so more.
	crop := ladder{name: "crop", steps: []namedImage{orig}}
	for _, f := range []float64{0.6, 0.45} {
		w, h := int(f*testW), int(f*testH)
		crop.steps = append(crop.steps, namedImage{fmt.Sprintf("corner crop %.2f", f), synth.Crop(sc, image.Rect(testW-w, testH-h, testW, testH))})
	}
	return []ladder{mush, tilt, dark, crop}
}

// badCrops are single bad framings: each quadrant of the frame blown up to full size, which
// cuts the scene's objects at the frame edge or leaves them in a corner.
func badCrops(sc *raster.Image) []namedImage {
	w, h := testW/2, testH/2
	var out []namedImage
	for _, q := range []image.Point{{0, 0}, {w, 0}, {0, h}, {w, h}} {
		out = append(out, namedImage{fmt.Sprintf("quadrant %v", q), synth.Crop(sc, image.Rect(q.X, q.Y, q.X+w, q.Y+h))})
	}
	return out
}

func aesthetic(m *raster.Image) int { return Aesthetic(analyze(m), fixedClarity) }

func TestAestheticDegradationsScoreLower(t *testing.T) {
	for _, seed := range ladderSeeds() {
		sc := scene(seed)
		base := aesthetic(sc)
		if base <= 50 {
			t.Errorf("seed %d: original scene scores %d, want > 50", seed, base)
		}
		var worse []namedImage
		for _, l := range ladders(seed) {
			worse = append(worse, l.steps[1:]...)
		}
		worse = append(worse, badCrops(sc)...)
		for _, d := range worse {
			if s := aesthetic(d.img); s >= base {
				t.Errorf("seed %d: %s scores %d, not below the original's %d", seed, d.name, s, base)
			}
		}
	}
}

func TestAestheticLaddersAreMonotone(t *testing.T) {
	for _, seed := range ladderSeeds() {
		for _, l := range ladders(seed) {
			scores := make([]int, len(l.steps))
			for i, st := range l.steps {
				scores[i] = aesthetic(st.img)
			}
			var pairs, ok int
			for i := range scores {
				for j := i + 1; j < len(scores); j++ {
					pairs++
					if scores[i] > scores[j] {
						ok++
					}
				}
			}
			if float64(ok) < 0.9*float64(pairs) {
				t.Errorf("seed %d %s ladder: scores %v, only %d of %d ordered pairs decrease", seed, l.name, scores, ok, pairs)
			}
		}
	}
}

func TestAestheticClarityMatters(t *testing.T) {
	a := analyze(scene(1))
	lo, mid, hi := Aesthetic(a, 10), Aesthetic(a, 50), Aesthetic(a, 90)
	if !(lo < mid && mid < hi) {
		t.Errorf("clarity 10/50/90 give %d/%d/%d, want increasing", lo, mid, hi)
	}
}

func TestAestheticPureImagesScoreLow(t *testing.T) {
	for _, c := range pureCases() {
		if s := aesthetic(c.img); s >= 35 {
			t.Errorf("%s: aesthetic %d, want < 35 for a pure image", c.name, s)
		}
	}
}
