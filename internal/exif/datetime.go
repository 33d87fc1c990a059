package exif

import (
	"bytes"
	"encoding/binary"
	"time"
)

// DateTimeOriginal reads when the picture was taken: tag 0x9003 of the Exif IFD (reached
// through tag 0x8769 of IFD0) of a TIFF structure, "YYYY:MM:DD HH:MM:SS". Cameras write
// the local time without a zone; when OffsetTimeOriginal (0x9011, "+08:00") is present it
// places the time, otherwise the time is read as UTC, which is right for comparing pictures
// from one camera. ok is false when there is none or it cannot be read; like Orientation,
// malformed EXIF is never an error.
func DateTimeOriginal(tiff []byte) (t time.Time, ok bool) {
	bo, ifd0, ok := tiffHeader(tiff)
	if !ok {
		return time.Time{}, false
	}
	e, ok := findEntry(tiff, bo, ifd0, 0x8769)
	if !ok || bo.Uint16(tiff[e+2:]) != 4 { // a LONG offset
		return time.Time{}, false
	}
	sub := int64(bo.Uint32(tiff[e+8:]))
	raw, ok := asciiValue(tiff, bo, sub, 0x9003)
	if !ok || len(raw) < 19 {
		return time.Time{}, false
	}
	loc := time.UTC
	if off, ok := asciiValue(tiff, bo, sub, 0x9011); ok && len(off) >= 6 {
		if z, err := time.Parse("-07:00", string(off[:6])); err == nil {
			loc = z.Location()
		}
	}
	t, err := time.ParseInLocation("2006:01:02 15:04:05", string(raw[:19]), loc)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// JPEGDateTimeOriginal is DateTimeOriginal of a JPEG file's Exif segment.
func JPEGDateTimeOriginal(data []byte) (time.Time, bool) {
	tiff, ok := jpegTIFF(data)
	if !ok {
		return time.Time{}, false
	}
	return DateTimeOriginal(tiff)
}

// tiffHeader reads a TIFF structure's byte order and the offset of IFD0.
func tiffHeader(tiff []byte) (binary.ByteOrder, int64, bool) {
	if len(tiff) < 8 {
		return nil, 0, false
	}
	var bo binary.ByteOrder
	switch string(tiff[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return nil, 0, false
	}
	return bo, int64(bo.Uint32(tiff[4:])), true
}

// findEntry finds tag in the IFD at off: the offset of its 12-byte entry.
func findEntry(tiff []byte, bo binary.ByteOrder, off int64, tag uint16) (int64, bool) {
	if off < 8 || off+2 > int64(len(tiff)) {
		return 0, false
	}
	n := int64(bo.Uint16(tiff[off:]))
	for i := range n {
		e := off + 2 + 12*i
		if e+12 > int64(len(tiff)) {
			return 0, false
		}
		if bo.Uint16(tiff[e:]) == tag {
			return e, true
		}
	}
	return 0, false
}

// asciiValue is the bytes of an ASCII (type 2) entry of the IFD at off, up to its NUL.
func asciiValue(tiff []byte, bo binary.ByteOrder, off int64, tag uint16) ([]byte, bool) {
	e, ok := findEntry(tiff, bo, off, tag)
	if !ok || bo.Uint16(tiff[e+2:]) != 2 {
		return nil, false
	}
	count := int64(bo.Uint32(tiff[e+4:]))
	start := e + 8 // four bytes or fewer sit in the entry itself
	if count > 4 {
		start = int64(bo.Uint32(tiff[e+8:]))
	}
	if count > 64 || start < 0 || start+count > int64(len(tiff)) {
		return nil, false
	}
	v := tiff[start : start+count]
	if i := bytes.IndexByte(v, 0); i >= 0 {
		v = v[:i]
	}
	return v, true
}

// jpegTIFF finds a JPEG file's Exif payload (the TIFF structure after "Exif\0\0"), walking
// only the markers before the first scan.
func jpegTIFF(data []byte) ([]byte, bool) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil, false
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return nil, false
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF:
			i++
			continue
		case marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01:
			i += 2
			continue
		case marker == 0xDA || marker == 0xD9:
			return nil, false
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil, false
		}
		if seg := data[i+4 : i+2+n]; marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:], true
		}
		i += 2 + n
	}
	return nil, false
}
