package jpegdec

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readPPM loads a binary P6 file as RGBA.
func readPPM(t *testing.T, name string) *image.RGBA {
	t.Helper()
	r := bufio.NewReader(bytes.NewReader(readFixture(t, name)))
	var w, h, maxv int
	if _, err := fmt.Fscanf(r, "P6\n%d %d\n%d\n", &w, &h, &maxv); err != nil || maxv != 255 {
		t.Fatalf("%s: bad PPM header: %v", name, err)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		var px [3]byte
		if _, err := r.Read(px[:1]); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Read(px[1:2]); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Read(px[2:3]); err != nil {
			t.Fatal(err)
		}
		copy(img.Pix[4*i:], px[:])
		img.Pix[4*i+3] = 255
	}
	return img
}

func TestFixturesVsStdlib(t *testing.T) {
	cases := []struct {
		file  string
		typ   string
		prog  bool
		ratio image.YCbCrSubsampleRatio
	}{
		{"seq444.jpg", "ycbcr", false, image.YCbCrSubsampleRatio444},
		{"seq422.jpg", "ycbcr", false, image.YCbCrSubsampleRatio422},
		{"seq440.jpg", "ycbcr", false, image.YCbCrSubsampleRatio440},
		{"seq411.jpg", "ycbcr", false, image.YCbCrSubsampleRatio411},
		{"seq410.jpg", "ycbcr", false, image.YCbCrSubsampleRatio410},
		{"prog444.jpg", "ycbcr", true, image.YCbCrSubsampleRatio444},
		{"prog420.jpg", "ycbcr", true, image.YCbCrSubsampleRatio420},
		{"proggray.jpg", "gray", true, 0},
		{"restart3b.jpg", "ycbcr", false, image.YCbCrSubsampleRatio420},
		{"restart1b_444.jpg", "ycbcr", false, image.YCbCrSubsampleRatio444},
		{"restart_gray.jpg", "gray", false, 0},
		{"gray_opt.jpg", "gray", false, 0},
		{"exif6.jpg", "ycbcr", false, image.YCbCrSubsampleRatio422},
		{"ycck.jpg", "rgba", false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			data := readFixture(t, tc.file)
			want, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			hdr, err := DecodeHeader(data)
			if err != nil {
				t.Fatal(err)
			}
			if hdr.Progressive != tc.prog || hdr.Width != want.Bounds().Dx() || hdr.Height != want.Bounds().Dy() {
				t.Errorf("header %+v", hdr)
			}
			got, _, err := Decode(data, Options{Denom: 1})
			if err != nil {
				t.Fatal(err)
			}
			switch m := got.(type) {
			case *image.YCbCr:
				if tc.typ != "ycbcr" || m.SubsampleRatio != tc.ratio {
					t.Fatalf("got YCbCr %v, want %s %v", m.SubsampleRatio, tc.typ, tc.ratio)
				}
			case *image.Gray:
				if tc.typ != "gray" {
					t.Fatalf("got Gray, want %s", tc.typ)
				}
			case *image.RGBA:
				if tc.typ != "rgba" {
					t.Fatalf("got RGBA, want %s", tc.typ)
				}
			}
			maxMean, maxDiff := 0.5, 3
			if tc.typ == "rgba" {
				maxMean, maxDiff = 1, 4 // colour conversion rounding differs
			}
			compareFull(t, tc.file, got, want, maxMean, maxDiff)
			for _, k := range []int{2, 4, 8} {
				got, _, err := Decode(data, Options{Denom: k})
				if err != nil {
					t.Fatalf("1/%d: %v", k, err)
				}
				compareReduced(t, tc.file, got, want, k, 3)
			}
		})
	}
}

func TestFixturesVsDjpeg(t *testing.T) {
	for _, name := range []string{"seq_unusual", "seq_mixed", "seq_chromabig"} {
		t.Run(name, func(t *testing.T) {
			data := readFixture(t, name+".jpg")
			want := readPPM(t, name+".ppm")
			got, _, err := Decode(data, Options{Denom: 1})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := got.(*image.RGBA); !ok {
				t.Fatalf("got %T, want *image.RGBA", got)
			}
			compareFull(t, name, got, want, 1, 4)
			// RGB of subsampled chroma cannot be compared with a box
			// average of full-size RGB (chroma detail differs), so the
			// reduced decode is checked plane by plane against the full
			// one, and the RGBA image only for its size.
			full := decodePlanes(t, data, 1)
			for _, k := range []int{2, 4, 8} {
				got, _, err := Decode(data, Options{Denom: k})
				if err != nil {
					t.Fatalf("1/%d: %v", k, err)
				}
				b := want.Bounds()
				if got.Bounds() != image.Rect(0, 0, ceilDiv(b.Dx(), k), ceilDiv(b.Dy(), k)) {
					t.Errorf("1/%d: bounds %v", k, got.Bounds())
				}
				comparePlanes(t, fmt.Sprintf("%s 1/%d", name, k), decodePlanes(t, data, k), full, k, 3)
			}
		})
	}
}

func TestArithmeticUnsupported(t *testing.T) {
	data := readFixture(t, "arith.jpg")
	if _, err := DecodeHeader(data); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("DecodeHeader: %v, want ErrUnsupported", err)
	}
	_, _, err := Decode(data, Options{Denom: 1})
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("Decode: %v, want ErrUnsupported", err)
	}
	t.Log(err)
}

func TestEXIFOrientationFixture(t *testing.T) {
	hdr, err := DecodeHeader(readFixture(t, "exif6.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if !hdr.HasEXIF || hdr.Orientation != 6 {
		t.Fatalf("HasEXIF=%v Orientation=%d, want true 6", hdr.HasEXIF, hdr.Orientation)
	}
	hdr, _ = DecodeHeader(readFixture(t, "seq444.jpg"))
	if hdr.HasEXIF || hdr.Orientation != 1 {
		t.Fatalf("no EXIF: HasEXIF=%v Orientation=%d", hdr.HasEXIF, hdr.Orientation)
	}
}

func TestYCCKHeader(t *testing.T) {
	hdr, err := DecodeHeader(readFixture(t, "ycck.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if hdr.Components != 4 || !hdr.Adobe || hdr.AdobeTransform != 2 {
		t.Fatalf("header %+v", hdr)
	}
}

// TestLosslessTranscodes: jpegtran keeps the quantized coefficients, so a
// progressive or restart-marked transcode must decode exactly like its
// source at every scale.
func TestLosslessTranscodes(t *testing.T) {
	pairs := [][2]string{
		{"prog422_restart.jpg", "seq422.jpg"},
		{"prog_mixed.jpg", "seq_mixed.jpg"},
		{"restart1b_444.jpg", "seq444.jpg"},
		{"prog_custom.jpg", "seq444.jpg"},
	}
	for _, p := range pairs {
		a, b := readFixture(t, p[0]), readFixture(t, p[1])
		for _, k := range []int{1, 2, 4, 8} {
			ia, ha, err := Decode(a, Options{Denom: k})
			if err != nil {
				t.Fatalf("%s: %v", p[0], err)
			}
			ib, _, err := Decode(b, Options{Denom: k})
			if err != nil {
				t.Fatalf("%s: %v", p[1], err)
			}
			if ha.Progressive != (p[0] != "restart1b_444.jpg") {
				t.Errorf("%s: Progressive=%v", p[0], ha.Progressive)
			}
			compareFull(t, fmt.Sprintf("%s 1/%d", p[0], k), ia, ib, 0, 0)
		}
	}
}
