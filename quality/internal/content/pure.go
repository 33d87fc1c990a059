package content

// Pure reports Tencent's PureImage flag: a solid-colour or plain-text image, "no content or
// only simple content". Two ways to qualify:
//
//   - plain: one colour covers almost everything (a fill, also after JPEG or with slight
//     noise), or the image is a smooth gradient with no edges and no large-scale structure;
//   - text: text-like (see TextLikeness): thin strokes on a flat, noise-free background.
//
// A camera photo of a document is not pure under this rule when it looks like a photograph:
// light falling off across the paper spreads it over many colours, the sensor adds grain
// beyond ~2 levels, and the desk shows around the page. A page shot flat, evenly lit and
// clean cannot be told from a scan, and counts as text. A white wall or a sky with one small
// object is a photo: the wall's texture and the clouds leave large-scale structure that a
// fill or a gradient does not have.
func (a Analysis) Pure() bool {
	return a.plainness() >= 0.5 || a.TextLikeness >= 0.5
}

// plainness is 1 for a fill or a structure-free gradient and falls to 0 as edges, texture
// and large-scale structure appear.
func (a Analysis) plainness() float64 {
	// A fill: one colour almost everywhere, and whatever else there is too small to leave
	// large-scale structure (a night shot with one lit window is mostly black, but a photo).
	fill := ramp(a.DominantShare, 0.95, 0.98) * ramp(a.Residual, 8, 4)
	// A gradient: no edges, and nothing beyond a quadratic surface at the cell scale.
	gradient := ramp(a.Residual, 2.5, 1.2) * ramp(a.EdgeDensity, 0.004, 0.001)
	return max(fill, gradient)
}
