package quality

import (
	"bytes"
	"errors"

	"lightbox/quality/internal/features"
	"lightbox/quality/internal/jpegdec"
	"lightbox/quality/internal/pngdec"
	"lightbox/quality/internal/raster"
)

// Decompression-bomb guards: a header may claim any size, so the pixel count is checked
// before anything is allocated. Both formats are decoded at reduced scale (PNG rows go
// straight into the reduced image), so memory does not grow with the pixel count; the PNG
// limit bounds time, since every PNG row must be inflated.
const (
	DefaultMaxJPEGPixels = 400_000_000
	DefaultMaxPNGPixels  = 100_000_000
)

// WorkingSide is the long side, in pixels, at which every feature is computed: close to the
// 500 px of the calibration photos, and what a 12-megapixel JPEG gives at 1/8 scale.
const WorkingSide = 512

// minDecodedSide is the smallest long side a reduced-scale JPEG decode may produce before
// the final resize to the working scale.
const minDecodedSide = 480

// decoded is an image reduced to the working scale, with what its file said about it.
type decoded struct {
	format       format
	width        int // as displayed, after EXIF orientation
	height       int
	grey         bool // stored as a single grey channel
	work         *raster.Image
	jpeg         *features.JPEGInfo
	fileBytes    int
	orientation  int
	hasEXIF      bool
	bitsPerPixel float64
}

func decode(data []byte, opt Options) (*decoded, error) {
	if len(data) == 0 {
		return nil, errorf(CodeEmpty, nil, "the file is empty")
	}
	if len(data) < len(pngSignature) && (bytes.HasPrefix(pngSignature, data) || bytes.Equal(data, jpegSOI)) {
		return nil, errorf(CodeTruncated, nil, "the file ends inside its signature: the image is truncated")
	}
	switch f := sniff(data); f {
	case formatJPEG:
		return decodeJPEG(data, opt)
	case formatPNG:
		return decodePNG(data, opt)
	case formatUnknown:
		return nil, errorf(CodeUnsupportedFormat, nil, "not a PNG or JPEG image (unrecognised content)")
	default:
		return nil, errorf(CodeUnsupportedFormat, nil, "%s images are not supported: only PNG and JPEG", f)
	}
}

func decodeJPEG(data []byte, opt Options) (*decoded, error) {
	h, err := jpegdec.DecodeHeader(data)
	if err != nil {
		return nil, jpegError(err)
	}
	limit := opt.maxJPEGPixels()
	if int64(h.Width)*int64(h.Height) > limit {
		return nil, errorf(CodeTooManyPixels, nil, "%dx%d JPEG exceeds the %d-pixel limit", h.Width, h.Height, limit)
	}
	denom := 1
	for _, d := range []int{8, 4, 2} {
		if (max(h.Width, h.Height)+d-1)/d >= minDecodedSide {
			denom = d
			break
		}
	}
	img, h, err := jpegdec.Decode(data, jpegdec.Options{Denom: denom, MaxPixels: limit})
	if err != nil {
		return nil, jpegError(err)
	}
	d := &decoded{
		format: formatJPEG, grey: h.Components == 1, jpeg: features.JPEGInfoFromHeader(h),
		fileBytes: len(data), orientation: h.Orientation, hasEXIF: h.HasEXIF,
	}
	var m *raster.Image
	if b := img.Bounds(); h.Orientation < 2 || h.Orientation > 8 {
		// Upright already: convert and shrink to the working scale in one pass (finish
		// then has nothing left to resize).
		w, ht := raster.FitWithin(b.Dx(), b.Dy(), WorkingSide)
		m = raster.FromImageResized(img, w, ht)
	} else {
		m = raster.FromImage(img)
	}
	d.finish(m, h.Width, h.Height)
	return d, nil
}

func jpegError(err error) *Error {
	var fe *jpegdec.FormatError
	switch {
	case errors.Is(err, jpegdec.ErrTruncated):
		return errorf(CodeTruncated, err, "the JPEG data ends early: the file is truncated")
	case errors.Is(err, jpegdec.ErrUnsupported):
		return errorf(CodeUnsupportedFormat, err, "unsupported JPEG variant: %v", err)
	case errors.Is(err, jpegdec.ErrTooLarge):
		return errorf(CodeTooManyPixels, err, "the JPEG declares too many pixels")
	case errors.Is(err, jpegdec.ErrNotJPEG):
		return errorf(CodeCorrupt, err, "not a valid JPEG stream")
	case errors.As(err, &fe):
		return errorf(CodeCorrupt, err, "corrupt JPEG: %v", err)
	}
	return errorf(CodeCorrupt, err, "corrupt JPEG: %v", err)
}

func decodePNG(data []byte, opt Options) (*decoded, error) {
	h, err := pngdec.DecodeHeader(data)
	if err != nil {
		return nil, pngError(err)
	}
	limit := opt.maxPNGPixels()
	if h.Width*h.Height > limit {
		return nil, errorf(CodeTooManyPixels, nil, "%dx%d PNG exceeds the %d-pixel limit", h.Width, h.Height, limit)
	}
	if pngdec.Truncated(data) {
		return nil, errorf(CodeTruncated, nil, "the PNG data ends early: the file is truncated")
	}
	// Deflate cannot shrink data by more than about 1032:1, so a file too small for the
	// pixels it declares is damaged or a bomb; refuse it before spending time on it.
	if h.RawBytes() > maxDeflateRatio*int64(len(data)) {
		return nil, errorf(CodeCorrupt, nil, "the PNG declares %dx%d pixels but holds only %d bytes", h.Width, h.Height, len(data))
	}
	w, ht := int(h.Width), int(h.Height)
	denom := 1
	for denom*2 <= 8 && (max(w, ht)+denom*2-1)/(denom*2) >= minDecodedSide {
		denom *= 2
	}
	// Rows go straight into the reduced image: memory is two rows and the reduced image,
	// whatever the bit depth and size.
	acc := raster.NewAccumulator(w, ht, denom)
	if err := pngdec.Decode(data, h, acc.Add); err != nil {
		return nil, pngError(err)
	}
	d := &decoded{format: formatPNG, grey: h.Grey(), fileBytes: len(data), orientation: 1}
	d.finish(acc.Image(), w, ht)
	return d, nil
}

func pngError(err error) *Error {
	switch {
	case errors.Is(err, pngdec.ErrTruncated):
		return errorf(CodeTruncated, err, "the PNG data ends early: the file is truncated")
	case errors.Is(err, pngdec.ErrUnsupported):
		return errorf(CodeUnsupportedFormat, err, "unsupported PNG variant: %v", err)
	}
	return errorf(CodeCorrupt, err, "corrupt PNG: %v", err)
}

// finish orients the reduced image as it is meant to be seen and brings it to the working scale.
func (d *decoded) finish(m *raster.Image, storedW, storedH int) {
	m = orient(m, d.orientation)
	d.width, d.height = storedW, storedH
	if d.orientation >= 5 && d.orientation <= 8 {
		d.width, d.height = storedH, storedW
	}
	if w, h := raster.FitWithin(m.W, m.H, WorkingSide); w != m.W || h != m.H {
		m = m.Resize(w, h)
	}
	d.work = m
	d.bitsPerPixel = 8 * float64(d.fileBytes) / float64(d.width*d.height)
}

const maxDeflateRatio = 1100
