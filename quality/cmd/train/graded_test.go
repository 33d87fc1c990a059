package main

import (
	"math"
	"testing"

	"lightbox/quality"
	"lightbox/quality/internal/features"
)

// The fitted parameters and the deployed term must score alike: newItem lays the basis
// out, gradedTerm reads the weights back in the same order (components, header quality,
// hinges, then the free feature weights).
func TestDeployedGradedTermMatchesTheFitLayout(t *testing.T) {
	tech := make([]float64, len(features.Names))
	for j := range tech {
		tech[j] = 0.1 * float64(j%7)
	}
	tech[features.CompQuality] = 55
	tech[features.ExpKey] = 1.8
	tech[features.ExpClipHigh] = 0.35
	m := quality.Measurement{Tech: tech, Components: features.Components{Blur: 40, Noise: 90, Exposure: 3, Compression: 70}}
	z := make([]float64, len(tech)) // standardised features, as the fit sees them
	for j := range z {
		z[j] = math.Sin(float64(j))
	}
	it := newItem(61.5, z, m)
	p := make([]float64, 2+len(it.basis)+len(z))
	for j := range p {
		p[j] = 0.05 * float64(1+j%11) // every weight distinct and positive
	}
	spread := make([]float64, len(z))
	for j := range spread {
		spread[j] = 1
	}
	g := gradedTerm(p, len(z), spread)
	if len(g.Hinges) != len(gradedHinges) || len(g.QualityDrop) != 1+len(gradedQKnots) {
		t.Fatalf("deployed term has %d hinges and %d quality weights", len(g.Hinges), len(g.QualityDrop))
	}
	want := gradedValue(p, it)
	if got := g.Value(61.5, z, nil, m.Components, tech); math.Abs(got-want) > 1e-9 {
		t.Fatalf("deployed term scores %v, the fit %v", got, want)
	}
}

// Every header-quality step keeps at least gradedQStep points however little the ladders
// ask of it (here they ask nothing: the copies' pixels and header are the photo's).
func TestHeaderQualityStepsFloored(t *testing.T) {
	mk := func(raw, q float64) item {
		tech := make([]float64, len(features.Names))
		tech[features.CompQuality] = q
		return newItem(raw, make([]float64, len(tech)), quality.Measurement{Tech: tech, Components: features.Components{Blur: 90, Noise: 90, Exposure: 90, Compression: 90}})
	}
	var photos []item
	var y []float64
	for i := range 40 {
		photos = append(photos, mk(float64(40+i), 75))
		y = append(y, float64(40+i))
	}
	rungs := []item{mk(60, 95), mk(60, 85)}
	defer func(w float64) { gradedWeight = w }(gradedWeight)
	gradedWeight = 1
	p := fitGraded(photos, y, rungs, [][]int{{0, 1}})
	g := gradedTerm(p, len(features.Names), ones(len(features.Names)))
	for i, w := range g.QualityDrop[1:] {
		if w < gradedQStep-1e-9 {
			t.Errorf("header step at quality %v weighs %.3f, want at least %v", gradedQKnots[i], w, gradedQStep)
		}
	}
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}
