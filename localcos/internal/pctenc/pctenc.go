// Package pctenc percent-encodes strings byte by byte with upper-case hex, keeping the bytes
// a caller's rule leaves alone: the one loop behind SigV4's UriEncode and the listings'
// encoding-type=url, whose kept sets differ.
package pctenc

import "strings"

// Encode writes every byte of s for which keep is false as %XX.
func Encode(s string, keep func(c byte) bool) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
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

// Alnum reports whether c is an ASCII letter or digit, kept by every rule here.
func Alnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
