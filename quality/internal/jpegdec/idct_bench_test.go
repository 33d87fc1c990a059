package jpegdec

import (
	"math"
	"testing"
)

func BenchmarkIDCT8(b *testing.B) {
	var blk [64]int32
	for i := range blk {
		blk[i] = int32((i*37)%23 - 11)
	}
	dst := make([]byte, 64*8)
	for i := 0; i < b.N; i++ {
		idct8(&blk, dst, 64)
	}
}

// TestReducedMatrixSymmetry guards the even/odd shortcut in idct4/idct2.
func TestReducedMatrixSymmetry(t *testing.T) {
	for _, c := range []struct {
		m *[4][4]int32
		n int
	}{{&red4, 4}, {&red2, 2}} {
		for o := 0; o < c.n; o++ {
			for u := 0; u < c.n; u++ {
				want := c.m[o][u]
				if u%2 == 1 {
					want = -want
				}
				if c.m[c.n-1-o][u] != want {
					t.Fatalf("N=%d: m[%d][%d]=%d, want %d", c.n, c.n-1-o, u, c.m[c.n-1-o][u], want)
				}
			}
			if c.m[o][0] != c.m[0][0] {
				t.Fatal("DC column not constant")
			}
		}
	}
}

// TestIDCT8VsFloat compares the integer 8x8 IDCT with the A.3.3 definition.
func TestIDCT8VsFloat(t *testing.T) {
	rng := uint32(7)
	worst := 0.0
	for it := 0; it < 2000; it++ {
		var blk [64]int32
		for i := range blk {
			rng = rng*1664525 + 1013904223
			if int(rng>>24)%3 == 0 || i == 0 {
				blk[i] = int32(rng>>8)%512 - 256
				if i > 20 {
					blk[i] /= 8
				}
			}
		}
		var dst [64]byte
		idct8(&blk, dst[:], 8)
		for y := 0; y < 8; y++ {
			for x := 0; x < 8; x++ {
				s := 0.0
				for v := 0; v < 8; v++ {
					for u := 0; u < 8; u++ {
						s += cc(u) * cc(v) * float64(blk[v*8+u]) * cosTab[x][u] * cosTab[y][v]
					}
				}
				want := math.Max(0, math.Min(255, s/4+128))
				if d := math.Abs(float64(dst[y*8+x]) - want); d > worst {
					worst = d
				}
			}
		}
	}
	if worst > 1.0 {
		t.Fatalf("max deviation from float IDCT: %.3f", worst)
	}
}
