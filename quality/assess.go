package quality

import (
	"math"

	"lightbox/quality/internal/content"
	"lightbox/quality/internal/features"
)

// Assess scores one PNG or JPEG image from its bytes. The same bytes always give the same
// answer. Errors are always *Error with a stable Code.
func Assess(data []byte) (Result, error) { return AssessWithOptions(data, Options{}) }

// AssessWithOptions is Assess with explicit guards.
func AssessWithOptions(data []byte, opt Options) (Result, error) {
	d, err := decode(data, opt)
	if err != nil {
		return Result{}, err
	}
	res := Result{Details: Details{Width: d.width, Height: d.height, Format: d.format.String()}}
	if isSmall(d.width, d.height) {
		// The API's rule: a small image is not worth recommending, every other field is 0/FALSE.
		res.SmallImage = true
		return res, nil
	}
	res.LongImage = isLong(d.width, d.height)
	res.BigImage = isBig(d.width, d.height)
	res.BlackAndWhite = d.grey || isGreyPixels(d.work)

	fs := extract(d, clarity().uses("cnn"), clarity().uses("crop"), clarity().uses("cnn2"))
	comps := fs.Components
	res.Details.Blur = score(comps.Blur)
	res.Details.Noise = score(comps.Noise)
	res.Details.Exposure = score(comps.Exposure)
	res.Details.Compression = score(comps.Compression)

	c := clarity().Predict(fs)
	res.ClarityScore = score(c)
	res.PureImage = fs.analysis.Pure()
	res.AestheticScore = clamp100(content.Aesthetic(fs.analysis, c))
	res.LowQualityScore = clamp100(content.LowQuality(fs.analysis, c))
	return res, nil
}

// Measurement is everything measured on one image: the inputs of the clarity model and of
// the content scores. Exported for the training command.
type Measurement struct {
	Tech       []float64
	Content    []float64
	CNN        []float64 // nil unless asked for
	Crop       []float64 // the centre crop's pass (cropTaps); nil unless asked for
	CNN2       []float64 // the finer pass; nil unless asked for
	Components features.Components
	analysis   content.Analysis
}

// Measure decodes one image and measures every feature group (the CNN ones too), for
// training; Assess measures only what its model uses.
func Measure(data []byte, opt Options) (Measurement, error) {
	d, err := decode(data, opt)
	if err != nil {
		return Measurement{}, err
	}
	return extract(d, true, true, true), nil
}

func extract(d *decoded, withCNN, withCrop, withCNN2 bool) Measurement {
	luma := d.work.Luma()
	in := features.Input{
		Img: d.work, Luma: luma, OrigW: d.width, OrigH: d.height,
		FileBytes: d.fileBytes, JPEG: d.jpeg,
	}
	fs := Measurement{Tech: features.Technical(in)}
	fs.Components = features.ComponentsOf(in, fs.Tech)
	fs.analysis = content.Analyze(d.work, luma)
	fs.Content = fs.analysis.Vector()
	// The larger passes first (on a photo's shape: 320x240, then 256x256, then 224x224): the
	// smaller then reuse their pooled buffers, where the other order would make a fresh
	// process allocate, and fault in, each.
	if withCNN2 {
		fs.CNN2 = cnnTaps2(d.work)
	}
	if withCrop {
		fs.Crop = cropTaps(d.work)
	}
	if withCNN {
		fs.CNN = cnnTaps(d.work)
	}
	return fs
}

// score rounds a 0..100 value to the API's integer, clamping anything outside.
func score(v float64) int {
	if math.IsNaN(v) {
		return 0
	}
	return clamp100(int(math.Round(v)))
}

func clamp100(v int) int { return min(max(v, 0), 100) }
