// Package quality is lightbox's own AssessQuality: given the bytes of a PNG or JPEG it
// answers with the fields Cloud Infinite's `ci-process=AssessQuality` returns, and says why.
//
// It knows nothing of COS: callers hand it bytes and get plain values back.
package quality

// Result holds the API's fields and, beyond them, the reasons behind ClarityScore.
type Result struct {
	LongImage       bool
	BlackAndWhite   bool
	SmallImage      bool
	BigImage        bool
	PureImage       bool
	ClarityScore    int // 0..100, higher = clearer; above 50 is generally clear
	AestheticScore  int // 0..100, higher = more beautiful
	LowQualityScore int // 0..100, higher = better content

	// Details explain the scores; no cloud API returns them.
	Details Details
}

// Details are the components behind ClarityScore, each 0..100 where higher is better, and
// facts about the file. A low component names the reason a photo is unclear.
type Details struct {
	Blur        int
	Noise       int
	Exposure    int
	Compression int
	Width       int // as displayed, after EXIF orientation
	Height      int
	Format      string // "JPEG" or "PNG"
}

// Options tune the guards; the zero value is the documented defaults.
type Options struct {
	// MaxPixels refuses images whose header declares more pixels, before decoding.
	// Zero means DefaultMaxJPEGPixels for JPEG and DefaultMaxPNGPixels for PNG.
	MaxPixels int64
}

func (o Options) maxJPEGPixels() int64 {
	if o.MaxPixels > 0 {
		return o.MaxPixels
	}
	return DefaultMaxJPEGPixels
}

func (o Options) maxPNGPixels() int64 {
	if o.MaxPixels > 0 {
		return o.MaxPixels
	}
	return DefaultMaxPNGPixels
}
