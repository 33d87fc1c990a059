package linfit

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestRidgeRecoversLinearModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n, p := 200, 5
	truth := []float64{3, -2, 0, 1, 0.5}
	x := make([][]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i] = make([]float64, p)
		y[i] = 10
		for j := range x[i] {
			x[i][j] = rng.NormFloat64()
			y[i] += truth[j] * x[i][j]
		}
	}
	s := FitStandardizer(x)
	z := make([][]float64, n)
	for i := range x {
		z[i] = s.Apply(nil, x[i])
	}
	r, err := FitRidge(z, y, 1e-6)
	if err != nil {
		t.Fatal(err)
	}
	for i := range x {
		if d := math.Abs(r.Predict(z[i]) - y[i]); d > 1e-3 {
			t.Fatalf("row %d: prediction off by %g", i, d)
		}
	}
}

func TestSpearmanHandlesTiesAndOrder(t *testing.T) {
	if got := Spearman([]float64{1, 2, 3, 4}, []float64{10, 20, 30, 40}); math.Abs(got-1) > 1e-12 {
		t.Fatalf("perfect order: %g", got)
	}
	if got := Spearman([]float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}); math.Abs(got+1) > 1e-12 {
		t.Fatalf("reversed order: %g", got)
	}
	r := Ranks([]float64{5, 1, 5, 3})
	want := []float64{3.5, 1, 3.5, 2}
	for i := range r {
		if r[i] != want[i] {
			t.Fatalf("ranks %v, want %v", r, want)
		}
	}
}

func TestFoldsPartitionAndRepeat(t *testing.T) {
	a, b := Folds(23, 5, 7), Folds(23, 5, 7)
	seen := map[int]bool{}
	for f := range a {
		for i, v := range a[f] {
			if b[f][i] != v {
				t.Fatal("same seed, different folds")
			}
			if seen[v] {
				t.Fatalf("index %d in two folds", v)
			}
			seen[v] = true
		}
	}
	if len(seen) != 23 {
		t.Fatalf("%d indices dealt, want 23", len(seen))
	}
}

func TestKernelRidgeMatchesPrimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n, p := 60, 12
	z := make([][]float64, n)
	y := make([]float64, n)
	for i := range z {
		z[i] = make([]float64, p)
		for j := range z[i] {
			z[i][j] = rng.NormFloat64() + 0.3
		}
		y[i] = 2*z[i][0] - z[i][7] + 0.1*rng.NormFloat64() + 5
	}
	groups := [][2]int{{0, 5}, {5, 12}}
	scales := []float64{2, 0.5}
	g := NewGram(z, groups)
	train, test := make([]int, 0, 45), make([]int, 0, 15)
	for i := 0; i < n; i++ {
		if i%4 == 0 {
			test = append(test, i)
		} else {
			train = append(train, i)
		}
	}
	got, err := g.KernelFitPredict(train, y, test, 3, scales)
	if err != nil {
		t.Fatal(err)
	}
	r, err := PrimalWeights(pick(z, train), pickY(y, train), groups, scales, 3)
	if err != nil {
		t.Fatal(err)
	}
	for k, i := range test {
		if d := math.Abs(got[k] - r.Predict(z[i])); d > 1e-8 {
			t.Fatalf("test row %d: kernel %g vs primal %g", i, got[k], r.Predict(z[i]))
		}
	}
}

func pick(x [][]float64, idx []int) [][]float64 {
	out := make([][]float64, len(idx))
	for i, j := range idx {
		out[i] = x[j]
	}
	return out
}

func pickY(y []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for i, j := range idx {
		out[i] = y[j]
	}
	return out
}

func TestKernelPCAKeepsDistancesAndDirections(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n, p := 30, 8
	z := make([][]float64, n)
	for i := range z {
		z[i] = make([]float64, p)
		for j := range z[i] {
			z[i][j] = rng.NormFloat64() * float64(j+1)
		}
	}
	g := NewGram(z, [][2]int{{0, p}})
	pca, err := KernelPCA(g.Groups[0], n, p)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(pca.Kept-1) > 1e-9 {
		t.Fatalf("all %d components keep %g of the variance, want 1", p, pca.Kept)
	}
	// With every component kept, distances are the features' own.
	for i := 0; i < n; i++ {
		for j := 0; j < i; j++ {
			if d := SquaredDistance(pca.Coords[i], pca.Coords[j]) - SquaredDistance(z[i], z[j]); math.Abs(d) > 1e-8 {
				t.Fatalf("rows %d,%d: distance off by %g", i, j, d)
			}
		}
	}
	// Coef builds unit directions that project each row onto its coordinates.
	mean := make([]float64, p)
	for _, row := range z {
		for j, v := range row {
			mean[j] += v / float64(n)
		}
	}
	for e := 0; e < 3; e++ {
		dir := make([]float64, p)
		for i, row := range z {
			for j, v := range row {
				dir[j] += pca.Coef[i][e] * (v - mean[j])
			}
		}
		var norm float64
		for _, v := range dir {
			norm += v * v
		}
		if math.Abs(norm-1) > 1e-8 {
			t.Fatalf("direction %d has squared norm %g", e, norm)
		}
		for i, row := range z {
			var proj float64
			for j, v := range row {
				proj += dir[j] * (v - mean[j])
			}
			if math.Abs(proj-pca.Coords[i][e]) > 1e-8 {
				t.Fatalf("row %d on component %d: %g vs %g", i, e, proj, pca.Coords[i][e])
			}
		}
	}
}

func TestKernelFitDualMatchesPredict(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := 40
	pts := make([][]float64, n)
	y := make([]float64, n)
	for i := range pts {
		pts[i] = []float64{rng.NormFloat64(), rng.NormFloat64()}
		y[i] = math.Sin(pts[i][0]) + pts[i][1]*pts[i][1] + 3
	}
	d2, med := SquaredDistances(pts)
	g := Gram{N: n, Groups: [][]float64{RBF(d2, med)}}
	train, test := all(n)[:30], all(n)[30:]
	f, err := g.KernelFit(train, y, 0.1, []float64{1})
	if err != nil {
		t.Fatal(err)
	}
	want := f.Predict(test)
	alpha, bias := f.Dual()
	for k, i := range test {
		got := bias
		for b, j := range train {
			got += alpha[b] * math.Exp(-SquaredDistance(pts[i], pts[j])/med)
		}
		if math.Abs(got-want[k]) > 1e-9 {
			t.Fatalf("row %d: dual %g, fit %g", i, got, want[k])
		}
	}
	// A kernel fit must beat the mean on a smooth non-linear target.
	var se, sm float64
	for k, i := range test {
		se += (want[k] - y[i]) * (want[k] - y[i])
		sm += (3 - y[i]) * (3 - y[i])
	}
	if se > sm/2 {
		t.Fatalf("RBF fit error %g is not well below the baseline %g", se, sm)
	}
}

func all(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
