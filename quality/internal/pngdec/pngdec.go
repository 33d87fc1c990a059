// Package pngdec decodes a PNG one row at a time, so that an image is never held whole:
// a 7000x7000 16-bit RGBA PNG of 381 KB (all zeros) took 779 MB through image/png and
// takes two rows and the caller's reduced-size accumulator here.
//
// Rows come out as RGB floats 0..255 composited over white, with exactly the values
// image/png followed by lightbox's raster conversion gives (same quirks for tRNS and
// out-of-range palette indices), so scores do not depend on which decoder ran.
package pngdec

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image/color"
	"io"
)

// Errors, told apart so that the caller can answer the right code.
var (
	ErrNotPNG      = errors.New("pngdec: not a PNG")
	ErrTruncated   = errors.New("pngdec: the data ends early")
	ErrCorrupt     = errors.New("pngdec: corrupt")
	ErrUnsupported = errors.New("pngdec: unsupported")
)

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

var signature = []byte("\x89PNG\r\n\x1a\n")

// Header is what IHDR says.
type Header struct {
	Width, Height int64
	Depth         int
	ColorType     int
	Interlaced    bool
}

// Channels is the number of samples per pixel.
func (h Header) Channels() int { return [7]int{1, 0, 3, 1, 2, 0, 4}[h.ColorType] }

// Grey reports a grey-only colour type.
func (h Header) Grey() bool { return h.ColorType == 0 || h.ColorType == 4 }

// RawBytes is the size of the filtered scanlines the IDAT stream inflates to.
func (h Header) RawBytes() int64 {
	rowBits := h.Width * int64(h.Channels()) * int64(h.Depth)
	return h.Height * ((rowBits+7)/8 + 1)
}

var validDepths = map[int][]int{0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}

// DecodeHeader reads and checks IHDR. Any width and height up to 2^31-1 is valid PNG; the
// caller decides how many pixels it accepts.
func DecodeHeader(data []byte) (Header, error) {
	if !bytes.HasPrefix(data, signature) {
		return Header{}, ErrNotPNG
	}
	if len(data) < 8+8+13+4 {
		return Header{}, ErrTruncated
	}
	p := data[8:]
	if binary.BigEndian.Uint32(p) != 13 || string(p[4:8]) != "IHDR" {
		return Header{}, corrupt("the first chunk is not a 13-byte IHDR")
	}
	if crc32.ChecksumIEEE(p[4:21]) != binary.BigEndian.Uint32(p[21:]) {
		return Header{}, corrupt("IHDR checksum mismatch")
	}
	b := p[8:21]
	h := Header{
		Width: int64(binary.BigEndian.Uint32(b)), Height: int64(binary.BigEndian.Uint32(b[4:])),
		Depth: int(b[8]), ColorType: int(b[9]), Interlaced: b[12] == 1,
	}
	switch {
	case h.Width == 0 || h.Height == 0:
		return h, corrupt("the image has no pixels (%dx%d)", h.Width, h.Height)
	case h.Width > 1<<31-1 || h.Height > 1<<31-1:
		return h, corrupt("a dimension exceeds 2^31-1 (%dx%d)", h.Width, h.Height)
	case b[10] != 0 || b[11] != 0 || b[12] > 1:
		return h, corrupt("unknown compression, filter or interlace method")
	}
	depths, ok := validDepths[h.ColorType]
	if !ok {
		return h, corrupt("colour type %d does not exist", h.ColorType)
	}
	for _, d := range depths {
		if d == h.Depth {
			return h, nil
		}
	}
	return h, corrupt("bit depth %d is not allowed for colour type %d", h.Depth, h.ColorType)
}

// Truncated walks the chunk list: a chunk that runs past the end of the data, or a list
// that ends without IEND, means the file was cut short rather than corrupted.
func Truncated(data []byte) bool {
	p := len(signature)
	for p+8 <= len(data) {
		end := int64(p) + 12 + int64(binary.BigEndian.Uint32(data[p:]))
		if end > int64(len(data)) {
			return true
		}
		if string(data[p+4:p+8]) == "IEND" {
			return false
		}
		p = int(end)
	}
	return true
}

// Sink receives decoded pixels: row y, pixels at x0, x0+dx, ... as interleaved RGB.
type Sink func(y, x0, dx int, rgb []float32)

// Decode decodes data (whose header is h) and hands every row to sink, in file order
// (pass by pass when interlaced).
func Decode(data []byte, h Header, sink Sink) error {
	var idat [][]byte
	var plte, trns []byte
	p := len(signature)
	sawIEND := false
	for p+8 <= len(data) && !sawIEND {
		n := int64(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		end := int64(p) + 12 + n
		if n > 1<<31-1 {
			return corrupt("chunk %q is too long", typ)
		}
		if end > int64(len(data)) {
			return ErrTruncated
		}
		body := data[p+8 : p+8+int(n)]
		if crc32.ChecksumIEEE(data[p+4:p+8+int(n)]) != binary.BigEndian.Uint32(data[p+8+int(n):]) {
			return corrupt("chunk %q checksum mismatch", typ)
		}
		switch typ {
		case "PLTE":
			switch {
			case h.Grey():
				return corrupt("PLTE in a grey image")
			case h.ColorType == 3 && (len(body)%3 != 0 || len(body) == 0 || len(body)/3 > 1<<h.Depth):
				return corrupt("bad PLTE length %d", len(body))
			}
			plte = body
		case "tRNS":
			want := map[int]int{0: 2, 2: 6}[h.ColorType]
			switch {
			case h.ColorType == 4 || h.ColorType == 6:
				return corrupt("tRNS in an image with an alpha channel")
			case want != 0 && len(body) != want, h.ColorType == 3 && len(body) > 256:
				return corrupt("bad tRNS length %d", len(body))
			}
			trns = body
		case "IDAT":
			idat = append(idat, body)
		case "IEND":
			sawIEND = true
		}
		p = int(end)
	}
	if len(idat) == 0 {
		if !sawIEND {
			return ErrTruncated
		}
		return corrupt("no image data")
	}
	conv, err := newConverter(h, plte, trns)
	if err != nil {
		return err
	}
	z, err := zlib.NewReader(&chunkReader{parts: idat})
	if err != nil {
		return inflateError(err, sawIEND)
	}
	bitsPP := h.Channels() * h.Depth
	bpp := max(1, bitsPP/8) // filter distance in bytes
	passes := []pass{{0, 0, 1, 1}}
	if h.Interlaced {
		passes = adam7
	}
	w, hh := int(h.Width), int(h.Height)
	rowBuf := make([]byte, 0)
	rgb := make([]float32, 0)
	for _, ps := range passes {
		pw := (w - ps.x0 + ps.dx - 1) / ps.dx
		ph := (hh - ps.y0 + ps.dy - 1) / ps.dy
		if pw <= 0 || ph <= 0 {
			continue
		}
		rowLen := (pw*bitsPP + 7) / 8
		if cap(rowBuf) < 2*(rowLen+1) {
			rowBuf = make([]byte, 2*(rowLen+1))
			rgb = make([]float32, 3*pw)
		}
		cur, prev := rowBuf[:rowLen+1], rowBuf[rowLen+1:2*(rowLen+1)]
		clear(prev)
		for r := 0; r < ph; r++ {
			if _, err := io.ReadFull(z, cur); err != nil {
				return inflateError(err, sawIEND)
			}
			if err := unfilter(cur[0], cur[1:], prev[1:], bpp); err != nil {
				return err
			}
			conv(cur[1:], pw, rgb[:3*pw])
			sink(ps.y0+r*ps.dy, ps.x0, ps.dx, rgb[:3*pw])
			cur, prev = prev, cur
		}
	}
	// Read to the end so that zlib checks its checksum, as image/png does.
	var one [1]byte
	n, err := io.ReadFull(z, one[:])
	switch {
	case n != 0:
		return corrupt("too much pixel data")
	case err != io.EOF:
		return inflateError(err, sawIEND)
	case !sawIEND:
		return ErrTruncated
	}
	return nil
}

func inflateError(err error, sawIEND bool) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		if !sawIEND {
			return ErrTruncated
		}
		return corrupt("not enough pixel data")
	}
	return corrupt("%v", err)
}

type pass struct{ x0, y0, dx, dy int }

var adam7 = []pass{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}

// chunkReader reads the IDAT payloads as one stream without copying them.
type chunkReader struct{ parts [][]byte }

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.parts) > 0 && len(c.parts[0]) == 0 {
		c.parts = c.parts[1:]
	}
	if len(c.parts) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.parts[0])
	c.parts[0] = c.parts[0][n:]
	return n, nil
}

func unfilter(ft byte, cur, prev []byte, bpp int) error {
	switch ft {
	case 0:
	case 1:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case 2:
		for i := range cur {
			cur[i] += prev[i]
		}
	case 3:
		for i := 0; i < bpp && i < len(cur); i++ {
			cur[i] += prev[i] / 2
		}
		for i := bpp; i < len(cur); i++ {
			cur[i] += uint8((int(cur[i-bpp]) + int(prev[i])) / 2)
		}
	case 4:
		for i := range cur {
			var a, c int
			if i >= bpp {
				a, c = int(cur[i-bpp]), int(prev[i-bpp])
			}
			b := int(prev[i])
			pa, pb, pc := abs(b-c), abs(a-c), abs(a+b-2*c)
			switch {
			case pa <= pb && pa <= pc:
				cur[i] += uint8(a)
			case pb <= pc:
				cur[i] += uint8(b)
			default:
				cur[i] += uint8(c)
			}
		}
	default:
		return corrupt("bad filter type %d", ft)
	}
	return nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// converter turns one unfiltered row of n pixels into RGB floats.
type converter func(row []byte, n int, rgb []float32)

// The conversions below reproduce, value for value, what image/png's image types give
// through lightbox's raster conversion: Gray and RGBA as they are, NRGBA and the 16-bit
// types composited over white with their own formulas.

func nrgba8(r, g, b, a uint8, out []float32) {
	af := float32(a) / 255
	wh := 255 * (1 - af)
	out[0], out[1], out[2] = float32(r)*af+wh, float32(g)*af+wh, float32(b)*af+wh
}

func nrgba16(r, g, b, a uint16, out []float32) {
	af := float32(a) / 65535
	wh := 255 * (1 - af)
	out[0], out[1], out[2] = float32(r)/257*af+wh, float32(g)/257*af+wh, float32(b)/257*af+wh
}

func over(c color.Color) [3]float32 {
	n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
	var out [3]float32
	nrgba16(n.R, n.G, n.B, n.A, out[:])
	return out
}

func newConverter(h Header, plte, trns []byte) (converter, error) {
	d := h.Depth
	// sample reads the i-th sample of a low-bit-depth row.
	sample := func(row []byte, i int) uint8 {
		per := 8 / d
		shift := uint(8 - d*(i%per+1))
		return row[i/per] >> shift & (1<<d - 1)
	}
	switch h.ColorType {
	case 0:
		scale := map[int]uint8{1: 0xff, 2: 0x55, 4: 0x11, 8: 1}[d]
		if d == 16 {
			if len(trns) == 2 {
				ty := binary.BigEndian.Uint16(trns)
				return func(row []byte, n int, rgb []float32) {
					for x := range n {
						v := binary.BigEndian.Uint16(row[2*x:])
						a := uint16(0xffff)
						if v == ty {
							a = 0
						}
						nrgba16(v, v, v, a, rgb[3*x:])
					}
				}, nil
			}
			return func(row []byte, n int, rgb []float32) {
				for x := range n {
					v := float32(binary.BigEndian.Uint16(row[2*x:])) / 257
					rgb[3*x], rgb[3*x+1], rgb[3*x+2] = v, v, v
				}
			}, nil
		}
		if len(trns) == 2 {
			ty := trns[1] * scale
			return func(row []byte, n int, rgb []float32) {
				for x := range n {
					y := sample(row, x) * scale
					if d == 8 {
						y = row[x]
					}
					a := uint8(0xff)
					if y == ty {
						a = 0
					}
					nrgba8(y, y, y, a, rgb[3*x:])
				}
			}, nil
		}
		return func(row []byte, n int, rgb []float32) {
			for x := range n {
				y := row[min(x, len(row)-1)]
				if d < 8 {
					y = sample(row, x) * scale
				}
				v := float32(y)
				rgb[3*x], rgb[3*x+1], rgb[3*x+2] = v, v, v
			}
		}, nil
	case 2:
		if d == 8 {
			if len(trns) == 6 {
				tr, tg, tb := trns[1], trns[3], trns[5]
				return func(row []byte, n int, rgb []float32) {
					for x := range n {
						r, g, b := row[3*x], row[3*x+1], row[3*x+2]
						a := uint8(0xff)
						if r == tr && g == tg && b == tb {
							a = 0
						}
						nrgba8(r, g, b, a, rgb[3*x:])
					}
				}, nil
			}
			return func(row []byte, n int, rgb []float32) {
				for x := range n {
					rgb[3*x], rgb[3*x+1], rgb[3*x+2] = float32(row[3*x]), float32(row[3*x+1]), float32(row[3*x+2])
				}
			}, nil
		}
		useT := len(trns) == 6
		var tr, tg, tb uint16
		if useT {
			tr, tg, tb = binary.BigEndian.Uint16(trns), binary.BigEndian.Uint16(trns[2:]), binary.BigEndian.Uint16(trns[4:])
		}
		return func(row []byte, n int, rgb []float32) {
			for x := range n {
				r, g, b := binary.BigEndian.Uint16(row[6*x:]), binary.BigEndian.Uint16(row[6*x+2:]), binary.BigEndian.Uint16(row[6*x+4:])
				a := uint16(0xffff)
				if useT && r == tr && g == tg && b == tb {
					a = 0
				}
				nrgba16(r, g, b, a, rgb[3*x:])
			}
		}, nil
	case 3:
		if len(plte) == 0 {
			return nil, corrupt("a paletted image without PLTE")
		}
		if len(trns) > 256 {
			return nil, corrupt("bad tRNS length %d", len(trns))
		}
		// image/png: indices past the palette are opaque black; tRNS may extend it.
		var lut [256][3]float32
		np := max(len(plte)/3, len(trns))
		for i := range np {
			var r, g, b uint8
			if 3*i+2 < len(plte) {
				r, g, b = plte[3*i], plte[3*i+1], plte[3*i+2]
			}
			var c color.Color = color.RGBA{r, g, b, 0xff}
			if i < len(trns) {
				c = color.NRGBA{r, g, b, trns[i]}
			}
			lut[i] = over(c)
		}
		for i := np; i < 256; i++ {
			lut[i] = over(color.RGBA{0, 0, 0, 0xff})
		}
		return func(row []byte, n int, rgb []float32) {
			for x := range n {
				idx := row[min(x, len(row)-1)]
				if d < 8 {
					idx = sample(row, x)
				}
				c := lut[idx]
				rgb[3*x], rgb[3*x+1], rgb[3*x+2] = c[0], c[1], c[2]
			}
		}, nil
	case 4:
		if d == 8 {
			return func(row []byte, n int, rgb []float32) {
				for x := range n {
					y := row[2*x]
					nrgba8(y, y, y, row[2*x+1], rgb[3*x:])
				}
			}, nil
		}
		return func(row []byte, n int, rgb []float32) {
			for x := range n {
				y := binary.BigEndian.Uint16(row[4*x:])
				nrgba16(y, y, y, binary.BigEndian.Uint16(row[4*x+2:]), rgb[3*x:])
			}
		}, nil
	case 6:
		if d == 8 {
			return func(row []byte, n int, rgb []float32) {
				for x := range n {
					nrgba8(row[4*x], row[4*x+1], row[4*x+2], row[4*x+3], rgb[3*x:])
				}
			}, nil
		}
		return func(row []byte, n int, rgb []float32) {
			for x := range n {
				p := row[8*x:]
				nrgba16(binary.BigEndian.Uint16(p), binary.BigEndian.Uint16(p[2:]), binary.BigEndian.Uint16(p[4:]), binary.BigEndian.Uint16(p[6:]), rgb[3*x:])
			}
		}, nil
	}
	return nil, fmt.Errorf("%w: colour type %d", ErrUnsupported, h.ColorType)
}
