package cosapi

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lightbox/localcos"
)

// BenchmarkScore2000With50msLatency measures ScoreAll (`lightbox score`'s pipeline) over
// 2,000 objects on an embedded COS that adds 50 ms to every answer (the scorer itself is
// replaced by an instant one, so the client is what is measured). With 16 calls in flight
// the ceiling is 16 / 50 ms = 320 objects/s.
func BenchmarkScore2000With50msLatency(b *testing.B) {
	const objects, concurrency, latency = 2000, 16, 50 * time.Millisecond
	dir := b.TempDir()
	for i := range objects {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%04d.jpg", i)), []byte{0xFF, byte(i)}, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		f := openFixture(b, dir, func(o *fixtureOptions) {
			o.Scoring.Concurrency, o.Scoring.QPS, o.Cache = concurrency, 10_000, nil
			withFaults(localcos.Faults{Latency: latency})(o)
		})
		start := time.Now()
		t, err := f.client.ScoreAll(b.Context(), "", ScoreAllOptions{}, func(Scored) {})
		elapsed := time.Since(start)
		if err != nil || t.Scored != objects {
			b.Fatalf("scored %d, failed %d: %v", t.Scored, t.Failed, err)
		}
		b.ReportMetric(float64(objects)/elapsed.Seconds(), "objects/s")
		b.ReportMetric(float64(concurrency)/latency.Seconds(), "ceiling-objects/s")
	}
}
