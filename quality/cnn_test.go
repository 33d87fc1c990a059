package quality

import (
	"slices"
	"testing"

	"lightbox/quality/internal/mobilenet"
	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

// cutOut copies the w x h region at (x, y) into an image of its own.
func cutOut(m *raster.Image, x, y, w, h int) *raster.Image {
	c := raster.New(w, h)
	for r := range h {
		at := (y+r)*m.W + x
		copy(c.R[r*w:(r+1)*w], m.R[at:at+w])
		copy(c.G[r*w:(r+1)*w], m.G[at:at+w])
		copy(c.B[r*w:(r+1)*w], m.B[at:at+w])
	}
	return c
}

// The crop pass sees the centre of the working image pixel for pixel: the same taps as the
// whole-image pass on that centre cut out. A side under the backbone's minimum is stretched.
func TestCropTapsSeeTheCentreUnresampled(t *testing.T) {
	m := synth.Scene(5, 500, 375)
	got := cropTaps(m)
	want := runTaps(cutOut(m, 122, 59, 256, 256), mobilenet.Rect{W: 256, H: 256}, 256, 256)
	if !slices.Equal(got, want) {
		t.Fatal("crop taps differ from the taps of the cut-out centre")
	}
	thin := synth.Scene(6, 300, 20)
	got = cropTaps(thin)
	want = runTaps(cutOut(thin, 22, 0, 256, 20), mobilenet.Rect{W: 256, H: 20}, 256, mobilenet.MinSize)
	if !slices.Equal(got, want) {
		t.Fatal("a 20 px high image: crop taps differ from its centre stretched to the minimum")
	}
}
