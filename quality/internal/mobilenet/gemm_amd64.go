//go:build amd64 && !purego

package mobilenet

import "golang.org/x/sys/cpu"

// haveFMA says the AVX2+FMA kernels of gemm_amd64.s can run: every x86-64 since 2013-2015
// (Haswell, Excavator). They keep 4x16 outputs in registers and stream the input channels
// once, about three times the rank-1 form's speed on the layers here.
var haveFMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func gemm6x16(a *float32, lda int, w *float32, ldw int, c *float32, ldc int, k int, relu6 bool)

//go:noescape
func gemm4x16(a *float32, lda int, w *float32, ldw int, c *float32, ldc int, k int, relu6 bool)

//go:noescape
func gemm4x8(a *float32, lda int, w *float32, ldw int, c *float32, ldc int, k int, relu6 bool)

//go:noescape
func gemm1x32(a *float32, w *float32, ldw int, c *float32, k int, relu6 bool)

//go:noescape
func gemm1x8(a *float32, w *float32, ldw int, c *float32, k int, relu6 bool)

// gemmFused adds a (rows x k) times w (k x m) to c (rows x m) and, with relu6, clamps the
// result to [0, 6], in one pass: each output is accumulated over the input channels in
// order with fused multiply-adds, starting from the value in c. It reports false, doing
// nothing, where the kernels cannot run (no AVX2/FMA, or m not a multiple of 8).
func gemmFused(a []float32, rows, k int, w []float32, c []float32, m int, relu6 bool) bool {
	if !haveFMA || m%8 != 0 || k < 1 || rows < 1 {
		return false
	}
	// The kernels index raw memory: check once that every row they touch exists.
	_, _, _ = a[rows*k-1], w[k*m-1], c[rows*m-1]
	// Six-row blocks, except that two rows left over become a second four-row block: the
	// one-row kernels are the slowest, and rows here are mostly even.
	sixes := rows / 6
	if rows%6 == 2 && sixes > 0 {
		sixes--
	}
	r := 0
	for ; r < 6*sixes; r += 6 {
		ar, cr := &a[r*k], r*m
		j := 0
		for ; j+16 <= m; j += 16 {
			gemm6x16(ar, k, &w[j], m, &c[cr+j], m, k, relu6)
		}
		if j < m { // eight columns left: four rows, then two
			gemm4x8(ar, k, &w[j], m, &c[cr+j], m, k, relu6)
			gemm1x8(&a[(r+4)*k], &w[j], m, &c[cr+4*m+j], k, relu6)
			gemm1x8(&a[(r+5)*k], &w[j], m, &c[cr+5*m+j], k, relu6)
		}
	}
	for ; r+4 <= rows; r += 4 {
		ar, cr := &a[r*k], r*m
		j := 0
		for ; j+16 <= m; j += 16 {
			gemm4x16(ar, k, &w[j], m, &c[cr+j], m, k, relu6)
		}
		if j < m {
			gemm4x8(ar, k, &w[j], m, &c[cr+j], m, k, relu6)
		}
	}
	for ; r < rows; r++ {
		j := 0
		for ; j+32 <= m; j += 32 {
			gemm1x32(&a[r*k], &w[j], m, &c[r*m+j], k, relu6)
		}
		for ; j < m; j += 8 {
			gemm1x8(&a[r*k], &w[j], m, &c[r*m+j], k, relu6)
		}
	}
	return true
}

//go:noescape
func dwRow(o, r0, r1, r2, wt, b *float32, c, n, step int)

// dwFusedPrepare writes the depthwise weights w9 ([c][9]) into taps as [9][c], the order
// dwRow loads eight channels of one tap from, and reports whether dwFused can run.
func dwFusedPrepare(w9 []float32, c int, taps []float32) bool {
	if !haveFMA || c%8 != 0 || c < 8 || len(taps) < 9*c {
		return false
	}
	taps = taps[:9*c]
	for i := range c {
		k := w9[i*9 : i*9+9]
		for t, v := range k {
			taps[t*c+i] = v
		}
	}
	return true
}

// dwFused computes len(o)/c adjacent output positions of a depthwise layer at stride s; r0..r2
// start at the first window's left column, taps is [9][c] (dwFusedPrepare). Outputs are
// bias plus the window, row by row, with ReLU6.
func dwFused(o, r0, r1, r2, taps, b []float32, c, s int) {
	n := len(o) / c
	// dwRow reads raw memory: check that the last window is inside every row.
	last := ((n-1)*s+3)*c - 1
	_, _, _, _, _ = r0[last], r1[last], r2[last], taps[9*c-1], b[c-1]
	dwRow(&o[0], &r0[0], &r1[0], &r2[0], &taps[0], &b[0], c, n, s*c)
}

//go:noescape
func statsAdd(sum, sq *float64, x *float32, n int)

// addStats adds one row of c = len(x) channels to the tap sums (see tapStats.add) with
// statsAdd, and reports false where it cannot run.
func addStats(sum, sq []float64, x []float32) bool {
	n := len(x)
	if !haveFMA || n%4 != 0 || n == 0 {
		return false
	}
	_, _ = sum[n-1], sq[n-1]
	statsAdd(&sum[0], &sq[0], &x[0], n)
	return true
}
