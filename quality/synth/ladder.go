package synth

import (
	"bytes"
	"fmt"
	"image/jpeg"

	"lightbox/quality/internal/raster"
)

// Ladder is a sequence of ever stronger degradations of one kind: each rung is a whole
// image file, worse than the one before it, so a clarity score must fall along it.
type Ladder struct {
	Name  string
	Steps []string                       // the rungs' settings, for messages
	Rungs func(m *raster.Image) [][]byte // encoded files, rung 0 first
}

// ClarityLadders are the technical degradations ClarityScore answers for: blur, noise,
// compression, under- and over-exposure. Non-JPEG rungs are lossless PNG so that only the
// named degradation changes.
func ClarityLadders() []Ladder {
	blur := []float64{0, 0.8, 1.6, 2.4, 3.2, 4.5}
	noise := []float64{0, 5, 10, 16, 25, 40}
	// Issue 16's JPEG ladder: every step of 10 in quality must cost points.
	qual := []int{95, 85, 75, 65, 55, 45, 35, 25, 15, 5}
	under := []float64{0, -0.7, -1.4, -2.1, -2.8, -3.5}
	over := []float64{0, 0.6, 1.2, 1.8, 2.4, 3}
	return []Ladder{
		{"blur", fmtSteps("sigma %.1f", blur), func(m *raster.Image) [][]byte {
			return each(blur, func(s float64) *raster.Image { return Blur(m, s) })
		}},
		{"noise", fmtSteps("sigma %.0f", noise), func(m *raster.Image) [][]byte {
			return each(noise, func(s float64) *raster.Image { return Noise(m, s, 1) })
		}},
		{"jpeg", fmtSteps("q%d", qual), func(m *raster.Image) [][]byte {
			out := make([][]byte, len(qual))
			for i, q := range qual {
				out[i] = EncodeJPEG(m, q)
			}
			return out
		}},
		{"underexposure", fmtSteps("%+.1f EV", under), func(m *raster.Image) [][]byte {
			return each(under, func(s float64) *raster.Image { return Exposure(m, s) })
		}},
		{"overexposure", fmtSteps("%+.1f EV", over), func(m *raster.Image) [][]byte {
			return each(over, func(s float64) *raster.Image { return Exposure(m, s) })
		}},
	}
}

// ExposureLadder reports whether the named ladder darkens or brightens: its copies of a
// badly exposed photo can be repairs, so issue 16's "never above its photo" holds only for
// well-exposed ones.
func ExposureLadder(name string) bool { return name == "underexposure" || name == "overexposure" }

func each(vals []float64, f func(float64) *raster.Image) [][]byte {
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[i] = EncodePNG(RGBA(f(v)))
	}
	return out
}

func fmtSteps[T any](f string, vals []T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = fmt.Sprintf(f, v)
	}
	return out
}

// OrderedShare is the share of rung pairs (i < j) whose scores fall strictly
// (score[i] > score[j]): 1 for a perfectly monotone answer.
func OrderedShare(scores []float64) (ordered, pairs int) {
	for i := range scores {
		for j := i + 1; j < len(scores); j++ {
			pairs++
			if scores[i] > scores[j] {
				ordered++
			}
		}
	}
	return ordered, pairs
}

// ResavedJPEGLadder is the JPEG ladder decoded and saved again as PNG: the blocks stay, the
// header that told the quality is gone, so only the pixels can show the damage.
func ResavedJPEGLadder() Ladder {
	qual := []int{95, 85, 75, 65, 55, 45, 35, 25, 15, 5}
	return Ladder{"jpeg-png", fmtSteps("q%d as PNG", qual), func(m *raster.Image) [][]byte {
		out := make([][]byte, len(qual))
		for i, q := range qual {
			img, err := jpeg.Decode(bytes.NewReader(EncodeJPEG(m, q)))
			if err != nil {
				panic(err) // the standard library decodes what it encoded
			}
			out[i] = EncodePNG(img)
		}
		return out
	}}
}
