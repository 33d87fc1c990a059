// Package exif reads the EXIF facts lightbox needs. The Orientation tag, with the mapping of
// pixels of an upright picture back to the stored ones: cameras and phones store portraits
// sideways and set this tag, and the scorer must see the picture upright (composition and
// tilt depend on which way is up), as must the person looking at the preview. And
// DateTimeOriginal, when the picture was taken, which is what makes a burst (datetime.go).
package exif

import (
	"bytes"
	"encoding/binary"
)

// Orientation finds tag 0x0112 in IFD0 of a TIFF structure (an APP1 Exif payload after
// its "Exif\0\0" header). ok is false when there is none or it cannot be read; malformed
// EXIF is never an error, as it must not make an image unreadable.
func Orientation(tiff []byte) (o int, ok bool) {
	bo, ifd0, ok := tiffHeader(tiff)
	if !ok {
		return 0, false
	}
	e, ok := findEntry(tiff, bo, ifd0, 0x0112)
	if !ok {
		return 0, false
	}
	// Type SHORT (3), one value, stored in the first two bytes of the value field.
	if bo.Uint16(tiff[e+2:]) != 3 || bo.Uint32(tiff[e+4:]) != 1 {
		return 0, false
	}
	if v := int(bo.Uint16(tiff[e+8:])); v >= 1 && v <= 8 {
		return v, true
	}
	return 0, false
}

// JPEGOrientation reads the Orientation of a JPEG file, 1 when there is none or it cannot be
// read. Only the markers before the first scan are walked, which costs nothing next to a
// decode.
func JPEGOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte before a marker
			i++
			continue
		case marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01:
			i += 2 // markers without a length
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan or end: no EXIF after this
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return 1
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			if o, ok := Orientation(seg[6:]); ok {
				return o
			}
			return 1
		}
		i += 2 + n
	}
	return 1
}

// Upright is the size of a w×h stored picture once turned upright: orientations 5..8 swap
// width and height.
func Upright(o, w, h int) (uw, uh int) {
	if o >= 5 && o <= 8 {
		return h, w
	}
	return w, h
}

// Source is the stored pixel (sx, sy) of a w×h picture that shows at (x, y) once it is
// turned upright for orientation o. Unknown orientations are the identity.
func Source(o, w, h, x, y int) (sx, sy int) {
	switch o {
	case 2: // mirrored
		return w - 1 - x, y
	case 3: // upside down
		return w - 1 - x, h - 1 - y
	case 4: // mirrored upside down
		return x, h - 1 - y
	case 5: // transposed
		return y, x
	case 6: // stored turned left: turn right
		return y, h - 1 - x
	case 7: // transversed
		return w - 1 - y, h - 1 - x
	case 8: // stored turned right: turn left
		return w - 1 - y, x
	}
	return x, y
}
