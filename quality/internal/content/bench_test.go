package content

import (
	"testing"

	"lightbox/quality/synth"
)

// BenchmarkAnalyze measures one 500x375 photo-like image, the working size of a 4:3 photo.
// Budget: 10 ms per image on one core.
func BenchmarkAnalyze(b *testing.B) {
	img := synth.JPEG(synth.Scene(3, 500, 375), 85)
	luma := img.Luma()
	b.ReportAllocs()
	for b.Loop() {
		Analyze(img, luma)
	}
}

// BenchmarkAnalyzeText measures a text page, whose many edges exercise the orientation path.
func BenchmarkAnalyzeText(b *testing.B) {
	img := synth.Text(500, 375, 12, white, ink)
	luma := img.Luma()
	b.ReportAllocs()
	for b.Loop() {
		Analyze(img, luma)
	}
}
