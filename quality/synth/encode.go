package synth

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"

	"lightbox/quality/internal/raster"
)

// RGBA rounds the image to 8-bit RGBA.
func RGBA(m *raster.Image) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, m.W, m.H))
	for i := range m.R {
		img.Pix[4*i] = to8(m.R[i])
		img.Pix[4*i+1] = to8(m.G[i])
		img.Pix[4*i+2] = to8(m.B[i])
		img.Pix[4*i+3] = 255
	}
	return img
}

// Gray rounds the image's luma to an 8-bit grey image.
func Gray(m *raster.Image) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, m.W, m.H))
	l := m.Luma()
	for i, v := range l.Pix {
		img.Pix[i] = to8(v)
	}
	return img
}

// EncodeJPEG encodes with the standard library at the given quality (4:2:0 for colour).
func EncodeJPEG(m *raster.Image, quality int) []byte {
	return EncodeImageJPEG(RGBA(m), quality)
}

// EncodeImageJPEG encodes any image with the standard library.
func EncodeImageJPEG(img image.Image, quality int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		panic(err) // writing to memory cannot fail
	}
	return buf.Bytes()
}

// EncodePNG encodes any image as PNG.
func EncodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // writing to memory cannot fail
	}
	return buf.Bytes()
}

func to8(v float32) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}
