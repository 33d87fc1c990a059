package quality

import (
	"testing"

	"lightbox/internal/testmem"
	"lightbox/quality/synth"
)

// The PNG bomb of issue 14 (779 MB through image/png) is scored within tens of MB.
func TestPNGBombMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates 392 MB")
	}
	bomb := synth.PNGBomb()
	var err error
	peak := testmem.PeakHeapDuring(func() { _, err = Assess(bomb) })
	if err != nil {
		t.Fatalf("the bomb is a valid image: %v", err)
	}
	t.Logf("%d-byte 7000x7000 16-bit RGBA PNG: peak heap %.1f MB", len(bomb), float64(peak)/(1<<20))
	if peak > 64<<20 {
		t.Errorf("peak heap %.0f MB scoring a %d-byte PNG; want under 64 MB", float64(peak)/(1<<20), len(bomb))
	}
}

// BenchmarkPNGBomb reports time and peak heap for one 7000x7000 16-bit all-zero PNG.
func BenchmarkPNGBomb(b *testing.B) {
	bomb := synth.PNGBomb()
	var worst uint64
	for b.Loop() {
		worst = max(worst, testmem.PeakHeapDuring(func() {
			if _, err := Assess(bomb); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(worst)/(1<<20), "peak-heap-MB")
}

func TestErrorCodesOfIssue14(t *testing.T) {
	t.Run("2^31-1 square is too large", func(t *testing.T) {
		wantCode(t, synth.PNGChunks(synth.IHDR(1<<31-1, 1<<31-1, 8, 2), []byte{0x78, 0x9c}), CodeTooManyPixels)
	})
	t.Run("PNG cut at 372 bytes is truncated", func(t *testing.T) {
		full := scenePNG(3, 640, 480) // big enough that 372 bytes look like a bomb, not a cut
		if len(full) <= 372 {
			t.Fatalf("test image only %d bytes", len(full))
		}
		wantCode(t, full[:372], CodeTruncated)
	})
	t.Run("bare FF D8 is truncated", func(t *testing.T) { wantCode(t, []byte{0xFF, 0xD8}, CodeTruncated) })
	t.Run("bit depth 7 is corrupt", func(t *testing.T) {
		wantCode(t, synth.PNGChunks(synth.IHDR(16, 16, 7, 2), []byte{0x78, 0x9c}), CodeCorrupt)
	})
}
