package features

import (
	"fmt"
	"strings"
	"testing"

	"lightbox/quality/internal/raster"
	"lightbox/quality/synth"
)

// componentOf picks the component a ladder is meant to move.
var ladderTarget = map[string]int{"blur": 0, "noise": 1, "under": 2, "over": 2, "jpeg": 3, "jpeg-png": 3}

var componentNames = [4]string{"Blur", "Noise", "Exposure", "Compression"}

func asArray(c Components) [4]float64 { return [4]float64{c.Blur, c.Noise, c.Exposure, c.Compression} }

// ladderResult runs one ladder on base and returns the share of strictly ordered pairs of
// the target component and, for every component, the largest drop below its first value.
func ladderResult(base *raster.Image, l ladder) (share float64, drop [4]float64, trace string) {
	var seq [4][]float64
	for _, lv := range l.levels {
		in := l.make(base, lv)
		c := asArray(ComponentsOf(in, Technical(in)))
		for k := range c {
			seq[k] = append(seq[k], c[k])
		}
	}
	tk := ladderTarget[l.name]
	var sb strings.Builder
	for k := range seq {
		for _, x := range seq[k] {
			drop[k] = max(drop[k], seq[k][0]-x)
		}
		fmt.Fprintf(&sb, "  %-11s", componentNames[k])
		for _, x := range seq[k] {
			fmt.Fprintf(&sb, " %6.1f", x)
		}
		sb.WriteString("\n")
	}
	return orderedShare(seq[tk]), drop, sb.String()
}

// TestComponentLadders: on three generated scenes, each component falls along its own
// ladder (>= 90% of ordered pairs strictly ordered) and the others do not collapse.
func TestComponentLadders(t *testing.T) {
	if raceEnabled {
		// 130 synthesised, encoded and measured images: minutes under the race detector,
		// which has nothing to find in this single-goroutine arithmetic (TestConcurrentUse
		// covers concurrency).
		t.Skip("ladders: skipped under -race")
	}
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed%d", seed), func(t *testing.T) {
			t.Parallel()
			base := synth.Scene(seed, 500, 375)
			for _, l := range ladders {
				share, drop, trace := ladderResult(base, l)
				tk := ladderTarget[l.name]
				t.Logf("%s %v: %s ordered %.0f%%; largest drops (B,N,E,C) %.0f\n%s", l.name, l.levels, componentNames[tk], 100*share, drop, trace)
				if share < 0.9 {
					t.Errorf("%s: %s ordered on only %.0f%% of pairs", l.name, componentNames[tk], 100*share)
				}
				for k := range drop {
					// Other components may rise (a blurred image has less visible noise) but
					// must not collapse: at most 35 points below where they started.
					if k != tk && drop[k] > 35 {
						t.Errorf("%s: %s fell by %.0f points", l.name, componentNames[k], drop[k])
					}
				}
			}
		})
	}
}

// TestRecompressedPNGStillScoresLow: without any header evidence, a JPEG-damaged image saved
// losslessly scores clearly below its clean original from quality 40 down.
func TestRecompressedPNGStillScoresLow(t *testing.T) {
	base := synth.Scene(4, 500, 375)
	clean := plainInput(base)
	c0 := ComponentsOf(clean, Technical(clean)).Compression
	for _, q := range []int{40, 25, 10} {
		in := jpegInput(base, q)
		in.JPEG, in.FileBytes = nil, 0
		c := ComponentsOf(in, Technical(in)).Compression
		if c > c0-30 {
			t.Errorf("quality %d re-saved losslessly: Compression %.1f, clean %.1f", q, c, c0)
		}
	}
}

// TestRealPhotoLadders runs the ladders on five well-rated CLIVE photos and reports the
// pair-order percentages (under -v). Blur, noise and JPEG (with its header) must order at
// least 90% of pairs; exposure ladders start from whatever exposure the photographer chose,
// so they are reported and held to 80%.
func TestRealPhotoLadders(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("real-photo ladders: skipped under -short and -race")
	}
	loadCLIVE(t)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-9s", "photo")
	for _, l := range ladders {
		fmt.Fprintf(&sb, " %9s", l.name)
	}
	sb.WriteString("\n")
	for _, name := range realLadderPhotos {
		base := loadCLIVEImage(t, name).Img
		fmt.Fprintf(&sb, "%-9s", name)
		for _, l := range ladders {
			share, _, _ := ladderResult(base, l)
			fmt.Fprintf(&sb, " %8.0f%%", 100*share)
			limit := 0.9
			switch l.name {
			case "under", "over", "jpeg-png":
				limit = 0.8
			}
			if share < limit {
				t.Errorf("%s %s: %s ordered on %.0f%% of pairs", name, l.name, componentNames[ladderTarget[l.name]], 100*share)
			}
		}
		sb.WriteString("\n")
	}
	t.Log("share of strictly ordered pairs, target component per ladder:\n" + sb.String())
}

// The exposure component peaks where the ratings do (BestKey) and a copy one ladder rung
// darker (-0.7 stop) or brighter (+0.6 stop) of a photo there, clipped or not, scores
// clearly lower: --details must not call a brightened copy of a well-exposed photo better
// exposed.
func TestExposurePeaksAtBestKey(t *testing.T) {
	at := func(key float64) float64 {
		v := make([]float64, NumFeatures)
		v[ExpKey] = key
		return exposureScore(v)
	}
	best, bestAt := 0.0, 0.0
	for k := -3.0; k <= 3; k += 0.01 {
		if s := at(k); s > best {
			best, bestAt = s, k
		}
	}
	if bestAt < BestKey-0.1 || bestAt > BestKey+0.15 {
		t.Errorf("exposure peaks at key %+.2f, want near BestKey %+.2f", bestAt, BestKey)
	}
	for _, step := range []float64{-0.7, 0.6} {
		if d := at(BestKey) - at(BestKey+step); d < 10 {
			t.Errorf("a copy %+.1f stop from the best key scores only %.1f below it", step, d)
		}
	}
	for k := BestKey + 0.6; k <= 3; k += 0.1 {
		if at(k) > at(k-0.1) {
			t.Errorf("exposure rises from key %+.1f to %+.1f", k-0.1, k)
		}
	}
}
