package ui

import (
	"strings"

	"lightbox/cosapi"
	"lightbox/internal/names"
)

// imageProblems name what is wrong with a file AssessQuality could not read, by the code
// the embedded COS (package quality) answers with; reason() puts the code first.
var imageProblems = []struct{ code, say string }{
	{"EmptyImage", "empty file"},
	{"TruncatedImage", "truncated file: the image data ends early"},
	{"CorruptImage", "corrupt file: not valid image data"},
	{"ImageTooLarge", "too many pixels to decode"},
	{"UnsupportedFormat", "unsupported format (only PNG and JPEG are scored)"},
}

// failureText is why an image has no score, as the operator should read it: "corrupt
// file", not the kind's generic "unsupported image".
func failureText(kind cosapi.Kind, msg string) string {
	if kind == cosapi.KindUnsupported {
		for _, p := range imageProblems {
			if rest, ok := strings.CutPrefix(msg, p.code); ok {
				detail := strings.TrimSpace(strings.TrimPrefix(rest, ":"))
				if detail == "" {
					return p.say
				}
				return p.say + " (" + names.Printable(detail) + ")"
			}
		}
	}
	if msg == "" {
		return kind.String()
	}
	return kind.String() + ": " + names.Printable(msg)
}

// failureLabel is failureText's first words, for narrow places.
func failureLabel(kind cosapi.Kind, msg string) string {
	if kind == cosapi.KindUnsupported {
		for _, p := range imageProblems {
			if strings.HasPrefix(msg, p.code) {
				return p.say
			}
		}
	}
	return kind.String()
}
