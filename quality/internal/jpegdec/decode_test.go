package jpegdec

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"testing"
)

func TestRoundTripStd(t *testing.T) {
	for _, sz := range [][2]int{{1, 1}, {7, 9}, {17, 33}, {100, 1}, {1, 100}, {64, 48}, {203, 157}, {97, 61}, {160, 50}} {
		for _, gray := range []bool{false, true} {
			src := photoImage(sz[0], sz[1], uint32(sz[0]*7+sz[1]))
			var img image.Image = src
			if gray {
				img = grayOf(src)
			}
			data := encodeStd(t, img, 90)
			name := fmt.Sprintf("%dx%d gray=%v", sz[0], sz[1], gray)
			want, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := Decode(data, Options{Denom: 1})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			compareFull(t, name, got, want, 0.5, 3)
			// Reduced scales drop high frequencies by design: judge them on
			// a smooth version of the scene.
			smooth := image.Image(smoothImage(sz[0], sz[1], 3))
			if gray {
				smooth = grayOf(smooth.(*image.RGBA))
			}
			data = encodeStd(t, smooth, 90)
			want, _ = jpeg.Decode(bytes.NewReader(data))
			for _, k := range []int{2, 4, 8} {
				got, _, err := Decode(data, Options{Denom: k})
				if err != nil {
					t.Fatalf("%s 1/%d: %v", name, k, err)
				}
				// Blocks of tiny images are mostly encoder padding, which the
				// DCT-domain average includes: only sizes are strict there.
				limit := 2.0
				if min(sz[0], sz[1]) < 48 {
					limit = 30
				}
				compareReduced(t, name, got, want, k, limit)
			}
		}
	}
}

// TestPrecisionReport logs the accuracy figures quoted in the package
// notes: Denom 1 against image/jpeg, reduced scales against box-averaged
// image/jpeg output.
func TestPrecisionReport(t *testing.T) {
	for _, q := range []int{75, 92} {
		for _, smooth := range []bool{false, true} {
			src := photoImage(640, 480, 9)
			if smooth {
				src = smoothImage(640, 480, 9)
			}
			data := encodeStd(t, src, q)
			want, _ := jpeg.Decode(bytes.NewReader(data))
			for _, k := range []int{1, 2, 4, 8} {
				got, _, err := Decode(data, Options{Denom: k})
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("q%d smooth=%v 1/%d", q, smooth, k)
				if k == 1 {
					compareFull(t, name, got, want, 0.5, 3)
				} else {
					limit := 2.0
					if !smooth {
						limit = 6 // fine texture is dropped by design
					}
					compareReduced(t, name, got, want, k, limit)
				}
				if testing.Verbose() {
					gp, fp := planes(got), planes(want)
					var s diffStats
					for y := 0; y < gp[0].h; y++ {
						for x := 0; x < gp[0].w; x++ {
							sum, n := 0, 0
							for yy := y * k; yy < min(y*k+k, fp[0].h); yy++ {
								for xx := x * k; xx < min(x*k+k, fp[0].w); xx++ {
									sum += int(fp[0].at(xx, yy))
									n++
								}
							}
							s.add(gp[0].at(x, y), uint8((sum+n/2)/n), x, y)
						}
					}
					t.Logf("%s luma: mean abs diff %.3f, max %d", name, s.mean(), s.max)
				}
			}
		}
	}
}
