package similar

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

var (
	setOnce   sync.Once
	sharedSet []labelled
)

// measurementSet is the generated set, made once per test binary: 30 scenes × 19 copies and
// 300 unrelated scenes (10 and 60 with -short, 6 and 30 under -race, which .ci/run follows
// with a full-size run).
func measurementSet(t testing.TB) []labelled {
	setOnce.Do(func() {
		bases, unrelated := 30, 300
		switch {
		case raceEnabled:
			bases, unrelated = 6, 30
		case testing.Short():
			bases, unrelated = 10, 60
		}
		sharedSet = testSet(t, bases, unrelated)
	})
	return sharedSet
}

// TestGroupingAccuracy measures grouping on the generated set and holds it to the issue's
// aim: precision ≥ 0.95 and recall ≥ 0.90 on near-duplicates. Run with -v to see the figures.
func TestGroupingAccuracy(t *testing.T) {
	set := measurementSet(t)
	s := measure(set, Find(items(set), DefaultOptions))
	t.Logf("%d images, options %+v", len(set), DefaultOptions)
	t.Logf("pairs grouped together: precision %.4f (%d true, %d false), recall %.4f", s.precision, s.truePairs, s.falsePairs, s.recall)
	t.Logf("original↔copy recall %.4f (%.4f within the near thresholds directly, the rest through other copies), original↔burst frame recall %.4f",
		s.nearRecall, s.directRecall, s.burstRecall)
	for _, m := range s.missedNear {
		t.Logf("missed copy: %s", m)
	}
	for _, m := range s.missedBurst {
		t.Logf("missed burst frame: %s", m)
	}
	for _, m := range s.falseExamples {
		t.Logf("false pair: %s", m)
	}
	if s.precision < 0.95 || s.nearRecall < 0.90 {
		t.Errorf("precision %.4f (want ≥ 0.95), copy recall %.4f (want ≥ 0.90)", s.precision, s.nearRecall)
	}
}

// TestDistancesByCopy logs, for each kind of copy, the largest P and D distance to its
// original, and the smallest between unrelated images: the margins the thresholds sit in.
func TestDistancesByCopy(t *testing.T) {
	set := measurementSet(t)
	orig := map[int]Fingerprint{}
	for _, l := range set {
		if l.variant == "original" {
			orig[l.base] = l.FP
		}
	}
	worst := map[string][2]int{}
	for _, l := range set {
		if l.base >= 0 && l.variant != "original" {
			w := worst[l.variant]
			worst[l.variant] = [2]int{max(w[0], Distance(orig[l.base], l.FP)), max(w[1], DDistance(orig[l.base], l.FP))}
		}
	}
	var lines []string
	for v, w := range worst {
		lines = append(lines, fmt.Sprintf("%-10s max P %2d, max D %2d", v, w[0], w[1]))
	}
	slices.Sort(lines)
	t.Logf("copy vs original:\n%s", strings.Join(lines, "\n"))
	minP, minD, within := 64, 64, 0
	for i := range set {
		for j := i + 1; j < len(set); j++ {
			if set[i].base < 0 || set[i].base != set[j].base {
				p, d := Distance(set[i].FP, set[j].FP), DDistance(set[i].FP, set[j].FP)
				minP, minD = min(minP, p), min(minD, d)
				if p <= DefaultOptions.Near && d <= DefaultOptions.NearD {
					within++
				}
			}
		}
	}
	t.Logf("unrelated pairs: min P %d, min D %d; %d within both near thresholds", minP, minD, within)
}

// BenchmarkGroupingAccuracy prints the accuracy figures as benchmark metrics:
// go test -run '^$' -bench GroupingAccuracy ./similar/
func BenchmarkGroupingAccuracy(b *testing.B) {
	set := measurementSet(b)
	it := items(set)
	var s score
	for b.Loop() {
		s = measure(set, Find(it, DefaultOptions))
	}
	b.ReportMetric(s.precision, "precision")
	b.ReportMetric(s.recall, "recall")
	b.ReportMetric(s.nearRecall, "copy-recall")
	b.ReportMetric(s.directRecall, "direct-copy-recall")
	b.ReportMetric(s.burstRecall, "burst-recall")
}
