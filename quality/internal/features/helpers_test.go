package features

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"lightbox/quality/internal/raster"
	"lightbox/quality/internal/synth"
)

// unzig maps zigzag order (as stored in DQT) to natural order.
var unzig = [64]int{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
}

// parseJPEGInfo is a minimal header reader for the tests (the real one lives elsewhere):
// table 0 is taken as luma, table 1 as chroma.
func parseJPEGInfo(b []byte) *JPEGInfo {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil
	}
	info := &JPEGInfo{}
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			i++
			continue
		}
		m := b[i+1]
		if m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7) || m == 0xFF {
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		seg := b[i+4 : min(i+2+n, len(b))]
		switch {
		case m == 0xDB:
			for len(seg) > 0 {
				pq, tq := seg[0]>>4, seg[0]&15
				seg = seg[1:]
				var t [64]uint16
				for k := 0; k < 64; k++ {
					if pq == 0 {
						t[unzig[k]] = uint16(seg[k])
					} else {
						t[unzig[k]] = binary.BigEndian.Uint16(seg[2*k:])
					}
				}
				if pq == 0 {
					seg = seg[64:]
				} else {
					seg = seg[128:]
				}
				if tq == 0 {
					info.LumaQuant = t
				} else if tq == 1 {
					info.ChromaQuant = t
				}
			}
		case m == 0xC0 || m == 0xC1 || m == 0xC2:
			info.Progressive = m == 0xC2
			info.HasChroma = len(seg) > 5 && seg[5] >= 3
		case m == 0xDA:
			return info
		}
		i += 2 + n
	}
	return info
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

// spearman is the rank correlation with average ranks for ties.
func spearman(a, b []float64) float64 {
	ra, rb := ranks(a), ranks(b)
	var ma, mb float64
	for i := range ra {
		ma += ra[i]
		mb += rb[i]
	}
	ma /= float64(len(ra))
	mb /= float64(len(rb))
	var sab, saa, sbb float64
	for i := range ra {
		da, db := ra[i]-ma, rb[i]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
	}
	if saa == 0 || sbb == 0 {
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}

func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return x[idx[i]] < x[idx[j]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = avg
		}
		i = j + 1
	}
	return r
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
