// Package linfit fits and judges the scorer's regression models: standardised ridge
// regression, kernel ridge regression with a Gaussian kernel (and its dual form, what the
// shipped model evaluates), kernel PCA, k-fold splits, and the rank and linear correlations
// the calibration reports.
package linfit

import (
	"errors"
	"math"
)

// Standardizer maps each feature to zero mean and unit variance over the training set, so
// that one ridge penalty treats features of different units alike.
type Standardizer struct {
	Mean, Scale []float64
}

// FitStandardizer learns the per-feature mean and standard deviation. A constant feature
// gets scale 1, so it contributes nothing rather than dividing by zero.
func FitStandardizer(x [][]float64) Standardizer {
	p := len(x[0])
	s := Standardizer{Mean: make([]float64, p), Scale: make([]float64, p)}
	n := float64(len(x))
	for _, row := range x {
		for j, v := range row {
			s.Mean[j] += v
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= n
	}
	for _, row := range x {
		for j, v := range row {
			d := v - s.Mean[j]
			s.Scale[j] += d * d
		}
	}
	for j := range s.Scale {
		s.Scale[j] = math.Sqrt(s.Scale[j] / n)
		if s.Scale[j] < 1e-12 {
			s.Scale[j] = 1
		}
	}
	return s
}

// Apply standardises one feature vector into dst (allocated when nil).
func (s Standardizer) Apply(dst, v []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(v))
	}
	for j, x := range v {
		dst[j] = (x - s.Mean[j]) / s.Scale[j]
	}
	return dst
}

// Ridge is y ≈ Bias + Σ W_j z_j on standardised features z.
type Ridge struct {
	W    []float64
	Bias float64
}

// Predict scores one standardised vector.
func (r Ridge) Predict(z []float64) float64 {
	s := r.Bias
	for j, w := range r.W {
		s += w * z[j]
	}
	return s
}

// FitRidge solves ridge regression in its dual form, (ZZᵀ + λI)α = y − ȳ, w = Zᵀα: with
// hundreds of photos and thousands of CNN features the n×n system is the small one.
// The rows of z must already be standardised.
func FitRidge(z [][]float64, y []float64, lambda float64) (Ridge, error) {
	n := len(z)
	if n == 0 || n != len(y) {
		return Ridge{}, errors.New("linfit: need as many targets as rows, and at least one")
	}
	p := len(z[0])
	var mean float64
	for _, v := range y {
		mean += v
	}
	mean /= float64(n)
	// Centre z's columns on this subset too, so the bias absorbs the offset exactly.
	colMean := make([]float64, p)
	for _, row := range z {
		for j, v := range row {
			colMean[j] += v
		}
	}
	for j := range colMean {
		colMean[j] /= float64(n)
	}
	zc := make([][]float64, n)
	for i, row := range z {
		zc[i] = make([]float64, p)
		for j, v := range row {
			zc[i][j] = v - colMean[j]
		}
	}
	k := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			var s float64
			a, b := zc[i], zc[j]
			for t := range a {
				s += a[t] * b[t]
			}
			k[i*n+j], k[j*n+i] = s, s
		}
		k[i*n+i] += lambda
	}
	rhs := make([]float64, n)
	for i, v := range y {
		rhs[i] = v - mean
	}
	if err := cholSolve(k, n, rhs); err != nil {
		return Ridge{}, err
	}
	w := make([]float64, p)
	for i, a := range rhs {
		for j, v := range zc[i] {
			w[j] += a * v
		}
	}
	bias := mean
	for j := range w {
		bias -= w[j] * colMean[j]
	}
	return Ridge{W: w, Bias: bias}, nil
}

// cholSolve solves A x = b in place (b becomes x) for symmetric positive definite A.
func cholSolve(a []float64, n int, b []float64) error {
	if err := Cholesky(a, n); err != nil {
		return err
	}
	ForwardSolve(a, n, b)
	BackSolveT(a, n, b)
	return nil
}

// SolveSPD solves A x = b in place (b becomes x, A is overwritten) for symmetric positive
// definite A.
func SolveSPD(a []float64, n int, b []float64) error { return cholSolve(a, n, b) }

// Cholesky factors symmetric positive definite A = L·Lᵀ in place: L fills the lower
// triangle (the upper one is left as it was).
func Cholesky(a []float64, n int) error {
	for j := 0; j < n; j++ {
		d := a[j*n+j]
		for k := 0; k < j; k++ {
			d -= a[j*n+k] * a[j*n+k]
		}
		if d <= 0 {
			return errors.New("linfit: matrix not positive definite (raise lambda)")
		}
		d = math.Sqrt(d)
		a[j*n+j] = d
		for i := j + 1; i < n; i++ {
			s := a[i*n+j]
			for k := 0; k < j; k++ {
				s -= a[i*n+k] * a[j*n+k]
			}
			a[i*n+j] = s / d
		}
	}
	return nil
}

// ForwardSolve solves L y = b in place for the factor Cholesky left in a.
func ForwardSolve(a []float64, n int, b []float64) {
	for i := 0; i < n; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= a[i*n+k] * b[k]
		}
		b[i] = s / a[i*n+i]
	}
}

// BackSolveT solves Lᵀ x = y in place for the factor Cholesky left in a.
func BackSolveT(a []float64, n int, b []float64) {
	for i := n - 1; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < n; k++ {
			s -= a[k*n+i] * b[k]
		}
		b[i] = s / a[i*n+i]
	}
}
