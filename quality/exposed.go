package quality

import (
	"math"

	"lightbox/quality/internal/features"
)

// Issue 16 asks that a darker or brighter copy of a well-exposed photo never score higher
// than it, while a badly exposed photo corrected towards normal may. A score that sees only
// the image can tell the two apart only by how far the brightness is from where people like
// it, so "well exposed" is defined on that scale:
//
//   - BestKey is the key (exp.key_stops: mean linear light in stops from 18% grey) at which
//     the calibration ratings peak: clive-calib's mean opinion score smoothed over the key
//     with a 0.25-stop Gaussian is highest at +0.22 (the training command prints it).
//   - A photo is well exposed when its key is within WellExposedStops of BestKey and at most
//     1% of its pixels are clipped at either end. The window is narrower than half the
//     smallest exposure step the ladders take (0.6 stop), so a darker or brighter copy of a
//     well-exposed photo lies outside it and is no repair (all 400 such copies on the
//     calibration ladders do; the training command counts them).
const (
	BestKey          = features.BestKey
	WellExposedStops = 0.25
	wellExposedClip  = 0.01
)

// WellExposed reports whether a measured photo is well exposed in the sense above.
func WellExposed(m Measurement) bool {
	t := m.Tech
	if len(t) <= features.ExpKey {
		return false
	}
	return math.Abs(t[features.ExpKey]-BestKey) <= WellExposedStops &&
		t[features.ExpClipHigh] <= wellExposedClip && t[features.ExpClipLow] <= wellExposedClip
}
