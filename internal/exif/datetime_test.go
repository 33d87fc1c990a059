package exif

import (
	"encoding/binary"
	"testing"
	"time"
)

// tiffWithTime is a TIFF structure whose IFD0 points to an Exif IFD holding
// DateTimeOriginal and, when offset is not "", OffsetTimeOriginal.
func tiffWithTime(bo order, when, offset string) []byte {
	t := make([]byte, 8)
	if bo == binary.LittleEndian {
		copy(t, "II*\x00")
	} else {
		copy(t, "MM\x00*")
	}
	bo.PutUint32(t[4:], 8)
	entry := func(tag, typ uint16, count, value uint32) []byte {
		e := make([]byte, 12)
		bo.PutUint16(e, tag)
		bo.PutUint16(e[2:], typ)
		bo.PutUint32(e[4:], count)
		bo.PutUint32(e[8:], value)
		return e
	}
	// IFD0 at 8: one entry, the Exif IFD pointer, then the next-IFD link.
	sub := uint32(8 + 2 + 12 + 4)
	t = bo.AppendUint16(t, 1)
	t = append(t, entry(0x8769, 4, 1, sub)...)
	t = bo.AppendUint32(t, 0)
	// The Exif IFD, its values after it.
	n := uint16(1)
	if offset != "" {
		n = 2
	}
	data := sub + 2 + 12*uint32(n) + 4
	t = bo.AppendUint16(t, n)
	t = append(t, entry(0x9003, 2, uint32(len(when)+1), data)...)
	if offset != "" {
		t = append(t, entry(0x9011, 2, uint32(len(offset)+1), data+uint32(len(when)+1))...)
	}
	t = bo.AppendUint32(t, 0)
	t = append(t, when+"\x00"...)
	if offset != "" {
		t = append(t, offset+"\x00"...)
	}
	return t
}

type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

func jpegWithTIFF(tiff []byte) []byte {
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 'J', 'F'} // an APP0 first, as cameras write
	out = append(out, 0xFF, 0xE1)
	out = binary.BigEndian.AppendUint16(out, uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9)
}

func TestDateTimeOriginal(t *testing.T) {
	for _, bo := range []order{binary.LittleEndian, binary.BigEndian} {
		got, ok := JPEGDateTimeOriginal(jpegWithTIFF(tiffWithTime(bo, "2024:07:14 09:30:05", "")))
		if want := time.Date(2024, 7, 14, 9, 30, 5, 0, time.UTC); !ok || !got.Equal(want) {
			t.Errorf("%v: %v %v, want %v", bo, got, ok, want)
		}
		got, ok = DateTimeOriginal(tiffWithTime(bo, "2024:07:14 09:30:05", "+08:00"))
		if want := time.Date(2024, 7, 14, 1, 30, 5, 0, time.UTC); !ok || !got.Equal(want) {
			t.Errorf("%v with offset: %v %v, want %v", bo, got, ok, want)
		}
	}
	for _, bad := range [][]byte{
		tiffWithTime(binary.LittleEndian, "2024:13:14 09:30:05", ""), // no month 13
		tiffWithTime(binary.LittleEndian, "    :  :     :  :  ", ""), // how cameras without a clock write it
		tiffWith(binary.LittleEndian, 6),                             // no Exif IFD
		nil,
	} {
		if got, ok := DateTimeOriginal(bad); ok {
			t.Errorf("%q read as %v", bad, got)
		}
	}
	if _, ok := JPEGDateTimeOriginal([]byte{0xFF, 0xD8, 0xFF, 0xDA, 0, 2}); ok {
		t.Error("a JPEG without Exif has a time")
	}
}

// TestDateTimeOriginalSurvivesDamage: every truncation and every single-byte change of a
// good structure reads or fails, never panics.
func TestDateTimeOriginalSurvivesDamage(t *testing.T) {
	good := jpegWithTIFF(tiffWithTime(binary.BigEndian, "2024:07:14 09:30:05", "-05:00"))
	for n := range len(good) {
		JPEGDateTimeOriginal(good[:n])
	}
	for i := range good {
		for _, v := range []byte{0x00, 0x7F, 0xFF} {
			b := append([]byte(nil), good...)
			b[i] = v
			JPEGDateTimeOriginal(b)
		}
	}
}
