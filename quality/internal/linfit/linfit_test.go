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
