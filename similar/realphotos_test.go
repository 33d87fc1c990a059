package similar

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// cliveDir is the real-photo calibration set (627 photographs), beside the project or
// where $LIGHTBOX_CLIVE says.
func cliveDir() string {
	if d := os.Getenv("LIGHTBOX_CLIVE"); d != "" {
		return filepath.Join(d, "images")
	}
	return "../../shared/datasets/clive-calib/images"
}

// sameScene are the clive-calib pairs that are two shots of one scene (looked at by eye: a
// church interior, a bar, a cat, a stage three times): grouping them is right, not a false
// match.
var sameScene = map[[2]string]bool{
	{"896.JPG", "897.JPG"}: true, {"824.JPG", "825.JPG"}: true, {"705.JPG", "706.JPG"}: true,
	{"672.JPG", "694.JPG"}: true, {"671.JPG", "694.JPG"}: true,
}

// TestFalseMatchRateOnRealPhotos fingerprints the 627 photographs of clive-calib, meant to
// be unrelated, and counts the pairs the near thresholds would call the same picture: each
// is a false match unless it is one of the few true same-scene pairs in the set. Skipped
// when the dataset is absent.
func TestFalseMatchRateOnRealPhotos(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("decodes 627 photographs (run without -short and -race, as .ci/run does)")
	}
	paths, _ := filepath.Glob(filepath.Join(cliveDir(), "*.JPG"))
	if len(paths) == 0 {
		t.Skipf("no photographs in %s", cliveDir())
	}
	sort.Strings(paths)
	fps := make([]Fingerprint, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fp, err := Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		fps = append(fps, fp)
	}
	pairs := len(fps) * (len(fps) - 1) / 2
	var near, falseNear, nearPOnly, burst int
	hist := make([]int, 65)
	for i := range fps {
		for j := i + 1; j < len(fps); j++ {
			p, d := Distance(fps[i], fps[j]), DDistance(fps[i], fps[j])
			hist[p]++
			if p <= DefaultOptions.Near {
				nearPOnly++
				if d <= DefaultOptions.NearD {
					near++
					a, b := filepath.Base(paths[i]), filepath.Base(paths[j])
					if sameScene[[2]string{a, b}] {
						t.Logf("same scene, rightly matched: %s ~ %s (P %d, D %d)", a, b, p, d)
					} else {
						falseNear++
						t.Logf("false near match: %s ~ %s (P %d, D %d)", a, b, p, d)
					}
				}
			}
			if p <= DefaultOptions.Burst {
				burst++
			}
		}
	}
	cum := 0
	for p := 0; p <= 24; p += 2 {
		cum += hist[p] + hist[p+1]
		t.Logf("P ≤ %2d: %5d pairs (%.2e)", p+1, cum, float64(cum)/float64(pairs))
	}
	t.Logf("%d photographs, %d pairs: near (P ≤ %d and D ≤ %d) %d matches, %d of them false (rate %.2e); P alone %d (%.2e); burst threshold P ≤ %d without the time window %d (%.2e)",
		len(fps), pairs, DefaultOptions.Near, DefaultOptions.NearD, near, falseNear, float64(falseNear)/float64(pairs),
		nearPOnly, float64(nearPOnly)/float64(pairs), DefaultOptions.Burst, burst, float64(burst)/float64(pairs))
	if rate := float64(falseNear) / float64(pairs); rate > 1e-4 {
		t.Errorf("false near-match rate %.2e on unrelated photographs, want ≤ 1e-4", rate)
	}
}
