package main

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"lightbox/quality"
	"lightbox/quality/internal/linfit"
)

// The joint fit (-joint, tried and set aside: README "Calibration"): the kernel regression
// itself learns the ladders' order, not only the graded term after it. It minimises
//
//	Σ_photos (f − mos)² + λ·αᵀKα + c·Σ_pairs hinge²(margin − (f_better − f_worse)) + c'·Σ_steps hinge²(step − cliff)
//
// with the graded term's margin and cliff (graded.go), where f(x) = bias + Σ_b α_b·k(x, b)
// is the deployed model's form: the centres b are the rated photos and, with -rung-centres,
// the training ladders' rungs. Squared hinges make the problem convex and piecewise
// quadratic, solved by Newton steps on the active pairs (as for L2-SVMs in the primal).

// jointWeight is the ladders' weight against the ratings (flag; 0: the plain regression).
var jointWeight float64

// jointLadders are the ladders the joint fit uses (flag; nil: all).
var jointLadders map[string]bool

// jointIters bounds the Newton steps; the active set settles in a handful.
const jointIters = 40

// jointData holds what every fold's joint fit shares: the inputs of photos and rungs.
type jointData struct {
	m      *quality.ClarityModel // for standardising (ranges and scales use no rating)
	fit    *regressionFitter
	y      []float64
	photoZ [][]float64
	rungZ  [][]float64
	ser    [][]int
	cache  map[*rbfSetting]*jointKernels
	mu     sync.Mutex
}

// jointKernels are the kernel values between every item (the photos, then the rungs) and
// every item a fit may take as a centre, for one distance setting: Gaussian and linear
// parts apart, so each fold weighs them its way.
type jointKernels struct {
	cols     int       // the photos, and the rungs too with -rung-centres
	rbf, lin []float64 // items × cols
	coords   []float32 // every item's coordinates, as the deployed model stores centres
	basis    []float32
	comps    int
}

func newJointData(m *quality.ClarityModel, fit *regressionFitter, samples []sample, rungs []rung) *jointData {
	d := &jointData{m: m, fit: fit, y: fit.y, cache: map[*rbfSetting]*jointKernels{}}
	for _, s := range series(rungs) {
		if jointLadders == nil || jointLadders[rungs[s[0]].Ladder] {
			d.ser = append(d.ser, s)
		}
	}
	for _, s := range samples {
		d.photoZ = append(d.photoZ, m.Standardized(s.M))
	}
	for _, r := range rungs {
		d.rungZ = append(d.rungZ, m.Standardized(r.M))
	}
	return d
}

// item returns the features of item i: photo i, or rung i−(number of photos).
func (d *jointData) item(i int) []float64 {
	if i < len(d.photoZ) {
		return d.photoZ[i]
	}
	return d.rungZ[i-len(d.photoZ)]
}

func (d *jointData) kernels(s *rbfSetting) *jointKernels {
	d.mu.Lock()
	defer d.mu.Unlock()
	if k, ok := d.cache[s]; ok {
		return k
	}
	basis := d.fit.basis(s)
	comps := len(s.pca.Coords[0])
	kt := &quality.KernelTerm{Components: comps, Basis: basis}
	w := d.fit.weightOf(s)
	n := len(d.photoZ) + len(d.rungZ)
	cols := len(d.photoZ)
	if rungCentres {
		cols = n // a rung-by-rung block costs as much as the rest: only when it is used
	}
	k := &jointKernels{cols: cols, comps: comps, basis: basis, coords: make([]float32, n*comps)}
	coords := make([][]float64, n)
	u := make([][]float64, n)
	parallel(n, func(i int) {
		z := d.item(i)
		coords[i] = kt.Project(z)
		for c, v := range coords[i] {
			k.coords[i*comps+c] = float32(v)
		}
		u[i] = make([]float64, len(z))
		for j, v := range z {
			u[i][j] = v * w[j]
		}
	})
	k.rbf, k.lin = make([]float64, n*cols), make([]float64, n*cols)
	parallel(n, func(i int) {
		for b := 0; b < cols; b++ {
			centre := k.coords[b*comps : (b+1)*comps]
			var d2 float64
			for c, v := range centre {
				dd := coords[i][c] - float64(v)
				d2 += dd * dd
			}
			k.rbf[i*cols+b] = math.Exp(-d2 / s.width)
			if b <= i { // the linear part is symmetric: each pair once
				v := dot(u[i], u[b])
				k.lin[i*cols+b] = v
				if i < cols {
					k.lin[b*cols+i] = v
				}
			}
		}
	})
	d.cache[s] = k
	return k
}

func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// jointFit is one fitted model: α on the centres (items) and a bias.
type jointFit struct {
	d       *jointData
	h       hyper
	k       *jointKernels
	centres []int
	alpha   []float64
	bias    float64
}

// phi appends the kernel values of item i against the centres to dst.
func (f *jointFit) phi(dst []float64, i int) []float64 {
	cols := f.k.cols
	for _, b := range f.centres {
		dst = append(dst, f.k.rbf[i*cols+b]+f.h.linear*f.k.lin[i*cols+b])
	}
	return dst
}

// predict returns the fit's output for photo i, or for rung i when rung is set.
func (f *jointFit) predict(i int, rung bool) float64 {
	if rung {
		i += len(f.d.photoZ)
	}
	v := f.bias
	for a, x := range f.phi(make([]float64, 0, len(f.centres)), i) {
		v += f.alpha[a] * x
	}
	return v
}

// rungCentres makes the training ladders' rungs centres of the kernel too (flag): a
// degraded photo is then judged by the degraded photos it resembles, as a real one is by
// the rated photos, instead of every degradation bending the trend real photos follow.
var rungCentres bool

// fitJoint fits on the rated photos rows and the ladders ser (series of rung indices,
// best first), with the plain regression's setting h. It works on whitened features
// ψ(x) = L⁻¹·k(x), K = L·Lᵀ on the centres, so that f = w·ψ + bias, αᵀKα = ‖w‖² and every
// Newton system is at least λ·I away from singular (K² + λK, the dual's, is not).
func (d *jointData) fitJoint(rows []int, ser [][]int, h hyper) (*jointFit, error) {
	f := &jointFit{d: d, h: h, k: d.kernels(h.rbf), centres: append([]int(nil), rows...)}
	nP := len(d.photoZ)
	// The rungs the ladders use.
	var used []int
	local := map[int]int{}
	for _, s := range ser {
		for _, r := range s {
			if _, ok := local[r]; !ok {
				local[r] = len(used)
				used = append(used, r)
			}
		}
	}
	if rungCentres {
		for _, r := range used {
			f.centres = append(f.centres, nP+r)
		}
	}
	n := len(f.centres)
	np := n + 1 // w and the bias, last
	chol := make([]float64, n*n)
	var trace float64
	for a, i := range f.centres {
		f.phi(chol[a*n:a*n], i)
		trace += chol[a*n+a]
	}
	for a := 0; a < n; a++ { // rounding (and a rung 0 next to its photo) can leave K barely indefinite
		chol[a*n+a] += 1e-7 * trace / float64(n)
	}
	if err := linfit.Cholesky(chol, n); err != nil {
		return nil, err
	}
	psi := func(i int) []float64 {
		v := f.phi(make([]float64, 0, np), i)
		linfit.ForwardSolve(chol, n, v)
		return append(v, 1)
	}
	phiP := make([][]float64, len(rows))
	parallel(len(rows), func(a int) { phiP[a] = psi(rows[a]) })
	phiR := make([][]float64, len(used))
	parallel(len(used), func(a int) { phiR[a] = psi(nP + used[a]) })
	var pairs, steps int
	for _, s := range ser {
		pairs += len(s) * (len(s) - 1) / 2
		steps += len(s) - 1
	}
	wp := jointWeight * float64(len(rows)) / float64(max(pairs, 1))
	ws := gradedCliffFactor * jointWeight * float64(len(rows)) / float64(max(steps, 1))

	// The fixed part of the normal equations: the ratings and the penalty.
	base := make([]float64, np*np)
	rhsBase := make([]float64, np)
	parallel(np, func(i int) {
		out := base[i*np : (i+1)*np]
		for a, row := range phiP {
			ri := row[i]
			rhsBase[i] += ri * d.y[rows[a]]
			for j, v := range row {
				out[j] += ri * v
			}
		}
		if i < n {
			out[i] += h.lambda
		}
	})
	// activeHinges calls add for every hinge the rung outputs fr violate, as a least-squares
	// row c·(f_a − f_b − t)² on a better rung a and a worse rung b.
	activeHinges := func(fr []float64, add func(a, b int, c, t float64)) {
		for _, s := range ser {
			for i := 0; i < len(s); i++ {
				for j := i + 1; j < len(s); j++ {
					if a, b := local[s[i]], local[s[j]]; fr[a]-fr[b] < gradedMargin {
						add(a, b, wp, gradedMargin)
					}
				}
				if i+1 < len(s) {
					if a, b := local[s[i]], local[s[i+1]]; fr[a]-fr[b] > gradedCliff {
						add(a, b, ws, gradedCliff)
					}
				}
			}
		}
	}
	objective := func(theta []float64) (float64, []float64) {
		var obj float64
		fr := make([]float64, len(used))
		for a, row := range phiR {
			fr[a] = dot(row, theta)
		}
		for a := range rows {
			e := dot(phiP[a], theta) - d.y[rows[a]]
			obj += e * e
		}
		obj += h.lambda * dot(theta[:n], theta[:n])
		activeHinges(fr, func(a, b int, c, t float64) {
			r := fr[a] - fr[b] - t
			obj += c * r * r
		})
		return obj, fr
	}

	// Start from the plain fit (no pair active).
	theta := append([]float64(nil), rhsBase...)
	if err := linfit.SolveSPD(append([]float64(nil), base...), np, theta); err != nil {
		return nil, err
	}
	obj, fr := objective(theta)
	nu := len(used)
	for it := 0; it < jointIters; it++ {
		// The active hinges as weighted least-squares rows on f: Dᵀ·C·D and Dᵀ·C·t.
		lap := make([]float64, nu*nu)
		v := make([]float64, nu)
		add := func(a, b int, c, t float64) {
			lap[a*nu+a] += c
			lap[b*nu+b] += c
			lap[a*nu+b] -= c
			lap[b*nu+a] -= c
			v[a] += c * t
			v[b] -= c * t
		}
		activeHinges(fr, add)
		hess := append([]float64(nil), base...)
		rhs := append([]float64(nil), rhsBase...)
		// Φ_Rᵀ·(L·Φ_R): L only links rungs of one series, so L·Φ_R is cheap by rows.
		lphi := make([][]float64, nu)
		for a := 0; a < nu; a++ {
			for b := 0; b < nu; b++ {
				c := lap[a*nu+b]
				if c == 0 {
					continue
				}
				if lphi[a] == nil {
					lphi[a] = make([]float64, np)
				}
				for j, x := range phiR[b] {
					lphi[a][j] += c * x
				}
			}
			for j, x := range phiR[a] {
				rhs[j] += v[a] * x
			}
		}
		parallel(np, func(i int) {
			out := hess[i*np : (i+1)*np]
			for a := 0; a < nu; a++ {
				if lphi[a] == nil {
					continue
				}
				pi := phiR[a][i]
				for j, x := range lphi[a] {
					out[j] += pi * x
				}
			}
		})
		if err := linfit.SolveSPD(hess, np, rhs); err != nil {
			return nil, err
		}
		// Backtrack along the Newton direction until the objective falls.
		step := 1.0
		next := make([]float64, np)
		var nobj float64
		var nfr []float64
		for k := 0; k < 20; k++ {
			for j := range next {
				next[j] = theta[j] + step*(rhs[j]-theta[j])
			}
			if nobj, nfr = objective(next); nobj <= obj {
				break
			}
			step /= 2
		}
		if nobj > obj {
			break
		}
		done := obj-nobj < 1e-10*max(obj, 1)
		theta, obj, fr = append([]float64(nil), next...), nobj, nfr
		if done {
			break
		}
	}
	// Back to the dual: α = L⁻ᵀ·w.
	f.alpha = append([]float64(nil), theta[:n]...)
	linfit.BackSolveT(chol, n, f.alpha)
	f.bias = theta[n]
	return f, nil
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

// into writes the fit in the deployed form: Bias, Weights (the linear part folded into one
// weight per feature) and the kernel term on the centres' coordinates.
func (f *jointFit) into(m *quality.ClarityModel) {
	s := f.h.rbf
	weightOf := f.d.fit.weightOf(s)
	m.Weights = make([]float64, len(weightOf))
	for b, a := range f.alpha {
		for j, v := range f.d.item(f.centres[b]) {
			m.Weights[j] += a * v
		}
	}
	for j := range m.Weights {
		m.Weights[j] *= f.h.linear * weightOf[j] * weightOf[j]
	}
	m.Bias = f.bias
	comps := f.k.comps
	centres := make([]float32, 0, len(f.centres)*comps)
	for _, b := range f.centres {
		centres = append(centres, f.k.coords[b*comps:(b+1)*comps]...)
	}
	m.Kernel = &quality.KernelTerm{Components: comps, Width: s.width, Alpha: append([]float64(nil), f.alpha...), Basis: f.k.basis, Centres: centres}
}

// joint refits the regression with the ladders: out of fold (every fold's model on the other
// folds' photos and ladders, its setting the one the plain nested CV chose there) into cvPred
// and the rungs' raw outputs, then on everything into m.
func joint(m *quality.ClarityModel, fit *regressionFitter, samples []sample, rungs []rung, folds [][]int, foldOf []int, chosen []hyper, best hyper, cvPred []float64) error {
	d := newJointData(m, fit, samples, rungs)
	for f, test := range folds {
		var ser [][]int
		for _, s := range d.ser {
			if foldOf[rungs[s[0]].Photo] != f {
				ser = append(ser, s)
			}
		}
		jf, err := d.fitJoint(complement(len(d.y), test), ser, chosen[f])
		if err != nil {
			return err
		}
		for _, i := range test {
			cvPred[i] = jf.predict(i, false)
		}
		for i := range rungs {
			if foldOf[rungs[i].Photo] == f {
				rungs[i].raw = jf.predict(i, true)
			}
		}
	}
	score := make([]int, len(rungs))
	for i, r := range rungs {
		score[i] = intScore(quality.Squash(r.raw, gradedTail))
	}
	rep := reportLadders(rungs, score)
	fmt.Printf("joint regression (-joint %g), %d-fold CV: SROCC %.4f  PLCC %.4f  RMSE %.2f; ladders out of fold %.1f%% ordered (%s); jpeg every step on %d of %d\n",
		jointWeight, len(folds), linfit.Spearman(cvPred, d.y), linfit.Pearson(cvPred, d.y), rmse(cvPred, d.y), 100*rep.overall(), rep.brief(), rep.jpegAll, rep.jpegN)
	jf, err := d.fitJoint(all(len(d.y)), d.ser, best)
	if err != nil {
		return err
	}
	jf.into(m)
	m.Trained.JointWeight, m.Trained.RungCentres = jointWeight, len(jf.centres)-len(d.y)
	fitted := make([]float64, len(d.y))
	for i := range fitted {
		fitted[i] = jf.predict(i, false)
	}
	return checkDeployed(m, samples, fitted)
}
