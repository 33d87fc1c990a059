package quality

import (
	"fmt"
	"math"

	"lightbox/quality/internal/features"
)

// GradedTerm maps the regression's output and the four monotone components (blur, noise,
// exposure, compression) to ClarityScore. The regression judges a photo as people rated
// it; the ratings hold few synthetic degradations, so on its own it can stall or even rise
// along a ladder (heavy noise reads as detail, darkness hides noise). The components fall
// along their own ladders by construction, and each takes from the score a non-decreasing,
// smooth function of its own damage: a weighted sum of fixed basis functions (Basis) with
// non-negative weights, fitted together with the regression's weight on the human ratings
// and on the known order of graded ladders (quality/cmd/train). So the score falls at
// every rung, by amounts that grow with the damage, and has no knee to fall off.
//
// A component is read as g = ln(1 + value): the components saturate near 0 for heavy
// damage (value ~ 1/sigma² for noise), and in logs the steps between bad and worse rungs
// stay as large as between good ones.
type GradedTerm struct {
	Base   float64 `json:"base"`   // weight of the regression output
	Offset float64 `json:"offset"` // added before the damage terms
	// Knots (in g) and Width of the softplus hinges, and the scales of the saturating
	// terms; see Basis.
	Knots []float64 `json:"knots"`
	Width float64   `json:"width"`
	Sat   []float64 `json:"saturate"`
	// Drop holds, per component in the order blur, noise, exposure, compression, the
	// non-negative weight of each basis function.
	Drop [4][]float64 `json:"drop"`
	// Tech weighs the standardised, clamped hand-crafted features (the regression's own
	// first inputs): fitted with the ladders, they correct what the regression reads the
	// wrong way on degradations the ratings barely hold (a brightened photo's washed-out
	// highlights), with any sign.
	Tech []float64 `json:"tech"`
	// Coords weighs the photo's coordinates on the kernel's principal components (which
	// summarise the backbone's activations), for the same purpose.
	Coords []float64 `json:"coords,omitempty"`
	// QualityKnots (IJG quality) and QualityWidth shape the header-quality damage basis
	// (QualityBasis) and QualityDrop holds its non-negative weights: a JPEG's quantisation
	// tables say how hard it was compressed even where the pixels barely show it yet
	// (quality 95 to 85 moves the compression component by one point), and they are
	// read, not estimated, so this term costs nothing on photos saved alike.
	QualityKnots []float64 `json:"quality_knots,omitempty"`
	QualityWidth float64   `json:"quality_width,omitempty"`
	QualityDrop  []float64 `json:"quality_drop,omitempty"`
	// Hinges take points for raw hand-crafted features past a point (over- and
	// under-exposure: the key in stops, the share of clipped pixels), where the exposure
	// component has already reached 0 and can no longer tell a bad copy from a worse one.
	Hinges []Hinge `json:"hinges,omitempty"`
	// Tail is the width of the smooth ends of the scale: instead of clamping, scores below
	// Tail approach 0 (and above 100-Tail approach 100) exponentially, so that images worse
	// than bad keep their order until the integers run out.
	Tail float64 `json:"tail"`
}

// Hinge is a damage basis on one raw hand-crafted feature x (unclamped, unlike the
// regression's inputs, so that it keeps growing past anything seen in the ratings):
// Weight · 10·Width·softplus(Sign·(x-Knot)/Width), a smooth hinge that is near zero on the
// good side of Knot and rises with slope 10·Weight per unit of x beyond it.
type Hinge struct {
	Feature string  `json:"feature"`
	Sign    float64 `json:"sign"` // +1: damage grows with x; -1: as x falls
	Knot    float64 `json:"knot"`
	Width   float64 `json:"width"`
	Weight  float64 `json:"weight"`
}

// featureIndex maps each hand-crafted feature's name to its place in Measurement.Tech.
var featureIndex = func() map[string]int {
	m := make(map[string]int, len(features.Names))
	for j, n := range features.Names {
		m[n] = j
	}
	return m
}()

// TechIndex is the place of the named hand-crafted feature in Measurement.Tech.
func TechIndex(name string) (int, bool) {
	j, ok := featureIndex[name]
	return j, ok
}

// HingeBasis is the hinge's value at x before its weight.
func HingeBasis(x, sign, knot, width float64) float64 {
	return 10 * width * softplus(sign*(x-knot)/width)
}

// gMax is g for an undamaged component (value 100).
var gMax = math.Log(101)

// Basis writes the damage basis of a component value v (0..100, higher = better) into dst
// (1+len(knots)+len(sat)): first gMax-g; then for each knot t, width·softplus((t-g)/width);
// then for each scale c, c·(1-exp(-(100-v)/c)), which is steep for the first points of
// damage and saturates (the step from JPEG quality 95 to 85 moves the compression component
// by one point; a log term that made it count would count far too much at the bottom).
// Every basis function is zero or small for an undamaged component, grows as v falls, and
// is smooth, so non-negative weights give a smooth non-increasing score.
func Basis(dst []float64, v float64, knots []float64, width float64, sat []float64) {
	v = min(max(v, 0), 100)
	g := math.Log1p(v)
	dst[0] = gMax - g
	for k, t := range knots {
		dst[1+k] = width * softplus((t-g)/width)
	}
	for k, c := range sat {
		dst[1+len(knots)+k] = c * -math.Expm1(-(100-v)/c)
	}
}

// QualityBasis writes the header-quality damage basis of IJG quality q (1..100; 100 for a
// file that is not a JPEG) into dst (1+len(knots)): first (100-q)/10, one unit per ten
// quality steps; then for each knot t a smooth step logistic((t-q)/width) from 0 above t to
// 1 below it, so that the fit can charge each stretch of quality for what the pixels miss
// there (the regression can even rise from quality 65 to 55). All grow as q falls, so
// non-negative weights give a score that never rises as quality is lowered.
func QualityBasis(dst []float64, q float64, knots []float64, width float64) {
	q = min(max(q, 1), 100)
	dst[0] = (100 - q) / 10
	for k, t := range knots {
		dst[1+k] = 1 / (1 + math.Exp(-(t-q)/width))
	}
}

// basisLen is the number of basis functions per component.
func (t *GradedTerm) basisLen() int { return 1 + len(t.Knots) + len(t.Sat) }

func softplus(x float64) float64 {
	if x > 30 {
		return x
	}
	return math.Log1p(math.Exp(x))
}

// Value is the score before the ends of the scale are smoothed (see Squash); tech is the
// standardised, clamped features (ClarityModel.Standardized; the hand-crafted ones come
// first) and coords their coordinates on the kernel's components (KernelTerm.Project).
// techRaw is the hand-crafted features as measured (Measurement.Tech): the hinges and the
// header quality read them.
func (t *GradedTerm) Value(raw float64, tech, coords []float64, c features.Components, techRaw []float64) float64 {
	s := t.Offset + t.Base*raw
	for j, w := range t.Tech {
		s += w * tech[j]
	}
	for j, w := range t.Coords {
		s += w * coords[j]
	}
	b := make([]float64, t.basisLen())
	for ci, v := range [4]float64{c.Blur, c.Noise, c.Exposure, c.Compression} {
		Basis(b, v, t.Knots, t.Width, t.Sat)
		for k, w := range t.Drop[ci] {
			s -= w * b[k]
		}
	}
	for _, h := range t.Hinges {
		s -= h.Weight * HingeBasis(techRaw[featureIndex[h.Feature]], h.Sign, h.Knot, h.Width)
	}
	if len(t.QualityDrop) > 0 {
		qb := make([]float64, len(t.QualityDrop))
		QualityBasis(qb, techRaw[features.CompQuality], t.QualityKnots, t.QualityWidth)
		for k, w := range t.QualityDrop {
			s -= w * qb[k]
		}
	}
	return s
}

// Squash maps any value to (0, 100), the identity on [tail, 100-tail], with exponential
// ends joined smoothly (value and slope): monotone, so order survives to the last integer.
func Squash(x, tail float64) float64 {
	switch {
	case tail <= 0:
		return min(max(x, 0), 100)
	case x < tail:
		return tail * math.Exp((x-tail)/tail)
	case x > 100-tail:
		return 100 - tail*math.Exp((100-tail-x)/tail)
	}
	return x
}

func (t *GradedTerm) check() error {
	if t.Width <= 0 || t.Base < 0 || t.Tail < 0 {
		return fmt.Errorf("graded term: width %g, base weight %g, tail %g", t.Width, t.Base, t.Tail)
	}
	for ci, ws := range t.Drop {
		if len(ws) != t.basisLen() {
			return fmt.Errorf("graded term: component %d has %d weights for %d basis functions", ci, len(ws), t.basisLen())
		}
		for _, w := range ws {
			if !(w >= 0) {
				return fmt.Errorf("graded term: component %d has weight %g: the score must not rise with damage", ci, w)
			}
		}
	}
	for _, h := range t.Hinges {
		if _, ok := featureIndex[h.Feature]; !ok || (h.Sign != 1 && h.Sign != -1) || !(h.Width > 0) || !(h.Weight >= 0) {
			return fmt.Errorf("graded term: hinge on %q (sign %g, width %g, weight %g): the feature must exist, the sign be ±1, the width positive and the weight not negative", h.Feature, h.Sign, h.Width, h.Weight)
		}
	}
	if len(t.QualityDrop) > 0 {
		if len(t.QualityDrop) != 1+len(t.QualityKnots) || t.QualityWidth <= 0 {
			return fmt.Errorf("graded term: %d header-quality weights for %d knots, width %g", len(t.QualityDrop), len(t.QualityKnots), t.QualityWidth)
		}
		for _, w := range t.QualityDrop {
			if !(w >= 0) {
				return fmt.Errorf("graded term: header-quality weight %g: the score must not rise as quality falls", w)
			}
		}
	}
	return nil
}
