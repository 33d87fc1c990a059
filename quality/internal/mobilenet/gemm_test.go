package mobilenet

import (
	"math"
	"testing"
)

// TestGemmFusedMatchesReference checks the fused kernels, where this machine has them,
// against a float64 product on every shape class they split work into: rows that are and
// are not a multiple of four, 8 and 16 column blocks, one input channel and many.
func TestGemmFusedMatchesReference(t *testing.T) {
	if !gemmFused(make([]float32, 1), 1, 1, make([]float32, 8), make([]float32, 8), 8, false) {
		t.Skip("no fused kernel on this machine")
	}
	seed := uint32(1)
	rnd := func() float32 { seed = seed*1664525 + 1013904223; return float32(seed>>8)/(1<<24)*4 - 2 }
	for _, rows := range []int{1, 3, 4, 6, 7, 8, 9, 11, 13, 14} {
		for _, m := range []int{8, 16, 24, 40, 72} {
			for _, k := range []int{1, 5, 37} {
				for _, clamp := range []bool{false, true} {
					a, w, c := make([]float32, rows*k), make([]float32, k*m), make([]float32, rows*m)
					for _, s := range [][]float32{a, w, c} {
						for i := range s {
							s[i] = rnd()
						}
					}
					want := make([]float64, len(c))
					for r := range rows {
						for j := range m {
							s := float64(c[r*m+j])
							for i := range k {
								s += float64(a[r*k+i]) * float64(w[i*m+j])
							}
							if clamp {
								s = min(max(s, 0), 6)
							}
							want[r*m+j] = s
						}
					}
					gemmFused(a, rows, k, w, c, m, clamp)
					for i, v := range c {
						if d := math.Abs(float64(v) - want[i]); d > 1e-5*float64(k+1) {
							t.Fatalf("rows %d m %d k %d relu6 %v: out[%d] = %g, want %g", rows, m, k, clamp, i, v, want[i])
						}
					}
				}
			}
		}
	}
}

// TestGemmFusedDeclinesWhatItCannotRun: a column count that is not a multiple of eight goes
// to the portable path, untouched.
func TestGemmFusedDeclinesWhatItCannotRun(t *testing.T) {
	c := []float32{1, 2, 3, 4, 5, 6}
	if gemmFused(make([]float32, 2), 1, 2, make([]float32, 12), c, 6, false) {
		t.Fatal("gemmFused ran on 6 columns")
	}
	if c[0] != 1 || c[5] != 6 {
		t.Fatalf("output changed: %v", c)
	}
}

// TestDepthwiseFusedMatchesPortable runs depthwise layers of several widths, channel counts
// and both strides through the fused kernel and through the portable code (no scratch for
// the tap-major weights), which must agree to float32 rounding.
func TestDepthwiseFusedMatchesPortable(t *testing.T) {
	if !dwFusedPrepare(make([]float32, 72), 8, make([]float32, 72)) {
		t.Skip("no fused kernel on this machine")
	}
	seed := uint32(7)
	rnd := func() float32 { seed = seed*1664525 + 1013904223; return float32(seed>>8)/(1<<24)*2 - 0.5 }
	for _, c := range []int{8, 16, 24} {
		for _, s := range []int{1, 2} {
			for _, hw := range [][2]int{{3, 3}, {4, 5}, {6, 9}, {7, 12}} {
				h, w := hw[0], hw[1]
				l := &layer{kind: 0, stride: s, relu6: true, cin: c, cout: c, w: make([]float32, 9*c), b: make([]float32, c)}
				for _, a := range [][]float32{l.w, l.b} {
					for i := range a {
						a[i] = rnd()
					}
				}
				in := make([]float32, h*w*c)
				for i := range in {
					in[i] = rnd() * 6
				}
				oh, ow := outSize(h, s), outSize(w, s)
				zero, pad := make([]float32, (w+2)*c), make([]float32, 3*(w+2)*c)
				fused, portable := make([]float32, oh*ow*c), make([]float32, oh*ow*c)
				depthwise(l, in, h, w, fused, oh, ow, zero, pad, make([]float32, 9*c), nil)
				depthwise(l, in, h, w, portable, oh, ow, zero, pad, nil, nil)
				for i := range fused {
					if d := math.Abs(float64(fused[i] - portable[i])); d > 1e-5 {
						t.Fatalf("c %d stride %d %dx%d: out[%d] fused %g, portable %g", c, s, w, h, i, fused[i], portable[i])
					}
				}
			}
		}
	}
}

// TestStreamingMatchesLayerByLayer: the row-by-row pass (stream, what Taps runs) computes
// every output as the layer-by-layer pass (forward, which tests inspect layer by layer) does,
// so the taps are identical to the last bit, at odd sizes and both aspect ratios.
func TestStreamingMatchesLayerByLayer(t *testing.T) {
	n, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, hw := range [][2]int{{32, 32}, {33, 47}, {61, 40}, {240, 320}} {
		h, w := hw[0], hw[1]
		img := patternImage("texture", h, w)
		want := make([]float32, NumTaps)
		n.forward(n.getWorkspace(h, w), img, h, w, want, nil)
		got := make([]float32, NumTaps)
		if err := n.TapsInto(got, img, h, w); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%dx%d: tap %d streamed %g, layer by layer %g", w, h, i, got[i], want[i])
			}
		}
	}
}

// TestStatsKernelIsExact: the vector tap sums are bit for bit the scalar ones, so the
// features, and the model fitted on them, do not depend on which ran.
func TestStatsKernelIsExact(t *testing.T) {
	seed := uint32(3)
	x := make([]float32, 576)
	for i := range x {
		seed = seed*1664525 + 1013904223
		x[i] = float32(seed>>8) / (1 << 24) * 6.1
	}
	sum, sq := make([]float64, len(x)), make([]float64, len(x))
	wantSum, wantSq := make([]float64, len(x)), make([]float64, len(x))
	for range 3 {
		if !addStats(sum, sq, x) {
			t.Skip("no vector kernel on this machine")
		}
		for k, v := range x {
			f := float64(v)
			wantSum[k] += f
			wantSq[k] += f * f
		}
	}
	for k := range x {
		if math.Float64bits(sum[k]) != math.Float64bits(wantSum[k]) || math.Float64bits(sq[k]) != math.Float64bits(wantSq[k]) {
			t.Fatalf("channel %d: %v %v, want %v %v", k, sum[k], sq[k], wantSum[k], wantSq[k])
		}
	}
}
