package preview

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"image"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/kitty"
)

// MaxID is the largest kitty image id handed out. The id travels as the placeholders'
// foreground colour 38;5;id, which survives Bubble Tea's downsampling to 256 colours
// unchanged; larger ids would need 24-bit colour, which ANSI256 profiles rewrite.
const MaxID = 255

// Default cell size in pixels, for when the terminal did not report its own.
const (
	DefaultCellW = 10
	DefaultCellH = 20
)

// zlibLevel: over SSH the link, not the CPU, is the bottleneck. On an 800x600 photo-like
// picture the default level sent ~11% less than BestSpeed for ~13 ms more work.
const zlibLevel = zlib.DefaultCompression

// Transmit returns the kitty graphics escapes that send img, fitted to
// cols*cellW x rows*cellH pixels, as image id with a virtual placement (U=1) of
// cols x rows cells: direct transmission (the only kind that works over SSH), raw RGB, or
// RGBA when the picture has transparency, zlib-compressed, base64 in chunks of at most
// 4096 bytes, and quiet (q=2) so the terminal never answers into the input stream. With
// tmux, each chunk is wrapped for passthrough on its own (tmux needs allow-passthrough).
//
// Send it with tea.Raw, then draw Placeholders(id, cols, rows) in the view. To redraw at
// another size, send Delete(id) and Transmit again with the same id. cellW or cellH <= 0
// mean DefaultCellW/DefaultCellH. Invalid ids (outside 1..MaxID) or sizes give "".
func Transmit(img image.Image, id, cols, rows, cellW, cellH int, tmux bool) string {
	if img == nil || id < 1 || id > MaxID || cols <= 0 || rows <= 0 {
		return ""
	}
	if cellW <= 0 {
		cellW = DefaultCellW
	}
	if cellH <= 0 {
		cellH = DefaultCellH
	}
	pic := Fit(img, cols*cellW, rows*cellH)
	w, h := pic.Rect.Dx(), pic.Rect.Dy()
	if w == 0 || h == 0 {
		return ""
	}
	format, raw := rawPixels(pic)

	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlibLevel) // the level is a valid constant
	_, _ = zw.Write(raw)                        // writes to a bytes.Buffer cannot fail
	_ = zw.Close()
	payload := make([]byte, base64.StdEncoding.EncodedLen(z.Len()))
	base64.StdEncoding.Encode(payload, z.Bytes())

	// Keys spelled out rather than built with kitty.Options, which leaves out f=32 as the
	// protocol default; explicit keys are easier to check against the spec and in tests.
	first := []string{
		"a=T", "t=d", "U=1", "i=" + strconv.Itoa(id), "f=" + strconv.Itoa(format),
		"s=" + strconv.Itoa(w), "v=" + strconv.Itoa(h),
		"c=" + strconv.Itoa(cols), "r=" + strconv.Itoa(rows),
		"o=z", "q=2",
	}
	var sb strings.Builder
	sb.Grow(len(payload) + (len(payload)/kitty.MaxChunkSize+1)*64)
	for off := 0; off < len(payload); off += kitty.MaxChunkSize {
		end := min(off+kitty.MaxChunkSize, len(payload))
		more := "m=1"
		if end == len(payload) {
			more = "m=0"
		}
		var opts []string
		if off == 0 {
			opts = append(first, more)
		} else {
			// Later chunks may only carry m (and q): kitty takes the rest from the first.
			opts = []string{"q=2", more}
		}
		sb.WriteString(passthrough(ansi.KittyGraphics(payload[off:end], opts...), tmux))
	}
	return sb.String()
}

// rawPixels returns the kitty format and pixel bytes of pic: RGB when fully opaque (a
// quarter less to send), otherwise straight-alpha RGBA, which is what kitty expects
// (image.RGBA holds premultiplied values).
func rawPixels(pic *image.RGBA) (int, []byte) {
	w, h := pic.Rect.Dx(), pic.Rect.Dy()
	opaque := pic.Opaque()
	bpp := 4
	if opaque {
		bpp = 3
	}
	out := make([]byte, 0, w*h*bpp)
	for y := range h {
		row := pic.Pix[y*pic.Stride : y*pic.Stride+4*w]
		for i := 0; i < len(row); i += 4 {
			r, g, b, a := row[i], row[i+1], row[i+2], row[i+3]
			if opaque {
				out = append(out, r, g, b)
				continue
			}
			if a != 0 && a != 255 {
				r = uint8(min(int(r)*255/int(a), 255))
				g = uint8(min(int(g)*255/int(a), 255))
				b = uint8(min(int(b)*255/int(a), 255))
			}
			out = append(out, r, g, b, a)
		}
	}
	if opaque {
		return kitty.RGB, out
	}
	return kitty.RGBA, out
}

// Delete frees image id and its placements in the terminal (a=d,d=I: upper case also
// frees the stored pixels), quietly. Send it for ids that IDs evicts, so the terminal's
// image memory quota does not fill up over a long session.
func Delete(id int, tmux bool) string {
	if id < 1 {
		return ""
	}
	return passthrough(ansi.KittyGraphics(nil, "a=d", "d=I", "i="+strconv.Itoa(id), "q=2"), tmux)
}

// passthrough wraps seq so tmux hands it to the outer terminal (ESCs doubled inside
// "\x1bPtmux;...\x1b\\") instead of interpreting or dropping it.
func passthrough(seq string, tmux bool) string {
	if !tmux {
		return seq
	}
	return ansi.TmuxPassthrough(seq)
}
