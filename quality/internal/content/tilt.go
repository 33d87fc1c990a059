package content

import (
	"math"
	"sort"
)

const (
	tiltMin = 1.5 // degrees: below this a horizon looks level
	tiltMax = 20  // degrees: beyond this lines are perspective or intent, not a tilt
)

// tilt reads the orientation histogram: straight horizons, walls and edges of boxes pile up
// at one deviation from the axes. If an off-axis peak stands out from the background of
// texture orientations, and beats the energy at exactly level, the picture is tilted by
// that angle; the confidence says how clearly.
func tilt(oh *orientHist, n float64, a *Analysis) {
	// Smooth over ±1° so a line that straddles bins counts once.
	var sm orientHist
	var tot float64
	for i := range oh {
		var s float64
		for d := -2; d <= 2; d++ {
			j := i + d
			if j >= 0 && j < orientBins {
				s += oh[j]
			}
		}
		sm[i] = s
		tot += oh[i]
	}
	if tot <= 0 {
		return
	}
	// Background level: the median smoothed bin, i.e. what isotropic texture gives.
	tmp := sm
	sort.Float64s(tmp[:])
	base := tmp[orientBins/2]
	centre := orientBins / 2 // bin of 0°
	axis := sm[centre]
	best, bestV := 0, -1.0
	for i := range sm {
		d := math.Abs(float64(i-centre)) / 2
		if d < tiltMin || d > tiltMax {
			continue
		}
		if sm[i] > bestV {
			best, bestV = i, sm[i]
		}
	}
	if bestV <= 0 {
		return
	}
	a.Tilt = float64(best-centre) / 2
	// Prominence over the texture background, and dominance over the level direction.
	prom := (bestV - base) / (bestV + base + 1e-12) // 0 flat .. 1 a lone spike
	dom := ramp((bestV-axis)/(bestV+1e-12), 0, 0.5)
	share := ramp(bestV/n, 0.01, 0.05) // a line must carry real weight per image pixel, not a few noisy pixels
	a.TiltConfidence = clamp(prom*dom*share, 0, 1)
}
