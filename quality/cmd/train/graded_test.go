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
