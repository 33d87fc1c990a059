package features

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"lightbox/quality/internal/jpegdec"
	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

// parseJPEGInfo reads the header facts the way quality/ does.
func parseJPEGInfo(b []byte) *JPEGInfo {
	h, err := jpegdec.DecodeHeader(b)
	if err != nil {
		return nil
	}
	return JPEGInfoFromHeader(h)
}

// inputOf builds an Input for an image that was not resized.
func inputOf(m *raster.Image, fileBytes int, jp *JPEGInfo) Input {
	return Input{Img: m, Luma: m.Luma(), OrigW: m.W, OrigH: m.H, FileBytes: fileBytes, JPEG: jp}
}

// jpegInput encodes m at quality q and returns the decoded image with its header facts.
func jpegInput(m *raster.Image, q int) Input {
	b := synth.EncodeJPEG(m, q)
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		panic(err)
	}
	return inputOf(raster.FromImage(img), len(b), parseJPEGInfo(b))
}

// pngInput is m saved losslessly (as a re-saved PNG would be).
func pngInput(m *raster.Image) Input {
	b := synth.EncodePNG(synth.RGBA(m))
	r := raster.FromImage(synth.RGBA(m))
	return inputOf(r, len(b), nil)
}

func cliveDir() string {
	if d := os.Getenv("LIGHTBOX_CLIVE"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "..", "..", "shared", "datasets", "clive-calib")
}

// loadCLIVE returns the file names and MOS of the calibration set, or skips.
func loadCLIVE(t testing.TB) ([]string, []float64) {
	dir := cliveDir()
	b, err := os.ReadFile(filepath.Join(dir, "scores.csv"))
	if err != nil {
		t.Skipf("CLIVE calibration set not found at %s", dir)
	}
	var names []string
	var mos []float64
	for i, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		if i == 0 {
			continue
		}
		f := bytes.Split(bytes.TrimSpace(line), []byte(","))
		if len(f) < 2 {
			continue
		}
		var x float64
		if _, err := fmtSscan(string(f[1]), &x); err != nil {
			continue
		}
		names = append(names, string(f[0]))
		mos = append(mos, x)
	}
	return names, mos
}

func loadCLIVEImage(t testing.TB, name string) Input {
	b, err := os.ReadFile(filepath.Join(cliveDir(), "images", name))
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return inputOf(raster.FromImage(img), len(b), parseJPEGInfo(b))
}

// orderedShare is the share of pairs (i < j) of a ladder that is strictly decreasing.
func orderedShare(s []float64) float64 {
	var ok, n int
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			n++
			if s[j] < s[i] {
				ok++
			}
		}
	}
	if n == 0 {
		return 1
	}
	return float64(ok) / float64(n)
}

var _ = slices.Sort[[]float64]

func fmtSscan(s string, x *float64) (int, error) { return fmt.Sscan(s, x) }
