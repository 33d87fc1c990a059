package quality

import (
	"sync"

	"lightbox/quality/internal/content"
	"lightbox/quality/internal/features"
	"lightbox/quality/internal/mobilenet"
	"lightbox/quality/internal/raster"
)

// cnnSide is the input size of the backbone: the whole image resized to 224x224, the
// setting its taps were measured at.
const cnnSide = 224

var (
	netOnce sync.Once
	net     *mobilenet.Net
	netErr  error
	hwcPool = sync.Pool{New: func() any { b := make([]float32, cnnSide*cnnSide*3); return &b }}
)

// cnnTaps returns the backbone's pooled activations for the working image.
func cnnTaps(m *raster.Image) []float64 {
	netOnce.Do(func() { net, netErr = mobilenet.Load() })
	if netErr != nil {
		panic("quality: embedded MobileNetV2 weights: " + netErr.Error()) // caught by tests
	}
	buf := hwcPool.Get().(*[]float32)
	defer hwcPool.Put(buf)
	mobilenet.ResizeToHWC(m.R, m.G, m.B, m.W, m.H, cnnSide, cnnSide, *buf)
	taps := make([]float32, mobilenet.NumTaps)
	if err := net.TapsInto(taps, *buf, cnnSide, cnnSide); err != nil {
		panic("quality: backbone on a 224x224 input: " + err.Error()) // fixed size: cannot fail
	}
	out := make([]float64, len(taps))
	for i, v := range taps {
		out[i] = float64(v)
	}
	return out
}

// FeatureNames lists, in model order, the features of the given groups.
func FeatureNames(groups ...string) []string {
	var names []string
	for _, g := range groups {
		switch g {
		case "tech":
			for _, n := range features.Names {
				names = append(names, "tech."+n)
			}
		case "content":
			for _, n := range content.Names {
				names = append(names, "content."+n)
			}
		case "cnn":
			for i := 0; i < mobilenet.NumTaps; i++ {
				names = append(names, "cnn."+itoa(i))
			}
		}
	}
	return names
}
