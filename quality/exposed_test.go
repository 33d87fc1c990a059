package quality

import (
	"testing"

	"lightbox/quality/internal/features"
)

// exposureMeasurement is a measurement whose only exposure facts are the key and the
// clipped shares.
func exposureMeasurement(key, clipHigh, clipLow float64) Measurement {
	t := make([]float64, features.NumFeatures)
	t[features.ExpKey], t[features.ExpClipHigh], t[features.ExpClipLow] = key, clipHigh, clipLow
	return Measurement{Tech: t}
}

func TestWellExposed(t *testing.T) {
	for _, c := range []struct {
		key, high, low float64
		want           bool
	}{
		{BestKey, 0, 0, true},
		{BestKey - 0.24, 0.005, 0.005, true},
		{BestKey + 0.24, 0, 0, true},
		{BestKey + 0.3, 0, 0, false},
		{BestKey - 0.3, 0, 0, false},
		{BestKey, 0.02, 0, false}, // blown highlights
		{BestKey, 0, 0.02, false}, // crushed shadows
	} {
		if got := WellExposed(exposureMeasurement(c.key, c.high, c.low)); got != c.want {
			t.Errorf("key %+.2f, clipped %.3f/%.3f: well exposed %v, want %v", c.key, c.high, c.low, got, c.want)
		}
	}
	if WellExposed(Measurement{}) {
		t.Error("a measurement without features counts as well exposed")
	}
	// Half the smallest exposure step of the ladders (0.6 stop) is wider than the window, so
	// a whole step from any well-exposed key leaves it.
	if WellExposedStops >= 0.3 {
		t.Errorf("window of ±%.2f stops: a 0.6-stop copy of a well-exposed photo could stay well exposed", WellExposedStops)
	}
}
