// Package pctenc percent-encodes strings byte by byte with upper-case hex, keeping the bytes
// a caller's rule leaves alone: the one loop behind COS's and SigV4's signing encodings and the
// listings' encoding-type=url, whose kept sets differ.
package pctenc

import "strings"

// Encode writes every byte of s for which keep is false as %XX. A string with nothing to
// encode is returned as it is, without allocating (signature checks encode every header).
func Encode(s string, keep func(c byte) bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !keep(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keep(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// Unreserved reports whether c is one of RFC 3986's unreserved characters (A-Z a-z 0-9 - _
// . ~), which every encoding here keeps.
func Unreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}
