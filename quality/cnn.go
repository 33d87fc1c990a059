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
	// Buffers are made at the size first asked for: the larger pass runs first (extract),
	// so the smaller reuses its buffer.
	hwcPool = sync.Pool{New: func() any { return new([]float32) }}
)

// cnn2Side is the long side of the second, finer backbone pass: at 224x224 the whole image
// is squeezed, at this size fine detail (and its loss) stays visible to the early taps.
const cnn2Side = 320

// cnnTaps2 runs the backbone on the working image at its own aspect ratio, long side cnn2Side.
func cnnTaps2(m *raster.Image) []float64 {
	w, h := raster.FitWithin(m.W, m.H, cnn2Side)
	w, h = max(w, mobilenet.MinSize), max(h, mobilenet.MinSize)
	return runTaps(m, w, h)
}

// cnnTaps returns the backbone's pooled activations for the working image.
func cnnTaps(m *raster.Image) []float64 { return runTaps(m, cnnSide, cnnSide) }

func runTaps(m *raster.Image, w, h int) []float64 {
	netOnce.Do(func() { net, netErr = mobilenet.Load() })
	if netErr != nil {
		panic("quality: embedded MobileNetV2 weights: " + netErr.Error()) // caught by tests
	}
	buf := hwcPool.Get().(*[]float32)
	defer hwcPool.Put(buf)
	if cap(*buf) < w*h*3 {
		*buf = make([]float32, w*h*3)
	}
	in := (*buf)[:w*h*3]
	if err := mobilenet.ResizeToHWC(m.R, m.G, m.B, m.W, m.H, w, h, in); err != nil {
		panic("quality: backbone input: " + err.Error()) // sizes are checked above
	}
	taps := make([]float32, mobilenet.NumTaps)
	if err := net.TapsInto(taps, in, h, w); err != nil {
		panic("quality: backbone: " + err.Error()) // sizes are checked above
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
		case "cnn", "cnn2":
			for i := 0; i < mobilenet.NumTaps; i++ {
				names = append(names, g+"."+itoa(i))
			}
		}
	}
	return names
}
