package preview

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"lightbox/internal/exif"
)

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// withOrientation inserts an EXIF APP1 segment carrying orientation o right after SOI,
// in the given TIFF byte order ("II" or "MM"), as cameras write it.
func withOrientation(jpg []byte, o uint16, order string) []byte {
	var bo binary.AppendByteOrder = binary.BigEndian
	if order == "II" {
		bo = binary.LittleEndian
	}
	tiff := []byte(order)
	tiff = bo.AppendUint16(tiff, 42)
	tiff = bo.AppendUint32(tiff, 8) // IFD0 right after the header
	tiff = bo.AppendUint16(tiff, 2) // two entries: one unrelated tag first
	tiff = bo.AppendUint16(tiff, 0x010F)
	tiff = bo.AppendUint16(tiff, 2) // ASCII "Make", value offset irrelevant here
	tiff = bo.AppendUint32(tiff, 4)
	tiff = bo.AppendUint32(tiff, 0)
	tiff = bo.AppendUint16(tiff, 0x0112) // Orientation, SHORT, 1 value
	tiff = bo.AppendUint16(tiff, 3)
	tiff = bo.AppendUint32(tiff, 1)
	tiff = bo.AppendUint16(tiff, o)
	tiff = bo.AppendUint16(tiff, 0)
	tiff = bo.AppendUint32(tiff, 0) // no next IFD
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// near reports whether c is within tol of want on every channel.
func near(c color.Color, want color.RGBA, tol int) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, b uint8) bool { v := int(a>>8) - int(b); return v >= -tol && v <= tol }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

func TestDecodePNG(t *testing.T) {
	src := quadrants(6, 4)
	img, err := Decode(encodePNG(t, src), 0)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 6 || img.Bounds().Dy() != 4 {
		t.Fatalf("size %v, want 6x4", img.Bounds())
	}
	if !near(img.At(5, 3), white, 0) || !near(img.At(0, 0), red, 0) {
		t.Errorf("pixels changed: %v %v", img.At(0, 0), img.At(5, 3))
	}
}

func TestDecodeJPEG(t *testing.T) {
	img, err := Decode(encodeJPEG(t, quadrants(32, 16)), 0)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Dx() != 32 || img.Bounds().Dy() != 16 {
		t.Fatalf("size %v, want 32x16", img.Bounds())
	}
	if !near(img.At(4, 4), red, 40) || !near(img.At(28, 12), white, 40) {
		t.Errorf("pixels: %v %v", img.At(4, 4), img.At(28, 12))
	}
}

func TestDecodeGIF(t *testing.T) {
	pal := image.NewPaletted(image.Rect(0, 0, 5, 3), color.Palette{red, blue})
	pal.SetColorIndex(4, 2, 1)
	var b bytes.Buffer
	if err := gif.Encode(&b, pal, nil); err != nil {
		t.Fatal(err)
	}
	img, err := Decode(b.Bytes(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !near(img.At(4, 2), blue, 0) || !near(img.At(0, 0), red, 0) {
		t.Errorf("pixels: %v %v", img.At(0, 0), img.At(4, 2))
	}
}

func TestDecodeAppliesEXIFOrientation(t *testing.T) {
	// Stored 32 wide x 16 high: left half red, right half blue.
	stored := image.NewRGBA(image.Rect(0, 0, 32, 16))
	for y := range 16 {
		for x := range 32 {
			stored.SetRGBA(x, y, map[bool]color.RGBA{true: red, false: blue}[x < 16])
		}
	}
	jpg := encodeJPEG(t, stored)
	for _, tc := range []struct {
		o                 uint16
		w, h              int
		at1, at2          image.Point // where red and blue should show once upright
		wantAt1, wantAt2  color.RGBA
		orderLittleEndian bool
	}{
		{1, 32, 16, image.Pt(4, 8), image.Pt(28, 8), red, blue, false},
		{3, 32, 16, image.Pt(4, 8), image.Pt(28, 8), blue, red, false},
		{6, 16, 32, image.Pt(8, 4), image.Pt(8, 28), red, blue, false}, // turned right: left goes up
		{6, 16, 32, image.Pt(8, 4), image.Pt(8, 28), red, blue, true},
		{8, 16, 32, image.Pt(8, 4), image.Pt(8, 28), blue, red, true}, // turned left: left goes down
	} {
		order := map[bool]string{true: "II", false: "MM"}[tc.orderLittleEndian]
		data := withOrientation(jpg, tc.o, order)
		if got := exif.JPEGOrientation(data); got != int(tc.o) {
			t.Fatalf("orientation %d (%s) read as %d", tc.o, order, got)
		}
		img, err := Decode(data, 0)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != tc.w || b.Dy() != tc.h {
			t.Errorf("orientation %d: size %dx%d, want %dx%d", tc.o, b.Dx(), b.Dy(), tc.w, tc.h)
			continue
		}
		if !near(img.At(tc.at1.X, tc.at1.Y), tc.wantAt1, 40) || !near(img.At(tc.at2.X, tc.at2.Y), tc.wantAt2, 40) {
			t.Errorf("orientation %d (%s): %v at %v and %v at %v", tc.o, order,
				img.At(tc.at1.X, tc.at1.Y), tc.at1, img.At(tc.at2.X, tc.at2.Y), tc.at2)
		}

		// DecodeFit must agree: fitted into a box of the upright shape, rotated after.
		fit, err := DecodeFit(data, 0, tc.w/2, tc.h/2)
		if err != nil {
			t.Fatal(err)
		}
		if fit.Rect.Dx() != tc.w/2 || fit.Rect.Dy() != tc.h/2 {
			t.Errorf("DecodeFit orientation %d: size %v, want %dx%d", tc.o, fit.Rect, tc.w/2, tc.h/2)
		} else if !near(fit.At(tc.at1.X/2, tc.at1.Y/2), tc.wantAt1, 40) {
			t.Errorf("DecodeFit orientation %d: %v at %v", tc.o, fit.At(tc.at1.X/2, tc.at1.Y/2), tc.at1.Div(2))
		}
	}
}

func TestOrientAllEight(t *testing.T) {
	// A 3x2 picture with distinct pixels; each orientation is checked by where the
	// stored top-left and top-right pixels end up.
	m := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		m.Pix[4*i], m.Pix[4*i+3] = uint8(i+1), 255
	}
	at := func(img *image.RGBA, x, y int) uint8 { return img.Pix[img.PixOffset(x, y)] }
	for _, tc := range []struct {
		o      int
		tl, tr image.Point // positions of stored (0,0) and (2,0) after orienting
		w, h   int
	}{
		{1, image.Pt(0, 0), image.Pt(2, 0), 3, 2},
		{2, image.Pt(2, 0), image.Pt(0, 0), 3, 2},
		{3, image.Pt(2, 1), image.Pt(0, 1), 3, 2},
		{4, image.Pt(0, 1), image.Pt(2, 1), 3, 2},
		{5, image.Pt(0, 0), image.Pt(0, 2), 2, 3},
		{6, image.Pt(1, 0), image.Pt(1, 2), 2, 3},
		{7, image.Pt(1, 2), image.Pt(1, 0), 2, 3},
		{8, image.Pt(0, 2), image.Pt(0, 0), 2, 3},
	} {
		got := orient(m, tc.o)
		if got.Rect.Dx() != tc.w || got.Rect.Dy() != tc.h {
			t.Errorf("orientation %d: size %v", tc.o, got.Rect)
			continue
		}
		if at(got, tc.tl.X, tc.tl.Y) != 1 || at(got, tc.tr.X, tc.tr.Y) != 3 {
			t.Errorf("orientation %d: corners at wrong places", tc.o)
		}
	}
}

func TestDecodeRejectsNonImages(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":     nil,
		"garbage":   []byte("\x00\x01\x02\x03 definitely not pixels"),
		"html":      []byte("\n<!DOCTYPE html><html><body>Access Denied</body></html>"),
		"xml error": []byte(`<?xml version="1.0"?><Error><Code>NoSuchKey</Code></Error>`),
		"bad png":   []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDRxx"),
		"bad jpeg":  []byte("\xff\xd8\xff\xe0\x00\x10JFIF"),
	} {
		_, err := Decode(data, 0)
		if !errors.Is(err, ErrNotImage) {
			t.Errorf("%s: err = %v, want ErrNotImage", name, err)
		}
	}
	_, err := Decode([]byte("<html>"), 0)
	if err == nil || !strings.Contains(err.Error(), "HTML") {
		t.Errorf("an HTML body should be called out: %v", err)
	}
}

func TestDecodeNamesUnsupportedFormats(t *testing.T) {
	for want, data := range map[string][]byte{
		"heic": []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"),
		"avif": []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1"),
		"tiff": []byte("II*\x00\x08\x00\x00\x00"),
		"bmp":  append([]byte("BM"), make([]byte, 40)...),
	} {
		_, err := Decode(data, 0)
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v", want, err)
		}
	}
}

// pngHeader is a PNG that declares w x h in a valid IHDR and has no pixel data at all:
// decoding it would fail, so ErrTooLarge proves the header was checked first.
func pngHeader(w, h uint32) []byte {
	ihdr := []byte("IHDR")
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA
	out := []byte("\x89PNG\r\n\x1a\n")
	out = binary.BigEndian.AppendUint32(out, 13)
	out = append(out, ihdr...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(ihdr))
}

// jpegHeader declares w x h in a baseline SOF0 with one component, then starts a scan
// that has no data.
func jpegHeader(w, h uint16) []byte {
	out := []byte{0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 8}
	out = binary.BigEndian.AppendUint16(out, h)
	out = binary.BigEndian.AppendUint16(out, w)
	out = append(out, 1, 1, 0x11, 0)
	return append(out, 0xFF, 0xDA, 0x00, 0x08)
}

func TestDecodeRefusesHugeFromHeader(t *testing.T) {
	for name, data := range map[string][]byte{
		"png 100k x 100k": pngHeader(100_000, 100_000),
		"jpeg 60k x 60k":  jpegHeader(60_000, 60_000),
	} {
		_, err := Decode(data, 50_000_000)
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: err = %v, want ErrTooLarge", name, err)
		}
	}
	// Below the limit, the same header-only file fails later, at decoding.
	if _, err := Decode(pngHeader(10, 10), 0); err == nil || errors.Is(err, ErrTooLarge) {
		t.Errorf("small header-only PNG: err = %v, want a decode error", err)
	}
	// The limit applies to real images too.
	if _, err := Decode(encodePNG(t, solid(20, 10, red)), 199); !errors.Is(err, ErrTooLarge) {
		t.Errorf("200 px image with a 199 px limit: err = %v", err)
	}
	if _, err := DecodeFit(pngHeader(100_000, 100_000), 0, 10, 10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("DecodeFit: err = %v, want ErrTooLarge", err)
	}
}

func TestJPEGOrientationIgnoresMalformedEXIF(t *testing.T) {
	jpg := encodeJPEG(t, solid(8, 8, red))
	good := withOrientation(jpg, 6, "MM")
	for name, data := range map[string][]byte{
		"no exif":         jpg,
		"truncated":       good[:20],
		"bad byte order":  bytes.Replace(good, []byte("Exif\x00\x00MM"), []byte("Exif\x00\x00XX"), 1),
		"out of range":    withOrientation(jpg, 9, "MM"),
		"not even a jpeg": []byte("hello"),
	} {
		if o := exif.JPEGOrientation(data); o != 1 {
			t.Errorf("%s: orientation %d, want 1", name, o)
		}
	}
}

func BenchmarkDecodeFitJPEG12MP(b *testing.B) {
	var buf bytes.Buffer
	src := ycbcrNoise(4000, 3000)
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	for b.Loop() {
		if _, err := DecodeFit(data, 0, 800, 800); err != nil {
			b.Fatal(err)
		}
	}
}
