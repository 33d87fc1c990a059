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
	"encoding/csv"
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
		groups = flag.String("groups", "tech,content,cnn", "feature groups the model uses")
		folds  = flag.Int("folds", 10, "cross-validation folds")
		seed   = flag.Uint64("seed", 1, "fold shuffle seed")
		ladder = flag.Int("ladder-photos", 30, "photos used for the monotonicity ladders (0 = skip)")
		jobs   = flag.Int("j", runtime.GOMAXPROCS(0), "images measured in parallel")
	)
	flag.Parse()
	if err := run(*data, *out, *cache, strings.Split(*groups, ","), *folds, *seed, *ladder, *jobs); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(dir, out, cache string, groups []string, k int, seed uint64, ladderPhotos, jobs int) error {
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
	lambdas := []float64{1, 10, 30, 100, 300, 1000, 3000, 10000}
	cvPred, chosen, err := nestedCV(x, y, k, seed, lambdas)
	if err != nil {
		return err
	}
	srocc, plcc := linfit.Spearman(cvPred, y), linfit.Pearson(cvPred, y)
	fmt.Printf("%d-fold nested CV, groups %v: SROCC %.4f  PLCC %.4f  RMSE %.2f  (lambdas chosen per fold: %v)\n",
		k, groups, srocc, plcc, rmse(cvPred, y), chosen)
	for _, g := range groups {
		if len(groups) == 1 {
			break
		}
		xs := make([][]float64, len(samples))
		for i, s := range samples {
			xs[i] = vector(s.M, []string{g})
		}
		p, _, err := nestedCV(xs, y, k, seed, lambdas)
		if err == nil {
			fmt.Printf("  group %-8s alone: SROCC %.4f  PLCC %.4f\n", g, linfit.Spearman(p, y), linfit.Pearson(p, y))
		}
	}
	lambda, _ := bestLambda(x, y, k, seed+1, lambdas)
	std := linfit.FitStandardizer(x)
	z := make([][]float64, len(x))
	for i := range x {
		z[i] = std.Apply(nil, x[i])
	}
	r, err := linfit.FitRidge(z, y, lambda)
	if err != nil {
		return err
	}
	// Stretch the shrunken ridge predictions back to the ratings' spread (measured on the
	// cross-validated predictions, as on new photos): ranks are untouched, and scores use
	// the whole range so that 50 keeps its meaning.
	a, b := stretch(cvPred, y)
	m := &quality.ClarityModel{
		Version: 1, Groups: groups, Features: quality.FeatureNames(groups...),
		Mean: std.Mean, Scale: std.Scale, Weights: r.W, Bias: r.Bias, OutA: a, OutB: b,
		Trained: quality.TrainInfo{
			Dataset: filepath.Base(dir), Images: len(samples), Folds: k, Seed: seed, Lambda: lambda,
			CVSROCC: round4(srocc), CVPLCC: round4(plcc), CVRMSE: round4(rmse(cvPred, y)),
			Generated: "go run ./quality/cmd/train -data " + filepath.Base(dir) + " -groups " + strings.Join(groups, ","),
		},
	}
	if ladderPhotos > 0 {
		share, detail := ladderOrder(samples, m, dir, ladderPhotos)
		m.Trained.Monotone = round4(share)
		fmt.Printf("ladders on %d real photos: %.1f%% of ordered pairs in order %s\n", ladderPhotos, 100*share, detail)
	}
	if out == "" {
		return nil
	}
	b2, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(b2, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s (lambda %g)\n", out, lambda)
	return nil
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
		}
	}
	return v
}

// nestedCV predicts every photo from a model fitted without its fold, with lambda chosen
// by an inner cross-validation on that fold's training photos only.
func nestedCV(x [][]float64, y []float64, k int, seed uint64, lambdas []float64) ([]float64, []float64, error) {
	pred := make([]float64, len(y))
	var chosen []float64
	for _, test := range linfit.Folds(len(y), k, seed) {
		train := complement(len(y), test)
		xt, yt := pick(x, train), pickY(y, train)
		lambda, err := bestLambda(xt, yt, 5, seed+7, lambdas)
		if err != nil {
			return nil, nil, err
		}
		chosen = append(chosen, lambda)
		p, err := fitPredict(xt, yt, pick(x, test), lambda)
		if err != nil {
			return nil, nil, err
		}
		for i, idx := range test {
			pred[idx] = p[i]
		}
	}
	return pred, chosen, nil
}

func bestLambda(x [][]float64, y []float64, k int, seed uint64, lambdas []float64) (float64, error) {
	best, bestS := lambdas[0], math.Inf(-1)
	for _, l := range lambdas {
		pred := make([]float64, len(y))
		for _, test := range linfit.Folds(len(y), k, seed) {
			train := complement(len(y), test)
			p, err := fitPredict(pick(x, train), pickY(y, train), pick(x, test), l)
			if err != nil {
				return 0, err
			}
			for i, idx := range test {
				pred[idx] = p[i]
			}
		}
		if s := linfit.Spearman(pred, y); s > bestS {
			best, bestS = l, s
		}
	}
	return best, nil
}

func fitPredict(xTrain [][]float64, yTrain []float64, xTest [][]float64, lambda float64) ([]float64, error) {
	std := linfit.FitStandardizer(xTrain)
	z := make([][]float64, len(xTrain))
	for i := range xTrain {
		z[i] = std.Apply(nil, xTrain[i])
	}
	r, err := linfit.FitRidge(z, yTrain, lambda)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(xTest))
	buf := make([]float64, len(xTest[0]))
	for i, v := range xTest {
		out[i] = r.Predict(std.Apply(buf, v))
	}
	return out, nil
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
	f, err := os.Open(filepath.Join(dir, "scores.csv"))
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("scores.csv: %w", err)
	}
	if len(rows) < 2 || len(rows[0]) < 2 || rows[0][0] != "file" || rows[0][1] != "mos" {
		return nil, errors.New("scores.csv must start with the header file,mos")
	}
	var samples []sample
	for _, r := range rows[1:] {
		mos, err := strconv.ParseFloat(r[1], 64)
		if err != nil {
			return nil, fmt.Errorf("scores.csv: %s: bad mos %q", r[0], r[1])
		}
		samples = append(samples, sample{File: r[0], MOS: mos})
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
			b, err := os.ReadFile(filepath.Join(dir, "images", samples[i].File))
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
	if strings.Join(c.Names, ",") != strings.Join(quality.FeatureNames("tech", "content", "cnn"), ",") {
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
	_ = gob.NewEncoder(f).Encode(cacheFile{Names: quality.FeatureNames("tech", "content", "cnn"), Samples: s})
}
