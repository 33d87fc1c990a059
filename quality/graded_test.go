package quality

import (
	"math"
	"strings"
	"testing"

	"lightbox/quality/internal/features"
)

// The header-quality basis grows as quality falls, every function of it, so non-negative
// weights can only lower the score of a more compressed file.
func TestQualityBasisNeverFallsAsQualityFalls(t *testing.T) {
	knots := []float64{90, 60, 10}
	prev := make([]float64, 1+len(knots))
	QualityBasis(prev, 100, knots, 2.5)
	for q := 99.5; q >= 1; q -= 0.5 {
		cur := make([]float64, len(prev))
		QualityBasis(cur, q, knots, 2.5)
		for k := range cur {
			if cur[k] < prev[k] {
				t.Fatalf("basis %d falls from %g to %g as quality goes to %g", k, prev[k], cur[k], q)
			}
		}
		prev = cur
	}
	// A step knot is worth most of a unit across one ladder step (logistic(2)-logistic(-2)
	// = 0.76) and nothing far from it.
	lo, hi := make([]float64, 4), make([]float64, 4)
	QualityBasis(hi, 65, knots, 2.5)
	QualityBasis(lo, 55, knots, 2.5)
	if d := lo[2] - hi[2]; d < 0.75 {
		t.Fatalf("the knot at 60 moves %g between q65 and q55, want 0.76", d)
	}
	if d := lo[3] - hi[3]; d > 1e-6 {
		t.Fatalf("the knot at 10 moves %g between q65 and q55, want nearly 0", d)
	}
}

func TestHingeBasisIsSmoothAndOneSided(t *testing.T) {
	// Far on the good side it is nearly 0; far past the knot it rises 10 per unit.
	if v := HingeBasis(0, 1, 1, 0.25); v > 0.05 {
		t.Fatalf("hinge below its knot = %g, want near 0", v)
	}
	if a, b := HingeBasis(3, 1, 1, 0.25), HingeBasis(4, 1, 1, 0.25); math.Abs(b-a-10) > 0.01 {
		t.Fatalf("slope past the knot %g, want 10", b-a)
	}
	// Sign -1 mirrors it: damage grows as the feature falls.
	if a, b := HingeBasis(-3, -1, -1, 0.25), HingeBasis(-4, -1, -1, 0.25); !(b > a) {
		t.Fatalf("a falling-side hinge does not grow as the feature falls: %g then %g", a, b)
	}
}

// Value takes the hinges' and the header quality's points from the raw features.
func TestGradedValueTakesHingeAndQualityPoints(t *testing.T) {
	g := GradedTerm{Base: 1, Width: 1, Drop: [4][]float64{{0}, {0}, {0}, {0}},
		QualityKnots: []float64{60}, QualityWidth: 2.5, QualityDrop: []float64{2, 5},
		Hinges: []Hinge{{Feature: "exp.key_stops", Sign: 1, Knot: 1, Width: 0.25, Weight: 0.5}}}
	if err := g.check(); err != nil {
		t.Fatal(err)
	}
	comps := features.Components{Blur: 100, Noise: 100, Exposure: 100, Compression: 100}
	raw := make([]float64, len(features.Names))
	raw[features.CompQuality] = 100
	raw[features.ExpKey] = 0
	base := g.Value(50, raw, nil, comps, raw)
	raw[features.CompQuality] = 50 // 5 units of slope (10 points) and 98% of the step at 60 (4.91)
	if d := base - g.Value(50, raw, nil, comps, raw); math.Abs(d-14.91) > 0.01 {
		t.Fatalf("quality 100 to 50 costs %g points, want 14.91", d)
	}
	raw[features.CompQuality] = 100
	raw[features.ExpKey] = 3 // two stops past the knot: 0.5 × 10 × 2
	if d := base - g.Value(50, raw, nil, comps, raw); math.Abs(d-10) > 0.05 {
		t.Fatalf("two stops past the key's knot cost %g points, want 10", d)
	}
}

func TestGradedTermRefusesRisingOrUnknownTerms(t *testing.T) {
	ok := func() GradedTerm {
		return GradedTerm{Base: 1, Width: 1, Drop: [4][]float64{{0}, {0}, {0}, {0}},
			QualityKnots: []float64{60}, QualityWidth: 2.5, QualityDrop: []float64{1, 1},
			Hinges: []Hinge{{Feature: "exp.clip_high", Sign: 1, Knot: 0.2, Width: 0.05, Weight: 1}}}
	}
	for name, tc := range map[string]struct {
		edit func(*GradedTerm)
		want string
	}{
		"negative quality weight":    {func(g *GradedTerm) { g.QualityDrop[1] = -1 }, "must not rise"},
		"quality weights miscounted": {func(g *GradedTerm) { g.QualityDrop = []float64{1} }, "header-quality weights"},
		"unknown feature":            {func(g *GradedTerm) { g.Hinges[0].Feature = "exp.nonsense" }, "must exist"},
		"negative hinge weight":      {func(g *GradedTerm) { g.Hinges[0].Weight = -0.1 }, "weight"},
		"sign not ±1":                {func(g *GradedTerm) { g.Hinges[0].Sign = 2 }, "sign"},
		"NaN hinge weight":           {func(g *GradedTerm) { g.Hinges[0].Weight = math.NaN() }, "weight"},
	} {
		g := ok()
		if err := g.check(); err != nil {
			t.Fatalf("the valid term is refused: %v", err)
		}
		tc.edit(&g)
		err := g.check()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", name, err, tc.want)
		}
	}
}
