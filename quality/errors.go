package quality

import "fmt"

// Code is a stable, documented error code. Callers (the embedded COS, the client, the
// reviewer) switch on it; the strings never change once released.
type Code string

const (
	// CodeEmpty: zero bytes.
	CodeEmpty Code = "EmptyImage"
	// CodeUnsupportedFormat: recognisable but not PNG or JPEG (GIF, WebP, BMP, TIFF, HEIC...),
	// or a JPEG/PNG variant that cannot be decoded (arithmetic coding, lossless JPEG...).
	CodeUnsupportedFormat Code = "UnsupportedFormat"
	// CodeCorrupt: claims to be PNG or JPEG but its data is invalid.
	CodeCorrupt Code = "CorruptImage"
	// CodeTruncated: PNG or JPEG whose data ends early.
	CodeTruncated Code = "TruncatedImage"
	// CodeTooManyPixels: the header declares more pixels than the decompression-bomb guard
	// allows; refused before decoding.
	CodeTooManyPixels Code = "ImageTooLarge"
)

// Error is the only error type Assess returns.
type Error struct {
	Code    Code
	Message string
	Err     error // the underlying cause, when there is one
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

func (e *Error) Unwrap() error { return e.Err }

func errorf(code Code, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause}
}
