package quality

import (
	"image"
	"image/color"
	"testing"

	"lightbox/quality/synth"
)

func TestGeometryFlagBoundaries(t *testing.T) {
	cases := []struct {
		w, h             int
		long, small, big bool
	}{
		{600, 200, true, false, false},  // exactly 3:1
		{599, 200, false, false, false}, // just under
		{200, 600, true, false, false},  // exactly 1:3
		{200, 599, false, false, false},
		{179, 179, false, false, false}, // long side 179: not small
		{300, 200, false, false, false},
		{1001, 1001, false, false, true}, // short side over 1000
		{1000, 1400, false, false, false},
	}
	for _, c := range cases {
		r := mustAssess(t, scenePNG(3, c.w, c.h))
		if r.LongImage != c.long || r.SmallImage != c.small || r.BigImage != c.big {
			t.Errorf("%dx%d: long=%v small=%v big=%v, want %v %v %v", c.w, c.h, r.LongImage, r.SmallImage, r.BigImage, c.long, c.small, c.big)
		}
		if r.Details.Width != c.w || r.Details.Height != c.h {
			t.Errorf("%dx%d: details say %dx%d", c.w, c.h, r.Details.Width, r.Details.Height)
		}
	}
}

func TestSmallImageZeroesEverythingElse(t *testing.T) {
	// 178x50 would be LONG (3.56:1) and grey and pure, but SmallImage overrides all of it.
	for _, data := range [][]byte{
		synth.EncodePNG(synth.Gray(synth.Solid(178, 50, 0, 0, 0))),
		sceneJPEG(4, 50, 178, 90),
	} {
		r := mustAssess(t, data)
		want := Result{SmallImage: true, Details: r.Details}
		if r != want {
			t.Errorf("small image: %+v, want only SmallImage", r)
		}
	}
}

func TestBigImageFromAJPEGOfTheBoundary(t *testing.T) {
	r := mustAssess(t, sceneJPEG(5, 1200, 1001, 85))
	if !r.BigImage || r.LongImage || r.SmallImage {
		t.Fatalf("1200x1001 JPEG: %+v", r)
	}
	r = mustAssess(t, sceneJPEG(5, 1200, 1000, 85))
	if r.BigImage {
		t.Fatal("1200x1000 JPEG flagged BigImage: short side must be over 1000")
	}
}

func TestBlackAndWhite(t *testing.T) {
	grey := greyScene(7, 400, 300)
	sepia := greyScene(7, 400, 300)
	for i := range sepia.R {
		sepia.R[i] = min(sepia.R[i]*1.07+10, 255)
		sepia.B[i] *= 0.82
	}
	spot := greyScene(7, 400, 300)
	for y := 100; y < 115; y++ { // a red patch on 1.25 % of the pixels
		for x := 100; x < 200; x++ {
			spot.R[y*400+x], spot.G[y*400+x], spot.B[y*400+x] = 220, 20, 20
		}
	}
	cases := []struct {
		name string
		data []byte
		want bool
	}{
		{"8-bit grey PNG", synth.EncodePNG(synth.Gray(grey)), true},
		{"RGB PNG with equal channels", synth.EncodePNG(synth.RGBA(grey)), true},
		{"grey photo as colour JPEG q75", synth.EncodeJPEG(grey, 75), true},
		{"grey photo as colour JPEG q95", synth.EncodeJPEG(grey, 95), true},
		{"grey JPEG (one component)", synth.EncodeImageJPEG(synth.Gray(grey), 90), true},
		{"16-bit grey PNG", gray16PNG(400, 300), true},
		{"sepia-toned photo", synth.EncodePNG(synth.RGBA(sepia)), false},
		{"grey photo with a red patch", synth.EncodeJPEG(spot, 90), false},
		{"colour photo", sceneJPEG(7, 400, 300, 90), false},
	}
	for _, c := range cases {
		if got := mustAssess(t, c.data).BlackAndWhite; got != c.want {
			t.Errorf("%s: BlackAndWhite=%v, want %v", c.name, got, c.want)
		}
	}
}

func gray16PNG(w, h int) []byte {
	img := image.NewGray16(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetGray16(x, y, color.Gray16{Y: uint16((x*65535/w + y*300) % 65536)})
		}
	}
	return synth.EncodePNG(img)
}

func TestPureImage(t *testing.T) {
	doc := synth.Text(600, 800, 16, color.RGBA{252, 252, 250, 255}, color.RGBA{25, 25, 30, 255})
	term := synth.Text(640, 400, 14, color.RGBA{30, 30, 36, 255}, color.RGBA{220, 220, 210, 255})
	cases := []struct {
		name string
		data []byte
		want bool
	}{
		{"solid PNG", solidPNG(400, 300), true},
		{"solid JPEG", synth.EncodeJPEG(synth.Solid(400, 300, 20, 90, 200), 80), true},
		{"document page", synth.EncodePNG(synth.RGBA(doc)), true},
		{"document page JPEG", synth.EncodeJPEG(doc, 85), true},
		{"terminal screenshot", synth.EncodePNG(synth.RGBA(term)), true},
		{"photo of a white wall", synth.EncodeJPEG(synth.Wall(1, 500, 375), 90), false},
		{"sparse photo", synth.EncodeJPEG(synth.Sparse(1, 500, 375), 90), false},
		{"photo", sceneJPEG(8, 500, 375, 90), false},
	}
	for _, c := range cases {
		if got := mustAssess(t, c.data).PureImage; got != c.want {
			t.Errorf("%s: PureImage=%v, want %v", c.name, got, c.want)
		}
	}
}

func TestEXIFOrientationSwapsDisplayedSize(t *testing.T) {
	jpg := sceneJPEG(9, 600, 400, 85)
	for o, want := range map[uint16][2]int{1: {600, 400}, 3: {600, 400}, 6: {400, 600}, 8: {400, 600}} {
		r := mustAssess(t, withEXIFOrientation(jpg, o))
		if r.Details.Width != want[0] || r.Details.Height != want[1] {
			t.Errorf("orientation %d: %dx%d, want %dx%d", o, r.Details.Width, r.Details.Height, want[0], want[1])
		}
	}
}
