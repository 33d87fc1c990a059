package content

import (
	"fmt"
	"image/jpeg"
	"math"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"lightbox/quality/internal/dataset"
	"lightbox/quality/internal/linfit"
	"lightbox/quality/internal/raster"
)

// The CLIVE calibration set (627 real phone photos with human technical-quality ratings) is
// a sanity check, not a target: there is no aesthetic rating here. It checks that real
// photos are rarely PureImage, that the scores spread out, and that AestheticScore agrees
// with the ratings a little (positively), with ClarityScore held fixed so only the content
// features speak.

func cliveDir(t *testing.T) string { return dataset.LocateOrSkip(t) }

type clivePhoto struct {
	file string
	mos  float64
	a    Analysis
}

func loadCliveAnalyses(t *testing.T, every int) []clivePhoto {
	dir := cliveDir(t)
	rated, err := dataset.ReadScores(dir)
	if err != nil {
		t.Fatal(err)
	}
	type job struct {
		file string
		mos  float64
	}
	var jobs []job
	for k, r := range rated {
		if k%every != 0 {
			continue
		}
		jobs = append(jobs, job{r.File, r.MOS})
	}
	// Decoding dominates; spread it over the cores.
	out := make([]clivePhoto, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(jobs); i += workers {
				m, err := loadJPEG(dataset.ImagePath(dir, jobs[i].file))
				if err != nil {
					errs[i] = fmt.Errorf("%s: %w", jobs[i].file, err)
					continue
				}
				out[i] = clivePhoto{jobs[i].file, jobs[i].mos, Analyze(m, m.Luma())}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// loadJPEG decodes a photo and brings it to the working scale (long side <= 512).
func loadJPEG(path string) (*raster.Image, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	im, err := jpeg.Decode(fh)
	if err != nil {
		return nil, err
	}
	m := raster.FromImage(im)
	if w, h := raster.FitWithin(m.W, m.H, 512); w != m.W || h != m.H {
		m = m.Resize(w, h)
	}
	return m, nil
}

func TestCliveSanity(t *testing.T) {
	every := 1
	switch {
	case raceEnabled:
		every = 20 // decoding 627 JPEGs under the race detector takes minutes
	case testing.Short():
		every = 5
	}
	photos := loadCliveAnalyses(t, every)
	n := len(photos)
	var aes, lq, mos []float64
	var pure []string
	for _, p := range photos {
		aes = append(aes, float64(Aesthetic(p.a, 50)))
		lq = append(lq, float64(LowQuality(p.a, 50)))
		mos = append(mos, p.mos)
		if p.a.Pure() {
			pure = append(pure, p.file)
		}
	}
	t.Logf("%d photos; PureImage flagged on %d: %v", n, len(pure), pure)
	if float64(len(pure)) > 0.02*float64(n) {
		t.Errorf("%d of %d real photos flagged PureImage, want at most 2%%", len(pure), n)
	}
	for _, s := range []struct {
		name string
		v    []float64
	}{{"AestheticScore", aes}, {"LowQualityScore", lq}} {
		q := quantiles(s.v)
		mode, share := modeShare(s.v)
		above := 0
		for _, x := range s.v {
			if x > 50 {
				above++
			}
		}
		t.Logf("%s: min %.0f p10 %.0f p25 %.0f median %.0f p75 %.0f p90 %.0f max %.0f; >50: %.0f%%; most common %.0f (%.0f%%); SROCC vs MOS %.3f",
			s.name, q[0], q[1], q[2], q[3], q[4], q[5], q[6], 100*float64(above)/float64(n), mode, 100*share, linfit.Spearman(s.v, mos))
		t.Logf("%s histogram by tens: %s", s.name, histTens(s.v))
		if q[4]-q[2] < 5 || share > 0.2 {
			t.Errorf("%s piles up: IQR %.0f, %.0f%% of photos at %.0f", s.name, q[4]-q[2], 100*share, mode)
		}
	}
	// A rank correlation on a few dozen photos is too noisy to assert.
	if r := linfit.Spearman(aes, mos); n >= 200 && r < 0.1 {
		t.Errorf("AestheticScore vs MOS SROCC %.3f, want a positive correlation (> 0.1)", r)
	}
}

func quantiles(v []float64) [7]float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	var q [7]float64
	for i, p := range []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 1} {
		q[i] = s[int(math.Round(p*float64(len(s)-1)))]
	}
	return q
}

func modeShare(v []float64) (float64, float64) {
	c := map[float64]int{}
	best, bn := 0.0, 0
	for _, x := range v {
		c[x]++
		if c[x] > bn || (c[x] == bn && x < best) {
			best, bn = x, c[x]
		}
	}
	return best, float64(bn) / float64(len(v))
}

func histTens(v []float64) string {
	var h [10]int
	for _, x := range v {
		h[min(int(x/10), 9)]++
	}
	parts := make([]string, 10)
	for i, c := range h {
		parts[i] = fmt.Sprintf("%d-%d:%d", 10*i, 10*i+9+btoi(i == 9), c)
	}
	return strings.Join(parts, " ")
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
