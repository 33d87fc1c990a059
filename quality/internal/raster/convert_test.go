package raster

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// TestYCbCrRowsMatchTheStandardConversion checks the written-out chroma indexing against
// image.YCbCr's own At for every subsampling, on odd sizes and a rectangle that does not
// start at the origin (a sub-image).
func TestYCbCrRowsMatchTheStandardConversion(t *testing.T) {
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	for _, r := range ratios {
		full := image.NewYCbCr(image.Rect(0, 0, 13, 9), r)
		for i := range full.Y {
			full.Y[i] = uint8(i * 37)
		}
		for i := range full.Cb {
			full.Cb[i], full.Cr[i] = uint8(i*53+11), uint8(255-i*29)
		}
		for _, src := range []*image.YCbCr{full, full.SubImage(image.Rect(3, 1, 12, 8)).(*image.YCbCr)} {
			m := FromImage(src)
			b := src.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					c := src.YCbCrAt(x, y)
					want := [3]float64{
						clampF(float64(c.Y) + 1.402*(float64(c.Cr)-128)),
						clampF(float64(c.Y) - 0.344136*(float64(c.Cb)-128) - 0.714136*(float64(c.Cr)-128)),
						clampF(float64(c.Y) + 1.772*(float64(c.Cb)-128)),
					}
					i := (y-b.Min.Y)*m.W + x - b.Min.X
					got := [3]float32{m.R[i], m.G[i], m.B[i]}
					for k := range want {
						if math.Abs(float64(got[k])-want[k]) > 1e-3 {
							t.Fatalf("%v %v at (%d,%d): %v, want %v (from %v)", r, b, x, y, got, want, color.YCbCr(c))
						}
					}
				}
			}
		}
	}
}

func clampF(v float64) float64 { return min(max(v, 0), 255) }
