package pngdec

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"

	"lightbox/quality/internal/raster"
)

// rawPNG writes a PNG by hand, for the variants image/png's encoder never writes (low
// bit depth grey, tRNS on grey and truecolour, Adam7). sample(x, y, c) gives sample c.
func rawPNG(w, h, depth, ctype int, interlaced bool, plte, trns []byte, sample func(x, y, c int) int) []byte {
	ch := [7]int{1, 0, 3, 1, 2, 0, 4}[ctype]
	var raw bytes.Buffer
	passes := []pass{{0, 0, 1, 1}}
	if interlaced {
		passes = adam7
	}
	for _, p := range passes {
		for y := p.y0; y < h; y += p.dy {
			var bits []int
			for x := p.x0; x < w; x += p.dx {
				for c := range ch {
					bits = append(bits, sample(x, y, c))
				}
			}
			if len(bits) == 0 {
				continue
			}
			raw.WriteByte(0)
			row := make([]byte, (len(bits)*depth+7)/8)
			for i, v := range bits {
				switch depth {
				case 16:
					binary.BigEndian.PutUint16(row[2*i:], uint16(v))
				case 8:
					row[i] = byte(v)
				default:
					per := 8 / depth
					row[i/per] |= byte(v) << uint(8-depth*(i%per+1))
				}
			}
			raw.Write(row)
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	var out bytes.Buffer
	out.Write(signature)
	chunk := func(typ string, body []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(body)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(body)
		out.WriteString(typ)
		out.Write(body)
		binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = byte(depth), byte(ctype)
	if interlaced {
		ihdr[12] = 1
	}
	chunk("IHDR", ihdr)
	if plte != nil {
		chunk("PLTE", plte)
	}
	if trns != nil {
		chunk("tRNS", trns)
	}
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

func encoded(img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// The streaming decoder gives exactly what image/png plus raster.FromImageScaled gave, for
// every colour type and bit depth, at every reduction; interlaced files differ only by
// float rounding (their pixels arrive in another order).
func TestSameValuesAsImagePNG(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const w, h = 37, 29
	rnd := func(max int) func(x, y, c int) int { return func(int, int, int) int { return rng.IntN(max + 1) } }
	type tc struct {
		name string
		data []byte
	}
	var cases []tc
	for _, d := range []int{1, 2, 4, 8, 16} {
		cases = append(cases, tc{"grey" + string(rune('0'+d%10)), rawPNG(w, h, d, 0, false, nil, nil, rnd(1<<d-1))})
		cases = append(cases, tc{"grey tRNS", rawPNG(w, h, d, 0, false, nil, []byte{0, 1}, func(x, y, c int) int { return (x + y) % 2 })})
		if d <= 8 {
			pl := make([]byte, 3*(1<<d))
			for i := range pl {
				pl[i] = byte(rng.IntN(256))
			}
			cases = append(cases, tc{"palette", rawPNG(w, h, d, 3, false, pl, []byte{0, 128}, rnd(1<<d-1))})
		}
	}
	cases = append(cases,
		tc{"palette index past PLTE", rawPNG(w, h, 8, 3, false, []byte{1, 2, 3, 4, 5, 6}, []byte{7}, rnd(5))},
		tc{"rgb8 tRNS", rawPNG(w, h, 8, 2, false, nil, []byte{0, 1, 0, 1, 0, 1}, func(x, y, c int) int { return (x + y) % 2 })},
		tc{"rgb16 tRNS", rawPNG(w, h, 16, 2, false, nil, []byte{0, 1, 0, 1, 0, 1}, func(x, y, c int) int { return (x * y) % 2 })},
		tc{"grey alpha 8", rawPNG(w, h, 8, 4, false, nil, nil, rnd(255))},
		tc{"grey alpha 16", rawPNG(w, h, 16, 4, false, nil, nil, rnd(65535))},
	)
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	nrgba := image.NewNRGBA(image.Rect(0, 0, w, h))
	rgba64 := image.NewRGBA64(image.Rect(0, 0, w, h))
	nrgba64 := image.NewNRGBA64(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := func() uint8 { return uint8(rng.IntN(256)) }
			rgba.SetRGBA(x, y, color.RGBA{v(), v(), v(), 255})
			nrgba.SetNRGBA(x, y, color.NRGBA{v(), v(), v(), v()})
			u := func() uint16 { return uint16(rng.IntN(65536)) }
			rgba64.SetRGBA64(x, y, color.RGBA64{u(), u(), u(), 0xffff})
			nrgba64.SetNRGBA64(x, y, color.NRGBA64{u(), u(), u(), u()})
		}
	}
	cases = append(cases, tc{"rgb8", encoded(rgba)}, tc{"rgba8", encoded(nrgba)}, tc{"rgb16", encoded(rgba64)}, tc{"rgba16", encoded(nrgba64)})

	for _, c := range cases {
		for _, denom := range []int{1, 2, 4, 8} {
			compare(t, c.name, c.data, denom, 0)
		}
	}
	inter := rawPNG(w, h, 8, 6, true, nil, nil, rnd(255))
	for _, denom := range []int{1, 4} {
		compare(t, "interlaced", inter, denom, 1e-3)
	}
	inter = rawPNG(w, h, 2, 0, true, nil, nil, rnd(3))
	compare(t, "interlaced grey2", inter, 2, 1e-3)
}

func compare(t *testing.T, name string, data []byte, denom int, tol float32) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: image/png: %v", name, err)
	}
	want := raster.FromImageScaled(img, denom)
	h, err := DecodeHeader(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	acc := raster.NewAccumulator(int(h.Width), int(h.Height), denom)
	if err := Decode(data, h, acc.Add); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	got := acc.Image()
	for i := range want.R {
		for _, p := range [][2][]float32{{want.R, got.R}, {want.G, got.G}, {want.B, got.B}} {
			if d := p[0][i] - p[1][i]; d > tol || d < -tol {
				t.Fatalf("%s (%T) denom %d: pixel %d: %v, image/png gives %v", name, img, denom, i, p[1][i], p[0][i])
			}
		}
	}
}
