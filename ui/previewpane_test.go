package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"lightbox/ui/preview"
)

func pngOf(w, h int, c color.Color) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

var red64x48 = pngOf(64, 48, color.RGBA{200, 30, 30, 255})

// previewed is a 160x60 reviewer drawing pictures in mode, with images (key -> file) in the
// gallery and the cursor settled on key.
func previewed(t *testing.T, mode, key string, images map[string][]byte) (*harness, *fakeBackend) {
	t.Helper()
	b := gallery()
	b.images = images
	hs := newHarness(t, b, 160, 60, func(o *Options) { o.Image = mode })
	hs.cursorOn(key)
	hs.settle(key)
	return hs, b
}

func TestDetailPaneShowsTheImageInHalfBlocks(t *testing.T) {
	hs, b := previewed(t, "blocks", "cold.jpg", map[string][]byte{"cold.jpg": red64x48, "emoji 🌅 dawn.jpg": pngOf(40, 40, color.RGBA{0, 0, 255, 255})})
	frame := hs.m.render()
	if !strings.Contains(frame, "▀") || !strings.Contains(frame, "38;2;200;30;30") {
		t.Fatalf("no red half-block picture in the detail pane:\n%s", stripANSI(frame))
	}
	// The next image was fetched ahead: moving there shows it at once, before any tick.
	cols, rows := hs.m.previewSize()
	if _, ok := hs.m.img.cache.Get(preview.Key{Object: "emoji 🌅 dawn.jpg", ETag: b.objects["emoji 🌅 dawn.jpg"].ETag,
		Cols: cols, Rows: rows, Mode: preview.ModeBlocks}); !ok {
		t.Fatal("the next image was not fetched ahead")
	}
	hs.m.cursor++
	if !strings.Contains(hs.m.render(), "38;2;0;0;255") {
		t.Errorf("the prefetched image is not shown at once")
	}
}

func TestImageNoneDrawsNothing(t *testing.T) {
	hs, _ := previewed(t, "none", "tiny.jpg", map[string][]byte{"tiny.jpg": red64x48})
	if strings.Contains(hs.m.render(), "▀") {
		t.Error("--image none drew a picture")
	}
}

func TestFullScreenViewNextPreviousAndBack(t *testing.T) {
	b := gallery()
	b.images = map[string][]byte{}
	for k := range b.objects {
		b.images[k] = pngOf(30, 20, color.RGBA{0, 200, 0, 255})
	}
	hs := newHarness(t, b, 100, 30, func(o *Options) { o.Image = "blocks" })
	hs.cursorOn("cold.jpg")
	hs.keys("o")
	if hs.m.mode != modeImage || !strings.Contains(hs.screen(), "cold.jpg") || !strings.Contains(hs.m.render(), "38;2;0;200;0") {
		t.Fatalf("o: mode %v\n%s", hs.m.mode, hs.screen())
	}
	hs.keys("n")
	if hs.m.cursorKey() != "emoji 🌅 dawn.jpg" || !strings.Contains(hs.screen(), "emoji") {
		t.Errorf("n: %q", hs.m.cursorKey())
	}
	hs.keys("p", "p")
	if hs.m.cursorKey() != "animation.gif" {
		t.Errorf("p p: %q", hs.m.cursorKey())
	}
	hs.keys("p", "p", "p", "p") // prefixes are skipped; the first image stops it
	if it := hs.m.list.At(hs.m.cursor); it.IsPrefix {
		t.Errorf("stepped onto a prefix: %q", it.Key)
	}
	hs.keys("esc")
	if hs.m.mode != modeNormal {
		t.Error("esc returns to the list")
	}
	hs.cursorOn("tiny.jpg")
	hs.keys("enter")
	if hs.m.mode != modeImage {
		t.Error("Enter on an image opens it")
	}
}
