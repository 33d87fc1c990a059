package quality

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image/color"
	"image/png"
	"io"

	"lightbox/quality/internal/features"
	"lightbox/quality/internal/jpegdec"
	"lightbox/quality/internal/raster"
)

// Decompression-bomb guards: a header may claim any size, so the pixel count is checked
// before anything is allocated. JPEGs are decoded at reduced scale, so their limit is high
// (a 200-megapixel medium-format photo is real); PNGs must be decoded at full size.
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
	d.finish(raster.FromImage(img), h.Width, h.Height)
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
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, pngError(err)
	}
	limit := opt.maxPNGPixels()
	if int64(cfg.Width)*int64(cfg.Height) > limit {
		return nil, errorf(CodeTooManyPixels, nil, "%dx%d PNG exceeds the %d-pixel limit", cfg.Width, cfg.Height, limit)
	}
	if cfg.Width == 0 || cfg.Height == 0 {
		return nil, errorf(CodeCorrupt, nil, "the PNG has no pixels (%dx%d)", cfg.Width, cfg.Height)
	}
	// Deflate cannot shrink data by more than about 1032:1, so a file too small for the
	// pixels it declares is damaged or a bomb; refuse it before png.Decode allocates.
	if pngRawBytes(data, cfg.Width, cfg.Height) > maxDeflateRatio*int64(len(data)) {
		return nil, errorf(CodeCorrupt, nil, "the PNG declares %dx%d pixels but holds only %d bytes", cfg.Width, cfg.Height, len(data))
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		if pngTruncated(data) {
			return nil, errorf(CodeTruncated, err, "the PNG data ends early: the file is truncated")
		}
		return nil, pngError(err)
	}
	grey := cfg.ColorModel == color.GrayModel || cfg.ColorModel == color.Gray16Model
	denom := 1
	for denom*2 <= 8 && (max(cfg.Width, cfg.Height)+denom*2-1)/(denom*2) >= minDecodedSide {
		denom *= 2
	}
	d := &decoded{format: formatPNG, grey: grey, fileBytes: len(data), orientation: 1}
	d.finish(raster.FromImageScaled(img, denom), cfg.Width, cfg.Height)
	return d, nil
}

// pngTruncated walks the chunk list: a chunk that runs past the end of the data, or a list
// that ends without IEND, means the file was cut short rather than corrupted.
func pngTruncated(data []byte) bool {
	p := len(pngSignature)
	for p+8 <= len(data) {
		n := int64(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		end := int64(p) + 12 + n
		if end > int64(len(data)) {
			return true
		}
		if typ == "IEND" {
			return false
		}
		p = int(end)
	}
	return true
}

func pngError(err error) *Error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errorf(CodeTruncated, err, "the PNG data ends early: the file is truncated")
	}
	var ue png.UnsupportedError
	if errors.As(err, &ue) {
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

// pngRawBytes is the size of the filtered scanlines the IDAT stream inflates to, from IHDR's
// bit depth and colour type (already validated by png.DecodeConfig).
func pngRawBytes(data []byte, w, h int) int64 {
	depth, ctype := int64(data[24]), data[25]
	channels := map[byte]int64{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ctype]
	rowBits := int64(w) * channels * depth
	return int64(h) * ((rowBits+7)/8 + 1)
}
