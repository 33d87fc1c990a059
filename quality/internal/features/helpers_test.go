package features

import (
	"bytes"
	"image/jpeg"
	"os"
	"slices"
	"testing"

	"lightbox/quality/internal/dataset"
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

// cliveDir is the calibration folder, or "" when it is absent.
func cliveDir() string {
	dir, _ := dataset.Locate()
	return dir
}

// loadCLIVE returns the file names and MOS of the calibration set, or skips.
func loadCLIVE(t testing.TB) ([]string, []float64) {
	dir := dataset.LocateOrSkip(t)
	rated, err := dataset.ReadScores(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(rated))
	mos := make([]float64, len(rated))
	for i, r := range rated {
		names[i], mos[i] = r.File, r.MOS
	}
	return names, mos
}

func loadCLIVEImage(t testing.TB, name string) Input {
	b, err := os.ReadFile(dataset.ImagePath(cliveDir(), name))
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
