package similar

import (
	"fmt"
	"image"
	"math"
	"testing"
	"time"

	"lightbox/quality/synth"
)

// labelled is a generated image with what it truly is.
type labelled struct {
	Item
	base    int    // the scene it was made from; -1 for an unrelated image
	variant string // "original", "q50", "burst+12px", ...
}

// testSet generates the measurement set: for each of bases scenes an original, re-encodes
// at several qualities, resizes, crops of a few percent, small exposure shifts and a burst
// of frames with the view shifted a few pixels at a time (19 images a scene); then unrelated
// scenes. Times:
// burst frames follow their original by a second each; every other image sits hours away
// from any other, so only a burst can join by time.
func testSet(t testing.TB, bases, unrelated int) []labelled {
	t.Helper()
	const w, h, pad = 384, 288, 24
	var out []labelled
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	hour := 0
	add := func(base int, variant string, data []byte, taken time.Time) {
		fp, err := Decode(data)
		if err != nil {
			t.Fatalf("%d %s: %v", base, variant, err)
		}
		if taken.IsZero() {
			hour++
			taken = at.Add(time.Duration(hour) * time.Hour)
		}
		key := fmt.Sprintf("b%03d-%s.jpg", base, variant)
		if base < 0 {
			key = fmt.Sprintf("u%04d.jpg", len(out))
		}
		out = append(out, labelled{Item{Key: key, Size: int64(len(data)), FP: fp, HasFP: true, Taken: taken}, base, variant})
	}
	for b := range bases {
		big := synth.Scene(uint64(1000+b), w+2*pad, h+2*pad)
		frame := func(dx, dy int) image.Rectangle {
			return image.Rect(pad+dx, pad+dy, pad+dx+w, pad+dy+h)
		}
		orig := synth.Crop(big, frame(0, 0))
		hour++
		shot := at.Add(time.Duration(hour) * time.Hour)
		add(b, "original", synth.EncodeJPEG(orig, 92), shot)
		for _, q := range []int{75, 50, 30, 15} {
			add(b, fmt.Sprintf("q%d", q), synth.EncodeJPEG(orig, q), time.Time{})
		}
		for _, side := range []int{192, 96, 64} {
			add(b, fmt.Sprintf("w%d", side), synth.EncodeJPEG(orig.Resize(side, side*h/w), 85), time.Time{})
		}
		for _, pct := range []int{2, 4, 6, 8} { // crops keep their own pixels: no rescale
			dx, dy := w*pct/100, h*pct/100
			add(b, fmt.Sprintf("crop%d", pct), synth.EncodeJPEG(synth.Crop(big, image.Rect(pad+dx/2, pad+dy/2, pad+w-dx/2, pad+h-dy/2)).Resize(w-dx, h-dy), 85), time.Time{})
		}
		for _, stops := range []float64{-0.7, -0.3, 0.3, 0.7} {
			add(b, fmt.Sprintf("ev%+.1f", stops), synth.EncodeImageJPEG(exposed(synth.RGBA(orig), stops), 85), time.Time{})
		}
		// Everything at once: a 3% crop, shrunk to half, a little darker, at quality 40.
		mixed := synth.Crop(big, image.Rect(pad+6, pad+4, pad+w-6, pad+h-4)).Resize(w/2, h/2)
		add(b, "mixed", synth.EncodeImageJPEG(exposed(synth.RGBA(mixed), -0.2), 40), time.Time{})
		for i, shift := range []int{4, 10, 18} {
			add(b, fmt.Sprintf("burst+%dpx", shift), synth.EncodeJPEG(synth.Crop(big, frame(shift, shift/3)), 90), shot.Add(time.Duration(i+1)*time.Second))
		}
	}
	for u := range unrelated {
		m := synth.Scene(uint64(50000+u), w, h)
		add(-1, "", synth.EncodeJPEG(m, 85), time.Time{})
	}
	return out
}

// score is the pair-level accuracy of a grouping against the truth: two images belong
// together when they come from the same scene.
type score struct {
	precision, recall       float64
	nearRecall, burstRecall float64
	directRecall            float64 // original↔copy pairs within the near thresholds by themselves
	falsePairs, truePairs   int
	missedNear, missedBurst []string
	falseExamples           []string
}

func measure(set []labelled, groups []Group) score {
	groupOf := make([]int, len(set))
	for i := range groupOf {
		groupOf[i] = -1
	}
	for g, gr := range groups {
		for _, m := range gr.Members {
			groupOf[m] = g
		}
	}
	var s score
	var predicted, truth, nearTruth, nearHit, directHit, burstTruth, burstHit int
	for i := range set {
		for j := i + 1; j < len(set); j++ {
			same := set[i].base >= 0 && set[i].base == set[j].base
			together := groupOf[i] >= 0 && groupOf[i] == groupOf[j]
			if together {
				predicted++
				if same {
					s.truePairs++
				} else {
					s.falsePairs++
					if len(s.falseExamples) < 5 {
						s.falseExamples = append(s.falseExamples, fmt.Sprintf("%s~%s d=%d dd=%d", set[i].Key, set[j].Key, Distance(set[i].FP, set[j].FP), DDistance(set[i].FP, set[j].FP)))
					}
				}
			}
			if same {
				truth++
			}
			// The original against each of its copies, by kind of copy.
			if same && set[i].variant == "original" {
				burst := len(set[j].variant) > 5 && set[j].variant[:5] == "burst"
				if burst {
					burstTruth++
					if together {
						burstHit++
					} else {
						s.missedBurst = append(s.missedBurst, fmt.Sprintf("%s d=%d", set[j].Key, Distance(set[i].FP, set[j].FP)))
					}
				} else {
					nearTruth++
					if Distance(set[i].FP, set[j].FP) <= DefaultOptions.Near && DDistance(set[i].FP, set[j].FP) <= DefaultOptions.NearD {
						directHit++
					}
					if together {
						nearHit++
					} else {
						s.missedNear = append(s.missedNear, fmt.Sprintf("%s d=%d dd=%d", set[j].Key, Distance(set[i].FP, set[j].FP), DDistance(set[i].FP, set[j].FP)))
					}
				}
			}
		}
	}
	s.precision = float64(s.truePairs) / float64(max(predicted, 1))
	s.recall = float64(s.truePairs) / float64(max(truth, 1))
	s.nearRecall = float64(nearHit) / float64(max(nearTruth, 1))
	s.burstRecall = float64(burstHit) / float64(max(burstTruth, 1))
	s.directRecall = float64(directHit) / float64(max(nearTruth, 1))
	return s
}

func items(set []labelled) []Item {
	out := make([]Item, len(set))
	for i, l := range set {
		out[i] = l.Item
	}
	return out
}

// exposed multiplies linear light by 2^stops (gamma 2.2), clipping highlights, as
// synth.Exposure does, through a table on 8-bit values: the same change at a fraction of the
// cost, which matters for a set of hundreds of images.
func exposed(img *image.RGBA, stops float64) *image.RGBA {
	var lut [256]uint8
	gain := math.Pow(2, stops)
	for v := range lut {
		lin := math.Min(math.Pow(float64(v)/255, 2.2)*gain, 1)
		lut[v] = uint8(math.Round(255 * math.Pow(lin, 1/2.2)))
	}
	out := image.NewRGBA(img.Bounds())
	for i, v := range img.Pix {
		if i%4 == 3 {
			out.Pix[i] = v
		} else {
			out.Pix[i] = lut[v]
		}
	}
	return out
}
