package model

// ScoreBand is how a score compares with the operator's threshold, for colouring.
type ScoreBand uint8

const (
	BandLow  ScoreBand = iota // more than MidWidth below the threshold
	BandMid                   // below the threshold by at most MidWidth: borderline
	BandHigh                  // at or above the threshold
)

const (
	MidWidth = 10 // how far below the threshold a score is only borderline
)

func (b ScoreBand) String() string {
	switch b {
	case BandLow:
		return "low"
	case BandMid:
		return "mid"
	}
	return "high"
}

// Band places score against threshold: High at or above it, Mid within MidWidth below,
// Low further down. (The type is ScoreBand because Go cannot name a type and a function
// alike.)
func Band(score, threshold int) ScoreBand {
	switch {
	case score >= threshold:
		return BandHigh
	case score >= threshold-MidWidth:
		return BandMid
	}
	return BandLow
}
