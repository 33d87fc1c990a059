package content

import (
	"math"
	"reflect"

	"lightbox/quality/internal/raster"
)

// Analyze measures the content features of img, a working-scale image (long side <= 512;
// the caller resizes), and luma, its BT.601 luma (recomputed if nil or of another size).
// It keeps no state between calls, so concurrent calls are safe, and it returns finite
// values for every input, including 1x1 images and solid fills.
func Analyze(img *raster.Image, luma *raster.Plane) Analysis {
	if img == nil || img.W <= 0 || img.H <= 0 || len(img.R) < img.W*img.H {
		return Analysis{SubjectX: 0.5, SubjectY: 0.5, DominantShare: 1, BgFlat: 1, Harmony: 1}
	}
	if luma == nil || luma.W != img.W || luma.H != img.H || len(luma.Pix) < img.W*img.H {
		luma = img.Luma()
	}
	a := Analysis{W: img.W, H: img.H}
	g := newGrid(img.W, img.H)
	cs := new(colourStats)
	colourPass(img, luma, g, &a, cs)
	bg := make([]uint8, img.W*img.H)
	dominant(img, cs, &a, bg)
	var oh orientHist
	gradientPass(luma, g, &a, &oh)
	g.finish()
	graphicsPass(luma, bg, &a)
	a.Residual = residual(g)
	a.Clutter = clutter(g)
	a.CentreFocus = centreFocus(g)
	a.Letterbox = letterbox(luma)
	saliency(g, &a)
	tilt(&oh, float64(img.W*img.H), &a)
	a.sanitize()
	return a
}

// sanitize replaces any non-finite feature (NaN or infinite pixels in the input) with 0, so
// that scores and model inputs stay finite whatever the caller passes.
func (a *Analysis) sanitize() {
	v := reflect.ValueOf(a).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Float64:
			if x := f.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
				f.SetFloat(0)
			}
		case reflect.Array:
			for k := range f.Len() {
				if x := f.Index(k).Float(); math.IsNaN(x) || math.IsInf(x, 0) {
					f.Index(k).SetFloat(0)
				}
			}
		}
	}
}
