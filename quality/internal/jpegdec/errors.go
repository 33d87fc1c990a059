package jpegdec

import "errors"

// Sentinel errors let callers map failures to stable codes with errors.Is.
var (
	// ErrNotJPEG means the data does not start with an SOI marker.
	ErrNotJPEG = errors.New("jpegdec: not a JPEG (missing SOI marker)")
	// ErrUnsupported means a valid JPEG uses a feature this decoder does not
	// implement; the wrapped message names the feature.
	ErrUnsupported = errors.New("jpegdec: unsupported JPEG feature")
	// ErrTruncated means the data ends before every MCU of the frame is decoded.
	ErrTruncated = errors.New("jpegdec: truncated JPEG data")
	// ErrTooLarge means Width*Height exceeds Options.MaxPixels.
	ErrTooLarge = errors.New("jpegdec: image too large")
	// ErrInvalidOptions means Options.Denom is not 1, 2, 4 or 8: a caller
	// bug, not a property of the data.
	ErrInvalidOptions = errors.New("jpegdec: Options.Denom must be 1, 2, 4 or 8")
)

// FormatError reports corrupt or invalid JPEG data.
type FormatError struct {
	Msg string
}

func (e *FormatError) Error() string { return "jpegdec: invalid JPEG: " + e.Msg }

func formatErr(msg string) error { return &FormatError{Msg: msg} }

// unsupportedError keeps a specific message while matching ErrUnsupported.
type unsupportedError struct{ what string }

func (e *unsupportedError) Error() string        { return ErrUnsupported.Error() + ": " + e.what }
func (e *unsupportedError) Is(target error) bool { return target == ErrUnsupported }

func unsupported(what string) error { return &unsupportedError{what: what} }
