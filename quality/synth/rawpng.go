package synth

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// PNGChunks assembles a PNG file from an IHDR body and zlib-compressed IDAT data (nil:
// no IDAT chunk), with correct CRCs: the way to write the malformed and hostile PNGs
// (wrong sizes, bit depths, truncations) that image/png will not encode.
func PNGChunks(ihdr, idat []byte) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, body []byte) {
		_ = binary.Write(&out, binary.BigEndian, uint32(len(body)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(body)
		out.WriteString(typ)
		out.Write(body)
		_ = binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	chunk("IHDR", ihdr)
	if idat != nil {
		chunk("IDAT", idat)
	}
	chunk("IEND", nil)
	return out.Bytes()
}

// IHDR is the body of a PNG header chunk: size, bit depth and colour type (no interlace).
func IHDR(w, h, depth, colourType int) []byte {
	b := make([]byte, 13)
	binary.BigEndian.PutUint32(b, uint32(w))
	binary.BigEndian.PutUint32(b[4:], uint32(h))
	b[8], b[9] = byte(depth), byte(colourType)
	return b
}

// PNGRepeatRows writes a PNG whose every scanline (filter byte included) is row, without
// ever holding the inflated image: how a decompression bomb is made.
func PNGRepeatRows(w, h, depth, colourType int, row []byte) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	for range h {
		zw.Write(row)
	}
	zw.Close()
	return PNGChunks(IHDR(w, h, depth, colourType), z.Bytes())
}

// PNGBomb is issue 14's bomb: a 7000x7000 16-bit RGBA PNG of zeros, a few hundred KB that
// inflate to 392 MB.
func PNGBomb() []byte {
	const side = 7000
	return PNGRepeatRows(side, side, 16, 6, make([]byte, 1+side*8))
}
