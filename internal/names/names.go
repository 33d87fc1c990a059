// Package names holds the checks and renderings of object keys that the commands and the
// reviewer share: which names are sent for scoring, and how a key is shown so that it can
// never steer the terminal.
package names

import (
	"fmt"
	"path"
	"strings"
)

// IsImageName reports whether key ends in .jpg, .jpeg or .png, in any case: the names
// that are sent to AssessQuality without being asked (each call may be billed).
func IsImageName(key string) bool {
	switch strings.ToLower(path.Ext(key)) {
	case ".jpg", ".jpeg", ".png":
		return true
	}
	return false
}

// Printable shows control characters of s escaped (\n, \t, \x1b, \u0085), so that a key
// can never steer the terminal and a name with a newline is still seen whole.
func Printable(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// Shorten cuts s to at most max runes, marking the cut with an ellipsis.
func Shorten(s string, max int) string {
	if r := []rune(s); len(r) > max && max > 0 {
		return string(r[:max-1]) + "…"
	}
	return s
}
