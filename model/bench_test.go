package model

import (
	"lightbox/score"
	"testing"
)

const benchN = 100_000

// BenchmarkResort100k re-sorts 100,000 items whose scores all changed: the worst case of
// the UI's periodic Resort.
func BenchmarkResort100k(b *testing.B) {
	for _, s := range []string{"name", "-clarity", "size"} {
		b.Run(s, func(b *testing.B) {
			l := bigList(benchN, 1)
			f, desc, _ := ParseSort(s)
			l.SetSort(f, desc)
			key := l.At(l.Len() / 2).Key
			b.ResetTimer()
			for b.Loop() {
				l.dirty = true
				l.Resort(key)
			}
		})
	}
}

// BenchmarkFilter100k applies a filter to 100,000 items (SetFilter also re-sorts).
func BenchmarkFilter100k(b *testing.B) {
	for _, tc := range []struct {
		name string
		f    Filter
	}{
		{"name", Filter{Name: "img_01"}},
		{"clarity-pure", Filter{Below: Bounds{score.Clarity: 40}, Flags: FlagPure}},
		{"cjk", Filter{Name: "海滩"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			l := bigList(benchN, 2)
			b.ResetTimer()
			for b.Loop() {
				l.SetFilter(tc.f)
			}
		})
	}
}

// BenchmarkSetScore is one answer landing in a list of 100,000.
func BenchmarkSetScore(b *testing.B) {
	l := bigList(benchN, 3)
	s := sc(40, 50, 60, FlagPure)
	for i := 0; b.Loop(); i++ {
		it := l.all[i%benchN]
		l.SetScore(it.Key, it.ETag, s)
	}
}

// BenchmarkQueueNext asks for the next 4 images with a 60-row window, as the UI's scorer
// does each time a slot frees up, until all 100,000 are handed out, then starts again.
func BenchmarkQueueNext(b *testing.B) {
	l := bigList(benchN, 4)
	reset := func() {
		for _, it := range l.all {
			l.setState(it, Waiting)
		}
	}
	reset()
	for i := 0; b.Loop(); i++ {
		from := (i * 37) % benchN
		if len(l.Next(from, from+60, 4)) == 0 {
			b.StopTimer()
			reset()
			b.StartTimer()
		}
	}
}

// BenchmarkAddPage100k streams 100 pages of 1,000 into a list sorted by clarity.
func BenchmarkAddPage100k(b *testing.B) {
	src := bigList(benchN, 5)
	var pages [][]*Item
	for i := 0; i < benchN; i += 1000 {
		pages = append(pages, src.all[i:i+1000])
	}
	for b.Loop() {
		l := NewList("shoot/")
		l.SetSort(SortClarity, true)
		for _, p := range pages {
			l.AddPage(toPage(p))
		}
	}
}

// BenchmarkMemory100k reports what 100,000 listed, scored and sorted items cost, in bytes
// per item, with and without the key strings (which the listing owns anyway).
func BenchmarkMemory100k(b *testing.B) {
	for b.Loop() {
		all, beyond := memoryPerItem()
		b.ReportMetric(all, "bytes/item")
		b.ReportMetric(beyond, "bytes/item-beyond-names")
	}
}
