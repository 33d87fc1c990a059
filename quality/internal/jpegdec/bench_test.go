package jpegdec

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"os"
	"sync"
	"testing"
)

var (
	benchOnce sync.Once
	benchJPEG []byte
)

// benchPhoto builds a deterministic 4000x3000 photo-like image: smooth
// gradients, soft shapes, fine texture and mild noise, tuned so that quality
// 92 gives a file of roughly the size a phone photo has.
func benchPhoto(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	colTex := make([]float64, w)
	colG := make([]float64, w)
	for x := range colTex {
		fx := float64(x) / float64(w)
		colTex[x] = math.Sin(float64(x)*0.9) + 0.5*math.Sin(float64(x)*0.23+1)
		colG[x] = 25 * math.Cos(5*fx)
	}
	rng := uint32(2463534242)
	for y := 0; y < h; y++ {
		fy := float64(y) / float64(h)
		rowTex := math.Cos(float64(y)*0.7) + 0.5*math.Cos(float64(y)*0.31)
		rowR := 30 * math.Sin(6*fy)
		pix := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			fx := float64(x) / float64(w)
			r := 90 + 110*fx + rowR
			g := 70 + 120*fy + colG[x]
			b := 160 - 90*fx*fy
			for i, c := range [...][2]float64{{0.35, 0.55}, {0.7, 0.3}, {0.2, 0.2}} {
				dx, dy := fx-c[0], (fy-c[1])*0.75
				if d := dx*dx + dy*dy; d < 0.02 {
					t := 1 - d/0.02
					r, g, b = r*(1-t)+float64(220-60*i)*t, g*(1-t)+float64(60+70*i)*t, b*(1-t)+float64(40+50*i)*t
				}
			}
			if math.Abs(fx-0.7+0.3*fy) < 0.03 {
				r, g, b = r*0.4, g*0.5, b*0.6+80
			}
			// Texture whose strength varies over the frame, like foliage
			// next to sky.
			amp := 3 + 14*fx*(1-fy)
			tex := amp * colTex[x] * rowTex
			rng ^= rng << 13
			rng ^= rng >> 17
			rng ^= rng << 5
			n := float64(int(rng%11) - 5)
			pix[4*x] = cl(r + tex + n)
			pix[4*x+1] = cl(g + tex*0.8 + n)
			pix[4*x+2] = cl(b + tex*0.6 + n)
			pix[4*x+3] = 255
		}
	}
	return img
}

func benchData(b *testing.B) []byte {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, benchPhoto(4000, 3000), &jpeg.Options{Quality: 92}); err != nil {
			panic(err)
		}
		benchJPEG = buf.Bytes()
	})
	b.SetBytes(int64(len(benchJPEG)))
	return benchJPEG
}

func BenchmarkStdlibDecode(b *testing.B) {
	data := benchData(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func benchDecode(b *testing.B, denom int) {
	data := benchData(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := Decode(data, Options{Denom: denom}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode1(b *testing.B) { benchDecode(b, 1) }
func BenchmarkDecode2(b *testing.B) { benchDecode(b, 2) }
func BenchmarkDecode4(b *testing.B) { benchDecode(b, 4) }
func BenchmarkDecode8(b *testing.B) { benchDecode(b, 8) }

// BenchmarkFile measures a real file named by JPEGDEC_BENCH_FILE (skipped
// when unset), e.g. a progressive or camera JPEG.
func BenchmarkFile(b *testing.B) {
	name := os.Getenv("JPEGDEC_BENCH_FILE")
	if name == "" {
		b.Skip("set JPEGDEC_BENCH_FILE")
	}
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("stdlib", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, k := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("denom%d", k), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, _, err := Decode(data, Options{Denom: k}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
