package preview

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"image"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/kitty"
)

// apc is one kitty graphics command: its keys and its payload.
type apc struct {
	keys    map[string]string
	order   []string
	payload string
}

// parseAPCs splits s into kitty graphics commands and fails on anything else between them.
func parseAPCs(t *testing.T, s string) []apc {
	t.Helper()
	var out []apc
	for s != "" {
		if !strings.HasPrefix(s, "\x1b_G") {
			t.Fatalf("expected \\x1b_G, got %.40q", s)
		}
		body, rest, ok := strings.Cut(s[3:], "\x1b\\")
		if !ok {
			t.Fatalf("unterminated APC: %.40q", s)
		}
		keys, payload, _ := strings.Cut(body, ";")
		a := apc{keys: map[string]string{}, payload: payload}
		for kv := range strings.SplitSeq(keys, ",") {
			k, v, _ := strings.Cut(kv, "=")
			a.keys[k] = v
			a.order = append(a.order, k)
		}
		out = append(out, a)
		s = rest
	}
	return out
}

// unwrapTmux undoes tmux passthrough, checking that every command was wrapped on its own.
func unwrapTmux(t *testing.T, s string) string {
	t.Helper()
	var out strings.Builder
	for s != "" {
		if !strings.HasPrefix(s, "\x1bPtmux;") {
			t.Fatalf("expected tmux passthrough, got %.40q", s)
		}
		s = s[len("\x1bPtmux;"):]
		// Inside, every ESC is doubled; a single ESC followed by \ ends the wrapper.
		for {
			if strings.HasPrefix(s, "\x1b\x1b") {
				out.WriteByte(0x1b)
				s = s[2:]
				continue
			}
			if strings.HasPrefix(s, "\x1b\\") {
				s = s[2:]
				break
			}
			if s == "" || s[0] == 0x1b {
				t.Fatalf("bad passthrough body near %.40q", s)
			}
			out.WriteByte(s[0])
			s = s[1:]
		}
	}
	return out.String()
}

func inflate(t *testing.T, cmds []apc) []byte {
	t.Helper()
	var b64 strings.Builder
	for _, c := range cmds {
		b64.WriteString(c.payload)
	}
	z, err := base64.StdEncoding.DecodeString(b64.String())
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestTransmitFraming(t *testing.T) {
	img := noise(400, 300)
	s := Transmit(img, 7, 40, 15, 10, 20, false)
	cmds := parseAPCs(t, s)
	if len(cmds) < 3 {
		t.Fatalf("a 400x300 noise picture should need many chunks, got %d", len(cmds))
	}
	first := cmds[0]
	// 400x300 fitted into 40x15 cells of 10x20 px = 400x300 px box: unchanged.
	for k, v := range map[string]string{
		"a": "T", "U": "1", "i": "7", "f": "24", "o": "z", "q": "2", "m": "1",
		"s": "400", "v": "300", "c": "40", "r": "15",
	} {
		if first.keys[k] != v {
			t.Errorf("first chunk %s=%q, want %q (keys %v)", k, first.keys[k], v, first.order)
		}
	}
	if first.keys["t"] != "d" {
		t.Errorf("transmission must be direct, got t=%s", first.keys["t"])
	}
	for i, c := range cmds {
		if len(c.payload) == 0 || len(c.payload) > 4096 || len(c.payload)%4 != 0 {
			t.Errorf("chunk %d payload is %d bytes, want 1..4096 and a multiple of 4", i, len(c.payload))
		}
		wantM := "1"
		if i == len(cmds)-1 {
			wantM = "0"
		}
		if c.keys["m"] != wantM {
			t.Errorf("chunk %d m=%s, want %s", i, c.keys["m"], wantM)
		}
		if i > 0 && (len(c.keys) != 2 || c.keys["q"] != "2") {
			t.Errorf("chunk %d should carry only q and m, has %v", i, c.order)
		}
	}
	raw := inflate(t, cmds)
	if len(raw) != 400*300*3 {
		t.Fatalf("%d bytes of RGB, want %d", len(raw), 400*300*3)
	}
	for _, p := range []int{0, 1234, 400*300 - 1} {
		x, y := p%400, p/400
		c := img.RGBAAt(x, y)
		if raw[3*p] != c.R || raw[3*p+1] != c.G || raw[3*p+2] != c.B {
			t.Errorf("pixel (%d,%d) = %v, want %v", x, y, raw[3*p:3*p+3], c)
		}
	}
}

func TestTransmitFitsToCellBox(t *testing.T) {
	// 64x32 into 8x4 cells of 10x20 px (80x80 px) is 80x40.
	cmds := parseAPCs(t, Transmit(quadrants(64, 32), 9, 8, 4, 10, 20, false))
	if k := cmds[0].keys; k["s"] != "80" || k["v"] != "40" || k["c"] != "8" || k["r"] != "4" {
		t.Errorf("keys %v", cmds[0].keys)
	}
	// Unknown cell size falls back to 10x20.
	cmds = parseAPCs(t, Transmit(quadrants(64, 32), 9, 8, 4, 0, -1, false))
	if k := cmds[0].keys; k["s"] != "80" || k["v"] != "40" {
		t.Errorf("default cell size: keys %v", cmds[0].keys)
	}
	// A small picture is a single chunk, still closed with m=0.
	if len(cmds) != 1 || cmds[0].keys["m"] != "0" {
		t.Errorf("small picture: %d chunks, m=%s", len(cmds), cmds[0].keys["m"])
	}
}

func TestTransmitAlphaUsesStraightRGBA(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 10, 20))
	for i := 0; i < len(m.Pix); i += 4 {
		copy(m.Pix[i:], []uint8{200, 100, 50, 128})
	}
	cmds := parseAPCs(t, Transmit(m, 3, 1, 1, 10, 20, false))
	if cmds[0].keys["f"] != "32" {
		t.Fatalf("f=%s, want 32 for a picture with transparency", cmds[0].keys["f"])
	}
	raw := inflate(t, cmds)
	if len(raw) != 10*20*4 {
		t.Fatalf("%d bytes, want %d", len(raw), 10*20*4)
	}
	if r, a := raw[0], raw[3]; a != 128 || r < 198 || r > 202 {
		t.Errorf("first pixel %v, want about {200 100 50 128} (not premultiplied)", raw[:4])
	}
}

func TestTransmitTmuxWrapsEveryChunk(t *testing.T) {
	img := noise(200, 200)
	plain := Transmit(img, 12, 20, 10, 10, 20, false)
	wrapped := Transmit(img, 12, 20, 10, 10, 20, true)
	if n, want := strings.Count(wrapped, "\x1bPtmux;"), len(parseAPCs(t, plain)); n != want {
		t.Errorf("%d passthrough wrappers for %d chunks", n, want)
	}
	if !strings.Contains(wrapped, "\x1bPtmux;\x1b\x1b_G") {
		t.Errorf("ESC inside passthrough not doubled: %.40q", wrapped)
	}
	if got := unwrapTmux(t, wrapped); got != plain {
		t.Errorf("unwrapped tmux transmit differs from the plain one")
	}
}

func TestTransmitRejectsBadInput(t *testing.T) {
	img := solid(4, 4, red)
	for name, s := range map[string]string{
		"nil image": Transmit(nil, 1, 2, 2, 10, 20, false),
		"id 0":      Transmit(img, 0, 2, 2, 10, 20, false),
		"id 256":    Transmit(img, 256, 2, 2, 10, 20, false),
		"no cols":   Transmit(img, 1, 0, 2, 10, 20, false),
		"no rows":   Transmit(img, 1, 2, 0, 10, 20, false),
		"empty img": Transmit(image.NewRGBA(image.Rectangle{}), 1, 2, 2, 10, 20, false),
	} {
		if s != "" {
			t.Errorf("%s: got %.40q, want nothing", name, s)
		}
	}
}

func TestDelete(t *testing.T) {
	if got, want := Delete(42, false), "\x1b_Ga=d,d=I,i=42,q=2\x1b\\"; got != want {
		t.Errorf("Delete = %q, want %q", got, want)
	}
	if got := Delete(42, true); unwrapTmux(t, got) != Delete(42, false) {
		t.Errorf("tmux Delete = %q", got)
	}
	if Delete(0, false) != "" {
		t.Error("Delete(0) should be empty: id 0 is not an image")
	}
}

func TestPlaceholders(t *testing.T) {
	const id, cols, rows = 200, 5, 3
	s := Placeholders(id, cols, rows)
	lines := strings.Split(s, "\n")
	if len(lines) != rows {
		t.Fatalf("%d lines, want %d", len(lines), rows)
	}
	for r, l := range lines {
		if w := ansi.StringWidth(l); w != cols {
			t.Errorf("line %d width %d, want %d", r, w, cols)
		}
		if !strings.HasPrefix(l, "\x1b[38;5;200m") || !strings.HasSuffix(l, "\x1b[m") {
			t.Errorf("line %d colour framing: %q", r, l)
		}
		cells := parseCells(t, l)
		if len(cells) != cols {
			t.Fatalf("line %d: %d cells", r, len(cells))
		}
		for c, cl := range cells {
			want := string([]rune{kitty.Placeholder, kitty.Diacritic(r), kitty.Diacritic(c)})
			if cl.text != want || cl.fg != -(256+id) {
				t.Errorf("cell (%d,%d) = %q fg %d, want %q fg 38;5;%d", r, c, cl.text, cl.fg, want, id)
			}
		}
	}
	if Placeholders(1, 0, 3) != "" || Placeholders(1, 3, 0) != "" {
		t.Error("empty sizes should give nothing")
	}
}

func TestPlaceholdersBeyondDiacritics(t *testing.T) {
	// The diacritics table addresses 297 rows/columns; x/ansi repeats the first one
	// beyond, which would draw the wrong part of the picture, so those cells are blank.
	if kitty.Diacritic(maxSpan-1) == kitty.Diacritic(0) || kitty.Diacritic(maxSpan) != kitty.Diacritic(0) {
		t.Fatalf("maxSpan %d does not match the diacritics table", maxSpan)
	}
	s := Placeholders(5, 300, 299)
	lines := strings.Split(s, "\n")
	if len(lines) != 299 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, r := range []int{0, 296, 297, 298} {
		if w := ansi.StringWidth(lines[r]); w != 300 {
			t.Errorf("line %d width %d", r, w)
		}
	}
	if n := strings.Count(lines[0], string(kitty.Placeholder)); n != maxSpan {
		t.Errorf("line 0 has %d placeholders, want %d", n, maxSpan)
	}
	if strings.Contains(lines[297], string(kitty.Placeholder)) {
		t.Error("row 297 cannot be addressed and must be blank")
	}
}

func BenchmarkTransmit80x40Cells(b *testing.B) {
	img := ycbcrNoise(1600, 1200)
	b.ReportAllocs()
	var n int
	for b.Loop() {
		n = len(Transmit(img, 1, 80, 40, 10, 20, false))
	}
	b.ReportMetric(float64(n), "bytes")
}
