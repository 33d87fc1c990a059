package synth

import (
	"image"
	"image/color"
	"image/draw"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"lightbox/quality/internal/raster"
)

var (
	fontOnce sync.Once
	fontData *opentype.Font
)

var prose = []string{
	"The quarterly report shows steady growth in all regions, with",
	"the strongest gains in the northern markets. Operating costs fell",
	"by four percent while revenue rose eleven percent year on year.",
	"Section 2. Terms and conditions apply to every order placed.",
	"Please keep this receipt for your records and warranty claims.",
	"func main() { fmt.Println(\"hello, world\") } // build 1.26.8",
	"Meeting notes: review the backlog, assign owners, ship on Friday.",
	"Total due: 1,284.50 EUR   Invoice 2026-1187   Net 30 days",
}

// Text renders lines of prose in the Go font at size px on a plain background, like a
// document page (dark on light) or a terminal screenshot (light on dark).
func Text(w, h int, size float64, bg, ink color.RGBA) *raster.Image {
	fontOnce.Do(func() {
		f, err := opentype.Parse(goregular.TTF)
		if err != nil {
			panic(err) // the embedded Go font always parses
		}
		fontData = f
	})
	face, err := opentype.NewFace(fontData, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic(err)
	}
	defer face.Close()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	d := &font.Drawer{Dst: img, Src: image.NewUniform(ink), Face: face}
	lineH := int(size * 1.4)
	margin := int(size * 2)
	for y, i := margin+int(size), 0; y < h-margin/2; y, i = y+lineH, i+1 {
		d.Dot = fixed.P(margin, y)
		d.DrawString(prose[i%len(prose)])
	}
	return raster.FromImage(img)
}
