package mobilenet

import (
	"math"

	"gonum.org/v1/gonum/blas/gonum"
)

// gonumBLAS is gonum's pure-Go BLAS, whose float32 inner loops are SIMD assembly on amd64.
// On the layer shapes here its kernels run 2-4x faster than the best plain-Go kernel
// tried (register-blocked 4x4), which Go's scalar float code caps near one
// multiply-add per cycle. Calls go to its Level 1 and 2 kernels (dot product, rank-1
// update) rather than Sgemm: Sgemm cuts every product into 64x64 blocks, so its inner
// loops are short, and it spawns goroutines for large products.
var gonumBLAS gonum.Implementation

// Strip sizes of the rank-1 form: gerRows output rows of at most gerCols columns keep
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
		a := in[p0*k : (p0+rows)*k]
		c := out[p0*m : (p0+rows)*m]
		initBias(c, l.b, l.residual)
		matmulAdd(a, rows, k, l.w, l.transposed, c, m)
		if l.relu6 {
			relu6(c)
		}
		if st != nil {
			st.add(c)
		}
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

// matmulAdd adds a (rows x k) times w (k x m, or m x k when transposed) to c (rows x m).
//
// Plain weights: a sum of rank-1 updates, c += a[:, i] * w[i, :] for each input
// channel i, on blocks of gerRows x gerCols; gonum's kernel loads each weight row once
// per four output rows. Transposed weights: every output is the dot product of an
// input row and a weight row, both contiguous. Measured per layer (GMAC/s, rank-1 vs
// dot): projections 96->24 8.2 vs 8.9, 192->32 8.7 vs 11.0, 576->96 9.7 vs 13.2; but
// 32->16 7.2 vs 4.5 and expansions such as 64->384 10.2 vs 7.8. Hence the weight file
// stores transposed the weights of layers with more than 64 inputs and fewer outputs than
// inputs (weightfile.RunTransposed).
func matmulAdd(a []float32, rows, k int, w []float32, transposed bool, c []float32, m int) {
	if transposed {
		// gonum's dot kernel sums in an order that depends on the 16-byte alignment
		// of its second operand. That is the weight row, which never moves (the
		// embedded file, or one heap copy: Go's heap does not compact), and the file aligns
		// every array to 64 bytes, so results stay bit-for-bit repeatable.
		for r := 0; r < rows; r++ {
			x := a[r*k : (r+1)*k]
			out := c[r*m : (r+1)*m]
			for j := range out {
				out[j] += gonumBLAS.Sdot(k, x, 1, w[j*k:(j+1)*k], 1)
			}
		}
		return
	}
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
