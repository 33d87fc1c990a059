package mobilenet_test

import (
	"fmt"

	"lightbox/quality/internal/mobilenet"
)

// The production path: planar 0..255 RGB (as quality/internal/raster holds it),
// resized to 224x224 like tfjs, then the tap statistics.
func Example() {
	const w, h = 320, 240
	r, g, b := make([]float32, w*h), make([]float32, w*h), make([]float32, w*h)
	for i := range r {
		r[i], g[i], b[i] = float32(i%256), float32(i/w%256), 128
	}
	hwc := make([]float32, 224*224*3)
	if err := mobilenet.ResizeToHWC(r, g, b, w, h, 224, 224, hwc); err != nil {
		panic(err)
	}
	net, err := mobilenet.Load()
	if err != nil {
		panic(err)
	}
	features, err := net.Taps(hwc, 224, 224)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(features))
	// Output: 1824
}
