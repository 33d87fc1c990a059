package main

import (
	"fmt"
	"math"

	"lightbox/quality"
	"lightbox/quality/internal/linfit"
)

// The kernel model: ridge regression with k(a, b) = exp(−‖P·a − P·b‖²/width) + linear·⟨a, b⟩
// on the group-weighted standardised features, P projecting on the photos' top principal
// components. The Gaussian part lets a photo be judged by the rated photos it resembles,
// which a linear read-out of pooled activations cannot do; the linear part carries the
// trend to photos unlike any rated one, where the Gaussian part fades.
//
// Tried and set aside: the linear model first and the Gaussian kernel on its residuals.
// Unfamiliar pictures then keep the linear model's full spread, but it ranks CLIVE at
// SROCC 0.748 against 0.76 for the joint fit.

// rbfSetting is one way of measuring the distance between photos.
type rbfSetting struct {
	groupWeights []float64 // per feature group, on the standardised features
	widthScale   float64   // the kernel width, in medians of the squared distance
	width        float64
	pca          linfit.PCA
	rbfGroup     int // this setting's Gaussian kernel among the Gram's groups
	linGroup     int // the matching linear kernel
}

var (
	rbfGroupWeights = map[string][]float64{"tech": {1, 2, 4}}
	rbfWidths       = []float64{0.5, 1, 2}
	rbfLambdas      = []float64{0.03, 0.1, 0.3, 1}
	// The linear part's own penalty (λ over its share in the kernel): the values the
	// linear model alone is fitted with, and below them, so that it keeps its strength
	// rather than ceding the whole trend to the Gaussian part.
	rbfLinearLambdas = []float64{100, 300, 1000}
)

// rbfSpace builds the Gram matrices of every setting and the grid the nested
// cross-validation searches. The principal components come from every photo's features
// and no rating, like the standardisation.
func rbfSpace(base linfit.Gram, groups []string, components int) (linfit.Gram, []hyper, error) {
	n := base.N
	g := linfit.Gram{N: n}
	var grid []hyper
	for _, weights := range groupWeightCombos(groups) {
		lin := make([]float64, n*n)
		for gi, m := range base.Groups {
			w2 := weights[gi] * weights[gi]
			for i, v := range m {
				lin[i] += w2 * v
			}
		}
		pca, err := linfit.KernelPCA(lin, n, components)
		if err != nil {
			return linfit.Gram{}, nil, err
		}
		d2, median := linfit.SquaredDistances(pca.Coords)
		g.Groups = append(g.Groups, lin)
		linGroup := len(g.Groups) - 1
		for _, ws := range rbfWidths {
			s := &rbfSetting{groupWeights: weights, widthScale: ws, width: ws * median, pca: pca, linGroup: linGroup}
			g.Groups = append(g.Groups, linfit.RBF(d2, s.width))
			s.rbfGroup = len(g.Groups) - 1
			for _, l := range rbfLambdas {
				for _, ll := range rbfLinearLambdas {
					grid = append(grid, hyper{lambda: l, rbf: s, linear: l / ll})
				}
			}
		}
	}
	for i := range grid {
		sc := make([]float64, len(g.Groups))
		sc[grid[i].rbf.rbfGroup] = 1
		sc[grid[i].rbf.linGroup] = math.Sqrt(grid[i].linear)
		grid[i].scales = sc
	}
	return g, grid, nil
}

func groupWeightCombos(groups []string) [][]float64 {
	out := [][]float64{nil}
	for _, g := range groups {
		ws := rbfGroupWeights[g]
		if ws == nil {
			ws = []float64{1}
		}
		var next [][]float64
		for _, prefix := range out {
			for _, w := range ws {
				next = append(next, append(append([]float64(nil), prefix...), w))
			}
		}
		out = next
	}
	return out
}

// regressionFitter fits the chosen setting on some photos and writes the result into a
// model in the form quality evaluates: linear weights on the standardised features, and for
// the kernel model the kernel term.
type regressionFitter struct {
	space  linfit.Gram
	z      [][]float64
	y      []float64
	ranges [][2]int
	kernel string
	bases  map[*rbfSetting][]float32 // projection of each distance setting, computed once
}

// into fits on rows and returns the fit's own predictions for them (for checkDeployed).
func (f *regressionFitter) into(m *quality.ClarityModel, rows []int, h hyper) ([]float64, error) {
	if f.kernel != "rbf" {
		zs := make([][]float64, len(rows))
		ys := make([]float64, len(rows))
		for i, r := range rows {
			zs[i], ys[i] = f.z[r], f.y[r]
		}
		r, err := linfit.PrimalWeights(zs, ys, f.ranges, h.scales, h.lambda)
		if err != nil {
			return nil, err
		}
		m.Weights, m.Bias, m.Kernel = r.W, r.Bias, nil
		out := make([]float64, len(rows))
		for i, z := range zs {
			out[i] = r.Predict(z)
		}
		return out, nil
	}
	fit, err := f.space.KernelFit(rows, f.y, h.lambda, h.scales)
	if err != nil {
		return nil, err
	}
	alpha, bias := fit.Dual()
	s := h.rbf
	p := len(f.z[0])
	weightOf := f.weightOf(s)
	// Linear part: the kernel linear·Σ w_g² ⟨z_g(a), z_g(b)⟩ is the primal
	// w_j = linear·w_g²·Σ_b α_b z_bj (Σα = 0, so the features' mean drops out).
	m.Weights = make([]float64, p)
	for b, a := range alpha {
		for j, v := range f.z[rows[b]] {
			m.Weights[j] += a * v
		}
	}
	for j := range m.Weights {
		m.Weights[j] *= h.linear * weightOf[j] * weightOf[j]
	}
	m.Bias = bias
	comps := len(s.pca.Coords[0])
	centres := make([]float32, 0, len(rows)*comps)
	for _, r := range rows {
		for _, v := range s.pca.Coords[r] {
			centres = append(centres, float32(v))
		}
	}
	m.Kernel = &quality.KernelTerm{Components: comps, Width: s.width, Alpha: alpha, Basis: f.basis(s), Centres: centres}
	return fit.Predict(rows), nil
}

func (f *regressionFitter) weightOf(s *rbfSetting) []float64 {
	w := make([]float64, len(f.z[0])) // each feature's group weight
	for gi, r := range f.ranges {
		for j := r[0]; j < r[1]; j++ {
			w[j] = s.groupWeights[gi]
		}
	}
	return w
}

// basis is the projection on the principal components for a distance setting: component
// e's direction on the weighted features is Σ_i Coef[i][e]·w∘z_i; on the plain standardised
// features it picks up the group weight once more. It uses every photo's features and no
// rating, so every fold shares it.
func (f *regressionFitter) basis(s *rbfSetting) []float32 {
	if b, ok := f.bases[s]; ok {
		return b
	}
	p := len(f.z[0])
	weightOf := f.weightOf(s)
	comps := len(s.pca.Coords[0])
	basis := make([]float32, comps*p)
	row := make([]float64, p)
	for e := 0; e < comps; e++ {
		clear(row)
		for i, zi := range f.z {
			c := s.pca.Coef[i][e]
			for j, v := range zi {
				row[j] += c * v
			}
		}
		for j, v := range row {
			basis[e*p+j] = float32(v * weightOf[j] * weightOf[j])
		}
	}
	if f.bases == nil {
		f.bases = map[*rbfSetting][]float32{}
	}
	f.bases[s] = basis
	return basis
}

// arraysFile is the name quality embeds the model's arrays under, beside the model JSON.
const arraysFile = "clarity_model.bin"

// checkDeployed compares the deployed form's output with the fit's own predictions: the
// float32 arrays and the folded algebra must not change what the model says.
func checkDeployed(m *quality.ClarityModel, samples []sample, fitted []float64) error {
	var worst float64
	for i, s := range samples {
		worst = max(worst, math.Abs(m.Raw(s.M)-fitted[i]))
	}
	fmt.Printf("deployed model reproduces the fit within %.2g (rating points)\n", worst)
	if worst > 0.01 {
		return fmt.Errorf("deployed model differs from the fit by %g", worst)
	}
	return nil
}
