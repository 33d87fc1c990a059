package main

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"lightbox/quality"
	"lightbox/quality/internal/raster"
	"lightbox/quality/internal/synth"
)

// ladderOrder degrades the best-rated photos along every clarity ladder and returns the
// share of rung pairs the model puts in order, with a per-ladder breakdown. Good photos are
// used because a degradation of an already bad photo can be a repair (brightening a dark one).
func ladderOrder(samples []sample, m *quality.ClarityModel, dir string, n int) (float64, string) {
	byMOS := append([]sample(nil), samples...)
	sort.Slice(byMOS, func(i, j int) bool { return byMOS[i].MOS > byMOS[j].MOS })
	var photos []*raster.Image
	for _, s := range byMOS {
		if len(photos) == n {
			break
		}
		b, err := os.ReadFile(filepath.Join(dir, "images", s.File))
		if err != nil {
			continue
		}
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			continue
		}
		photos = append(photos, raster.FromImage(img))
	}
	var okAll, allPairs int
	var parts []string
	for _, l := range synth.ClarityLadders() {
		var ok, pairs int
		for _, p := range photos {
			var scores []float64
			for _, rung := range l.Rungs(p) {
				meas, err := quality.Measure(rung, quality.Options{})
				if err != nil {
					continue
				}
				scores = append(scores, m.Predict(meas))
			}
			o, n := synth.OrderedShare(scores)
			ok += o
			pairs += n
		}
		okAll += ok
		allPairs += pairs
		parts = append(parts, fmt.Sprintf("%s %.1f%%", l.Name, 100*float64(ok)/float64(max(pairs, 1))))
	}
	return float64(okAll) / float64(max(allPairs, 1)), "(" + strings.Join(parts, ", ") + ")"
}
