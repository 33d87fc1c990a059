package preview

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"lightbox/internal/exif"

	"golang.org/x/image/webp"
)

// DefaultMaxPixels is the limit used when callers pass maxPixels <= 0: a 50 MP image
// already needs 200 MB once decoded.
const DefaultMaxPixels = 50_000_000

// Errors from Decode, to be matched with errors.Is.
var (
	ErrNotImage    = errors.New("not an image")
	ErrUnsupported = errors.New("unsupported image format")
	ErrTooLarge    = errors.New("image too large")
)

// codec pairs a header reader with a decoder. They are named here rather than taken from
// image.Decode's registry so that what is accepted does not depend on stray imports.
type codec struct {
	name   string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

var (
	codecPNG  = codec{"png", png.DecodeConfig, png.Decode}
	codecJPEG = codec{"jpeg", jpeg.DecodeConfig, jpeg.Decode}
	codecGIF  = codec{"gif", gif.DecodeConfig, gif.Decode} // first frame only
	codecWebP = codec{"webp", webp.DecodeConfig, webp.Decode}
)

// sniff picks the codec from the leading bytes; the object's name or Content-Type is not
// trusted, buckets are full of misnamed files.
func sniff(data []byte) (codec, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return codecPNG, nil
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return codecJPEG, nil
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return codecGIF, nil
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return codecWebP, nil
	}
	if name := knownUnsupported(data); name != "" {
		return codec{}, fmt.Errorf("%w: %s", ErrUnsupported, name)
	}
	if len(data) == 0 {
		return codec{}, fmt.Errorf("%w: no data", ErrNotImage)
	}
	if t := bytes.TrimLeft(data[:min(len(data), 64)], " \t\r\n\ufeff"); len(t) > 0 && t[0] == '<' {
		// Typically an error page or an XML error body saved under an image's name.
		return codec{}, fmt.Errorf("%w: looks like HTML or XML text", ErrNotImage)
	}
	return codec{}, fmt.Errorf("%w: unrecognised data starting % x", ErrNotImage, data[:min(len(data), 4)])
}

// knownUnsupported names image formats that are recognised but not decoded here, so the
// operator learns why there is no preview.
func knownUnsupported(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("BM")) && len(data) >= 26:
		return "bmp"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "tiff"
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		switch string(data[8:12]) {
		case "avif", "avis":
			return "avif"
		case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1":
			return "heic"
		}
	}
	return ""
}

// Decode reads a PNG, JPEG, GIF (first frame) or WebP image. The dimensions are checked
// against maxPixels (DefaultMaxPixels if <= 0) from the header, before any pixel memory is
// allocated, so a hostile or huge file costs nothing. JPEGs are turned upright according
// to their EXIF orientation.
//
// Decoding a 12 MP JPEG takes ~200 ms: call this in a tea.Cmd, and prefer DecodeFit, which
// keeps only a picture of the size needed.
func Decode(data []byte, maxPixels int) (image.Image, error) {
	img, o, err := decodeRaw(data, maxPixels)
	if err != nil {
		return nil, err
	}
	if o > 1 {
		return orient(toRGBA(img), o), nil
	}
	return img, nil
}

// DecodeFit is Decode followed by Fit(w, h), but rotates after shrinking, so an upright
// preview of a sideways 12 MP photo never needs a second full-size copy.
func DecodeFit(data []byte, maxPixels, w, h int) (*image.RGBA, error) {
	img, o, err := decodeRaw(data, maxPixels)
	if err != nil {
		return nil, err
	}
	if o >= 5 { // stored sideways: fit the stored picture into the turned box
		w, h = h, w
	}
	return orient(Fit(img, w, h), o), nil
}

// decodeRaw decodes without applying orientation and reports the orientation to apply.
func decodeRaw(data []byte, maxPixels int) (image.Image, int, error) {
	c, err := sniff(data)
	if err != nil {
		return nil, 0, err
	}
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	cfg, err := c.config(bytes.NewReader(data))
	if err != nil {
		return nil, 0, fmt.Errorf("%w: corrupt %s header: %v", ErrNotImage, c.name, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, 0, fmt.Errorf("%w: %s declares %dx%d pixels", ErrNotImage, c.name, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > int64(maxPixels) {
		return nil, 0, fmt.Errorf("%w: %s of %dx%d pixels exceeds the limit of %d pixels",
			ErrTooLarge, c.name, cfg.Width, cfg.Height, maxPixels)
	}
	img, err := c.decode(bytes.NewReader(data))
	if err != nil {
		return nil, 0, fmt.Errorf("decode %s: %w", c.name, err)
	}
	o := 1
	if c.name == codecJPEG.name {
		o = exif.JPEGOrientation(data)
	}
	return img, o, nil
}
