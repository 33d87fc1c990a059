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

// TestFromImageResizedMatches: the row-by-row conversion and resize gives exactly what
// converting in full and then resizing gives, shrinking and enlarging, for several sizes.
func TestFromImageResizedMatches(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 101, 77), image.YCbCrSubsampleRatio420)
	for i := range src.Y {
		src.Y[i] = uint8(i*i + i*7)
	}
	for i := range src.Cb {
		src.Cb[i], src.Cr[i] = uint8(i*13), uint8(i*i*3)
	}
	for _, size := range [][2]int{{64, 49}, {50, 38}, {101, 77}, {33, 20}, {150, 110}} {
		want := FromImage(src).Resize(size[0], size[1])
		got := FromImageResized(src, size[0], size[1])
		if got.W != want.W || got.H != want.H {
			t.Fatalf("%v: %dx%d, want %dx%d", size, got.W, got.H, want.W, want.H)
		}
		for i := range want.R {
			if got.R[i] != want.R[i] || got.G[i] != want.G[i] || got.B[i] != want.B[i] {
				t.Fatalf("%v: pixel %d differs: %v %v %v, want %v %v %v", size, i, got.R[i], got.G[i], got.B[i], want.R[i], want.G[i], want.B[i])
			}
		}
	}
}

// TestYCbCrTablesAreTheArithmetic: the tables give bit for bit the float32 conversion the
// formulas compute, for every Y, Cb and Cr, so features measured before and after agree.
func TestYCbCrTablesAreTheArithmetic(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 256, 256), image.YCbCrSubsampleRatio444)
	for y := range 256 {
		for x := range 256 {
			src.Y[y*src.YStride+x] = uint8(x)
			src.Cb[y*src.CStride+x] = uint8(y)
			src.Cr[y*src.CStride+x] = uint8(255 - (x+y)%256)
		}
	}
	m := FromImage(src)
	for y := range 256 {
		for x := range 256 {
			yy := float32(x)
			cb := float32(uint8(y)) - 128
			cr := float32(uint8(255-(x+y)%256)) - 128
			want := [3]float32{clamp255(yy + 1.402*cr), clamp255(yy - 0.344136*cb - 0.714136*cr), clamp255(yy + 1.772*cb)}
			i := y*256 + x
			if got := [3]float32{m.R[i], m.G[i], m.B[i]}; got != want {
				t.Fatalf("Y %d Cb %v Cr %v: %v, want %v", x, cb+128, cr+128, got, want)
			}
		}
	}
}
