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
