package content

import "math"

// LowQuality returns LowQualityScore, 0..100, higher = better content, > 50 generally good.
// It judges what is in the frame, not how it was captured: plain or empty images, text,
// letterboxed frames and cluttered scenes score low; a photo with a clear subject on a
// reasonable background scores high. clarity (the ClarityScore) has a small weight, because
// content nobody can make out is not good content either.
//
// Terms around a base of 62 (points):
//
//	subject     +20·(½ramp(SubjectContrast, 0.25..0.55) + ½ramp(CentreFocus, 0..1.2)) − 8
//	                                                       a subject that stands out, detail in the middle
//	empty       −35·ramp(Residual, 15..5)                  no large-scale structure: fog, bare sky, a wall
//	plain       −40·plainness                              fill or gradient
//	text        −40·TextLikeness                           text on a plain background
//	letterbox   −90·Letterbox                              bars: 15% top and bottom alone cost 27
//	clutter     −14·ramp(Clutter, 0.25..0.75)              a busy background
//	            −20·ramp(Clutter, 0.7..0.95)               busy everywhere, nowhere to rest
//	clarity     +0.2(clarity − 50)
func LowQuality(a Analysis, clarity float64) int {
	subject := 0.5*ramp(a.SubjectContrast, 0.25, 0.55) + 0.5*ramp(a.CentreFocus, 0, 1.2)
	s := 62 +
		20*subject - 8 -
		35*ramp(a.Residual, 15, 5) -
		40*a.plainness() -
		40*a.TextLikeness -
		90*a.Letterbox -
		14*ramp(a.Clutter, 0.25, 0.75) -
		20*ramp(a.Clutter, 0.7, 0.95) +
		0.2*(clamp(clarity, 0, 100)-50)
	return int(math.Round(clamp(s, 0, 100)))
}
