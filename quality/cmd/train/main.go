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
	"strings"
	"sync"

	"lightbox/quality"
	"lightbox/quality/internal/dataset"
	"lightbox/quality/internal/linfit"
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
		groups = flag.String("groups", "tech,content,cnn,cnn2", "feature groups the model uses")
		folds  = flag.Int("folds", 10, "cross-validation folds")
		seed   = flag.Uint64("seed", 1, "fold shuffle seed")
		ladder = flag.Int("ladder-photos", 20, "photos used for the monotonicity ladders (0 = skip)")
		jobs   = flag.Int("j", runtime.GOMAXPROCS(0), "images measured in parallel")
		kernel = flag.String("kernel", "rbf", "model: rbf (Gaussian kernel plus linear) or linear (plain ridge)")
		comps  = flag.Int("components", 128, "principal components the Gaussian kernel measures distance on")
	)
	flag.Float64Var(&wantOverall, "want-order", 0.95, "share of ladder pairs the penalties must put in order, all ladders together")
	flag.Float64Var(&wantEach, "want-order-each", 0.93, "the same, for every ladder on its own")
	flag.Parse()
	if *kernel != "rbf" && *kernel != "linear" {
		fmt.Fprintln(os.Stderr, "train: -kernel must be rbf or linear")
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
	srocc, plcc := linfit.Spearman(cvPred, y), linfit.Pearson(cvPred, y)
	fmt.Printf("%d-fold nested CV, %s model, groups %v: SROCC %.4f  PLCC %.4f  RMSE %.2f\n", k, opt.kernel, groups, srocc, plcc, rmse(cvPred, y))
	fmt.Printf("  settings chosen inside the folds: %v\n", chosen)
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
	// Stretch the shrunken ridge predictions back to the ratings' spread (measured on the
	// cross-validated predictions, as on new photos): ranks are untouched, and scores use
	// the whole range so that 50 keeps its meaning.
	a, b := stretch(cvPred, y)
	m := &quality.ClarityModel{
		Version: 2, Groups: groups, Features: quality.FeatureNames(groups...),
		Lo: lo, Hi: hi, Mean: std.Mean, Scale: std.Scale, OutA: a, OutB: b,
		Trained: quality.TrainInfo{
			Dataset: filepath.Base(dir), Images: len(samples), Folds: k, Seed: seed, Lambda: best.lambda,
			Model: opt.kernel, Setting: best.String(),
			CVSROCC: round4(srocc), CVPLCC: round4(plcc), CVRMSE: round4(rmse(cvPred, y)),
			Generated: "go run ./quality/cmd/train " + strings.Join(os.Args[1:], " "),
		},
	}
	if opt.kernel == "rbf" {
		fitted, err := rbfModel(m, space, z, y, ranges, best)
		if err != nil {
			return err
		}
		m.Trained.GroupWeights = best.rbf.groupWeights
		m.Trained.PCAKept = round4(best.rbf.pca.Kept)
		fmt.Printf("  %d components hold %.1f%% of the features' variance\n", opt.components, 100*best.rbf.pca.Kept)
		if err := checkDeployed(m, samples, fitted); err != nil {
			return err
		}
	} else {
		r, err := linfit.PrimalWeights(z, y, ranges, best.scales, best.lambda)
		if err != nil {
			return err
		}
		m.Weights, m.Bias, m.Trained.GroupWeights = r.W, r.Bias, best.scales
	}
	if nLadder > 0 {
		obs := measureLadders(ladderPhotos(samples, dir, nLadder))
		setRaw(obs, m)
		overall, worst, detail := ladderOrder(obs, m)
		fmt.Printf("ladders before penalties (%d photos + 6 scenes): %.1f%% ordered, worst ladder %.1f%% %s\n", nLadder, 100*overall, 100*worst, detail)
		cvScore := make([]float64, len(cvPred))
		meas := make([]quality.Measurement, len(samples))
		for i := range cvPred {
			cvScore[i] = a + b*cvPred[i]
			meas[i] = samples[i].M
		}
		pens := fitPenalties(m, obs, meas, cvScore, y)
		overall, worst, detail = ladderOrder(obs, m)
		final := make([]float64, len(cvScore))
		for i := range cvScore {
			final[i] = cvScore[i] - quality.PenaltyTotal(pens, meas[i].Components)
		}
		m.Trained.CVSROCC, m.Trained.CVPLCC = round4(linfit.Spearman(final, y)), round4(linfit.Pearson(final, y))
		m.Trained.Monotone = round4(overall)
		fmt.Printf("penalties %+v\n", pens)
		fmt.Printf("ladders after penalties: %.1f%% ordered, worst ladder %.1f%% %s\n", 100*overall, 100*worst, detail)
		fmt.Printf("final score, %d-fold nested CV: SROCC %.4f  PLCC %.4f\n", k, m.Trained.CVSROCC, m.Trained.CVPLCC)
	}
	if out == "" {
		return nil
	}
	if m.Kernel != nil {
		arrays := m.Kernel.EncodeArrays()
		m.Kernel.SHA256 = quality.ArraysDigest(arrays)
		if err := os.WriteFile(filepath.Join(filepath.Dir(out), kernelFile), arrays, 0o644); err != nil {
			return err
		}
	}
	b2, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(b2, '\n'), 0o644); err != nil {
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
	weights := map[string][]float64{"cnn": {1}, "cnn2": {0.5, 1}, "tech": {1, 2, 4, 8}, "content": {0, 1, 3}}
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
func nestedCV(g linfit.Gram, y []float64, k int, seed uint64, grid []hyper) ([]float64, []string, error) {
	pred := make([]float64, len(y))
	var chosen []string
	for _, test := range linfit.Folds(len(y), k, seed) {
		train := complement(len(y), test)
		h, err := bestHyper(g, y, train, 5, seed+7, grid)
		if err != nil {
			return nil, nil, err
		}
		chosen = append(chosen, h.String())
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

func stretch(pred, y []float64) (a, b float64) {
	mp, sp := meanStd(pred)
	my, sy := meanStd(y)
	b = sy / sp
	return my - b*mp, b
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
	if strings.Join(c.Names, ",") != strings.Join(quality.FeatureNames("tech", "content", "cnn", "cnn2"), ",") {
		return nil, false // features changed since: measure again
	}
	for i := range want {
		if c.Samples[i].File != want[i].File {
			return nil, false
		}
		c.Samples[i].MOS = want[i].MOS
	}
	return c.Samples, true
}

func writeCache(path string, s []sample) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = gob.NewEncoder(f).Encode(cacheFile{Names: quality.FeatureNames("tech", "content", "cnn", "cnn2"), Samples: s})
}
