package main

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"os"
	"sort"
	"strings"

	"lightbox/quality"
	"lightbox/quality/internal/dataset"
	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

// rungObs is one degraded image of a ladder, measured once; penalties are then searched
// without measuring again.
type rungObs struct {
	ladder string
	series int // which photo's ladder
	meas   quality.Measurement
	raw    float64 // the model's regression output, set once the model is fitted
}

// ladderPhotos returns the best-rated photos of the dataset, plus a few generated scenes.
// Good photos are used because degrading an already bad photo can be a repair (brightening
// a dark one); the scenes keep the fit from depending on one kind of picture.
func ladderPhotos(samples []sample, dir string, n int) []*raster.Image {
	byMOS := append([]sample(nil), samples...)
	sort.Slice(byMOS, func(i, j int) bool { return byMOS[i].MOS > byMOS[j].MOS })
	var photos []*raster.Image
	for _, s := range byMOS {
		if len(photos) == n {
			break
		}
		b, err := os.ReadFile(dataset.ImagePath(dir, s.File))
		if err != nil {
			continue
		}
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			continue
		}
		photos = append(photos, raster.FromImage(img))
	}
	for seed := uint64(101); seed < 107; seed++ {
		photos = append(photos, synth.Scene(seed, 500, 375))
	}
	return photos
}

func measureLadders(photos []*raster.Image) []rungObs {
	var obs []rungObs
	series := 0
	for _, l := range synth.ClarityLadders() {
		for _, p := range photos {
			for _, rung := range l.Rungs(p) {
				meas, err := quality.Measure(rung, quality.Options{})
				if err != nil {
					continue
				}
				obs = append(obs, rungObs{ladder: l.Name, series: series, meas: meas})
			}
			series++
		}
	}
	return obs
}

// setRaw records the model's regression output for every rung.
func setRaw(obs []rungObs, m *quality.ClarityModel) {
	for i := range obs {
		obs[i].raw = m.Raw(obs[i].meas)
	}
}

// ladderOrder scores every rung with the model and returns the overall share of ordered
// pairs, the worst ladder's share, and a readable breakdown.
func ladderOrder(obs []rungObs, m *quality.ClarityModel) (overall, worst float64, detail string) {
	type tally struct{ ok, pairs int }
	per := map[string]*tally{}
	var names []string
	for i := 0; i < len(obs); {
		j := i
		var scores []float64
		for ; j < len(obs) && obs[j].series == obs[i].series; j++ {
			// Predict without re-running the regression: only the penalties change while
			// they are searched.
			scores = append(scores, m.OutA+m.OutB*obs[j].raw-quality.PenaltyTotal(m.Penalties, obs[j].meas.Components))
		}
		t := per[obs[i].ladder]
		if t == nil {
			t = &tally{}
			per[obs[i].ladder] = t
			names = append(names, obs[i].ladder)
		}
		o, n := synth.OrderedShare(scores)
		t.ok += o
		t.pairs += n
		i = j
	}
	var ok, pairs int
	worst = 1
	var parts []string
	for _, name := range names {
		t := per[name]
		ok += t.ok
		pairs += t.pairs
		s := float64(t.ok) / float64(max(t.pairs, 1))
		worst = min(worst, s)
		parts = append(parts, fmt.Sprintf("%s %.1f%%", name, 100*s))
	}
	return float64(ok) / float64(max(pairs, 1)), worst, "(" + strings.Join(parts, ", ") + ")"
}
