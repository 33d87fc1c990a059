package quality

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/gif"
	"testing"

	"lightbox/quality/synth"
)

func TestFormatsAreRecognisedByContent(t *testing.T) {
	var g bytes.Buffer
	if err := gif.Encode(&g, image.NewPaletted(image.Rect(0, 0, 300, 300), []colorT{black}), nil); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"GIF":    g.Bytes(),
		"WebP":   []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"),
		"BMP":    append([]byte("BM"), make([]byte, 60)...),
		"TIFF":   append([]byte("II*\x00\x08\x00\x00\x00"), make([]byte, 40)...),
		"HEIC":   append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 40)...),
		"random": []byte("this is not an image at all, just some text"),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) { wantCode(t, data, CodeUnsupportedFormat) })
	}
}

func TestEmptyFile(t *testing.T) { wantCode(t, nil, CodeEmpty) }

func TestTruncatedFiles(t *testing.T) {
	jpg := sceneJPEG(1, 400, 300, 90)
	png := scenePNG(1, 400, 300)
	for _, frac := range []float64{0.3, 0.6, 0.9} {
		wantCode(t, jpg[:int(frac*float64(len(jpg)))], CodeTruncated)
		wantCode(t, png[:int(frac*float64(len(png)))], CodeTruncated)
	}
}

func TestCorruptData(t *testing.T) {
	jpg := sceneJPEG(2, 400, 300, 90)
	bad := append([]byte{}, jpg...)
	// Garbage over the first Huffman table: the entropy data cannot be decoded.
	i := bytes.Index(bad, []byte{0xFF, 0xC4})
	for k := i + 5; k < i+40; k++ {
		bad[k] = 0xAB
	}
	if _, err := Assess(bad); err == nil {
		t.Fatal("a JPEG with a destroyed Huffman table was assessed")
	}
	png := scenePNG(2, 400, 300)
	badPNG := append([]byte{}, png...)
	for k := 60; k < 200; k++ { // inside IDAT: CRC and zlib both fail
		badPNG[k] ^= 0x5A
	}
	wantCode(t, badPNG, CodeCorrupt)
}

// pngWithHeader builds a PNG whose IHDR claims w x h and whose data is tiny.
func pngWithHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.Write(pngSignature)
	chunk := func(typ string, data []byte) {
		var l [4]byte
		binary.BigEndian.PutUint32(l[:], uint32(len(data)))
		b.Write(l[:])
		b.WriteString(typ)
		b.Write(data)
		c := crc32.NewIEEE()
		c.Write([]byte(typ))
		c.Write(data)
		binary.BigEndian.PutUint32(l[:], c.Sum32())
		b.Write(l[:])
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	chunk("IHDR", ihdr)
	chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	chunk("IEND", nil)
	return b.Bytes()
}

func TestDecompressionBombsAreRefusedBeforeDecoding(t *testing.T) {
	wantCode(t, pngWithHeader(100000, 100000), CodeTooManyPixels)
	// Within the pixel limit, but far more pixels than the bytes could inflate to.
	wantCode(t, pngWithHeader(8000, 8000), CodeCorrupt)
	// A JPEG whose frame header claims 65535x65535.
	jpg := sceneJPEG(3, 64, 64, 80)
	i := bytes.Index(jpg, []byte{0xFF, 0xC0})
	bomb := append([]byte{}, jpg...)
	binary.BigEndian.PutUint16(bomb[i+5:], 65535)
	binary.BigEndian.PutUint16(bomb[i+7:], 65535)
	wantCode(t, bomb, CodeTooManyPixels)
	// And an explicit, lower limit.
	if _, err := AssessWithOptions(sceneJPEG(3, 400, 300, 80), Options{MaxPixels: 100_000}); err == nil {
		t.Fatal("MaxPixels 100000 accepted a 120000-pixel image")
	}
}

func TestOtherPNGKinds(t *testing.T) {
	scene := synth.Scene(4, 300, 200)
	pal := image.NewPaletted(image.Rect(0, 0, 300, 200), paletteOf(64))
	rgba := synth.RGBA(scene)
	for y := 0; y < 200; y++ {
		for x := 0; x < 300; x++ {
			pal.Set(x, y, rgba.At(x, y))
		}
	}
	for name, data := range map[string][]byte{
		"paletted": synth.EncodePNG(pal),
		"16-bit":   synth.EncodePNG(rgba64(rgba)),
		"NRGBA":    synth.EncodePNG(nrgba(rgba)),
	} {
		r, err := Assess(data)
		if err != nil {
			t.Errorf("%s PNG: %v", name, err)
			continue
		}
		if r.Details.Format != "PNG" || r.ClarityScore <= 0 {
			t.Errorf("%s PNG: %+v", name, r)
		}
	}
}
