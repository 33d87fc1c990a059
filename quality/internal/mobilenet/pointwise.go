package mobilenet

import (
	"math"

	"gonum.org/v1/gonum/blas/gonum"
)

// gonumBLAS is gonum's pure-Go BLAS, whose float32 inner loops are SIMD assembly on amd64:
// the portable path where the fused kernels (gemm_amd64.s) cannot run. Its rank-1 update
// beat the best plain-Go kernel tried (register-blocked 4x4) by 2-4x, since Go's scalar
// float code caps near one multiply-add per cycle; Sgemm was slower still, cutting every
// product into 64x64 blocks and spawning goroutines for large ones.
var gonumBLAS gonum.Implementation

// Strip sizes of the rank-1 form (matmulAdd): gerRows output rows of at most gerCols columns keep
// the block being updated in L1 across all its inputs.
const (
	gerRows = 32
	gerCols = 192
)

// pointwise is a 1x1 convolution: out[p][o] = b[o] + sum_i in[p][i] * w[i][o] for the
// p positions, plus ReLU6, plus the residual already in out for a block's projection.
func pointwise(l *layer, in []float32, p int, out []float32, st *tapStats) {
	k, m := l.cin, l.cout
	for p0 := 0; p0 < p; p0 += stripPixels {
		rows := min(stripPixels, p-p0)
		product(l, in[p0*k:(p0+rows)*k], rows, k, out[p0*m:(p0+rows)*m], st)
	}
}

// product is a strip of a matrix-product layer (a pointwise layer, or the first layer on its
// patches): c = bias (+ the residual already in c) + a (rows x k) times the weights (k x
// cout), then ReLU6, then the strip's tap statistics.
func product(l *layer, a []float32, rows, k int, c []float32, st *tapStats) {
	m := l.cout
	initBias(c, l.b, l.residual)
	if !gemmFused(a, rows, k, l.w, c, m, l.relu6) {
		matmulAdd(a, rows, k, l.w, c, m)
		if l.relu6 {
			relu6(c)
		}
	}
	if st != nil {
		st.add(c)
	}
}

// initBias sets every row of c to the bias, or adds the bias to a residual already there.
//
//go:noinline
func initBias(c, b []float32, add bool) {
	m := len(b)
	for len(c) >= m {
		row := c[:m]
		if add {
			for i, v := range b[:len(row)] {
				row[i] += v
			}
		} else {
			copy(row, b)
		}
		c = c[m:]
	}
}

// matmulAdd adds a (rows x k) times w (k x m) to c (rows x m) where gemmFused cannot: a
// sum of rank-1 updates, c += a[:, i] * w[i, :] for each input channel i, on blocks of
// gerRows x gerCols; gonum's kernel loads each weight row once per four output rows.
func matmulAdd(a []float32, rows, k int, w []float32, c []float32, m int) {
	for r := 0; r < rows; r += gerRows {
		n := min(gerRows, rows-r)
		for j := 0; j < m; j += gerCols {
			cols := min(gerCols, m-j)
			for i := 0; i < k; i++ {
				gonumBLAS.Sger(n, cols, 1, a[r*k+i:], k, w[i*m+j:], 1, c[r*m+j:], m)
			}
		}
	}
}

// relu6 clamps to [0, 6] in place (see clamp6). It is kept out of line, as is
// initBias, so that its loop has the registers to itself: about 1 ms less per
// 224x224 image than when inlined into pointwise.
//
//go:noinline
func relu6(x []float32) {
	for i, v := range x {
		x[i] = clamp6(v)
	}
}

const sixBits = 0x40c00000 // math.Float32bits(6)

// clamp6 works on the bits: clearing a negative float gives +0 and, for non-negative
// floats, integer order is float order, so the upper clamp is an integer compare that
// compiles to a conditional move. This runs about twice as fast as min(max(v, 0), 6),
// whose float min/max carry NaN and signed-zero handling, and never mispredicts a
// branch on the sign of an activation. A NaN becomes 6 or 0 depending on its sign bit.
func clamp6(v float32) float32 {
	u := math.Float32bits(v)
	u &^= uint32(int32(u) >> 31)
	if u > sixBits {
		u = sixBits
	}
	return math.Float32frombits(u)
}
