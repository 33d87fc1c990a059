package quality

import (
	"errors"
	"testing"

	"lightbox/quality/synth"
)

// FuzzAssess feeds arbitrary bytes to the entry point: it must never panic, and every
// failure must be an *Error with a known code.
//
//	go test -run '^$' -fuzz FuzzAssess -fuzztime 2m -fuzzminimizetime 2s ./quality/
func FuzzAssess(f *testing.F) {
	f.Add(synth.EncodeJPEG(synth.Scene(1, 200, 190), 80))
	f.Add(synth.EncodeImageJPEG(synth.Gray(synth.Scene(2, 190, 200)), 60))
	f.Add(synth.EncodePNG(synth.RGBA(synth.Scene(3, 181, 60))))
	f.Add(synth.EncodePNG(synth.Gray(synth.Solid(64, 64, 9, 9, 9))))
	f.Add(pngWithHeader(300, 200))
	f.Add([]byte("GIF89a"))
	f.Add([]byte{})
	known := map[Code]bool{CodeEmpty: true, CodeUnsupportedFormat: true, CodeCorrupt: true, CodeTruncated: true, CodeTooManyPixels: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := AssessWithOptions(data, Options{MaxPixels: 1 << 22})
		if err != nil {
			var qe *Error
			if !errors.As(err, &qe) || !known[qe.Code] || qe.Message == "" {
				t.Fatalf("error %v (%T) is not a coded *Error", err, err)
			}
			return
		}
		for _, s := range []int{r.ClarityScore, r.AestheticScore, r.LowQualityScore} {
			if s < 0 || s > 100 {
				t.Fatalf("score %d out of 0..100: %+v", s, r)
			}
		}
	})
}
