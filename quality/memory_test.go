package quality

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// pngWithRows writes a PNG whose every scanline (filter byte included) is row, without
// ever holding the inflated image: how a bomb is made.
func pngWithRows(w, h, depth, ctype int, row []byte) []byte {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	for range h {
		zw.Write(row)
	}
	zw.Close()
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = byte(depth), byte(ctype)
	return pngChunks(ihdr, z.Bytes())
}

func pngChunks(ihdr, idat []byte) []byte {
	var out bytes.Buffer
	out.Write(pngSignature)
	chunk := func(typ string, body []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(body)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(body)
		out.WriteString(typ)
		out.Write(body)
		binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	chunk("IHDR", ihdr)
	if idat != nil {
		chunk("IDAT", idat)
	}
	chunk("IEND", nil)
	return out.Bytes()
}

// zeroBomb is the 7000x7000 16-bit RGBA all-zero PNG: about 380 KB that inflate to 392 MB.
func zeroBomb() []byte {
	const side = 7000
	return pngWithRows(side, side, 16, 6, make([]byte, 1+side*8))
}

// peakHeap runs fn and reports the most heap it held above what was live before.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > base && v-base > peak {
				peak = v - base
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
	fn()
	close(stop)
	wg.Wait()
	return peak
}

// The PNG bomb of issue 14 (779 MB through image/png) is scored within tens of MB.
func TestPNGBombMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates 392 MB")
	}
	bomb := zeroBomb()
	var err error
	peak := peakHeap(func() { _, err = Assess(bomb) })
	if err != nil {
		t.Fatalf("the bomb is a valid image: %v", err)
	}
	t.Logf("%d-byte 7000x7000 16-bit RGBA PNG: peak heap %.1f MB", len(bomb), float64(peak)/(1<<20))
	if peak > 64<<20 {
		t.Errorf("peak heap %.0f MB scoring a %d-byte PNG; want under 64 MB", float64(peak)/(1<<20), len(bomb))
	}
}

// BenchmarkPNGBomb reports time and peak heap for one 7000x7000 16-bit all-zero PNG.
func BenchmarkPNGBomb(b *testing.B) {
	bomb := zeroBomb()
	var worst uint64
	for b.Loop() {
		worst = max(worst, peakHeap(func() {
			if _, err := Assess(bomb); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(worst)/(1<<20), "peak-heap-MB")
}

func TestErrorCodesOfIssue14(t *testing.T) {
	ihdr := func(w, h uint32, depth, ctype byte) []byte {
		b := make([]byte, 13)
		binary.BigEndian.PutUint32(b, w)
		binary.BigEndian.PutUint32(b[4:], h)
		b[8], b[9] = depth, ctype
		return b
	}
	t.Run("2^31-1 square is too large", func(t *testing.T) {
		wantCode(t, pngChunks(ihdr(1<<31-1, 1<<31-1, 8, 2), []byte{0x78, 0x9c}), CodeTooManyPixels)
	})
	t.Run("PNG cut at 372 bytes is truncated", func(t *testing.T) {
		full := scenePNG(3, 640, 480) // big enough that 372 bytes look like a bomb, not a cut
		if len(full) <= 372 {
			t.Fatalf("test image only %d bytes", len(full))
		}
		wantCode(t, full[:372], CodeTruncated)
	})
	t.Run("bare FF D8 is truncated", func(t *testing.T) { wantCode(t, []byte{0xFF, 0xD8}, CodeTruncated) })
	t.Run("bit depth 7 is corrupt", func(t *testing.T) {
		wantCode(t, pngChunks(ihdr(16, 16, 7, 2), []byte{0x78, 0x9c}), CodeCorrupt)
	})
}
