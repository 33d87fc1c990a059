//go:build !amd64 || purego

package mobilenet

// gemmFused has no kernel on this platform: pointwise falls back to matmulAdd.
func gemmFused(a []float32, rows, k int, w []float32, c []float32, m int, relu6 bool) bool {
	return false
}

// dwFusedPrepare reports that depthwise has no fused kernel here.
func dwFusedPrepare(w9 []float32, c int, taps []float32) bool { return false }

func dwFused(o, r0, r1, r2, taps, b []float32, c, s int) {
	panic("mobilenet: no fused depthwise kernel")
}

// addStats reports that tap sums have no kernel here.
func addStats(sum, sq []float64, x []float32) bool { return false }
