// Package content judges what an image shows rather than how well it was captured: whether
// it is a "pure" image (a solid fill, a plain gradient, or text on a plain background), how
// pleasing it is (AestheticScore) and how good its content is (LowQualityScore).
//
// Everything is computed from interpretable features on a small working image (long side
// at most 512 px). There is no aesthetic training data in the project, so the two scores are
// documented, monotone combinations of those features with hand-set anchors; Names and
// Vector expose the features so that a model can be fitted later without changing Analyze.
package content

// Analysis holds the features of one image. All shares are fractions of the image's pixels
// (0..1) unless stated otherwise; luma and colour values are 8-bit code values.
type Analysis struct {
	W, H int // working size the features were measured at

	// Colour.
	DominantShare float64    // share of pixels within ±10 (every channel) of the dominant colour
	DominantRGB   [3]float64 // that colour: the background of a page, the fill of a solid
	Colours       float64    // log2 of the 4-bit-per-channel colour bins covering 90% of pixels
	ColourEntropy float64    // bits, entropy of the 4-bit-per-channel colour histogram
	Colourfulness float64    // Hasler–Süsstrunk M (0 grey, ~33 moderate, ~60 quite, 100+ extreme)
	Saturation    float64    // mean HSV saturation, 0..1
	Harmony       float64    // share of chromatic weight inside the best-fitting hue template, 0..1

	// Tone (luma).
	Brightness  float64 // mean luma
	Contrast    float64 // luma standard deviation (RMS contrast)
	Range       float64 // p99 − p1 of luma
	ClipLow     float64 // share of pixels with luma <= 6 (crushed shadows)
	ClipHigh    float64 // share of pixels with luma >= 250 (blown highlights)
	ToneEntropy float64 // bits, entropy of the 256-bin luma histogram

	// Structure.
	EdgeDensity   float64 // share of pixels whose Sobel gradient exceeds 8 levels per pixel
	DetailDensity float64 // share above 2 levels per pixel: texture, not only edges
	FlatShare     float64 // share of pixels whose 3x3 luma range is <= 3: digitally flat areas
	Residual      float64 // RMS luma left on a ~48-cell grid after a quadratic fit: large-scale structure that is not a plain gradient
	Clutter       float64 // 0..1: share of the frame that is busy at the scale of objects (cell-to-cell colour jumps)

	// Graphics and text.
	BgFlat       float64 // share of adjacent background pixel pairs with the same luma level: rendered, noise-free
	BgNoise      float64 // noise σ on the background, from the median step between background neighbours
	ThickTexture float64 // share of textured pixels farther than 5 px from the background: photo content
	InkContrast  float64 // share of non-background pixels at least 60 luma levels from the background: legible ink
	TextLikeness float64 // 0..1: thin strokes on a plain, flat background
	Letterbox    float64 // share of the frame taken by uniform bars at two opposite edges

	// Composition (from a colour-contrast saliency map on the cell grid).
	SubjectX, SubjectY float64 // saliency centroid of the subject, 0..1 of width and height
	SubjectArea        float64 // share of cells in the subject
	SubjectEdge        float64 // share of the subject's saliency lying in the outer band of the frame
	SubjectContrast    float64 // 0..1: how much the subject stands out from the rest
	CentreFocus        float64 // log ratio of gradient energy in the central quarter to the outer band
	Tilt               float64 // degrees off level of the dominant near-horizontal/vertical lines (signed)
	TiltConfidence     float64 // 0..1: how clearly one off-axis line direction dominates
}

// Names lists the features in Vector's order.
var Names = []string{
	"dominant_share", "colours", "colour_entropy", "colourfulness", "saturation", "harmony",
	"brightness", "contrast", "range", "clip_low", "clip_high", "tone_entropy",
	"edge_density", "detail_density", "flat_share", "residual", "clutter",
	"bg_flat", "bg_noise", "thick_texture", "ink_contrast", "text_likeness", "letterbox",
	"subject_x", "subject_y", "subject_area", "subject_edge", "subject_contrast", "centre_focus",
	"tilt_abs", "tilt_confidence",
}

// Vector returns the features as numbers in the order of Names, for model fitting.
func (a Analysis) Vector() []float64 {
	t := a.Tilt
	if t < 0 {
		t = -t
	}
	return []float64{
		a.DominantShare, a.Colours, a.ColourEntropy, a.Colourfulness, a.Saturation, a.Harmony,
		a.Brightness, a.Contrast, a.Range, a.ClipLow, a.ClipHigh, a.ToneEntropy,
		a.EdgeDensity, a.DetailDensity, a.FlatShare, a.Residual, a.Clutter,
		a.BgFlat, a.BgNoise, a.ThickTexture, a.InkContrast, a.TextLikeness, a.Letterbox,
		a.SubjectX, a.SubjectY, a.SubjectArea, a.SubjectEdge, a.SubjectContrast, a.CentreFocus,
		t, a.TiltConfidence,
	}
}

// ramp maps x linearly from lo..hi onto 0..1 and clamps; lo > hi gives a falling ramp.
func ramp(x, lo, hi float64) float64 {
	if lo == hi {
		if x >= hi {
			return 1
		}
		return 0
	}
	t := (x - lo) / (hi - lo)
	if t < 0 || t != t {
		return 0
	}
	if t > 1 {
		return 1
	}
	return t
}

func clamp(x, lo, hi float64) float64 {
	if x < lo || x != x {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}
