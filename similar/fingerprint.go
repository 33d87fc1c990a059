// Package similar finds the same picture stored many times: a compact visual fingerprint per
// image, an index that finds close fingerprints among many without comparing all pairs, and
// grouping into exact duplicates, near-duplicates and bursts with the best member of each.
// It is a leaf: it knows pixels, keys, times and scores, not the client or the screen.
package similar

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // the formats lightbox scores
	_ "image/png"
	"math"
	"math/bits"
	"slices"
	"strconv"

	"lightbox/internal/exif"
)

// Fingerprint is what an image looks like at a glance, in 128 bits.
//
// P is a DCT perceptual hash: the picture's luminance, turned upright (EXIF orientation) and
// area-averaged down to 32×32, goes through a 2-D DCT-II; the 64 lowest-frequency AC
// coefficients (in diagonal order, the DC term left out) each give one bit, set when the
// coefficient is above their median. Low frequencies survive re-encoding and resizing, a crop
// of a few percent barely moves them, and comparing with the median makes the bits blind to
// a change of brightness or contrast.
//
// D is a difference hash: the same luminance area-averaged to 9×8, one bit per horizontal
// neighbour pair, set when the left one is brighter. It sees edges where P sees shapes, and
// is used to confirm a match on P so that two unrelated pictures must agree on both.
//
// Two fingerprints are compared by the Hamming distance of P (see Distance) and, for
// near-duplicates, that of D (see Options).
type Fingerprint struct {
	P, D uint64
}

// Distance is the number of differing bits of the perceptual hashes, 0..64.
func Distance(a, b Fingerprint) int { return bits.OnesCount64(a.P ^ b.P) }

// DDistance is the number of differing bits of the difference hashes, 0..64.
func DDistance(a, b Fingerprint) int { return bits.OnesCount64(a.D ^ b.D) }

// String is the fingerprint as 32 hex digits, P then D: what caches store.
func (f Fingerprint) String() string { return fmt.Sprintf("%016x%016x", f.P, f.D) }

// ParseFingerprint reads String's form.
func ParseFingerprint(s string) (Fingerprint, error) {
	if len(s) != 32 {
		return Fingerprint{}, fmt.Errorf("fingerprint %q: want 32 hex digits", s)
	}
	p, err1 := strconv.ParseUint(s[:16], 16, 64)
	d, err2 := strconv.ParseUint(s[16:], 16, 64)
	if err := errors.Join(err1, err2); err != nil {
		return Fingerprint{}, fmt.Errorf("fingerprint %q: %w", s, err)
	}
	return Fingerprint{P: p, D: d}, nil
}

// MinSide is the smallest width or height fingerprinted: below it there is too little
// picture for the hashes to mean anything.
const MinSide = 8

// ErrTooSmall is returned for images under MinSide pixels on a side.
var ErrTooSmall = errors.New("image too small to fingerprint")

// MaxPixels bounds what Decode will decode: a hostile or absurd image must not take the
// memory of the machine (100 megapixels is 400 MB decoded).
const MaxPixels = 100_000_000

// Decode decodes a JPEG or PNG and fingerprints it, turned upright by its EXIF orientation.
func Decode(data []byte) (Fingerprint, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Fingerprint{}, fmt.Errorf("decode: %w", err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return Fingerprint{}, fmt.Errorf("decode: %d×%d is over %d pixels", cfg.Width, cfg.Height, MaxPixels)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Fingerprint{}, fmt.Errorf("decode: %w", err)
	}
	return FromImage(img, exif.JPEGOrientation(data))
}

// grid is the working resolution every image is first averaged down to: fine enough that
// the 32×32 and 9×8 grids are area averages of it, coarse enough to cost one pass.
const grid = 64

// FromImage fingerprints a decoded image stored with EXIF orientation o (1 = upright).
func FromImage(img image.Image, o int) (Fingerprint, error) {
	b := img.Bounds()
	if b.Dx() < MinSide || b.Dy() < MinSide {
		return Fingerprint{}, ErrTooSmall
	}
	g := lumaGrid(img)
	g = upright(g, o)
	return Fingerprint{P: dctHash(resample(g, grid, grid, 32, 32)), D: diffHash(resample(g, grid, grid, 9, 8))}, nil
}

// lumaGrid averages the image's luminance (BT.601, 0..255) into grid×grid cells, each
// source pixel into the cell it falls in. Images smaller than the grid repeat pixels.
func lumaGrid(img image.Image) []float64 {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	sum := make([]float64, grid*grid)
	cnt := make([]float64, grid*grid)
	cellX := make([]int, w)
	for x := range w {
		cellX[x] = x * grid / w
	}
	add := func(y int, lum func(x int) float64) {
		row := (y * grid / h) * grid
		for x := range w {
			sum[row+cellX[x]] += lum(x)
			cnt[row+cellX[x]]++
		}
	}
	switch m := img.(type) {
	case *image.YCbCr: // JPEG: the Y plane is the luminance already
		for y := range h {
			off := m.YOffset(b.Min.X, b.Min.Y+y)
			add(y, func(x int) float64 { return float64(m.Y[off+x]) })
		}
	case *image.Gray:
		for y := range h {
			off := m.PixOffset(b.Min.X, b.Min.Y+y)
			add(y, func(x int) float64 { return float64(m.Pix[off+x]) })
		}
	case *image.RGBA:
		for y := range h {
			off := m.PixOffset(b.Min.X, b.Min.Y+y)
			add(y, func(x int) float64 {
				p := m.Pix[off+4*x:]
				return 0.299*float64(p[0]) + 0.587*float64(p[1]) + 0.114*float64(p[2])
			})
		}
	case *image.NRGBA: // PNG with alpha: the colour as stored, as a viewer on black would not
		for y := range h {
			off := m.PixOffset(b.Min.X, b.Min.Y+y)
			add(y, func(x int) float64 {
				p := m.Pix[off+4*x:]
				return 0.299*float64(p[0]) + 0.587*float64(p[1]) + 0.114*float64(p[2])
			})
		}
	default:
		for y := range h {
			add(y, func(x int) float64 {
				r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			})
		}
	}
	for i, n := range cnt {
		if n > 0 {
			sum[i] /= n
		}
	}
	// A source narrower than the grid leaves cells empty: each takes the cell holding the
	// source pixel nearest its position, which is never empty.
	for i, n := range cnt {
		if n == 0 {
			sx, sy := (i%grid)*w/grid, (i/grid)*h/grid
			sum[i] = sum[(sy*grid/h)*grid+sx*grid/w]
		}
	}
	return sum
}

// upright turns a grid×grid luminance grid stored with EXIF orientation o upright.
func upright(g []float64, o int) []float64 {
	if o <= 1 || o > 8 {
		return g
	}
	out := make([]float64, len(g))
	for y := range grid {
		for x := range grid {
			sx, sy := exif.Source(o, grid, grid, x, y)
			out[y*grid+x] = g[sy*grid+sx]
		}
	}
	return out
}

// resample area-averages a sw×sh grid to dw×dh: each output cell is the mean of the source
// area it covers, partial cells weighted by their overlap.
func resample(src []float64, sw, sh, dw, dh int) []float64 {
	rows := make([]float64, sw*dh) // vertical pass first
	for x := range sw {
		col := boxAxis(sh, dh)
		for dy := range dh {
			var s float64
			for _, t := range col[dy] {
				s += src[t.i*sw+x] * t.w
			}
			rows[dy*sw+x] = s
		}
	}
	out := make([]float64, dw*dh)
	taps := boxAxis(sw, dw)
	for dy := range dh {
		for dx := range dw {
			var s float64
			for _, t := range taps[dx] {
				s += rows[dy*sw+t.i] * t.w
			}
			out[dy*dw+dx] = s
		}
	}
	return out
}

type tap struct {
	i int
	w float64
}

// boxAxis gives, for each of n output positions along an axis of m source cells, the
// source cells it covers and their weights (summing to 1).
func boxAxis(m, n int) [][]tap {
	out := make([][]tap, n)
	scale := float64(m) / float64(n)
	for d := range n {
		lo, hi := float64(d)*scale, float64(d+1)*scale
		for i := int(lo); i < m && float64(i) < hi; i++ {
			w := math.Min(hi, float64(i+1)) - math.Max(lo, float64(i))
			if w > 1e-12 {
				out[d] = append(out[d], tap{i, w / scale})
			}
		}
	}
	return out
}

// dctBasis[u][x] = cos((2x+1)uπ/64): the 32-point DCT-II, without normalisation (the
// median comparison does not need it).
var dctBasis = func() (b [32][32]float64) {
	for u := range 32 {
		for x := range 32 {
			b[u][x] = math.Cos(float64(2*x+1) * float64(u) * math.Pi / 64)
		}
	}
	return b
}()

// hashCoefs are the 64 lowest-frequency AC coefficients (u, v), by diagonal u+v.
var hashCoefs = func() (c [64][2]int) {
	n := 0
	for d := 1; n < 64; d++ {
		for u := 0; u <= d && n < 64; u++ {
			c[n] = [2]int{u, d - u}
			n++
		}
	}
	return c
}()

// dctHash is P of a 32×32 luminance grid.
func dctHash(g []float64) uint64 {
	// Only rows u ≤ 10 of the transform are ever read: compute those.
	const maxU = 11
	var rowT [32][maxU]float64 // rowT[y][v]: each row transformed horizontally
	for y := range 32 {
		for v := range maxU {
			var s float64
			for x := range 32 {
				s += g[y*32+x] * dctBasis[v][x]
			}
			rowT[y][v] = s
		}
	}
	var coef [64]float64
	for k, uv := range hashCoefs {
		u, v := uv[0], uv[1]
		var s float64
		for y := range 32 {
			s += rowT[y][v] * dctBasis[u][y]
		}
		coef[k] = s
	}
	sorted := coef
	slices.Sort(sorted[:])
	med := (sorted[31] + sorted[32]) / 2
	var h uint64
	for k, c := range coef {
		if c > med {
			h |= 1 << k
		}
	}
	return h
}

// diffHash is D of a 9×8 luminance grid.
func diffHash(g []float64) uint64 {
	var h uint64
	for y := range 8 {
		for x := range 8 {
			if g[y*9+x] > g[y*9+x+1] {
				h |= 1 << (y*8 + x)
			}
		}
	}
	return h
}
