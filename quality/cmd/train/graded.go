package main

import (
	"fmt"
	"math"
	"strings"

	"lightbox/quality"
	"lightbox/quality/internal/features"
)

// The graded term (quality.GradedTerm) is fitted on two kinds of evidence at once, as
// RankIQA and its successors combine ratings with the known order of synthetic
// degradations:
//   - the rated photos: squared error between the score and the mean opinion score;
//   - the ladders: every pair of rungs of one photo's ladder must be ordered, the worse
//     rung at least gradedMargin points lower (squared hinge), and no step may fall more
//     than gradedCliff points (squared hinge on the excess).
//
// The regression's output enters through the out-of-fold predictions, for the photos and for
// their ladders alike, so the term learns to correct the regression as it behaves on
// photos it has not seen.

var (
	gradedKnots = []float64{math.Log(71), math.Log(41), math.Log(16), math.Log(5)} // components 70, 40, 15, 4
	gradedWidth = 0.3
	gradedSat   = []float64{2, 6, 20}
	gradedTail  = 12.0
	// The header-quality basis (quality.QualityBasis): a slope over all qualities and a
	// step between every two rungs of the JPEG ladder (q95, 85, ..., 5).
	gradedQKnots = []float64{90, 80, 70, 60, 50, 40, 30, 20, 10}
	gradedQWidth = 2.5
)

// gradedQStep is the least weight, in points, of each step of the header-quality basis
// (flag): the quantisation tables are read exactly, so every rung of ten in quality costs at
// least this much whatever the pixels say. The fit alone can leave a step at zero where the
// calibration ladders happen not to need it (quality 25 to 15), and a scene whose pixels
// read no worse at the lower quality then ties or rises.
var gradedQStep = 3.0

// gradedMargin is the least fall between ordered rungs, in points (flag): the score is
// rounded to integers, so a fall of 1 in the fit can round to a tie.
var gradedMargin = 3.0

const (
	gradedIters = 3000
	// gradedCliffFactor weighs the cliff term against the order term (see fitGraded).
	gradedCliffFactor = 30.0
)

// gradedCliff is the largest step a ladder may take (flag): out of fold, steps run a few
// points over it, and issue 16 allows 30.
var gradedCliff = 24.0

// gradedStep weighs each step's margin (a rung against the next) again (flag): all steps
// together weigh gradedStep times as much as all pairs. The mean over all pairs barely
// feels the first step of a JPEG ladder (q95 to q85, where the compression component moves
// by about one point and a tie is likeliest), yet every step must fall.
var gradedStep = 4.0

// gradedFirst weighs each pair of a photo and one of its copies again, as that many pairs
// (flag): issue 16 asks that no copy ever score above its photo, a stricter demand than the
// order of the rungs among themselves.
var gradedFirst = 3.0

// gradedWeight is the weight of the ladder terms against the ratings' (flag).
var gradedWeight float64

// item is one image the graded term scores: the regression's output and the basis values of
// its four components.
type item struct {
	raw   float64
	tech  []float64 // standardised, clamped hand-crafted features
	basis []float64 // 4 × basis functions per component, then the header-quality basis
}

// gradedQuality turns the header-quality basis on (flag).
var gradedQuality = true

// gradedHinges are the raw-feature hinges the graded term may weigh (weights fitted): the
// exposure component reaches 0 two stops before the ladders end, so past it the key and the
// clipped shares must carry the order (flag -graded-hinges).
var gradedHinges = []quality.Hinge{
	{Feature: "exp.clip_high", Sign: 1, Knot: 0, Width: 0.03},
	{Feature: "exp.clip_high", Sign: 1, Knot: 0.2, Width: 0.05},
	{Feature: "exp.clip_high", Sign: 1, Knot: 0.5, Width: 0.05},
	{Feature: "exp.key_stops", Sign: 1, Knot: 1, Width: 0.25},
	{Feature: "exp.key_stops", Sign: 1, Knot: 1.5, Width: 0.25},
	{Feature: "exp.key_stops", Sign: 1, Knot: 2, Width: 0.25},
	{Feature: "exp.key_stops", Sign: -1, Knot: -1, Width: 0.25},
	{Feature: "exp.key_stops", Sign: -1, Knot: -2, Width: 0.25},
	{Feature: "exp.key_stops", Sign: -1, Knot: -3, Width: 0.25},
	{Feature: "exp.clip_low", Sign: 1, Knot: 0, Width: 0.03},
	// The edges of the well-exposed window (quality.WellExposed): the ratings fall gently
	// past them, and every exposure ladder's first rung crosses one.
	{Feature: "exp.key_stops", Sign: 1, Knot: quality.BestKey + quality.WellExposedStops, Width: 0.1},
	{Feature: "exp.key_stops", Sign: -1, Knot: quality.BestKey - quality.WellExposedStops, Width: 0.1},
}

// useHinges turns the hinges on (flag).
var useHinges = true

func hingeIndex(name string) int {
	j, ok := quality.TechIndex(name)
	if !ok {
		panic("graded hinge on an unknown feature " + name)
	}
	return j
}

// basisLayout is how the basis is laid out: k functions per component (4 of them), then nq
// header-quality functions (its slope, then one step per knot), then nh hinges; the fit's
// parameters follow the same order after offset and base.
func basisLayout() (k, nq, nh int) {
	k = 1 + len(gradedKnots) + len(gradedSat)
	if gradedQuality {
		nq = 1 + len(gradedQKnots)
	}
	if useHinges {
		nh = len(gradedHinges)
	}
	return k, nq, nh
}

// newItem lays out one image's basis (basisLayout).
func newItem(raw float64, tech []float64, m quality.Measurement) item {
	k, nq, nh := basisLayout()
	it := item{raw: raw, tech: tech, basis: make([]float64, 4*k+nq+nh)}
	c := m.Components
	for ci, v := range [4]float64{c.Blur, c.Noise, c.Exposure, c.Compression} {
		quality.Basis(it.basis[ci*k:(ci+1)*k], v, gradedKnots, gradedWidth, gradedSat)
	}
	if nq > 0 {
		quality.QualityBasis(it.basis[4*k:], m.Tech[features.CompQuality], gradedQKnots, gradedQWidth)
	}
	for i := range nh {
		h := gradedHinges[i]
		it.basis[4*k+nq+i] = quality.HingeBasis(m.Tech[hingeIndex(h.Feature)], h.Sign, h.Knot, h.Width)
	}
	return it
}

// params: [offset, base, drops..., tech weights...]
func gradedValue(p []float64, it item) float64 {
	v := p[0] + p[1]*it.raw
	for j, b := range it.basis {
		v -= p[2+j] * b
	}
	for j, z := range it.tech {
		v += p[2+len(it.basis)+j] * z
	}
	return v
}

// gradedTechRidge is the penalty on the tech weights' squares, against the ratings' mean
// squared error: they correct the regression, they must not replace it (flag).
var gradedTechRidge float64

func squashSlope(x, tail float64) float64 {
	switch {
	case x < tail:
		return math.Exp((x - tail) / tail)
	case x > 100-tail:
		return math.Exp((100 - tail - x) / tail)
	}
	return 1
}

// fitGraded fits the term on rated photos (items with ratings y) and ladders (each series
// lists items, best first). It is a smooth problem in 2+4×(knots+1) parameters with sign
// constraints, solved by projected Adam from the least-squares line through the ratings.
func fitGraded(photos []item, y []float64, rungs []item, ladders [][]int) []float64 {
	nb := len(photos[0].basis)
	np := 2 + nb + len(photos[0].tech)
	p := make([]float64, np)
	// Start: the ratings' least-squares line on the regression output, no damage terms.
	var mr, my, sxy, sxx float64
	for i, it := range photos {
		mr += it.raw
		my += y[i]
	}
	mr /= float64(len(photos))
	my /= float64(len(photos))
	for i, it := range photos {
		sxy += (it.raw - mr) * (y[i] - my)
		sxx += (it.raw - mr) * (it.raw - mr)
	}
	p[1] = sxy / sxx
	p[0] = my - p[1]*mr
	for j := 2; j < 2+nb; j++ {
		p[j] = 0.5
	}
	var pairs, steps int
	for _, s := range ladders {
		pairs += len(s) * (len(s) - 1) / 2
		steps += len(s) - 1
	}
	// The header-quality steps' parameters (after offset, base, the components and the
	// header slope), floored at gradedQStep.
	k, nq, _ := basisLayout()
	qSteps, nqSteps := 2+4*k+1, max(nq-1, 0)
	g := make([]float64, np)
	m1 := make([]float64, np)
	m2 := make([]float64, np)
	outR := make([]float64, len(rungs))
	dR := make([]float64, len(rungs)) // dLoss/dOutput for each rung
	const b1, b2, eps = 0.9, 0.999, 1e-8
	for it := 1; it <= gradedIters; it++ {
		clear(g)
		addGrad := func(x item, v, dOut float64) {
			d := dOut * squashSlope(v, gradedTail)
			g[0] += d
			g[1] += d * x.raw
			for j, b := range x.basis {
				g[2+j] -= d * b
			}
			for j, z := range x.tech {
				g[2+nb+j] += d * z
			}
		}
		for j := 2 + nb; j < np; j++ {
			g[j] += 2 * gradedTechRidge * p[j]
		}
		for i, x := range photos {
			v := gradedValue(p, x)
			o := quality.Squash(v, gradedTail)
			addGrad(x, v, 2*(o-y[i])/float64(len(photos)))
		}
		vals := make([]float64, len(rungs))
		for i, x := range rungs {
			vals[i] = gradedValue(p, x)
			outR[i] = quality.Squash(vals[i], gradedTail)
			dR[i] = 0
		}
		wp := gradedWeight / float64(max(pairs, 1))
		// Cliffs are rare, so a mean over all steps would hardly feel them: each counts as
		// much as gradedCliffFactor average pairs.
		ws := gradedCliffFactor * gradedWeight / float64(max(steps, 1))
		wa := gradedStep * gradedWeight / float64(max(steps, 1))
		for _, s := range ladders {
			for a := 0; a < len(s); a++ {
				w := wp
				if a == 0 {
					w *= gradedFirst
				}
				for b := a + 1; b < len(s); b++ {
					if short := gradedMargin - (outR[s[a]] - outR[s[b]]); short > 0 {
						dR[s[a]] -= 2 * short * w
						dR[s[b]] += 2 * short * w
					}
				}
				if a+1 < len(s) {
					if short := gradedMargin - (outR[s[a]] - outR[s[a+1]]); short > 0 && wa > 0 {
						dR[s[a]] -= 2 * short * wa
						dR[s[a+1]] += 2 * short * wa
					}
					if over := outR[s[a]] - outR[s[a+1]] - gradedCliff; over > 0 {
						dR[s[a]] += 2 * over * ws
						dR[s[a+1]] -= 2 * over * ws
					}
				}
			}
		}
		for i, x := range rungs {
			if dR[i] != 0 {
				addGrad(x, vals[i], dR[i])
			}
		}
		lr := 0.05 * (1 - 0.9*float64(it)/gradedIters)
		for j := range p {
			m1[j] = b1*m1[j] + (1-b1)*g[j]
			m2[j] = b2*m2[j] + (1-b2)*g[j]*g[j]
			mh := m1[j] / (1 - math.Pow(b1, float64(it)))
			vh := m2[j] / (1 - math.Pow(b2, float64(it)))
			p[j] -= lr * mh / (math.Sqrt(vh) + eps)
			if j >= 1 && j < 2+nb {
				p[j] = max(p[j], 0) // the score never rises with damage, nor falls with the regression
			}
			if j >= qSteps && j < qSteps+nqSteps {
				p[j] = max(p[j], gradedQStep)
			}
		}
	}
	return p
}

// gradedTerm turns fitted parameters into the deployed form: the free weights split into
// those of the first nTech inputs (hand-crafted features) and of the component coordinates,
// undoing the inputs' scaling.
func gradedTerm(p []float64, nTech int, spread []float64) quality.GradedTerm {
	k, nq, _ := basisLayout()
	t := quality.GradedTerm{Offset: p[0], Base: p[1], Knots: gradedKnots, Width: gradedWidth, Sat: gradedSat, Tail: gradedTail}
	for ci := range t.Drop {
		t.Drop[ci] = append([]float64(nil), p[2+ci*k:2+(ci+1)*k]...)
	}
	rest := p[2+4*k:]
	if nq > 0 {
		t.QualityKnots, t.QualityWidth = gradedQKnots, gradedQWidth
		t.QualityDrop = append([]float64(nil), rest[:nq]...)
		rest = rest[nq:]
	}
	if useHinges {
		for i, h := range gradedHinges {
			h.Weight = rest[i]
			t.Hinges = append(t.Hinges, h)
		}
		rest = rest[len(gradedHinges):]
	}
	free := rest
	for j, w := range free {
		w /= spread[j]
		if j < nTech {
			t.Tech = append(t.Tech, w)
		} else {
			t.Coords = append(t.Coords, w)
		}
	}
	return t
}

// ladderReport measures issue 16's targets on integer scores: per ladder the share of
// ordered rung pairs (ties fail) and the largest single step down; for JPEG, how many
// photos fall at every step.
type ladderReport struct {
	names    []string
	ok       map[string]int
	pairs    map[string]int
	maxStep  map[string]int
	jpegAll  int // photos whose JPEG ladder falls at every step
	jpegN    int
	worst    map[string]string // the largest step of each ladder, readable
	jpegMiss []string          // the JPEG ladders that do not fall at every step, readable
	// above counts, per ladder, the degraded copies that score higher than their photo
	// (issue 16: a darker or brighter copy of a well-exposed photo never does).
	above     map[string]int
	copies    map[string]int
	aboveList map[string][]string // the ladders with such a copy, readable
}

func reportLadders(rungs []rung, score []int) ladderReport {
	r := ladderReport{ok: map[string]int{}, pairs: map[string]int{}, maxStep: map[string]int{}, worst: map[string]string{},
		above: map[string]int{}, copies: map[string]int{}, aboveList: map[string][]string{}}
	for _, s := range series(rungs) {
		name := rungs[s[0]].Ladder
		if _, seen := r.pairs[name]; !seen {
			r.names = append(r.names, name)
		}
		every := true
		rose := false
		for _, i := range s[1:] {
			r.copies[name]++
			if score[i] > score[s[0]] {
				r.above[name]++
				rose = true
			}
		}
		if rose {
			r.aboveList[name] = append(r.aboveList[name], fmt.Sprintf("#%d %v", rungs[s[0]].Photo, scoresOf(s, score)))
		}
		for a := range s {
			for b := a + 1; b < len(s); b++ {
				r.pairs[name]++
				if score[s[a]] > score[s[b]] {
					r.ok[name]++
				}
			}
			if a+1 < len(s) {
				d := score[s[a]] - score[s[a+1]]
				if d > r.maxStep[name] {
					r.maxStep[name] = d
					r.worst[name] = fmt.Sprintf("photo #%d, step %d: %v", rungs[s[0]].Photo, a+1, scoresOf(s, score))
				}
				every = every && d > 0
			}
		}
		if name == "jpeg" {
			r.jpegN++
			if every {
				r.jpegAll++
			} else {
				r.jpegMiss = append(r.jpegMiss, fmt.Sprintf("#%d %v", rungs[s[0]].Photo, scoresOf(s, score)))
			}
		}
	}
	return r
}

// scoresOf lists the scores of one ladder's rungs, best first.
func scoresOf(series []int, score []int) []int {
	out := make([]int, len(series))
	for k, i := range series {
		out[k] = score[i]
	}
	return out
}

func (r ladderReport) share(name string) float64 {
	return float64(r.ok[name]) / float64(max(r.pairs[name], 1))
}

func (r ladderReport) overall() float64 {
	var ok, n int
	for _, name := range r.names {
		ok += r.ok[name]
		n += r.pairs[name]
	}
	return float64(ok) / float64(max(n, 1))
}

func (r ladderReport) brief() string {
	var parts []string
	for _, name := range r.names {
		parts = append(parts, fmt.Sprintf("%s %.1f%% max step %d, %d above", name, 100*r.share(name), r.maxStep[name], r.above[name]))
	}
	return strings.Join(parts, ", ")
}

func (r ladderReport) String() string {
	var b strings.Builder
	for _, name := range r.names {
		fmt.Fprintf(&b, "  %-14s %5.1f%% of %4d pairs strictly ordered, largest step down %d points (%s); %d of %d copies above their photo\n", name, 100*r.share(name), r.pairs[name], r.maxStep[name], r.worst[name], r.above[name], r.copies[name])
	}
	for _, name := range r.names {
		if len(r.aboveList[name]) > 0 {
			fmt.Fprintf(&b, "  %s copies above their photo: %s\n", name, strings.Join(r.aboveList[name], ", "))
		}
	}
	fmt.Fprintf(&b, "  jpeg q95..q5 falls at every step on %d of %d photos", r.jpegAll, r.jpegN)
	if len(r.jpegMiss) > 0 {
		fmt.Fprintf(&b, "; not on %s", strings.Join(r.jpegMiss, ", "))
	}
	return b.String()
}

// componentReport shows, for every ladder, how each --details component moves: the share of
// ordered pairs (it should be high on its own ladder) and the median largest drop below
// rung 0 (it should be small on the others).
func componentReport(rungs []rung) string {
	names := [4]string{"blur", "noise", "exposure", "compression"}
	own := map[string]int{"blur": 0, "noise": 1, "underexposure": 2, "overexposure": 2, "jpeg": 3}
	type acc struct {
		ok, pairs int
		drops     []float64
	}
	per := map[string]*[4]acc{}
	var order []string
	for _, s := range series(rungs) {
		name := rungs[s[0]].Ladder
		a := per[name]
		if a == nil {
			a = &[4]acc{}
			per[name] = a
			order = append(order, name)
		}
		for ci := range names {
			v := func(i int) float64 {
				c := rungs[s[i]].M.Components
				return [4]float64{c.Blur, c.Noise, c.Exposure, c.Compression}[ci]
			}
			drop := 0.0
			for i := range s {
				drop = max(drop, v(0)-v(i))
				for j := i + 1; j < len(s); j++ {
					a[ci].pairs++
					if v(i) > v(j) {
						a[ci].ok++
					}
				}
			}
			a[ci].drops = append(a[ci].drops, drop)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  %-14s", "ladder")
	for _, n := range names {
		fmt.Fprintf(&b, " %20s", n)
	}
	b.WriteString("\n")
	for _, name := range order {
		fmt.Fprintf(&b, "  %-14s", name)
		for ci := range names {
			a := per[name][ci]
			mark := " "
			if own[name] == ci {
				mark = "*"
			}
			fmt.Fprintf(&b, " %s%5.1f%% drop %5.1f", mark, 100*float64(a.ok)/float64(max(a.pairs, 1)), median(a.drops))
		}
		b.WriteString("\n")
	}
	b.WriteString("  (* the ladder's own component: % of rung pairs strictly ordered; drop: median largest fall below rung 0)")
	return b.String()
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[len(s)/2]
}

// intScore is ClarityScore as the API answers it.
func intScore(v float64) int { return min(max(int(math.Round(v)), 0), 100) }

// hingeWeights lists the fitted hinges readably: feature, side of the knot, weight.
func hingeWeights(hs []quality.Hinge) []string {
	var out []string
	for _, h := range hs {
		side := ">"
		if h.Sign < 0 {
			side = "<"
		}
		out = append(out, fmt.Sprintf("%s%s%g:%.3g", h.Feature, side, h.Knot, h.Weight))
	}
	return out
}
