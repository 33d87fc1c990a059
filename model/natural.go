package model

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// compareNatural orders keys as file managers order names: runs of ASCII digits compare
// by value (img_2 < img_11), letters with case folded (img_11 < IMG_100). Keys equal that
// way ("IMG_1" and "img_1", "a01" and "a1") fall back to byte order, so the order is total
// and the same on every machine.
func compareNatural(a, b string) int {
	if c := naturalFold(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// naturalFold is the natural comparison without the byte-order tie-break.
func naturalFold(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			// Compare the runs' values: without leading zeros, the longer run is larger;
			// of equal length, the first differing digit decides. No overflow, any length.
			for i < len(a) && a[i] == '0' {
				i++
			}
			for j < len(b) && b[j] == '0' {
				j++
			}
			ni, nj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			if la, lb := i-ni, j-nj; la != lb {
				return cmpInt(la, lb)
			}
			if c := strings.Compare(a[ni:i], b[nj:j]); c != 0 {
				return c
			}
			continue
		}
		if ca < utf8.RuneSelf && cb < utf8.RuneSelf {
			if ca != cb {
				if la, lb := lowerASCII(ca), lowerASCII(cb); la != lb {
					return cmpInt(int(la), int(lb))
				}
			}
			i++
			j++
			continue
		}
		ra, na := utf8.DecodeRuneInString(a[i:])
		rb, nb := utf8.DecodeRuneInString(b[j:])
		if ra != rb {
			if fa, fb := unicode.ToLower(ra), unicode.ToLower(rb); fa != fb {
				return cmpInt(int(fa), int(fb))
			}
		}
		i += na
		j += nb
	}
	return cmpInt(len(a)-i, len(b)-j)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func cmpInt(x, y int) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
