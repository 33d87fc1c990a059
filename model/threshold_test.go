package model

import "testing"

func TestBand(t *testing.T) {
	tests := []struct {
		score, threshold int
		want             ScoreBand
	}{
		{0, 50, BandLow},
		{39, 50, BandLow},
		{40, 50, BandMid},
		{49, 50, BandMid},
		{50, 50, BandHigh},
		{100, 50, BandHigh},
		{0, 0, BandHigh},
		{95, 100, BandMid},
		{89, 100, BandLow},
		{3, 5, BandMid},
	}
	for _, tc := range tests {
		if got := Band(tc.score, tc.threshold); got != tc.want {
			t.Errorf("Band(%d, %d) = %v, want %v", tc.score, tc.threshold, got, tc.want)
		}
	}
	if BandLow.String() != "low" || BandMid.String() != "mid" || BandHigh.String() != "high" {
		t.Error("String")
	}
}
