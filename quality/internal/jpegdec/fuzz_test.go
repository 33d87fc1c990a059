package jpegdec

import (
	"errors"
	"image"
	"testing"
)

func FuzzDecode(f *testing.F) {
	for _, data := range allFixtures(f) {
		f.Add(data)
	}
	f.Add(encodeTest(baseSpec(19, 13, [][2]int{{2, 2}, {1, 1}, {1, 1}}, 1)).data)
	sp := baseSpec(23, 9, [][2]int{{3, 2}, {1, 1}, {2, 1}}, 1)
	sp.ri, sp.garbage = 2, true
	f.Add(encodeTest(sp).data)
	sp = baseSpec(17, 11, [][2]int{{1, 1}, {1, 1}, {1, 1}, {1, 1}}, 1)
	sp.adobe = 2
	f.Add(encodeTest(sp).data)
	f.Add(encodeStd(f, photoImage(21, 14, 5), 75))
	// Tiny inputs let mutations reach header and table parsing often.
	f.Add(encodeStd(f, grayOf(photoImage(8, 8, 1)), 50))
	f.Add(encodeTest(baseSpec(9, 9, [][2]int{{1, 1}}, 0)).data)
	sp = baseSpec(16, 8, [][2]int{{2, 1}, {1, 1}, {1, 1}}, 1)
	sp.ri, sp.fill = 1, true
	f.Add(encodeTest(sp).data)
	f.Fuzz(func(t *testing.T, data []byte) {
		hdr, herr := DecodeHeader(data)
		for _, k := range []int{1, 2, 4, 8} {
			img, h, err := Decode(data, Options{Denom: k, MaxPixels: 1 << 22})
			if err != nil {
				if img != nil {
					t.Fatal("image with error")
				}
				var fe *FormatError
				if !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrNotJPEG) &&
					!errors.Is(err, ErrTooLarge) && !errors.As(err, &fe) {
					t.Fatalf("untyped error %v", err)
				}
				continue
			}
			if herr != nil && !errors.Is(herr, ErrTruncated) {
				t.Fatalf("Decode succeeded but DecodeHeader failed: %v", herr)
			}
			want := image.Rect(0, 0, (h.Width+k-1)/k, (h.Height+k-1)/k)
			if img.Bounds() != want || h.Width != hdr.Width || h.Height != hdr.Height {
				t.Fatalf("bounds %v, header %dx%d", img.Bounds(), h.Width, h.Height)
			}
			// The planes must cover the bounds: sample offsets grow with x
			// and y, so the corners suffice (At panics out of range).
			b := img.Bounds()
			for _, p := range []image.Point{b.Min, {b.Max.X - 1, b.Min.Y}, {b.Min.X, b.Max.Y - 1}, b.Max.Sub(image.Pt(1, 1))} {
				img.At(p.X, p.Y)
			}
		}
	})
}
