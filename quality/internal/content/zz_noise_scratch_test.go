package content

import (
	"fmt"
	"sort"
	"testing"

	"lightbox/quality/internal/synth"
)

func TestScratchNoisyText(t *testing.T) {
	for _, sg := range []float64{0, 1, 1.5, 2, 3} {
		m := synth.Noise(synth.Text(testW, testH, 12, white, ink), sg, 1)
		a := analyze(m)
		fmt.Printf("text+noise %.1f: pure=%v text=%.2f bgnoise=%.2f dom=%.2f thick=%.3f\n", sg, a.Pure(), a.TextLikeness, a.BgNoise, a.DominantShare, a.ThickTexture)
		m = synth.Noise(document(testW, testH), sg, 1)
		a = analyze(m)
		fmt.Printf("doc+noise %.1f: pure=%v text=%.2f bgnoise=%.2f dom=%.2f thick=%.3f\n", sg, a.Pure(), a.TextLikeness, a.BgNoise, a.DominantShare, a.ThickTexture)
	}
	ph := loadCliveAnalyses(t, 1)
	sort.Slice(ph, func(i, j int) bool { return ph[i].a.TextLikeness > ph[j].a.TextLikeness })
	for _, p := range ph[:5] {
		fmt.Printf("%s text=%.3f bgnoise=%.2f\n", p.file, p.a.TextLikeness, p.a.BgNoise)
	}
}

func TestScratchBgNoise(t *testing.T) {
	for _, c := range append(pureCases(), notPureCases()...) {
		a := analyze(c.img)
		fmt.Printf("%-26s pure=%-5v text=%.2f bgnoise=%.2f dom=%.2f\n", c.name, a.Pure(), a.TextLikeness, a.BgNoise, a.DominantShare)
	}
}
