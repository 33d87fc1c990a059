package linfit

// Gram holds the inner products of every pair of (globally standardised) rows, per feature
// group. Ridge fits on any subset and any group weighting then cost one n×n solve, so the
// nested cross-validation can search penalties and group weights quickly.
type Gram struct {
	N      int
	Groups [][]float64 // Groups[g][i*N+j] = <z_g(i), z_g(j)>
}

// NewGram computes the per-group Gram matrices of z (rows × features), where groups gives
// the [start, end) feature range of each group.
func NewGram(z [][]float64, groups [][2]int) Gram {
	n := len(z)
	g := Gram{N: n, Groups: make([][]float64, len(groups))}
	for k, r := range groups {
		m := make([]float64, n*n)
		for i := 0; i < n; i++ {
			a := z[i][r[0]:r[1]]
			for j := 0; j <= i; j++ {
				b := z[j][r[0]:r[1]]
				var s float64
				for t := range a {
					s += a[t] * b[t]
				}
				m[i*n+j], m[j*n+i] = s, s
			}
		}
		g.Groups[k] = m
	}
	return g
}

// kernel returns Σ_g w_g² K_g at (i, j): scaling a group's features by w_g.
func (g Gram) kernel(i, j int, w []float64) float64 {
	var s float64
	for k, m := range g.Groups {
		s += w[k] * w[k] * m[i*g.N+j]
	}
	return s
}

// KernelFitPredict fits ridge on the rows train (features centred on those rows, as a
// bias term does) and predicts the rows test, without forming any feature vector.
func (g Gram) KernelFitPredict(train []int, y []float64, test []int, lambda float64, w []float64) ([]float64, error) {
	f, err := g.KernelFit(train, y, lambda, w)
	if err != nil {
		return nil, err
	}
	return f.Predict(test), nil
}

// KernelFit is kernel ridge fitted on some rows of a Gram: it predicts any row of it.
type KernelFit struct {
	g       Gram
	w       []float64
	train   []int
	alpha   []float64 // dual coefficients, one per training row
	rowMean []float64 // mean kernel value of each training row over the training rows
	all     float64   // mean of rowMean
	mean    float64   // mean target
}

// KernelFit solves (K̃ + λI)α = y − ȳ on the rows train, K̃ being the group-weighted kernel
// centred on those rows.
func (g Gram) KernelFit(train []int, y []float64, lambda float64, w []float64) (*KernelFit, error) {
	n := len(train)
	k := make([]float64, n*n)
	rowMean := make([]float64, n)
	var all float64
	for a, i := range train {
		for b, j := range train[:a+1] {
			v := g.kernel(i, j, w)
			k[a*n+b], k[b*n+a] = v, v
		}
	}
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			rowMean[a] += k[a*n+b]
		}
	}
	for a := range rowMean {
		rowMean[a] /= float64(n)
		all += rowMean[a]
	}
	all /= float64(n)
	// Centre: K̃ = H K H, the Gram matrix of the features minus their training mean.
	for a := 0; a < n; a++ {
		for b := 0; b < n; b++ {
			k[a*n+b] += all - rowMean[a] - rowMean[b]
		}
		k[a*n+a] += lambda
	}
	var mean float64
	for _, i := range train {
		mean += y[i]
	}
	mean /= float64(n)
	alpha := make([]float64, n)
	for a, i := range train {
		alpha[a] = y[i] - mean
	}
	if err := cholSolve(k, n, alpha); err != nil {
		return nil, err
	}
	return &KernelFit{g: g, w: w, train: train, alpha: alpha, rowMean: rowMean, all: all, mean: mean}, nil
}

// Predict returns the fitted model's prediction for each of the rows.
func (f *KernelFit) Predict(rows []int) []float64 {
	out := make([]float64, len(rows))
	kt := make([]float64, len(f.train))
	for t, i := range rows {
		var tm float64
		for b, j := range f.train {
			kt[b] = f.g.kernel(i, j, f.w)
			tm += kt[b]
		}
		tm /= float64(len(f.train))
		s := f.mean
		for b := range f.train {
			s += f.alpha[b] * (kt[b] - tm - f.rowMean[b] + f.all)
		}
		out[t] = s
	}
	return out
}

// Dual returns the model as prediction(x) = bias + Σ_b alpha[b]·k(x, train[b]), the form a
// deployed model evaluates. Centring makes Σα = 0, so the new row's mean kernel value
// drops out and a constant absorbs the rest.
func (f *KernelFit) Dual() (alpha []float64, bias float64) {
	bias = f.mean
	for b, a := range f.alpha {
		bias -= a * f.rowMean[b]
	}
	return append([]float64(nil), f.alpha...), bias
}

// PrimalWeights turns the dual solution on all rows into one weight per feature, for the
// embedded model: w_j = s_g² Σ_i α_i (z_ij − mean_j), with the bias absorbing the mean.
func PrimalWeights(z [][]float64, y []float64, groups [][2]int, scales []float64, lambda float64) (Ridge, error) {
	zs := make([][]float64, len(z))
	for i, row := range z {
		zs[i] = make([]float64, len(row))
		for k, r := range groups {
			for j := r[0]; j < r[1]; j++ {
				zs[i][j] = row[j] * scales[k]
			}
		}
	}
	r, err := FitRidge(zs, y, lambda)
	if err != nil {
		return Ridge{}, err
	}
	for k, rg := range groups {
		for j := rg[0]; j < rg[1]; j++ {
			r.W[j] *= scales[k]
		}
	}
	return r, nil
}
