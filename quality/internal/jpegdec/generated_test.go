package jpegdec

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"testing"
)

func yccComps(hv [][2]int, texture float64) []encComp {
	var cs []encComp
	for i, f := range hv {
		tq, tab := 0, 0
		if i > 0 {
			tq, tab = 1, 1
		}
		cs = append(cs, encComp{id: byte(i + 1), h: f[0], v: f[1], tq: tq, tab: tab, sample: texSample(i, texture)})
	}
	return cs
}

func baseSpec(w, h int, hv [][2]int, texture float64) encSpec {
	sp := encSpec{w: w, h: h, comps: yccComps(hv, texture), adobe: -1}
	sp.quant[0] = testQuant(2, 1)
	sp.quant[1] = testQuant(3, 2)
	return sp
}

// TestGeneratedLayouts decodes files from the test encoder and compares
// every component plane with the exact float reconstruction (Denom 1) and
// with its box average (reduced scales).
func TestGeneratedLayouts(t *testing.T) {
	type tc struct {
		name string
		sp   encSpec
		typ  string
	}
	var cases []tc
	add := func(name, typ string, sp encSpec) { cases = append(cases, tc{name, sp, typ}) }
	layouts := []struct {
		name string
		hv   [][2]int
		typ  string
	}{
		{"gray", [][2]int{{1, 1}}, "gray"},
		{"gray-sampled", [][2]int{{2, 3}}, "gray"},
		{"444", [][2]int{{1, 1}, {1, 1}, {1, 1}}, "ycbcr"},
		{"422", [][2]int{{2, 1}, {1, 1}, {1, 1}}, "ycbcr"},
		{"420", [][2]int{{2, 2}, {1, 1}, {1, 1}}, "ycbcr"},
		{"440", [][2]int{{1, 2}, {1, 1}, {1, 1}}, "ycbcr"},
		{"411", [][2]int{{4, 1}, {1, 1}, {1, 1}}, "ycbcr"},
		{"410", [][2]int{{4, 2}, {1, 1}, {1, 1}}, "ycbcr"},
		{"420-as-2x2/1x2", [][2]int{{2, 2}, {1, 2}, {1, 2}}, "ycbcr"}, // 422 ratio
		{"3x1", [][2]int{{3, 1}, {1, 1}, {1, 1}}, "rgba"},
		{"fractional-3x2/2x1", [][2]int{{3, 2}, {1, 1}, {2, 1}}, "rgba"},
		{"4x2/3x1/1x2", [][2]int{{4, 2}, {3, 1}, {1, 2}}, "rgba"},
		{"chroma-bigger", [][2]int{{1, 1}, {2, 2}, {1, 1}}, "rgba"},
	}
	for _, l := range layouts {
		for _, sz := range [][2]int{{45, 37}, {8, 8}, {1, 1}, {33, 7}} {
			add(fmt.Sprintf("%s/%dx%d", l.name, sz[0], sz[1]), l.typ, baseSpec(sz[0], sz[1], l.hv, 1))
		}
	}
	{
		sp := baseSpec(61, 43, [][2]int{{2, 2}, {1, 1}, {1, 1}}, 1)
		sp.ri, sp.garbage, sp.fill, sp.extraSegs = 3, true, true, true
		add("420-restart-garbage-fill", "ycbcr", sp)
	}
	{
		sp := baseSpec(61, 43, [][2]int{{2, 1}, {1, 1}, {1, 1}}, 1)
		sp.ri, sp.perCompScan = 5, true
		add("422-noninterleaved-restart", "ycbcr", sp)
	}
	{
		sp := baseSpec(50, 30, [][2]int{{1, 1}, {1, 1}, {1, 1}}, 1)
		sp.quant[1] = testQuant(300, 20) // 16-bit values
		sp.quant16 = [4]bool{true, true}
		sp.sof = 0xC1
		add("444-dqt16-sof1", "ycbcr", sp)
	}
	{
		sp := baseSpec(300, 4, [][2]int{{4, 4}, {1, 1}, {1, 1}}, 1)
		sp.ri = 1
		add("4x4-ri1", "rgba", sp)
	}
	{
		sp := baseSpec(40, 24, [][2]int{{1, 1}, {1, 1}, {1, 1}}, 1)
		sp.adobe = 0
		add("adobe-rgb", "rgba", sp)
	}
	{
		sp := baseSpec(40, 24, [][2]int{{1, 1}, {1, 1}, {1, 1}}, 1)
		sp.comps[0].id, sp.comps[1].id, sp.comps[2].id = 'R', 'G', 'B'
		add("rgb-ids", "rgba", sp)
	}
	for _, tr := range []int{0, 2} {
		sp := baseSpec(37, 29, [][2]int{{2, 2}, {1, 1}, {1, 1}, {2, 2}}, 1)
		sp.adobe = tr
		add(fmt.Sprintf("4comp-adobe%d", tr), "rgba", sp)
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := encodeTest(c.sp)
			got := decodePlanes(t, res.data, 1)
			if len(got) != len(res.planes) {
				t.Fatalf("%d planes, want %d", len(got), len(res.planes))
			}
			for i := range got {
				var s diffStats
				g, w := got[i], res.planes[i]
				if g.w != w.w || g.h != w.h {
					t.Fatalf("plane %d: %dx%d, want %dx%d", i, g.w, g.h, w.w, w.h)
				}
				for y := 0; y < w.h; y++ {
					for x := 0; x < w.w; x++ {
						s.add(g.at(x, y), w.at(x, y), x, y)
					}
				}
				if s.max > 1 {
					t.Errorf("plane %d: max diff %d at %v, mean %.3f", i, s.max, s.where, s.mean())
				}
			}
			for _, k := range []int{1, 2, 4, 8} {
				img, hdr, err := Decode(res.data, Options{Denom: k})
				if err != nil {
					t.Fatalf("1/%d: %v", k, err)
				}
				if img.Bounds() != image.Rect(0, 0, ceilDiv(c.sp.w, k), ceilDiv(c.sp.h, k)) {
					t.Fatalf("1/%d: bounds %v", k, img.Bounds())
				}
				if hdr.Width != c.sp.w || hdr.Height != c.sp.h || hdr.Components != len(c.sp.comps) {
					t.Fatalf("header %+v", hdr)
				}
				typ := map[bool]string{true: "?"}[true]
				switch img.(type) {
				case *image.Gray:
					typ = "gray"
				case *image.YCbCr:
					typ = "ycbcr"
				case *image.RGBA:
					typ = "rgba"
				}
				if typ != c.typ {
					t.Fatalf("1/%d: %T, want %s", k, img, c.typ)
				}
				if k > 1 {
					// Tiny images are mostly padding; only sizes count there.
					limit := 3.0
					if min(c.sp.w, c.sp.h) < 16 {
						limit = 40
					}
					comparePlanes(t, fmt.Sprintf("1/%d", k), decodePlanes(t, res.data, k), res.planes, k, limit)
				}
			}
		})
	}
}

// TestCMYKVsStdlib checks the Adobe inverted-CMYK and YCCK conversions
// against image/jpeg, which returns *image.CMYK for such files.
func TestCMYKVsStdlib(t *testing.T) {
	for _, tr := range []int{0, 2} {
		sp := baseSpec(41, 27, [][2]int{{1, 1}, {1, 1}, {1, 1}, {1, 1}}, 0.5)
		sp.adobe = tr
		res := encodeTest(sp)
		want, err := jpeg.Decode(bytes.NewReader(res.data))
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := Decode(res.data, Options{Denom: 1})
		if err != nil {
			t.Fatal(err)
		}
		compareFull(t, fmt.Sprintf("adobe %d", tr), got, want, 0.6, 3)
	}
}

// TestYCbCrConversion checks the RGBA fallback's colour conversion.
func TestYCbCrConversion(t *testing.T) {
	for y := 0; y < 256; y += 5 {
		for cb := 0; cb < 256; cb += 3 {
			for cr := 0; cr < 256; cr += 7 {
				r, g, b := ycbcrToRGB(uint8(y), uint8(cb), uint8(cr))
				wr, wg, wb := colorYCbCrToRGB(uint8(y), uint8(cb), uint8(cr))
				if absd(r, wr) > 1 || absd(g, wg) > 1 || absd(b, wb) > 1 {
					t.Fatalf("YCbCr(%d,%d,%d) = %d,%d,%d want %d,%d,%d", y, cb, cr, r, g, b, wr, wg, wb)
				}
			}
		}
	}
}

func absd(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func TestErrorsIsAs(t *testing.T) {
	var fe *FormatError
	if !errors.As(error(errBadCode), &fe) || !errors.Is(unsupported("x"), ErrUnsupported) {
		t.Fatal("error types do not match")
	}
}

// TestRandomLayouts encodes files with random sizes, component counts,
// sampling factors, tables, restart intervals and scan layouts, and checks
// the Denom 1 planes against the exact reconstruction.
func TestRandomLayouts(t *testing.T) {
	rng := uint32(12345)
	next := func(n int) int {
		rng ^= rng << 13
		rng ^= rng >> 17
		rng ^= rng << 5
		return int(rng % uint32(n))
	}
	for it := 0; it < 60; it++ {
		nc := []int{1, 3, 3, 4}[next(4)]
		var hv [][2]int
		for i := 0; i < nc; i++ {
			hv = append(hv, [2]int{1 + next(4), 1 + next(4)})
		}
		sp := baseSpec(1+next(40), 1+next(40), hv, float64(next(3)))
		for i := range sp.comps {
			sp.comps[i].tab = next(2)
			sp.comps[i].tq = next(2)
		}
		sp.quant[0] = testQuant(1+next(8), next(4))
		sp.quant[1] = testQuant(1+next(40), next(10))
		sp.quant16 = [4]bool{next(2) == 0, next(2) == 0}
		sp.ri = []int{0, 0, 1, 2, 7}[next(5)]
		sp.garbage, sp.fill, sp.perCompScan = next(3) == 0, next(3) == 0, next(2) == 0
		sp.adobe = []int{-1, -1, 0, 1, 2}[next(5)]
		res := encodeTest(sp)
		name := fmt.Sprintf("it%d %dx%d %v ri=%d", it, sp.w, sp.h, hv, sp.ri)
		got := decodePlanes(t, res.data, 1)
		for i := range got {
			g, w := got[i], res.planes[i]
			if g.w != w.w || g.h != w.h {
				t.Fatalf("%s plane %d: %dx%d, want %dx%d", name, i, g.w, g.h, w.w, w.h)
			}
			var s diffStats
			for y := 0; y < w.h; y++ {
				for x := 0; x < w.w; x++ {
					s.add(g.at(x, y), w.at(x, y), x, y)
				}
			}
			if s.max > 1 {
				t.Errorf("%s plane %d: max diff %d at %v", name, i, s.max, s.where)
			}
		}
		for _, k := range []int{2, 4, 8} {
			img, _, err := Decode(res.data, Options{Denom: k})
			if err != nil {
				t.Fatalf("%s 1/%d: %v", name, k, err)
			}
			if img.Bounds() != image.Rect(0, 0, ceilDiv(sp.w, k), ceilDiv(sp.h, k)) {
				t.Fatalf("%s 1/%d: bounds %v", name, k, img.Bounds())
			}
		}
	}
}
