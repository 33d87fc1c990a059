package jpegdec

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"testing"
)

// photoImage draws a deterministic photo-like scene: smooth gradients,
// a few shapes with soft edges, fine texture and mild noise.
func photoImage(w, h int, seed uint32) *image.RGBA { return scene(w, h, seed, 1) }

// smoothImage is the same scene without fine texture and noise: reduced
// IDCTs drop high frequencies by design, so their accuracy is judged here.
func smoothImage(w, h int, seed uint32) *image.RGBA { return scene(w, h, seed, 0) }

func scene(w, h int, seed uint32, detail float64) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := seed*2654435761 + 12345
	next := func() uint32 {
		rng ^= rng << 13
		rng ^= rng >> 17
		rng ^= rng << 5
		return rng
	}
	fw, fh := float64(w), float64(h)
	for y := 0; y < h; y++ {
		fy := float64(y) / fh
		for x := 0; x < w; x++ {
			fx := float64(x) / fw
			r := 90 + 110*fx + 30*math.Sin(6*fy+float64(seed))
			g := 70 + 120*fy + 25*math.Cos(5*fx)
			b := 160 - 90*fx*fy + 20*math.Sin(9*(fx+fy))
			// a disc and a band
			dx, dy := fx-0.35, fy-0.55
			if d := dx*dx + dy*dy; d < 0.04 {
				t := 1 - d/0.04
				r, g, b = r*(1-t)+220*t, g*(1-t)+60*t, b*(1-t)+40*t
			}
			if math.Abs(fx-0.7+0.3*fy) < 0.05 {
				r, g, b = r*0.4, g*0.5, b*0.6+80
			}
			// fine texture
			tex := detail * 9 * math.Sin(float64(x)*0.9) * math.Cos(float64(y)*0.7)
			n := detail * float64(int(next()%13)-6)
			img.SetRGBA(x, y, color.RGBA{cl(r + tex + n), cl(g + tex*0.8 + n), cl(b + tex*0.6 + n), 255})
		}
	}
	return img
}

func cl(v float64) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v + 0.5)
}

func grayOf(img *image.RGBA) *image.Gray {
	g := image.NewGray(img.Rect)
	for i := 0; i < len(g.Pix); i++ {
		p := img.Pix[4*i:]
		g.Pix[i] = uint8((299*int(p[0]) + 587*int(p[1]) + 114*int(p[2]) + 500) / 1000)
	}
	return g
}

func encodeStd(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// planeStats compares two sample planes of size w x h.
type diffStats struct {
	sum   float64
	n     int
	max   int
	where [2]int
}

func (s *diffStats) add(a, b uint8, x, y int) {
	d := int(a) - int(b)
	if d < 0 {
		d = -d
	}
	s.sum += float64(d)
	s.n++
	if d > s.max {
		s.max = d
		s.where = [2]int{x, y}
	}
}

func (s *diffStats) mean() float64 {
	if s.n == 0 {
		return 0
	}
	return s.sum / float64(s.n)
}

// channels returns per-channel sample accessors for Gray, YCbCr and RGBA.
func channels(img image.Image) []func(x, y int) uint8 {
	switch m := img.(type) {
	case *image.Gray:
		return []func(x, y int) uint8{func(x, y int) uint8 { return m.GrayAt(x, y).Y }}
	case *image.YCbCr:
		return []func(x, y int) uint8{
			func(x, y int) uint8 { return m.Y[m.YOffset(x, y)] },
			func(x, y int) uint8 { return m.Cb[m.COffset(x, y)] },
			func(x, y int) uint8 { return m.Cr[m.COffset(x, y)] },
		}
	case *image.RGBA:
		f := func(c int) func(x, y int) uint8 {
			return func(x, y int) uint8 { return m.Pix[m.PixOffset(x, y)+c] }
		}
		return []func(x, y int) uint8{f(0), f(1), f(2)}
	case *image.CMYK:
		// Convert to RGB the same way (inverted Adobe CMYK was already
		// un-inverted by image/jpeg).
		f := func(c int) func(x, y int) uint8 {
			return func(x, y int) uint8 {
				p := m.Pix[m.PixOffset(x, y):]
				k := 255 - p[3]
				return mul255(255-p[c], k)
			}
		}
		return []func(x, y int) uint8{f(0), f(1), f(2)}
	}
	panic("unexpected image type")
}

// compareFull compares two images sample by sample at full resolution.
func compareFull(t *testing.T, name string, got, want image.Image, maxMean float64, maxDiff int) {
	t.Helper()
	if got.Bounds() != want.Bounds() {
		t.Fatalf("%s: bounds %v, want %v", name, got.Bounds(), want.Bounds())
	}
	gc, wc := channels(got), channels(want)
	if len(gc) != len(wc) {
		t.Fatalf("%s: %T vs %T", name, got, want)
	}
	b := got.Bounds()
	for c := range gc {
		var s diffStats
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				s.add(gc[c](x, y), wc[c](x, y), x, y)
			}
		}
		if s.mean() > maxMean || s.max > maxDiff {
			t.Errorf("%s channel %d: mean abs diff %.3f max %d at %v (limits %.2f, %d)", name, c, s.mean(), s.max, s.where, maxMean, maxDiff)
		}
	}
}

// plane is one sample plane at its native resolution.
type plane struct {
	w, h int
	at   func(x, y int) uint8
}

// planes splits an image into its native-resolution sample planes.
func planes(img image.Image) []plane {
	b := img.Bounds()
	if m, ok := img.(*image.YCbCr); ok {
		cw, ch := b.Dx(), b.Dy()
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio422:
			cw = (cw + 1) / 2
		case image.YCbCrSubsampleRatio420:
			cw, ch = (cw+1)/2, (ch+1)/2
		case image.YCbCrSubsampleRatio440:
			ch = (ch + 1) / 2
		case image.YCbCrSubsampleRatio411:
			cw = (cw + 3) / 4
		case image.YCbCrSubsampleRatio410:
			cw, ch = (cw+3)/4, (ch+1)/2
		}
		return []plane{
			{b.Dx(), b.Dy(), func(x, y int) uint8 { return m.Y[y*m.YStride+x] }},
			{cw, ch, func(x, y int) uint8 { return m.Cb[y*m.CStride+x] }},
			{cw, ch, func(x, y int) uint8 { return m.Cr[y*m.CStride+x] }},
		}
	}
	var ps []plane
	for _, f := range channels(img) {
		ps = append(ps, plane{b.Dx(), b.Dy(), f})
	}
	return ps
}

// compareReduced compares got (decoded at 1/k) plane by plane against the
// box average of the full-size reference planes over k x k groups, clipped
// at the edges.
func compareReduced(t *testing.T, name string, got, full image.Image, k int, maxMean float64) {
	t.Helper()
	fb := full.Bounds()
	wantW, wantH := (fb.Dx()+k-1)/k, (fb.Dy()+k-1)/k
	if got.Bounds() != image.Rect(0, 0, wantW, wantH) {
		t.Fatalf("%s 1/%d: bounds %v, want %dx%d", name, k, got.Bounds(), wantW, wantH)
	}
	comparePlanes(t, fmt.Sprintf("%s 1/%d", name, k), planes(got), planes(full), k, maxMean)
}

// comparePlanes checks reduced planes against box-averaged full ones.
func comparePlanes(t *testing.T, name string, gp, fp []plane, k int, maxMean float64) {
	t.Helper()
	if len(gp) != len(fp) {
		t.Fatalf("%s: %d planes vs %d", name, len(gp), len(fp))
	}
	for c := range gp {
		g, f := gp[c], fp[c]
		if g.w != (f.w+k-1)/k || g.h != (f.h+k-1)/k {
			t.Fatalf("%s plane %d: %dx%d, want ceil of %dx%d", name, c, g.w, g.h, f.w, f.h)
		}
		var s diffStats
		for y := 0; y < g.h; y++ {
			for x := 0; x < g.w; x++ {
				sum, n := 0, 0
				for yy := y * k; yy < min(y*k+k, f.h); yy++ {
					for xx := x * k; xx < min(x*k+k, f.w); xx++ {
						sum += int(f.at(xx, yy))
						n++
					}
				}
				s.add(g.at(x, y), uint8((sum+n/2)/n), x, y)
			}
		}
		if s.mean() > maxMean {
			t.Errorf("%s plane %d: mean abs diff %.3f (limit %.2f), max %d at %v", name, c, s.mean(), maxMean, s.max, s.where)
		}
	}
}

// decodePlanes runs the decoder and returns its component planes cropped to
// each component's own size at the decoded scale.
func decodePlanes(t *testing.T, data []byte, denom int) []plane {
	t.Helper()
	d := &decoder{data: data, denom: denom, scale: 8 / denom}
	if err := d.run(); err != nil {
		t.Fatal(err)
	}
	var ps []plane
	for i := range d.comps {
		c := &d.comps[i]
		w := ceilDiv(ceilDiv(d.hdr.Width*c.h, d.hmax), denom)
		h := ceilDiv(ceilDiv(d.hdr.Height*c.v, d.vmax), denom)
		ps = append(ps, plane{w, h, func(x, y int) uint8 { return c.plane[y*c.stride+x] }})
	}
	return ps
}

func colorYCbCrToRGB(y, cb, cr uint8) (uint8, uint8, uint8) {
	return color.YCbCrToRGB(y, cb, cr)
}
