package preview

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

func TestFitSize(t *testing.T) {
	for _, tc := range []struct{ sw, sh, w, h, tw, th int }{
		{1600, 1200, 80, 80, 80, 60},
		{1200, 1600, 80, 80, 60, 80},
		{100, 50, 10, 10, 10, 5},
		{1, 1, 5, 3, 3, 3},       // grows to fill the box, no further
		{4000, 1, 80, 80, 80, 1}, // never rounds a side to zero
		{300, 200, 192, 108, 162, 108},
	} {
		got := Fit(solid(tc.sw, tc.sh, red), tc.w, tc.h).Rect
		if got.Dx() != tc.tw || got.Dy() != tc.th || got.Min != (image.Point{}) {
			t.Errorf("Fit %dx%d into %dx%d = %v, want %dx%d at the origin", tc.sw, tc.sh, tc.w, tc.h, got, tc.tw, tc.th)
		}
	}
	for _, box := range [][2]int{{0, 10}, {10, 0}, {-3, 4}} {
		if r := Fit(solid(4, 4, red), box[0], box[1]).Rect; !r.Empty() {
			t.Errorf("box %v: got %v, want empty", box, r)
		}
	}
	if r := Fit(nil, 10, 10).Rect; !r.Empty() {
		t.Errorf("nil image: %v", r)
	}
}

func TestFitAveragesInsteadOfAliasing(t *testing.T) {
	// A one-pixel black and white checkerboard must shrink to grey. A sampler taking
	// one tap per output pixel would return pure black or white.
	m := image.NewGray(image.Rect(0, 0, 400, 400))
	for y := range 400 {
		for x := range 400 {
			if (x+y)%2 == 0 {
				m.Pix[y*m.Stride+x] = 255
			}
		}
	}
	out := Fit(m, 20, 20)
	for i := 0; i < len(out.Pix); i += 4 {
		if v := out.Pix[i]; v < 112 || v > 143 {
			t.Fatalf("pixel %d = %d, want about 128", i/4, v)
		}
	}
}

func TestFitSourceTypesAgree(t *testing.T) {
	// Every fast path must match the generic one (img.At) on the same picture, also
	// for images whose bounds do not start at the origin. The picture stays in the range
	// where no YCbCr sample converts out of 0..255 (as in photos): averaging before
	// converting, as the YCbCr path does, differs only where clamping happens.
	base := ycbcrBusy(640, 480)
	want := Fit(genericImage{base}, 64, 64)
	rgba := toRGBA(base)
	nrgba := image.NewNRGBA(rgba.Rect)
	copy(nrgba.Pix, rgba.Pix) // opaque, so straight and premultiplied agree
	offset := image.NewRGBA(image.Rect(-100, -50, 540, 430))
	copy(offset.Pix, rgba.Pix)
	big := image.NewRGBA(image.Rect(0, 0, 740, 530)) // wider stride than the picture
	draw.Draw(big, image.Rect(100, 50, 740, 530), rgba, image.Point{}, draw.Src)
	for name, img := range map[string]image.Image{
		"ycbcr":  base,
		"rgba":   rgba,
		"nrgba":  nrgba,
		"offset": offset,
		"sub":    big.SubImage(image.Rect(100, 50, 740, 530)),
	} {
		got := Fit(img, 64, 64)
		if got.Rect != want.Rect {
			t.Fatalf("%s: size %v, want %v", name, got.Rect, want.Rect)
		}
		for i := range got.Pix {
			if d := int(got.Pix[i]) - int(want.Pix[i]); d < -2 || d > 2 {
				t.Fatalf("%s: byte %d = %d, want %d", name, i, got.Pix[i], want.Pix[i])
			}
		}
	}
}

func TestFitPalettedAndAlpha(t *testing.T) {
	p := image.NewPaletted(image.Rect(0, 0, 40, 40), color.Palette{color.RGBA{}, blue})
	for i := range p.Pix {
		if i%40 < 20 {
			p.Pix[i] = 1 // left half opaque blue, right half transparent
		}
	}
	out := Fit(p, 4, 4)
	if c := out.RGBAAt(0, 0); c != blue {
		t.Errorf("left = %v, want blue", c)
	}
	if c := out.RGBAAt(3, 0); c.A != 0 {
		t.Errorf("right = %v, want transparent", c)
	}

	// Half-transparent white shrinks to premultiplied values (image.RGBA's convention).
	n := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	for i := 0; i < len(n.Pix); i += 4 {
		copy(n.Pix[i:], []uint8{255, 255, 255, 128})
	}
	if c := Fit(n, 2, 2).RGBAAt(0, 0); c.A != 128 || c.R != 128 {
		t.Errorf("premultiplied = %v, want {128 128 128 128}", c)
	}
}

// ycbcrBusy has detail at every pixel without any YCbCr value that clamps in RGB.
func ycbcrBusy(w, h int) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			m.Y[m.YOffset(x, y)] = uint8(40 + (x*7+y*13+x*y)%176)
		}
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = uint8(112+i%32), uint8(112+(i*5)%32)
	}
	return m
}

// genericImage hides the concrete type so Fit takes its img.At path.
type genericImage struct{ image.Image }

func BenchmarkFit12MPTo800(b *testing.B) {
	img := ycbcrNoise(4000, 3000)
	for b.Loop() {
		_ = Fit(img, 800, 800)
	}
}
