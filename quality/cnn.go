package quality

import (
	"sync"

	"lightbox/quality/internal/content"
	"lightbox/quality/internal/features"
	"lightbox/quality/internal/mobilenet"
	"lightbox/quality/internal/raster"
)

// cnnSide is the input size of the "cnn" group's pass: the whole image resized to 224x224,
// the setting the backbone's taps were measured at (models before the centre crop used it).
const cnnSide = 224

// cropSide is the largest side of the centre crop the "crop" group's pass sees at the
// working scale, pixel for pixel. Unresampled, the crop shows noise, blur and blocking as
// they are, and the centre is where the subject (and the photographer's focus) usually is.
// In place of the squeezed 224x224 pass, 10-fold nested CV of the regression on
// clive-calib with seeds 1, 2, 3: SROCC 0.761, 0.761, 0.755 squeezed; 0.778, 0.773, 0.778
// with a 224 crop; 0.784, 0.785, 0.777 with 256; 288 is no better for 30% more pixels.
// The shipped model uses it in place of the squeezed pass (README, "Calibration").
const cropSide = 256

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
	return runTaps(m, mobilenet.Rect{W: m.W, H: m.H}, w, h)
}

// cnnTaps returns the backbone's pooled activations for the working image squeezed to
// cnnSide x cnnSide.
func cnnTaps(m *raster.Image) []float64 {
	return runTaps(m, mobilenet.Rect{W: m.W, H: m.H}, cnnSide, cnnSide)
}

// cropTaps runs the backbone on the centre of the working image, at most cropSide square,
// unresampled; a side under the backbone's minimum is stretched to it.
func cropTaps(m *raster.Image) []float64 {
	cw, ch := min(cropSide, m.W), min(cropSide, m.H)
	region := mobilenet.Rect{X: (m.W - cw) / 2, Y: (m.H - ch) / 2, W: cw, H: ch}
	return runTaps(m, region, max(cw, mobilenet.MinSize), max(ch, mobilenet.MinSize))
}

// runTaps returns the backbone's pooled activations for the region of m resized to w x h.
func runTaps(m *raster.Image, region mobilenet.Rect, w, h int) []float64 {
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
	if err := mobilenet.RegionToHWC(m.R, m.G, m.B, m.W, m.H, region, w, h, in); err != nil {
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
		case "cnn", "crop", "cnn2":
			for i := 0; i < mobilenet.NumTaps; i++ {
				names = append(names, g+"."+itoa(i))
			}
		}
	}
	return names
}
