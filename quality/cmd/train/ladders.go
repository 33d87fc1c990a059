package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"image/jpeg"
	"math"
	"os"
	"strings"
	"sync"

	"lightbox/quality"
	"lightbox/quality/internal/dataset"
	"lightbox/quality/internal/features"
	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

// rung is one degraded copy of a rated photo, measured once. Rung 0 of every ladder is the
// photo itself (losslessly re-saved, or at JPEG quality 95); each later rung is worse.
type rung struct {
	Photo  int    // index into the samples
	Ladder string // blur, noise, jpeg, underexposure, overexposure
	Step   int
	M      quality.Measurement
	raw    float64 // the regression's output from a model not fitted on Photo (out of fold)
}

// ladderPhotos picks n rated photos to degrade: well exposed (quality.WellExposed: a
// darker or brighter copy of any other photo may be a repair, and the fit must not learn to
// punish repairs) and rated at least 50 (a photo already destroyed has nowhere to fall),
// spread evenly over the file order so that they fall in every fold.
func ladderPhotos(samples []sample, n int) []int {
	var ok []int
	for i, s := range samples {
		if s.MOS >= 50 && quality.WellExposed(s.M) {
			ok = append(ok, i)
		}
	}
	if n >= len(ok) {
		return ok
	}
	out := make([]int, n)
	for k := range out {
		out[k] = ok[k*len(ok)/n]
	}
	return out
}

// pngLadder adds the JPEG ladder re-saved as PNG to the fit (flag -png-ladder): without it
// nothing asks the compression component's pixel evidence to count, since every JPEG rung
// also carries its header.
var pngLadder = false

// trainingLadders are the ladders measured and fitted: issue 16's five, and the re-saved
// JPEG ladder when asked for.
func trainingLadders() []synth.Ladder {
	l := synth.ClarityLadders()
	if pngLadder {
		l = append(l, synth.ResavedJPEGLadder())
	}
	return l
}

// bestKey is the key (exp.key_stops) at which the ratings peak: the mean opinion score
// smoothed with a 0.25-stop Gaussian, highest on a 0.01-stop grid. quality.BestKey records it.
func bestKey(samples []sample) float64 {
	const bandwidth = 0.25
	best, at := math.Inf(-1), 0.0
	for k := -1.0; k <= 1.5+1e-9; k += 0.01 {
		var sw, sm float64
		for _, s := range samples {
			d := (s.M.Tech[features.ExpKey] - k) / bandwidth
			w := math.Exp(-d * d / 2)
			sw += w
			sm += w * s.MOS
		}
		if sw > 0 && sm/sw > best {
			best, at = sm/sw, k
		}
	}
	return math.Round(at*100) / 100
}

// measureLadders degrades each photo along every clarity ladder and measures each rung,
// reusing the cache file when it holds exactly these photos, ladders and features.
func measureLadders(dir string, samples []sample, photos []int, cache string, jobs int) ([]rung, error) {
	key := ladderKey(samples, photos)
	if cache != "" {
		if r, ok := readLadderCache(cache, key); ok {
			return r, nil
		}
	}
	type job struct {
		r    *rung
		data []byte
	}
	var rungs []*rung
	var jobsList []job
	for _, p := range photos {
		b, err := os.ReadFile(dataset.ImagePath(dir, samples[p].File))
		if err != nil {
			return nil, err
		}
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", samples[p].File, err)
		}
		m := raster.FromImage(img)
		for _, l := range trainingLadders() {
			for step, data := range l.Rungs(m) {
				r := &rung{Photo: p, Ladder: l.Name, Step: step}
				rungs = append(rungs, r)
				jobsList = append(jobsList, job{r, data})
			}
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(jobsList))
	sem := make(chan struct{}, max(jobs, 1))
	for i, j := range jobsList {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			j.r.M, errs[i] = quality.Measure(j.data, quality.Options{})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make([]rung, len(rungs))
	for i, r := range rungs {
		out[i] = *r
	}
	if cache != "" {
		writeLadderCache(cache, key, out)
	}
	return out, nil
}

// ladderKey names what a ladder cache holds: the photos, the ladders' steps, the features.
func ladderKey(samples []sample, photos []int) string {
	h := sha256.New()
	for _, p := range photos {
		fmt.Fprintln(h, samples[p].File)
	}
	for _, l := range trainingLadders() {
		fmt.Fprintln(h, l.Name, strings.Join(l.Steps, ","))
	}
	fmt.Fprintln(h, strings.Join(quality.FeatureNames("tech", "content", "cnn", "crop", "cnn2"), ","))
	return fmt.Sprintf("%x", h.Sum(nil))
}

type ladderCache struct {
	Key   string
	Rungs []rung
}

func readLadderCache(path, key string) ([]rung, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	var c ladderCache
	if err := gob.NewDecoder(f).Decode(&c); err != nil || c.Key != key {
		return nil, false
	}
	for i := range c.Rungs {
		recomputeComponents(&c.Rungs[i].M)
	}
	return c.Rungs, true
}

func writeLadderCache(path, key string, r []rung) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	_ = gob.NewEncoder(f).Encode(ladderCache{Key: key, Rungs: r})
}

// series groups the rungs by photo and ladder, rung 0 first.
func series(rungs []rung) [][]int {
	var out [][]int
	for i := 0; i < len(rungs); {
		j := i
		for j < len(rungs) && rungs[j].Photo == rungs[i].Photo && rungs[j].Ladder == rungs[i].Ladder {
			j++
		}
		s := make([]int, 0, j-i)
		for k := i; k < j; k++ {
			s = append(s, k)
		}
		out = append(out, s)
		i = j
	}
	return out
}
