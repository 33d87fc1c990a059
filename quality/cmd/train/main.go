// Command train fits lightbox's ClarityScore model to human ratings and writes the model
// that quality/ embeds. Anyone can retrain on their own labelled photos:
//
//	go run ./quality/cmd/train -data ../shared/datasets/clive-calib -out quality/clarity_model.json
//
// The folder holds scores.csv (file,mos[,...]; higher = better, 0..100) and images/. The
// command reports k-fold cross-validated SROCC and PLCC with the ridge penalty chosen
// inside each training fold (nested), so the figures are for photos the model never saw.
package main

import (
	"encoding/gob"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"lightbox/quality"
	"lightbox/quality/internal/dataset"
	"lightbox/quality/internal/features"
	"lightbox/quality/internal/linfit"
	"lightbox/quality/synth"
)

type sample struct {
	File string
	MOS  float64
	M    quality.Measurement
}

func main() {
	var (
		data   = flag.String("data", "../shared/datasets/clive-calib", "dataset folder with scores.csv and images/")
		out    = flag.String("out", "", "write the model JSON here (default: only report)")
		cache  = flag.String("cache", "", "measurement cache file: skip re-measuring the same dataset")
		groups = flag.String("groups", "tech,content,crop,cnn2", "feature groups the model uses (cnn: the whole image squeezed to 224x224, shipped before the crop)")
		folds  = flag.Int("folds", 10, "cross-validation folds")
		seed   = flag.Uint64("seed", 1, "fold shuffle seed")
		ladder = flag.Int("ladder-photos", 40, "rated photos degraded along the clarity ladders")
		jobs   = flag.Int("j", runtime.GOMAXPROCS(0), "images measured in parallel")
		kernel = flag.String("kernel", "rbf", "model: rbf (Gaussian kernel plus linear) or linear (plain ridge)")
		comps  = flag.Int("components", 128, "principal components the Gaussian kernel measures distance on")
	)
	flag.Float64Var(&rankWeight, "rank-weight", 16, "weight of the ladders' order against the ratings' squared error")
	flag.Float64Var(&jointWeight, "joint", 0, "fit the regression itself on the ladders' order too, at this weight against the ratings (0: ratings only)")
	flag.BoolVar(&rungCentres, "rung-centres", false, "with -joint: the ladders' rungs are kernel centres too")
	flag.Float64Var(&gradedCliff, "cliff", gradedCliff, "largest step down a ladder may take before the fit is penalised")
	flag.Float64Var(&gradedMargin, "margin", gradedMargin, "least fall, in points, between a rung and a worse one of its ladder")
	flag.Float64Var(&gradedTail, "tail", gradedTail, "width of the smooth ends of the scale: values below it (or above 100 minus it) approach 0 (100) exponentially")
	flag.Float64Var(&gradedQStep, "quality-step", gradedQStep, "least points each header-quality step (a rung of ten in JPEG quality) takes")
	flag.Float64Var(&gradedFirst, "photo-weight", gradedFirst, "weigh each pair of a photo and one of its degraded copies as this many pairs")
	flag.Float64Var(&gradedStep, "step-weight", gradedStep, "weigh each rung's margin over the next again: all steps together this many times all pairs")
	flag.Func("fit-ladders", "fit the graded term on these comma-separated ladders only (default: all; reports cover all)", func(v string) (err error) {
		fitLadders, err = ladderSet(v)
		return err
	})
	flag.Func("joint-ladders", "with -joint: fit the regression on these comma-separated ladders only (default: all)", func(v string) (err error) {
		jointLadders, err = ladderSet(v)
		return err
	})
	flag.BoolVar(&pngLadder, "png-ladder", pngLadder, "fit on the JPEG ladder re-saved as PNG too (blocks without the header that names the quality)")
	flag.BoolVar(&useTech, "graded-tech", true, "let the graded term weigh the hand-crafted features too")
	flag.BoolVar(&gradedQuality, "graded-quality", true, "let the graded term take points for a JPEG's header quality (its quantisation tables)")
	flag.BoolVar(&useHinges, "graded-hinges", true, "let the graded term take points through hinges on the exposure features (key, clipped shares)")
	flag.BoolVar(&useCoords, "graded-coords", false, "let the graded term weigh the kernel's component coordinates too (tried: overfits)")
	flag.Float64Var(&techRidge, "tech-ridge", 30, "penalty on the graded term's hand-crafted feature weights")
	flag.Func("try", "also report cross-validation for these comma-separated RANK-WEIGHT/TECH-RIDGE settings", func(v string) error {
		for _, f := range strings.Split(v, ",") {
			a, b, _ := strings.Cut(f, "/")
			w, err := strconv.ParseFloat(a, 64)
			if err != nil {
				return err
			}
			r := 1.0
			if b != "" {
				if r, err = strconv.ParseFloat(b, 64); err != nil {
					return err
				}
			}
			tryWeights = append(tryWeights, [2]float64{w, r})
		}
		return nil
	})
	flag.Parse()
	if *kernel != "rbf" && *kernel != "linear" {
		fmt.Fprintln(os.Stderr, "train: -kernel must be rbf or linear")
		os.Exit(2)
	}
	if *ladder < 2 {
		fmt.Fprintln(os.Stderr, "train: -ladder-photos must be at least 2: the score is fitted on the ladders' order")
		os.Exit(2)
	}
	opt := options{kernel: *kernel, components: *comps}
	if err := run(*data, *out, *cache, strings.Split(*groups, ","), *folds, *seed, *ladder, *jobs, opt); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

type options struct {
	kernel     string
	components int
}

func run(dir, out, cache string, groups []string, k int, seed uint64, nLadder, jobs int, opt options) error {
	samples, err := load(dir, cache, jobs)
	if err != nil {
		return err
	}
	fmt.Printf("measured %d photos from %s\n", len(samples), dir)
	x := make([][]float64, len(samples))
	y := make([]float64, len(samples))
	for i, s := range samples {
		x[i] = vector(s.M, groups)
		y[i] = s.MOS
	}
	// Standardise on the whole set: it uses no ratings, so no fold learns from its test photos.
	lo, hi := ranges(x)
	std := linfit.FitStandardizer(x)
	z := make([][]float64, len(x))
	for i := range x {
		z[i] = std.Apply(nil, x[i])
	}
	ranges := groupRanges(samples[0].M, groups)
	gram := linfit.NewGram(z, ranges)
	grid := hyperGrid(groups)
	space, spaceGrid := gram, grid
	if opt.kernel == "rbf" {
		if space, spaceGrid, err = rbfSpace(gram, groups, opt.components); err != nil {
			return err
		}
	}
	cvPred, chosen, err := nestedCV(space, y, k, seed, spaceGrid)
	if err != nil {
		return err
	}
	chosenText := make([]string, len(chosen))
	for i, h := range chosen {
		chosenText[i] = h.String()
	}
	srocc, plcc := linfit.Spearman(cvPred, y), linfit.Pearson(cvPred, y)
	fmt.Printf("%d-fold nested CV, regression alone (%s), groups %v: SROCC %.4f  PLCC %.4f  RMSE %.2f\n", k, opt.kernel, groups, srocc, plcc, rmse(cvPred, y))
	fmt.Printf("  settings chosen inside the folds: %v\n", chosenText)
	for gi, g := range groups {
		if len(groups) == 1 || opt.kernel != "linear" {
			break
		}
		alone := make([]hyper, 0, len(grid))
		for _, h := range grid {
			sc := make([]float64, len(groups))
			sc[gi] = 1
			alone = append(alone, hyper{lambda: h.lambda, scales: sc})
		}
		p, _, err := nestedCV(gram, y, k, seed, dedupe(alone))
		if err == nil {
			fmt.Printf("  group %-8s alone: SROCC %.4f  PLCC %.4f\n", g, linfit.Spearman(p, y), linfit.Pearson(p, y))
		}
	}
	rows := all(len(y))
	best, err := bestHyper(space, y, rows, k, seed+1, spaceGrid)
	if err != nil {
		return err
	}
	fmt.Printf("  setting for the final model: %v\n", best)
	m := &quality.ClarityModel{
		Version: 3, Groups: groups, FeaturesSHA256: quality.FeaturesDigest(quality.FeatureNames(groups...)),
		Lo: lo, Hi: hi, Mean: std.Mean, Scale: std.Scale,
		Trained: quality.TrainInfo{
			Dataset: filepath.Base(dir), Images: len(samples), Folds: k, Seed: seed, Lambda: best.lambda,
			Model: opt.kernel, Setting: best.String(),
			Generated: "go run ./quality/cmd/train " + strings.Join(os.Args[1:], " "),
		},
	}
	fit := regressionFitter{space: space, z: z, y: y, ranges: ranges, kernel: opt.kernel}
	if opt.kernel == "rbf" {
		m.Trained.GroupWeights = best.rbf.groupWeights
		m.Trained.PCAKept = round4(best.rbf.pca.Kept)
		fmt.Printf("  %d components hold %.1f%% of the features' variance\n", opt.components, 100*best.rbf.pca.Kept)
	} else {
		m.Trained.GroupWeights = best.scales
	}
	fitted, err := fit.into(m, rows, best)
	if err != nil {
		return err
	}
	if err := checkDeployed(m, samples, fitted); err != nil {
		return err
	}

	// The ladders: degrade rated photos, and give every rung the regression output of the
	// fold model that never saw its photo.
	fmt.Printf("the ratings peak at key %+.2f stops (mean opinion score smoothed over 0.25 stop; quality.BestKey is %+.2f)\n", bestKey(samples), quality.BestKey)
	photos := ladderPhotos(samples, nLadder)
	ladderCacheFile := ""
	if cache != "" {
		ladderCacheFile = cache + ".ladders"
	}
	rungs, err := measureLadders(dir, samples, photos, ladderCacheFile, jobs)
	if err != nil {
		return err
	}
	folds := linfit.Folds(len(y), k, seed)
	foldOf := make([]int, len(y))
	for f, test := range folds {
		for _, i := range test {
			foldOf[i] = f
		}
	}
	var worstOOF float64
	for f, test := range folds {
		fm := *m
		if _, err := fit.into(&fm, complement(len(y), test), chosen[f]); err != nil {
			return err
		}
		for i := range rungs {
			if foldOf[rungs[i].Photo] == f {
				rungs[i].raw = fm.Raw(rungs[i].M)
			}
		}
		for _, i := range test {
			worstOOF = max(worstOOF, math.Abs(fm.Raw(samples[i].M)-cvPred[i]))
		}
	}
	var exposed, copies int // darker or brighter copies, and those still well exposed
	for _, r := range rungs {
		if synth.ExposureLadder(r.Ladder) && r.Step > 0 {
			copies++
			if quality.WellExposed(r.M) {
				exposed++
			}
		}
	}
	fmt.Printf("ladders: %d well-exposed photos x %d ladders, %d rungs (%d of %d darker or brighter copies still well exposed); fold models reproduce the out-of-fold predictions within %.2g\n",
		len(photos), len(trainingLadders()), len(rungs), exposed, copies, worstOOF)
	if jointWeight > 0 {
		if opt.kernel != "rbf" {
			return errors.New("-joint needs -kernel rbf")
		}
		if err := joint(m, &fit, samples, rungs, folds, foldOf, chosen, best, cvPred); err != nil {
			return err
		}
	}
	fmt.Printf("--details components along the ladders (all %d photos):\n%s\n", len(photos), componentReport(rungs))

	nTech := 0
	if groups[0] == "tech" && useTech {
		nTech = len(samples[0].M.Tech)
	}
	// The graded term's free inputs: the hand-crafted features and, with a kernel term, the
	// coordinates on its components (from every photo's features, no rating), each scaled
	// to unit spread over the photos so that one ridge penalty suits them all.
	inputs := func(ms quality.Measurement) []float64 {
		z := m.Standardized(ms)
		v := append([]float64(nil), z[:nTech]...)
		if useCoords && m.Kernel != nil {
			v = append(v, m.Kernel.Project(z)...)
		}
		return v
	}
	photoIn := make([][]float64, len(y))
	for i := range y {
		photoIn[i] = inputs(samples[i].M)
	}
	spread := make([]float64, len(photoIn[0]))
	for j := range spread {
		col := make([]float64, len(photoIn))
		for i := range photoIn {
			col[i] = photoIn[i][j]
		}
		_, sd := meanStd(col)
		spread[j] = 1
		if j >= nTech && sd > 0 {
			spread[j] = sd // the features are standardised already
		}
	}
	scaled := func(v []float64) []float64 {
		for j := range v {
			v[j] /= spread[j]
		}
		return v
	}
	photoItems := make([]item, len(y))
	for i := range y {
		photoItems[i] = newItem(cvPred[i], scaled(photoIn[i]), samples[i].M)
	}
	rungItems := make([]item, len(rungs))
	for i, r := range rungs {
		rungItems[i] = newItem(r.raw, scaled(inputs(r.M)), r.M)
	}
	var ser [][]int
	for _, s := range series(rungs) {
		if fitLadders == nil || fitLadders[rungs[s[0]].Ladder] {
			ser = append(ser, s)
		}
	}
	cvg := gradedCV{folds: folds, foldOf: foldOf, y: y, samples: samples, cvPred: cvPred, rungs: rungs, photoItems: photoItems, rungItems: rungItems, ser: ser}
	for _, wr := range tryWeights {
		gradedWeight, gradedTechRidge = wr[0], wr[1]
		final, ladderScore := cvg.run()
		rep := reportLadders(rungs, ladderScore)
		fmt.Printf("  -rank-weight %g -tech-ridge %g: CV SROCC %.4f PLCC %.4f; ladders %.1f%% ordered (%s); jpeg every step on %d of %d\n",
			wr[0], wr[1], linfit.Spearman(final, y), linfit.Pearson(final, y), 100*rep.overall(), rep.brief(), rep.jpegAll, rep.jpegN)
	}
	gradedWeight, gradedTechRidge = rankWeight, techRidge
	final, ladderScore := cvg.run()
	rep := reportLadders(rungs, ladderScore)
	finalInt := make([]float64, len(final))
	for i, v := range final {
		finalInt[i] = float64(intScore(v))
	}
	m.Trained.CVSROCC, m.Trained.CVPLCC = round4(linfit.Spearman(final, y)), round4(linfit.Pearson(final, y))
	m.Trained.CVRMSE = round4(rmse(final, y))
	m.Trained.LadderOrder = round4(rep.overall())
	fmt.Printf("ClarityScore, %d-fold nested CV (regression and graded term fitted without the fold): SROCC %.4f  PLCC %.4f  RMSE %.2f  (as integers: SROCC %.4f)\n",
		k, m.Trained.CVSROCC, m.Trained.CVPLCC, m.Trained.CVRMSE, linfit.Spearman(finalInt, y))
	fmt.Printf("ladders of photos outside the fitted folds, integer scores (%.1f%% of all pairs ordered):\n%s\n", 100*rep.overall(), rep)

	pFinal := fitGraded(photoItems, y, rungItems, ser)
	m.Graded = gradedTerm(pFinal, nTech, spread)
	// The deployed form (weights unscaled, coordinates from the projection) must score as
	// the fitted parameters do.
	var worstGraded float64
	for _, r := range rungs {
		it := newItem(m.Raw(r.M), scaled(inputs(r.M)), r.M)
		worstGraded = max(worstGraded, math.Abs(m.Predict(r.M)-quality.Squash(gradedValue(pFinal, it), gradedTail)))
	}
	if worstGraded > 1e-6 {
		return fmt.Errorf("deployed graded term differs from the fit by %g", worstGraded)
	}
	fmt.Printf("graded term: base %.3f offset %.2f drops %v header quality %v hinges %v\n", m.Graded.Base, m.Graded.Offset, roundAll(m.Graded.Drop), roundAll([4][]float64{m.Graded.QualityDrop})[0], hingeWeights(m.Graded.Hinges))
	if out == "" {
		return nil
	}
	arrays := m.EncodeArrays()
	m.Arrays, m.ArraysBytes, m.ArraysCRC = arraysFile, len(arrays), quality.ArraysChecksum(arrays)
	js, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	js = append(js, '\n')
	// What quality will load must score every photo exactly as the model in memory does.
	back, err := quality.ParseClarityModel(js, arrays)
	if err != nil {
		return fmt.Errorf("the written model does not load: %w", err)
	}
	for _, smp := range samples {
		if a, b := back.Predict(smp.M), m.Predict(smp.M); a != b {
			return fmt.Errorf("%s: the written model scores %v, the fitted one %v", smp.File, a, b)
		}
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(out), arraysFile), arrays, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(out, js, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s\n", out)
	return nil
}

// ranges returns each feature's smallest and largest value over the training photos.
func ranges(x [][]float64) (lo, hi []float64) {
	lo = append([]float64(nil), x[0]...)
	hi = append([]float64(nil), x[0]...)
	for _, row := range x[1:] {
		for j, v := range row {
			lo[j] = min(lo[j], v)
			hi[j] = max(hi[j], v)
		}
	}
	return lo, hi
}

func vector(m quality.Measurement, groups []string) []float64 {
	var v []float64
	for _, g := range groups {
		switch g {
		case "tech":
			v = append(v, m.Tech...)
		case "content":
			v = append(v, m.Content...)
		case "cnn":
			v = append(v, m.CNN...)
		case "crop":
			v = append(v, m.Crop...)
		case "cnn2":
			v = append(v, m.CNN2...)
		}
	}
	return v
}

// hyper is one setting of the search: the ridge penalty and a weight per feature group
// (a group weighted up is penalised less: a few hand-crafted features must not drown among
// 1,824 CNN ones).
type hyper struct {
	lambda float64
	scales []float64 // a weight per Gram group
	// For the kernel model: the distance setting and the linear kernel's share.
	rbf    *rbfSetting
	linear float64
}

func (h hyper) String() string {
	if h.rbf != nil {
		return fmt.Sprintf("λ=%g w=%v width=%g×median linear λ=%g", h.lambda, h.rbf.groupWeights, h.rbf.widthScale, h.lambda/h.linear)
	}
	return fmt.Sprintf("λ=%g w=%v", h.lambda, h.scales)
}

func hyperGrid(groups []string) []hyper {
	weights := map[string][]float64{"cnn": {1}, "crop": {1}, "cnn2": {0.5, 1}, "tech": {1, 2, 4, 8}, "content": {0, 1, 3}}
	var grid []hyper
	var rec func(i int, sc []float64)
	rec = func(i int, sc []float64) {
		if i == len(groups) {
			for _, l := range []float64{30, 100, 300, 1000, 3000, 10000} {
				grid = append(grid, hyper{lambda: l, scales: append([]float64(nil), sc...)})
			}
			return
		}
		ws := weights[groups[i]]
		if len(groups) == 1 {
			ws = []float64{1}
		}
		for _, w := range ws {
			rec(i+1, append(sc, w))
		}
	}
	rec(0, nil)
	return dedupe(grid)
}

func dedupe(h []hyper) []hyper {
	seen := map[string]bool{}
	var out []hyper
	for _, x := range h {
		zero := true
		for _, s := range x.scales {
			zero = zero && s == 0
		}
		if k := x.String(); !seen[k] && !zero {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

// nestedCV predicts every photo from a model fitted without its fold, with the setting
// chosen by an inner cross-validation on that fold's training photos only.
func nestedCV(g linfit.Gram, y []float64, k int, seed uint64, grid []hyper) ([]float64, []hyper, error) {
	pred := make([]float64, len(y))
	var chosen []hyper
	for _, test := range linfit.Folds(len(y), k, seed) {
		train := complement(len(y), test)
		h, err := bestHyper(g, y, train, 5, seed+7, grid)
		if err != nil {
			return nil, nil, err
		}
		chosen = append(chosen, h)
		p, err := g.KernelFitPredict(train, y, test, h.lambda, h.scales)
		if err != nil {
			return nil, nil, err
		}
		for i, idx := range test {
			pred[idx] = p[i]
		}
	}
	return pred, chosen, nil
}

// bestHyper runs a k-fold CV over the rows and returns the setting with the best SROCC.
func bestHyper(g linfit.Gram, y []float64, rows []int, k int, seed uint64, grid []hyper) (hyper, error) {
	folds := linfit.Folds(len(rows), k, seed)
	scores := make([]float64, len(grid))
	errs := make([]error, len(grid))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for hi, h := range grid {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			pred := make([]float64, len(rows))
			yy := make([]float64, len(rows))
			for _, f := range folds {
				test := make([]int, len(f))
				for i, j := range f {
					test[i] = rows[j]
				}
				train := make([]int, 0, len(rows)-len(f))
				for _, j := range complement(len(rows), f) {
					train = append(train, rows[j])
				}
				p, err := g.KernelFitPredict(train, y, test, h.lambda, h.scales)
				if err != nil {
					errs[hi] = err
					return
				}
				for i, j := range f {
					pred[j], yy[j] = p[i], y[rows[j]]
				}
			}
			scores[hi] = linfit.Spearman(pred, yy)
		}()
	}
	wg.Wait()
	best := -1
	for i := range grid {
		if errs[i] == nil && (best < 0 || scores[i] > scores[best]) {
			best = i
		}
	}
	if best < 0 {
		return hyper{}, errors.Join(errs...)
	}
	return grid[best], nil
}

func all(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func groupRanges(m quality.Measurement, groups []string) [][2]int {
	var out [][2]int
	at := 0
	for _, g := range groups {
		n := len(vector(m, []string{g}))
		out = append(out, [2]int{at, at + n})
		at += n
	}
	return out
}

func complement(n int, test []int) []int {
	in := make([]bool, n)
	for _, i := range test {
		in[i] = true
	}
	var out []int
	for i := 0; i < n; i++ {
		if !in[i] {
			out = append(out, i)
		}
	}
	return out
}

func meanStd(v []float64) (float64, float64) {
	var m float64
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	var s float64
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return m, math.Sqrt(s / float64(len(v)))
}

func rmse(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return math.Sqrt(s / float64(len(a)))
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// load reads scores.csv and measures every photo, reusing the cache when it matches.
func load(dir, cache string, jobs int) ([]sample, error) {
	rated, err := dataset.ReadScores(dir)
	if err != nil {
		return nil, err
	}
	samples := make([]sample, len(rated))
	for i, r := range rated {
		samples[i] = sample{File: r.File, MOS: r.MOS}
	}
	sort.Slice(samples, func(i, j int) bool { return samples[i].File < samples[j].File })
	if cache != "" {
		if cached, ok := readCache(cache, samples); ok {
			return cached, nil
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(samples))
	sem := make(chan struct{}, max(jobs, 1))
	for i := range samples {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			b, err := os.ReadFile(dataset.ImagePath(dir, samples[i].File))
			if err == nil {
				samples[i].M, err = quality.Measure(b, quality.Options{})
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if cache != "" {
		writeCache(cache, samples)
	}
	return samples, nil
}

type cacheFile struct {
	Names   []string
	Samples []sample
}

func readCache(path string, want []sample) ([]sample, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	var c cacheFile
	if err := gob.NewDecoder(f).Decode(&c); err != nil || len(c.Samples) != len(want) {
		return nil, false
	}
	if strings.Join(c.Names, ",") != strings.Join(quality.FeatureNames("tech", "content", "cnn", "crop", "cnn2"), ",") {
		return nil, false // features changed since: measure again
	}
	for i := range want {
		if c.Samples[i].File != want[i].File {
			return nil, false
		}
		c.Samples[i].MOS = want[i].MOS
		recomputeComponents(&c.Samples[i].M)
	}
	return c.Samples, true
}

// recomputeComponents derives the --details components from the cached features afresh, as
// Measure does, so that a change to a component's formula needs no re-measuring.
func recomputeComponents(m *quality.Measurement) {
	m.Components = features.ComponentsOf(features.Input{}, m.Tech)
}

func writeCache(path string, s []sample) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = gob.NewEncoder(f).Encode(cacheFile{Names: quality.FeatureNames("tech", "content", "cnn", "crop", "cnn2"), Samples: s})
}

func roundAll(d [4][]float64) [4][]float64 {
	var out [4][]float64
	for i, ws := range d {
		for _, w := range ws {
			out[i] = append(out[i], round4(w))
		}
	}
	return out
}

var (
	rankWeight float64
	techRidge  float64
	tryWeights [][2]float64
	useTech    bool
	useCoords  bool
	fitLadders map[string]bool // nil: all
)

// ladderSet parses a comma-separated list of ladder names.
func ladderSet(v string) (map[string]bool, error) {
	known := map[string]bool{}
	for _, l := range append(synth.ClarityLadders(), synth.ResavedJPEGLadder()) {
		known[l.Name] = true
	}
	set := map[string]bool{}
	for _, name := range strings.Split(v, ",") {
		if !known[name] {
			return nil, fmt.Errorf("no ladder %q", name)
		}
		set[name] = true
	}
	return set, nil
}

// gradedCV cross-validates the graded term: in each fold it is fitted on the other folds'
// photos and ladders, and scores this fold's photos and ladders.
type gradedCV struct {
	folds      [][]int
	foldOf     []int
	y          []float64
	samples    []sample
	cvPred     []float64
	rungs      []rung
	photoItems []item
	rungItems  []item
	ser        [][]int
}

func (c *gradedCV) run() (final []float64, ladderScore []int) {
	final = make([]float64, len(c.y))
	ladderScore = make([]int, len(c.rungs))
	for f, test := range c.folds {
		train := complement(len(c.y), test)
		var pi []item
		var py []float64
		for _, i := range train {
			pi = append(pi, c.photoItems[i])
			py = append(py, c.y[i])
		}
		var ls [][]int
		for _, s := range c.ser {
			if c.foldOf[c.rungs[s[0]].Photo] != f {
				ls = append(ls, s)
			}
		}
		t := fitGraded(pi, py, c.rungItems, ls)
		for _, i := range test {
			final[i] = quality.Squash(gradedValue(t, c.photoItems[i]), gradedTail)
		}
		for i, r := range c.rungs {
			if c.foldOf[r.Photo] == f {
				ladderScore[i] = intScore(quality.Squash(gradedValue(t, c.rungItems[i]), gradedTail))
			}
		}
	}
	return final, ladderScore
}
