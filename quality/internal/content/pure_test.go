package content

import (
	"fmt"
	"image/color"
	"testing"

	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

type namedImage struct {
	name string
	img  *raster.Image
}

func analyze(m *raster.Image) Analysis { return Analyze(m, m.Luma()) }

func pureCases() []namedImage {
	return cached("pure", buildPureCases)
}

func buildPureCases() []namedImage {
	var cl caseList
	solids := map[string][3]uint8{
		"black": {0, 0, 0}, "white": {255, 255, 255}, "grey": {128, 128, 128},
		"red": {230, 20, 30}, "green": {20, 200, 60}, "blue": {30, 40, 220}, "yellow": {250, 220, 0},
	}
	for _, name := range []string{"black", "white", "grey", "red", "green", "blue", "yellow"} {
		c := solids[name]
		s := func() *raster.Image { return synth.Solid(testW, testH, c[0], c[1], c[2]) }
		cl.add("solid "+name, s)
		cl.add("solid "+name+" jpeg50", func() *raster.Image { return synth.JPEG(s(), 50) })
		cl.add("solid "+name+" noise2", func() *raster.Image { return synth.Noise(s(), 2, 7) })
	}
	cl.add("gradient blue-sand", func() *raster.Image {
		return synth.Gradient(testW, testH, [3]uint8{20, 60, 160}, [3]uint8{240, 200, 120})
	})
	cl.add("gradient grey", func() *raster.Image {
		return synth.Gradient(testW, testH, [3]uint8{30, 30, 30}, [3]uint8{220, 220, 220})
	})
	for _, size := range []float64{10, 14, 18, 22, 28} {
		cl.add(fmt.Sprintf("text %gpx dark on light", size), func() *raster.Image { return synth.Text(testW, testH, size, white, ink) })
		cl.add(fmt.Sprintf("text %gpx light on dark", size), func() *raster.Image { return synth.Text(testW, testH, size, terminal, green) })
	}
	cl.add("text 12px jpeg50", func() *raster.Image { return synth.JPEG(synth.Text(testW, testH, 12, white, ink), 50) })
	cl.add("text 14px on black", func() *raster.Image {
		return synth.Text(testW, testH, 14, color.RGBA{0, 0, 0, 255}, color.RGBA{230, 230, 230, 255})
	})
	cl.add("text 16px coloured", func() *raster.Image {
		return synth.Text(testW, testH, 16, color.RGBA{255, 250, 235, 255}, color.RGBA{160, 30, 40, 255})
	})
	cl.add("text 12px noise 2 (a scan)", func() *raster.Image { return synth.Noise(synth.Text(testW, testH, 12, white, ink), 2, 3) })
	cl.add("document page", func() *raster.Image { return document(testW, testH) })
	cl.add("document page noise 1.5", func() *raster.Image { return synth.Noise(document(testW, testH), 1.5, 4) })
	cl.add("document page jpeg75", func() *raster.Image { return synth.JPEG(document(testW, testH), 75) })
	cl.add("screenshot", func() *raster.Image { return screenshot(testW, testH, 12) })
	cl.add("screenshot large type", func() *raster.Image { return screenshot(testW, testH, 18) })
	cl.add("screenshot portrait", func() *raster.Image { return screenshot(testH, testW, 12) })
	return cl.cases
}

func notPureCases() []namedImage {
	var cl caseList
	for s := uint64(1); s <= 3; s++ {
		cl.add(fmt.Sprintf("wall %d", s), func() *raster.Image { return synth.Wall(s, testW, testH) })
		cl.add(fmt.Sprintf("sparse %d", s), func() *raster.Image { return synth.Sparse(s, testW, testH) })
	}
	for s := uint64(1); s <= 6; s++ {
		cl.add(fmt.Sprintf("scene %d", s), func() *raster.Image { return scene(s) })
	}
	sc := scene(2)
	for _, f := range []float64{0.15, 0.2, 0.25} {
		cl.add(fmt.Sprintf("letterbox %.2f black", f), func() *raster.Image { return synth.Letterbox(sc, f, 0) })
		cl.add(fmt.Sprintf("letterbox %.2f white", f), func() *raster.Image { return synth.Letterbox(sc, f, 255) })
	}
	cl.add("blur 2", func() *raster.Image { return synth.Blur(sc, 2) })
	cl.add("blur 5", func() *raster.Image { return synth.Blur(sc, 5) })
	cl.add("blur 5 jpeg50", func() *raster.Image { return synth.JPEG(synth.Blur(sc, 5), 50) })
	cl.add("dark -3", func() *raster.Image { return synth.Exposure(sc, -3) })
	cl.add("mush 0.95", func() *raster.Image { return synth.Desaturate(sc, 0.95, 0.6) })
	cl.add("scene jpeg30", func() *raster.Image { return synth.JPEG(sc, 30) })
	cl.add("cluttered", func() *raster.Image { return cluttered(1, testW, testH) })
	// The documented rule: a camera shot of a page is a photograph, not a plain-text image.
	cl.add("camera photo of a page", func() *raster.Image { return cameraDocument(3, testW, testH) })
	return cl.cases
}

func TestPureImageTrue(t *testing.T) {
	for _, c := range pureCases() {
		a := analyze(c.img)
		if !a.Pure() {
			t.Errorf("%s: Pure = false, want true (plainness %.2f, text %.2f, dominant %.3f, bgflat %.2f, thick %.3f)",
				c.name, a.plainness(), a.TextLikeness, a.DominantShare, a.BgFlat, a.ThickTexture)
		}
	}
}

func TestPureImageFalse(t *testing.T) {
	for _, c := range notPureCases() {
		a := analyze(c.img)
		if a.Pure() {
			t.Errorf("%s: Pure = true, want false (plainness %.2f, text %.2f, residual %.2f, edges %.4f)",
				c.name, a.plainness(), a.TextLikeness, a.Residual, a.EdgeDensity)
		}
	}
}
