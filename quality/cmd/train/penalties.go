package main

import (
	"lightbox/quality"
	"lightbox/quality/internal/linfit"
)

// Ladder order the penalties must reach, overall and on every single ladder (flags).
var wantOverall, wantEach float64

var componentNames = []string{"noise", "compression", "blur", "exposure"}

// fitPenalties searches, component by component, the knee and slope of a penalty that makes
// the model fall along the degradation ladders while costing as little cross-validated
// SROCC as possible. The regression learns what the ratings show; the penalties carry what
// the ratings barely contain (synthetic noise, heavy compression), from the components that
// are monotone by construction.
func fitPenalties(m *quality.ClarityModel, obs []rungObs, cv []quality.Measurement, cvScore, y []float64) []quality.Penalty {
	knees := []float64{100, 90, 80, 70, 60, 50}
	slopes := []float64{0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6}
	pen := make([]quality.Penalty, len(componentNames))
	for i, c := range componentNames {
		pen[i] = quality.Penalty{Component: c, Knee: 100, Slope: 0}
	}
	objective := func(p []quality.Penalty) float64 {
		m.Penalties = p
		overall, worst, _ := ladderOrder(obs, m)
		final := make([]float64, len(cvScore))
		for i := range cvScore {
			final[i] = cvScore[i] - quality.PenaltyTotal(p, cv[i].Components)
		}
		j := linfit.Spearman(final, y)
		// Constraint violations dominate any SROCC gain.
		j -= 10 * (max(0, wantOverall-overall) + max(0, wantEach-worst))
		return j
	}
	best := objective(pen)
	for round := 0; round < 3; round++ {
		improved := false
		for i := range pen {
			for _, k := range knees {
				for _, s := range slopes {
					trial := append([]quality.Penalty(nil), pen...)
					trial[i] = quality.Penalty{Component: pen[i].Component, Knee: k, Slope: s}
					if j := objective(trial); j > best+1e-6 {
						best, pen, improved = j, trial, true
					}
				}
			}
		}
		if !improved {
			break
		}
	}
	var out []quality.Penalty
	for _, p := range pen {
		if p.Slope > 0 {
			out = append(out, p)
		}
	}
	m.Penalties = out
	return out
}
