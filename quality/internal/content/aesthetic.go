package content

import "math"

// Aesthetic returns AestheticScore, 0..100, higher = more beautiful, > 50 generally
// pleasing. clarity is the ClarityScore (0..100) of the same image: a blurred, noisy shot
// is less beautiful whatever its composition.
//
// Without rated data the score is a sum of documented, monotone terms around a base of 50
// (points at typical values in brackets):
//
//	colour      +16(1−e^(−M/35)) − 8, M = Hasler colourfulness     (grey −8, M 40 +2.5, 80 +6)
//	contrast    +14(1−e^(−σ/25)) − 8, σ = luma std                 (flat −8, σ 50 +4)
//	tone        +12·ramp(ToneEntropy, 5..7.5 bits) − 6             (a histogram that uses the whole range)
//	exposure    −20·dark − 14·bright − 8·crushed − 8·blown          (mean luma < 95 / > 170, clipped shares)
//	clarity     +0.3(clarity − 50)                                 (±15)
//	tilt        −14·confidence·(1 − e^(−(|θ|−1)/4))                (5° −9, 10° −12, 15° −13 at full confidence)
//	framing     −12·cut − 5·off-centre                             (subject on the frame edge / in a corner)
//	letterbox   −10·Letterbox
//
// and the sum is then pulled toward 15 by the image's plainness or text-likeness: a fill, a
// gradient or a page may be tidy but is not a picture.
func Aesthetic(a Analysis, clarity float64) int {
	s := 50.0 + a.aestheticTerms(clarity)
	empty := max(a.plainness(), a.TextLikeness)
	s = s*(1-empty) + 15*empty
	return int(math.Round(clamp(s, 0, 100)))
}

// aestheticTerms is the sum of the terms documented on Aesthetic, before the emptiness pull.
func (a Analysis) aestheticTerms(clarity float64) float64 {
	colour := 16*(1-math.Exp(-a.Colourfulness/35)) - 8
	contrast := 14*(1-math.Exp(-a.Contrast/25)) - 8
	tone := 12*ramp(a.ToneEntropy, 5, 7.5) - 6
	dark := math.Pow(ramp(a.Brightness, 95, 20), 1.2)
	bright := ramp(a.Brightness, 170, 235)
	exposure := -20*dark - 14*bright - 8*ramp(a.ClipLow, 0.05, 0.4) - 8*ramp(a.ClipHigh, 0.03, 0.25)
	clar := 0.3 * (clamp(clarity, 0, 100) - 50)
	tilt := -14 * a.TiltConfidence * tiltCurve(math.Abs(a.Tilt))
	// A subject with much of its saliency in the outer band is cut by the frame; one whose
	// centre sits in the outer fifth of the frame is pushed into a corner or against a side.
	cut := ramp(a.SubjectEdge, 0.2, 0.7)
	off := ramp(math.Max(math.Abs(a.SubjectX-0.5), math.Abs(a.SubjectY-0.5)), 0.25, 0.45)
	framing := -12*cut - 5*off
	// Clutter is left to LowQuality: on real photos "busy" mostly means "sharp", which the
	// clarity term already rewards, and penalising it here would punish detail.
	return colour + contrast + tone + exposure + clar + tilt + framing - 10*a.Letterbox
}

// tiltCurve rises from 0 at a 1° tilt (invisible) toward 1 for large tilts.
func tiltCurve(deg float64) float64 {
	if deg <= 1 {
		return 0
	}
	return 1 - math.Exp(-(deg-1)/4)
}
