package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"os"
	"sync"

	"lightbox/quality/synth"
)

// flag is a set of the AssessQuality flags an image is meant to raise; the tests check that
// every image raises exactly the flags it was made for.
type flag uint8

const (
	longImage flag = 1 << iota
	blackAndWhite
	smallImage
	bigImage
	pureImage
)

// entry is one file of the gallery.
type entry struct {
	key, why string
	gen      func() []byte // the file's bytes; deterministic
	src      string        // or the file to copy them from (a real photo, its licence)
	flags    flag          // the flags it is meant to raise (images only)
	orig     string        // for a degraded version: the key of the image it degrades,
	falls    score         // and the scores that must be lower than the original's
	image    bool          // PNG or JPEG, which the scorer assesses
}

// score is a set of AssessQuality's three scores.
type score uint8

const (
	clarity score = 1 << iota
	aesthetic
	lowQuality
)

// JPEG qualities. The scenes' seeds were picked among the first forty of synth.Scene, at
// 800x600, for clarity and colour; TestGalleryScores logs what every file scores.
const (
	jpegGood = 92 // what a camera or a phone saves
	jpegBig  = 80 // the big photo: smooth content, modest quality, a small file
)

var (
	white = color.RGBA{255, 255, 255, 255}
	ink   = color.RGBA{24, 24, 28, 255}
	term  = color.RGBA{18, 22, 30, 255}
	green = color.RGBA{190, 225, 190, 255}
)

// once memoises f(a, b, c): a base scene that several degraded versions share is drawn
// once, by whichever generator needs it first. (The scene's type is internal to quality/, so
// it is only ever held through inference.)
func once[A, B, C, R any](f func(A, B, C) R, a A, b B, c C) func() R {
	return sync.OnceValue(func() R { return f(a, b, c) })
}

// gallery lists every file in the order Ensure reports them. README.txt is not here: it is
// written last, from this list, and is the marker of a complete copy.
func gallery() []entry {
	land1 := once(synth.Scene, 31, 800, 600)
	land2 := once(synth.Scene, 37, 800, 600)
	scene := func(seed uint64, w, h, q int) func() []byte {
		return func() []byte { return synth.EncodeJPEG(synth.Scene(seed, w, h), q) }
	}
	img := func(key, why string, gen func() []byte) entry {
		return entry{key: key, why: why, gen: gen, image: true}
	}
	with := func(e entry, f flag) entry { e.flags = f; return e }
	of := func(e entry, orig string, falls score) entry { e.orig, e.falls = orig, falls; return e }

	return []entry{
		// The root: a typical camera file, a name with a space, a format the scorer refuses.
		img("IMG_2041.jpg", "an ordinary snapshot straight from a camera: middling clarity",
			scene(4, 640, 480, 85)),
		img("holiday snap.jpg", "a good photo whose name has a space in it",
			scene(10, 800, 600, jpegGood)),
		{key: "animation.gif", why: "a small animated GIF: AssessQuality refuses it (UnsupportedFormat)",
			gen: animatedGIF},

		// Good photos in landscape orientation, different seeds.
		img("landscapes/landscape-1.jpg", "a clear, colourful landscape (the original of the problems/landscape-1-* files)",
			func() []byte { return synth.EncodeJPEG(land1(), jpegGood) }),
		img("landscapes/landscape-2.jpg", "a clear, colourful landscape (the original of the problems/landscape-2-* files)",
			func() []byte { return synth.EncodeJPEG(land2(), jpegGood) }),
		img("landscapes/landscape-3.png", "a clear landscape saved as a lossless PNG",
			func() []byte { return synth.EncodePNG(synth.RGBA(synth.Scene(27, 800, 600))) }),
		img("landscapes/landscape-4.jpg", "a clear landscape", scene(22, 800, 600, jpegGood)),
		img("landscapes/landscape-5.jpg", "a clear landscape", scene(33, 800, 600, jpegGood)),
		img("landscapes/été.jpg", "a good photo whose name is not ASCII", scene(40, 800, 600, jpegGood)),
		img("風景/山.jpg", "a good photo in a folder and under a name of wide (CJK) characters",
			scene(16, 800, 600, jpegGood)),

		// Portrait orientation.
		img("portraits/portrait-1.jpg", "a photo in portrait orientation", scene(22, 600, 800, jpegGood)),
		img("portraits/portrait-2.jpg", "a photo in portrait orientation", scene(33, 600, 800, jpegGood)),
		img("portraits/portrait-3.jpg", "a photo in portrait orientation", scene(40, 600, 800, jpegGood)),

		// Technical problems (ClarityScore) and content problems (Aesthetic/LowQualityScore).
		of(img("problems/landscape-1-blurred.jpg", "landscape 1, out of focus (Gaussian blur, sigma 2.5 px): Details.Blur falls",
			func() []byte { return synth.EncodeJPEG(synth.Blur(land1(), 2.5), jpegGood) }), "landscapes/landscape-1.jpg", clarity),
		of(img("problems/landscape-1-noisy.jpg", "landscape 1 shot in the dark on a small sensor (noise sigma 30): Details.Noise falls",
			func() []byte { return synth.EncodeJPEG(synth.Noise(land1(), 30, 1), jpegGood) }), "landscapes/landscape-1.jpg", clarity),
		of(img("problems/landscape-1-compressed.jpg", "landscape 1 over-compressed (JPEG quality 6): blocks, Details.Compression falls",
			func() []byte { return synth.EncodeJPEG(land1(), 6) }), "landscapes/landscape-1.jpg", clarity),
		of(img("problems/landscape-1-dark.jpg", "landscape 1 underexposed by 3 stops: Details.Exposure falls",
			func() []byte { return synth.EncodeJPEG(synth.Exposure(land1(), -3), jpegGood) }), "landscapes/landscape-1.jpg", clarity|aesthetic),
		of(img("problems/landscape-1-washed-out.jpg", "landscape 1 overexposed by 2.5 stops: clipped highlights",
			func() []byte { return synth.EncodeJPEG(synth.Exposure(land1(), 2.5), jpegGood) }), "landscapes/landscape-1.jpg", clarity|aesthetic),
		of(img("problems/landscape-2-soft.jpg", "landscape 2, slightly soft (blur sigma 1 px)",
			func() []byte { return synth.EncodeJPEG(synth.Blur(land2(), 1), jpegGood) }), "landscapes/landscape-2.jpg", clarity),
		of(img("problems/landscape-2-noisy.png", "landscape 2 with heavy sensor noise (sigma 40), saved as a lossless PNG",
			func() []byte { return synth.EncodePNG(synth.RGBA(synth.Noise(land2(), 40, 2))) }), "landscapes/landscape-2.jpg", clarity),
		of(img("problems/landscape-2-faded.jpg", "landscape 2 faded: colour and contrast washed toward grey (AestheticScore falls)",
			func() []byte { return synth.EncodeJPEG(synth.Desaturate(land2(), 0.85, 0.6), jpegGood) }), "landscapes/landscape-2.jpg", clarity|aesthetic),
		of(img("problems/landscape-2-tilted.jpg", "landscape 2 with a crooked horizon (8 degrees): AestheticScore falls",
			func() []byte { return synth.EncodeJPEG(synth.Rotate(land2(), 8), jpegGood) }), "landscapes/landscape-2.jpg", aesthetic),
		of(img("problems/landscape-2-letterboxed.jpg", "landscape 2 with black bars above and below: LowQualityScore falls",
			func() []byte { return synth.EncodeJPEG(synth.Letterbox(land2(), 0.15, 0), jpegGood) }), "landscapes/landscape-2.jpg", lowQuality),
		of(img("problems/landscape-2-badly-cropped.jpg", "landscape 2 cropped to a corner and enlarged: soft, badly framed",
			func() []byte {
				return synth.EncodeJPEG(synth.Crop(land2(), image.Rect(480, 330, 800, 570)), jpegGood)
			}), "landscapes/landscape-2.jpg", clarity|aesthetic),
		img("problems/white-wall.jpg", "a photo of a plain wall: textured, so not PureImage, but nothing to see (low content scores)",
			func() []byte { return synth.EncodeJPEG(synth.Wall(3, 640, 480), jpegGood) }),
		img("problems/empty-sky.jpg", "a nearly empty sky with one small subject: a photo, not PureImage, but plain content",
			func() []byte { return synth.EncodeJPEG(synth.Sparse(3, 640, 480), jpegGood) }),

		// One image for each flag.
		with(img("flags/panorama.jpg", "a 3.2:1 panorama: LongImage",
			scene(18, 1920, 600, jpegGood)), longImage),
		with(img("flags/receipt.png", "a long narrow receipt (1:3.1) in grey: LongImage, BlackAndWhite, and, being text on paper, PureImage",
			func() []byte { return synth.EncodePNG(synth.Gray(synth.Text(440, 1380, 11, white, ink))) }),
			longImage|blackAndWhite|pureImage),
		with(img("flags/black-and-white.jpg", "a black-and-white photo (grey JPEG): BlackAndWhite",
			func() []byte { return synth.EncodeImageJPEG(synth.Gray(synth.Scene(11, 800, 600)), jpegGood) }),
			blackAndWhite),
		with(img("flags/thumbnail.jpg", "a 160x120 thumbnail: SmallImage (long side under 179 px), so every score is 0",
			scene(9, 160, 120, jpegGood)), smallImage),
		with(img("flags/icon.png", "a 96x96 PNG icon: SmallImage",
			func() []byte { return synth.EncodePNG(synth.RGBA(synth.Scene(5, 96, 96))) }), smallImage),
		with(img("flags/big-photo.jpg", "a 1440x1080 photo: BigImage (short side over 1000 px)",
			scene(12, 1440, 1080, jpegBig)), bigImage),
		with(img("flags/solid-blue.png", "one flat colour: PureImage",
			func() []byte { return synth.EncodePNG(synth.RGBA(synth.Solid(640, 480, 30, 110, 200))) }), pureImage),
		with(img("flags/gradient.png", "a smooth two-colour gradient: PureImage",
			func() []byte {
				return synth.EncodePNG(synth.RGBA(synth.Gradient(640, 480, [3]uint8{250, 150, 70}, [3]uint8{70, 40, 130})))
			}), pureImage),
		with(img("flags/document.png", "a page of text (dark on white): PureImage, and BlackAndWhite",
			func() []byte { return synth.EncodePNG(synth.RGBA(synth.Text(600, 800, 16, white, ink))) }),
			pureImage|blackAndWhite),
		with(img("flags/terminal.png", "a screenshot of a terminal (light text on dark): PureImage",
			func() []byte { return synth.EncodePNG(synth.RGBA(synth.Text(800, 500, 14, term, green))) }),
			pureImage),
	}
}

// animatedGIF is a 48x48 two-frame GIF, a format the scorer does not read.
func animatedGIF() []byte {
	pal := color.Palette{color.RGBA{255, 255, 255, 255}, color.RGBA{230, 60, 40, 255}, color.RGBA{40, 90, 220, 255}}
	var anim gif.GIF
	for f := range 2 {
		m := image.NewPaletted(image.Rect(0, 0, 48, 48), pal)
		for y := 8; y < 40; y++ {
			for x := 8; x < 40; x++ {
				m.SetColorIndex(x, y, uint8(1+f))
			}
		}
		anim.Image = append(anim.Image, m)
		anim.Delay = append(anim.Delay, 50)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &anim); err != nil {
		panic(err) // writing to memory cannot fail
	}
	return buf.Bytes()
}

// bytes is the file's content: generated, or read from its source.
func (e entry) bytes() ([]byte, error) {
	if e.src != "" {
		return os.ReadFile(e.src)
	}
	return e.gen(), nil
}
