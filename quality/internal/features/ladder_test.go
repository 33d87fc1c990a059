package features

import (
	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

// ladder is a sequence of increasingly damaged versions of one image; a component (and
// ClarityScore) should fall along it.
type ladder struct {
	name   string
	levels []float64
	make   func(base *raster.Image, level float64) Input
}

// plainInput rounds to 8 bits as a lossless file would and reports no file facts.
func plainInput(m *raster.Image) Input {
	return inputOf(raster.FromImage(synth.RGBA(m)), 0, nil)
}

var ladders = []ladder{
	{"blur", []float64{0, 0.5, 1, 1.5, 2, 3, 4}, func(b *raster.Image, s float64) Input {
		return plainInput(synth.Blur(b, s))
	}},
	{"noise", []float64{0, 3, 6, 10, 15, 25, 40}, func(b *raster.Image, s float64) Input {
		return plainInput(synth.Noise(b, s, 99))
	}},
	{"jpeg", []float64{95, 80, 60, 40, 25, 15, 8, 4}, func(b *raster.Image, q float64) Input {
		return jpegInput(b, int(q))
	}},
	{"jpeg-png", []float64{95, 80, 60, 40, 25, 15, 8, 4}, func(b *raster.Image, q float64) Input {
		in := jpegInput(b, int(q))
		in.JPEG, in.FileBytes = nil, 0
		return in
	}},
	{"under", []float64{0, -0.5, -1, -1.5, -2, -2.5, -3}, func(b *raster.Image, s float64) Input {
		return plainInput(synth.Exposure(b, s))
	}},
	{"over", []float64{0, 0.5, 1, 1.5, 2, 2.5}, func(b *raster.Image, s float64) Input {
		return plainInput(synth.Exposure(b, s))
	}},
}

// realLadderPhotos are five well-rated CLIVE photos (flowers, succulent, statue in a park,
// a hand with a mouse) used as real bases for the ladders.
var realLadderPhotos = []string{"780.JPG", "716.JPG", "756.JPG", "739.JPG", "1074.JPG"}
