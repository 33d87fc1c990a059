package quality

import (
	"encoding/binary"
	"errors"
	"testing"

	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

func mustAssess(t *testing.T, data []byte) Result {
	t.Helper()
	r, err := Assess(data)
	if err != nil {
		t.Fatalf("Assess: %v", err)
	}
	return r
}

func wantCode(t *testing.T, data []byte, code Code) {
	t.Helper()
	_, err := Assess(data)
	var qe *Error
	if !errors.As(err, &qe) {
		t.Fatalf("error %v (%T), want *Error with code %s", err, err, code)
	}
	if qe.Code != code {
		t.Fatalf("code %s (%s), want %s", qe.Code, qe.Message, code)
	}
	if qe.Message == "" {
		t.Fatal("error without a message")
	}
}

func scenePNG(seed uint64, w, h int) []byte {
	return synth.EncodePNG(synth.RGBA(synth.Scene(seed, w, h)))
}

func sceneJPEG(seed uint64, w, h, q int) []byte { return synth.EncodeJPEG(synth.Scene(seed, w, h), q) }

func solidPNG(w, h int) []byte { return synth.EncodePNG(synth.RGBA(synth.Solid(w, h, 200, 30, 40))) }

// withEXIFOrientation splices an APP1 Exif segment holding only the orientation tag right
// after the SOI marker of a JPEG file.
func withEXIFOrientation(jpg []byte, o uint16) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08") // big-endian TIFF header, IFD at offset 8
	ifd := make([]byte, 2+12+4)
	binary.BigEndian.PutUint16(ifd[0:], 1)      // one entry
	binary.BigEndian.PutUint16(ifd[2:], 0x0112) // Orientation
	binary.BigEndian.PutUint16(ifd[4:], 3)      // SHORT
	binary.BigEndian.PutUint32(ifd[6:], 1)      // count
	binary.BigEndian.PutUint16(ifd[10:], o)     // value, left-justified
	payload := append([]byte("Exif\x00\x00"), append(tiff, ifd...)...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// greyScene is a photo-like scene with all three channels equal.
func greyScene(seed uint64, w, h int) *raster.Image {
	m := synth.Scene(seed, w, h)
	l := m.Luma()
	copy(m.R, l.Pix)
	copy(m.G, l.Pix)
	copy(m.B, l.Pix)
	return m
}
