package raster

import (
	"image"
	"image/color"
	"math"
	"testing"
)

func TestResizePreservesMeanWhenShrinking(t *testing.T) {
	m := New(101, 37)
	var sum float64
	for i := range m.R {
		v := float32((i * 7919) % 256)
		m.R[i], m.G[i], m.B[i] = v, v, v
		sum += float64(v)
	}
	mean := sum / float64(len(m.R))
	r := m.Resize(23, 9)
	var s2 float64
	for _, v := range r.R {
		s2 += float64(v)
	}
	if got := s2 / float64(len(r.R)); math.Abs(got-mean) > 0.5 {
		t.Fatalf("mean after area shrink = %.3f, want %.3f", got, mean)
	}
}

func TestResizeConstantStaysConstant(t *testing.T) {
	p := NewPlane(10, 10)
	for i := range p.Pix {
		p.Pix[i] = 42
	}
	for _, sz := range [][2]int{{3, 7}, {25, 13}, {10, 10}} {
		r := p.Resize(sz[0], sz[1])
		for _, v := range r.Pix {
			if math.Abs(float64(v)-42) > 1e-3 {
				t.Fatalf("size %v: got %v, want 42", sz, v)
			}
		}
	}
}

func TestFitWithin(t *testing.T) {
	cases := []struct{ w, h, m, ew, eh int }{
		{4000, 3000, 512, 512, 384},
		{3000, 4000, 512, 384, 512},
		{300, 200, 512, 300, 200},
		{5000, 1, 512, 512, 1},
	}
	for _, c := range cases {
		w, h := FitWithin(c.w, c.h, c.m)
		if w != c.ew || h != c.eh {
			t.Errorf("FitWithin(%d,%d,%d) = %d,%d, want %d,%d", c.w, c.h, c.m, w, h, c.ew, c.eh)
		}
	}
}

func TestFromImageCompositesAlphaOverWhite(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	src.Set(0, 0, color.NRGBA{0, 0, 0, 0})
	m := FromImage(src)
	if m.R[0] != 255 || m.G[0] != 255 || m.B[0] != 255 {
		t.Fatalf("transparent pixel = %v,%v,%v, want white", m.R[0], m.G[0], m.B[0])
	}
}

func TestFromImageScaledAveragesBlocks(t *testing.T) {
	src := image.NewGray(image.Rect(0, 0, 5, 3))
	for i := range src.Pix {
		src.Pix[i] = uint8(10 * i)
	}
	m := FromImageScaled(src, 2)
	if m.W != 3 || m.H != 2 {
		t.Fatalf("size %dx%d, want 3x2", m.W, m.H)
	}
	// Block (0,0) holds pixels 0,1,5,6 -> 0,10,50,60 -> 30. The last column is 1 wide: 40,90 -> 65.
	if m.R[0] != 30 || m.R[2] != 65 {
		t.Fatalf("got %v %v, want 30 65", m.R[0], m.R[2])
	}
	// Last row is one source row tall: pixels 10,11 -> 100,110 -> 105.
	if m.R[3] != 105 {
		t.Fatalf("got %v, want 105", m.R[3])
	}
}

func TestFromImagePaletteAndGray16(t *testing.T) {
	p := image.NewPaletted(image.Rect(0, 0, 2, 1), color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}})
	p.Pix[1] = 1
	m := FromImage(p)
	if m.R[0] != 255 || m.B[1] != 255 || m.R[1] != 0 {
		t.Fatalf("paletted conversion wrong: %v %v", m.R, m.B)
	}
	g := image.NewGray16(image.Rect(0, 0, 1, 1))
	g.SetGray16(0, 0, color.Gray16{Y: 65535})
	if v := FromImage(g).G[0]; v != 255 {
		t.Fatalf("gray16 white = %v, want 255", v)
	}
}
