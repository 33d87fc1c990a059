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
