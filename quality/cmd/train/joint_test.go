package main

import (
	"math"
	"math/rand/v2"
	"testing"

	"lightbox/quality"
	"lightbox/quality/internal/linfit"
)

// jointProblem is a small rated set whose ratings rise with the first feature, and ladders
// that raise that feature step by step: the plain regression scores every ladder upwards,
// the wrong way, so only the ladders' order can turn it round.
func jointProblem(t *testing.T) (*jointData, []sample, []rung, hyper) {
	t.Helper()
	const n, p = 80, 5
	rng := rand.New(rand.NewPCG(1, 2))
	samples := make([]sample, n)
	x := make([][]float64, n)
	y := make([]float64, n)
	for i := range samples {
		x[i] = make([]float64, p)
		for j := range x[i] {
			x[i][j] = rng.Float64()
		}
		y[i] = 20 + 60*x[i][0] + 5*rng.NormFloat64()
		samples[i] = sample{MOS: y[i], M: quality.Measurement{Tech: x[i]}}
	}
	var rungs []rung
	for i := 0; i < n && len(rungs) < 6*4; i++ {
		if x[i][0] > 0.4 {
			continue
		}
		for step := 0; step < 4; step++ {
			v := append([]float64(nil), x[i]...)
			v[0] += 0.12 * float64(step)
			rungs = append(rungs, rung{Photo: i, Ladder: "up", Step: step, M: quality.Measurement{Tech: v}})
		}
	}
	lo, hi := ranges(x)
	std := linfit.FitStandardizer(x)
	z := make([][]float64, n)
	for i := range x {
		z[i] = std.Apply(nil, x[i])
	}
	groups := [][2]int{{0, p}}
	space, grid, err := rbfSpace(linfit.NewGram(z, groups), []string{"tech"}, 4)
	if err != nil {
		t.Fatal(err)
	}
	m := &quality.ClarityModel{Groups: []string{"tech"}, Lo: lo, Hi: hi, Mean: std.Mean, Scale: std.Scale}
	fit := &regressionFitter{space: space, z: z, y: y, ranges: groups, kernel: "rbf"}
	return newJointData(m, fit, samples, rungs), samples, rungs, grid[len(grid)/2]
}

func withJointWeight(t *testing.T, w float64) {
	old := jointWeight
	jointWeight = w
	t.Cleanup(func() { jointWeight = old })
}

func TestJointFitWithoutLaddersIsTheKernelRegression(t *testing.T) {
	withJointWeight(t, 0)
	d, samples, _, h := jointProblem(t)
	rows := all(len(samples))
	jf, err := d.fitJoint(rows, d.ser, h)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := d.fit.space.KernelFit(rows, d.y, h.lambda, h.scales)
	if err != nil {
		t.Fatal(err)
	}
	want := plain.Predict(rows)
	for i := range rows {
		if got := jf.predict(i, false); math.Abs(got-want[i]) > 1e-4 {
			t.Fatalf("photo %d: joint fit without ladder weight gives %.6f, kernel ridge %.6f", i, got, want[i])
		}
	}
}

func TestJointFitOrdersTheLadders(t *testing.T) {
	for _, centres := range []bool{false, true} {
		withJointWeight(t, 1000)
		rungCentres = centres
		d, samples, rungs, h := jointProblem(t)
		jf, err := d.fitJoint(all(len(samples)), d.ser, h)
		rungCentres = false
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range d.ser {
			for k := 1; k < len(s); k++ {
				a, b := jf.predict(s[k-1], true), jf.predict(s[k], true)
				if a-b < 1 {
					t.Errorf("rung centres %v: photo %d ladder step %d scores %.2f after %.2f: not below it by the margin", centres, rungs[s[k]].Photo, k, b, a)
				}
			}
		}
		// The deployed form scores every photo and rung as the fit does.
		jf.into(d.m)
		for i, r := range rungs {
			if got, want := d.m.Raw(r.M), jf.predict(i, true); math.Abs(got-want) > 1e-3 {
				t.Fatalf("rung %d: deployed model %.5f, fit %.5f", i, got, want)
			}
		}
		for i, s := range samples {
			if got, want := d.m.Raw(s.M), jf.predict(i, false); math.Abs(got-want) > 1e-3 {
				t.Fatalf("photo %d: deployed model %.5f, fit %.5f", i, got, want)
			}
		}
	}
}

func TestPlainRegressionScoresTheTestLaddersUpwards(t *testing.T) {
	// The test above only means something if the ladders go the wrong way without their order.
	withJointWeight(t, 0)
	d, samples, _, h := jointProblem(t)
	jf, err := d.fitJoint(all(len(samples)), d.ser, h)
	if err != nil {
		t.Fatal(err)
	}
	up := 0
	for _, s := range d.ser {
		if jf.predict(s[len(s)-1], true) > jf.predict(s[0], true) {
			up++
		}
	}
	if up < len(d.ser)/2 {
		t.Fatalf("only %d of %d ladders rise under the plain fit: the problem does not test the order term", up, len(d.ser))
	}
}
