package ui

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"lightbox/cosapi"
	"lightbox/keymap"
	"lightbox/score"
)

// bigModel is a reviewer holding 100,000 scored images, built without I/O.
func bigModel(b *testing.B) *Model {
	b.Helper()
	fake := newFake()
	m := New(Options{Backend: fake, Target: "cos://big-1250000000/", Keys: keymap.Default(), Theme: ThemeDark,
		Now: func() time.Time { return epoch }, After: func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	rng := rand.New(rand.NewPCG(7, 7))
	for p := range 100 {
		page := cosapi.Page{Truncated: p < 99}
		for i := range 1000 {
			n := p*1000 + i
			page.Objects = append(page.Objects, cosapi.Object{Key: fmt.Sprintf("shoot/IMG_%06d.jpg", n), Size: int64(100_000 + n),
				ETag: fmt.Sprintf(`"%032x"`, n), LastModified: epoch.Add(-time.Duration(n) * time.Minute), StorageClass: "STANDARD"})
		}
		m.list.AddPage(page)
	}
	m.list.SetComplete()
	for i := range m.list.Total() {
		it := m.list.At(i)
		m.list.SetScore(it.Key, it.ETag, score.Scores{ClarityScore: rng.IntN(101), AestheticScore: rng.IntN(101), LowQualityScore: rng.IntN(101)})
	}
	m.list.Resort("")
	return m
}

// BenchmarkKeyAndFrame100k is one key press handled and the frame rendered with 100,000
// images loaded: what the operator feels on every j.
func BenchmarkKeyAndFrame100k(b *testing.B) {
	m := bigModel(b)
	pressAndDraw(b, m)
}

// BenchmarkResortByClarity100k re-sorts 100,000 images, keeping the cursor on its image.
func BenchmarkResortByClarity100k(b *testing.B) {
	m := bigModel(b)
	s := tea.KeyPressMsg{Code: 'S', Text: "S"} // reverse: a full re-sort each time
	m.Update(tea.KeyPressMsg{Code: 's', Text: "s"})
	for b.Loop() {
		m.Update(s)
	}
}

// BenchmarkMemoryPerItem reports the heap held per image beyond its name.
func BenchmarkMemoryPerItem(b *testing.B) {
	for b.Loop() {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		m := bigModel(b)
		runtime.GC()
		runtime.ReadMemStats(&after)
		names := 0
		for i := range m.list.Total() {
			names += len(m.list.At(i).Key) + len(m.list.At(i).ETag)
		}
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)-int64(names))/float64(m.list.Total()), "bytes/item")
		runtime.KeepAlive(m)
	}
}

// pressAndDraw times one key and one frame: 50 presses of j, then 50 of k, so the cursor
// walks a stretch of the list and back, as an operator's would.
func pressAndDraw(b *testing.B, m *Model) {
	down := tea.KeyPressMsg{Code: 'j', Text: "j"}
	up := tea.KeyPressMsg{Code: 'k', Text: "k"}
	i := 0
	for b.Loop() {
		key := down
		if i%100 >= 50 {
			key = up
		}
		i++
		m.Update(key)
		_ = m.View()
	}
}
