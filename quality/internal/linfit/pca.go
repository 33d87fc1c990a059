package linfit

import (
	"errors"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// PCA is the principal-component view of a set of rows, found from their Gram matrix (an
// n×n eigenproblem: with a few hundred photos and thousands of features that is the small
// side).
type PCA struct {
	// Coords[i] are row i's coordinates on the top components.
	Coords [][]float64
	// Coef[i][e] weighs row i's centred features in component e's direction:
	// direction_e = Σ_i Coef[i][e]·(z_i − z̄), a unit vector.
	Coef [][]float64
	// Kept is the share of the total variance the components hold.
	Kept float64
}

// KernelPCA keeps the k largest principal components of the rows whose inner products
// gram holds (n×n, row-major).
func KernelPCA(gram []float64, n, k int) (PCA, error) {
	if k < 1 || k > n || len(gram) != n*n {
		return PCA{}, errors.New("linfit: PCA needs 1 <= k <= n and an n×n Gram matrix")
	}
	c := centre(gram, n)
	var eig mat.EigenSym
	if !eig.Factorize(mat.NewSymDense(n, c), true) {
		return PCA{}, errors.New("linfit: eigendecomposition did not converge")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return vals[order[a]] > vals[order[b]] })
	var total, kept float64
	for r, e := range order {
		total += max(vals[e], 0)
		if r < k {
			kept += max(vals[e], 0)
		}
	}
	p := PCA{Coords: make([][]float64, n), Coef: make([][]float64, n)}
	if total > 0 {
		p.Kept = kept / total
	}
	for i := 0; i < n; i++ {
		p.Coords[i] = make([]float64, k)
		p.Coef[i] = make([]float64, k)
		for r, e := range order[:k] {
			l := max(vals[e], 0)
			u := vecs.At(i, e)
			p.Coords[i][r] = u * math.Sqrt(l)
			if l > 0 {
				p.Coef[i][r] = u / math.Sqrt(l)
			}
		}
	}
	return p, nil
}

// centre returns H·G·H: the Gram matrix of the rows minus their mean.
func centre(g []float64, n int) []float64 {
	rowMean := make([]float64, n)
	var all float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			rowMean[i] += g[i*n+j]
		}
		rowMean[i] /= float64(n)
		all += rowMean[i]
	}
	all /= float64(n)
	c := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			c[i*n+j] = g[i*n+j] - rowMean[i] - rowMean[j] + all
		}
	}
	return c
}

// SquaredDistances returns the n×n matrix of squared distances between the points, and
// their median over distinct pairs (the usual yardstick for an RBF kernel's width).
func SquaredDistances(points [][]float64) (d2 []float64, median float64) {
	n := len(points)
	d2 = make([]float64, n*n)
	pairs := make([]float64, 0, n*(n-1)/2)
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			v := SquaredDistance(points[i], points[j])
			d2[i*n+j], d2[j*n+i] = v, v
			pairs = append(pairs, v)
		}
	}
	if len(pairs) > 0 {
		sort.Float64s(pairs)
		median = pairs[len(pairs)/2]
	}
	return d2, median
}

// SquaredDistance is ‖a − b‖².
func SquaredDistance(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

// RBF turns squared distances into the Gaussian kernel exp(−d²/width).
func RBF(d2 []float64, width float64) []float64 {
	k := make([]float64, len(d2))
	for i, v := range d2 {
		k[i] = math.Exp(-v / width)
	}
	return k
}
