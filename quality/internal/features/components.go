package features

import "math"

// Components explains a ClarityScore: each 0..100, higher = better.
type Components struct{ Blur, Noise, Exposure, Compression float64 }

// ComponentsOf maps the features v (from Technical(in)) to the four components. Each is a
// fixed, monotone function of one to four contrast-robust features, so that it moves with its
// own distortion and stays roughly still under the others. The constants were set on the
// synthetic ladders (blur 0..4 px, noise 0..40, JPEG 95..4, -3..+2.5 stops) and checked on
// the CLIVE photographs' human scores; see components_test.go and clive_test.go.
func ComponentsOf(in Input, v []float64) Components {
	if len(v) < NumFeatures {
		return Components{}
	}
	c := Components{
		Blur:        blurScore(v),
		Noise:       noiseScore(v),
		Exposure:    exposureScore(v),
		Compression: compressionScore(in, v),
	}
	for _, p := range []*float64{&c.Blur, &c.Noise, &c.Exposure, &c.Compression} {
		if math.IsNaN(*p) {
			*p = 50
		}
		*p = math.Min(math.Max(*p, 0), 100)
	}
	return c
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// blurScore: a blur index from the edge widths (the sharpest fifth and the mean, in log px:
// both scale with blur and ignore contrast), the contrast-normalised Laplacian variance, and
// a little of the best-block FISH sharpness (a sharp subject before a soft background). On
// CLIVE the index's median is about 1.1 and mean opinion falls below 50 above about 1.6, so
// the logistic is centred at 1.75 with scale 0.35.
func blurScore(v []float64) float64 {
	bi := 0.5*math.Log(math.Max(v[BlurEdgeP20], 0.5)) +
		0.5*math.Log(math.Max(v[BlurEdgeWidth], 1)) -
		0.1*v[BlurVoLNorm] -
		0.25*(v[BlurFishBB]-3)
	if v[BlurEdgeWidth] == 0 {
		// No edge at all (a flat or tiny image): nothing is blurred, but nothing is sharp;
		// let the Laplacian and FISH terms speak alone around a neutral width.
		bi = 1.1 - 0.1*v[BlurVoLNorm] - 0.25*(v[BlurFishBB]-3)
	}
	return 100 * logistic(-(bi-1.75)/0.35)
}

// noiseScore: 100 / (1 + (sigma/4.5)^2.2) on the white-noise estimate (luma code values),
// which separates noise from fine texture. sigma 4.5 (Gaussian noise of about 6.5 per RGB
// channel) scores 50; the sensor floor of a clean photo (< 1) scores above 95.
func noiseScore(v []float64) float64 {
	s := math.Max(v[NoiseWhite], 0)
	return 100 / (1 + math.Pow(s/4.5, 2.2))
}

// exposureScore multiplies five terms:
//   - under: logistic in the key (mean linear light in stops from 18% grey), 50 at -1 stop;
//   - brighter than people like: a half Gaussian in the key's excess over BestKey, width
//     BrightStops, so that a copy one over-exposure rung (+0.6 stop) brighter than the best
//     key keeps 61% of its score, clipped or not;
//   - over: logistic falling through 50 at +2.5 stops;
//   - blown luma highlights: exp(-clip/0.1);
//   - any channel at its ceiling: exp(-clip/1), weak because saturated colours (red flowers)
//     clip a channel without any over-exposure.
//
// It peaks (at about 92) near BestKey, where mean opinion on CLIVE peaks; each half stop
// darker or brighter, and any clipping, costs points. Without the Gaussian the score kept
// rising up to a stop above the best key, so --details called a brightened copy of a
// well-exposed photo better exposed than the photo.
func exposureScore(v []float64) float64 {
	k := v[ExpKey]
	bright := math.Max(k-BestKey, 0) / BrightStops
	return 100 * logistic(2*(k+1)) * math.Exp(-bright*bright/2) * logistic(-3*(k-2.5)) *
		math.Exp(-v[ExpClipHigh]/0.1) * math.Exp(-v[ExpClipRGB])
}

// BestKey is the key, in stops, at which the calibration ratings peak: clive-calib's mean
// opinion score smoothed over the key with a 0.25-stop Gaussian is highest at +0.22 (the
// training command measures and prints it). BrightStops is the width of the exposure
// score's fall above it.
const (
	BestKey     = 0.22
	BrightStops = 0.6
)

// compressionScore multiplies header evidence (when the file is a JPEG: a logistic in the
// IJG quality, 50 at quality 45, above 95 from quality 75) by pixel evidence: a logistic in
// the WSB boundary/inside difference ratio (0 for clean images, 0.2 for typical camera JPEGs,
// 0.4 at quality 80, 1.0 at quality 25), normalised to 1 at ratio 0. The pixel term keeps a
// JPEG-damaged image that was re-saved losslessly (no header evidence) low. The file's bits
// per pixel are left to the regression: at a given quality they mostly measure content.
func compressionScore(in Input, v []float64) float64 {
	h := 1.0
	if v[CompIsJPEG] > 0 {
		h = logistic((v[CompQuality] - 45) / 10)
	}
	const mid, scale = 0.7, 0.15
	p := logistic(-(v[CompBlockRatio]-mid)/scale) / logistic(mid/scale)
	return 100 * h * math.Min(p, 1)
}
