package mobilenet

import "testing"

// Run with: go test -run '^$' -bench Taps -cpu 1 -count 3 ./quality/internal/mobilenet/
// ms/op is wall time; cpu-ms/op is process CPU time, the better figure on a busy
// machine.
func benchTaps(b *testing.B, h, w int) {
	n, err := Load()
	if err != nil {
		b.Fatal(err)
	}
	img := patternImage("smooth", h, w)
	dst := make([]float32, NumTaps)
	if err := n.TapsInto(dst, img, h, w); err != nil { // size the pooled workspace
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu0, haveCPU := processCPU()
	b.ResetTimer()
	for b.Loop() {
		if err := n.TapsInto(dst, img, h, w); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/op")
	if cpu1, ok := processCPU(); ok && haveCPU {
		b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/1e6/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkTaps224 is the production case: the whole image resized to 224x224.
func BenchmarkTaps224(b *testing.B) { benchTaps(b, 224, 224) }

// BenchmarkTaps512x384 is a larger input (512 wide, 384 high).
func BenchmarkTaps512x384(b *testing.B) { benchTaps(b, 384, 512) }

// BenchmarkLoad is what loading the embedded weights costs a fresh process: checking the
// file and pointing every layer into it (no copy; TestEmbeddedWeightsAreUsedInPlace).
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(embedded); err != nil {
			b.Fatal(err)
		}
	}
}
