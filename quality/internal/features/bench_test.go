package features

import (
	"testing"

	"lightbox/quality/synth"
)

// BenchmarkTechnical500 measures all features on a 500x375 scene (run with -cpu 1).
func BenchmarkTechnical500(b *testing.B) {
	in := plainInput(synth.Scene(1, 500, 375))
	v := make([]float64, NumFeatures)
	TechnicalInto(in, v)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		TechnicalInto(in, v)
	}
}
