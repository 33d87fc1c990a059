package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/localcos"
	"lightbox/quality"
)

// BenchmarkScore2000With50msLatency measures `lightbox score`'s pipeline over 2,000
// objects on an embedded COS that adds 50 ms to every answer (the scorer itself is
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
		c, err := cosapi.Open(cosapi.Options{
			Target:      config.Target{Local: dir},
			Scoring:     config.Scoring{Concurrency: concurrency, QPS: 10_000, Timeout: 10 * time.Second},
			LocalLimits: localcos.LimitsLocal,
			LocalConfig: func(c *localcos.Config) {
				c.Faults = localcos.Faults{Latency: latency}
				c.Assess = func([]byte, quality.Options) (quality.Result, error) { return quality.Result{ClarityScore: 50}, nil }
			},
		})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		t, err := scoreAll(context.Background(), c, "", scoreFlags{}, concurrency, func(scoreRow) {})
		elapsed := time.Since(start)
		_ = c.Close()
		if err != nil || t.scored != objects {
			b.Fatalf("scored %d, failed %d: %v", t.scored, t.failed, err)
		}
		b.ReportMetric(float64(objects)/elapsed.Seconds(), "objects/s")
		b.ReportMetric(float64(concurrency)/latency.Seconds(), "ceiling-objects/s")
	}
}
