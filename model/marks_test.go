package model

import (
	"strings"
	"testing"
)

// markedNames are the marked keys, prefix cut off, in Marked's order.
func markedNames(l *List) string {
	return strings.ReplaceAll(strings.Join(l.MarkedKeys(), " "), l.prefix, "")
}

func TestMarks(t *testing.T) {
	// fixture rows: 0 a/  1 b/  2 a.jpg  3 b.jpg  4 c.jpg  5 d.jpg  6 e.jpg  7 f.jpg
	tests := []struct {
		name    string
		do      func(l *List) int
		changed int
		want    string
	}{
		{"toggle on", func(l *List) int { return b2i(l.ToggleMark(3)) }, 1, "b.jpg"},
		{"toggle twice", func(l *List) int { l.ToggleMark(3); return b2i(l.ToggleMark(3)) }, 0, ""},
		{"toggle a folder", func(l *List) int { return b2i(l.ToggleMark(0)) }, 0, ""},
		{"toggle out of range", func(l *List) int { return b2i(l.ToggleMark(8)) + b2i(l.ToggleMark(-1)) }, 0, ""},
		{"range", func(l *List) int { return l.MarkRange(3, 5, true) }, 3, "b.jpg c.jpg d.jpg"},
		{"range backwards", func(l *List) int { return l.MarkRange(5, 3, true) }, 3, "b.jpg c.jpg d.jpg"},
		{"range over folders, clamped", func(l *List) int { return l.MarkRange(-4, 2, true) }, 1, "a.jpg"},
		{"range past the end", func(l *List) int { return l.MarkRange(6, 99, true) }, 2, "e.jpg f.jpg"},
		{"range off", func(l *List) int { l.MarkRange(2, 7, true); return l.MarkRange(3, 4, false) }, 2, "a.jpg d.jpg e.jpg f.jpg"},
		{"all visible", func(l *List) int { return l.MarkAllVisible() }, 6, "a.jpg b.jpg c.jpg d.jpg e.jpg f.jpg"},
		{"invert", func(l *List) int { l.ToggleMark(2); return l.InvertVisible() }, 6, "b.jpg c.jpg d.jpg e.jpg f.jpg"},
		{"set by key", func(l *List) int {
			return b2i(l.SetMark("p/e.jpg", true)) + b2i(l.SetMark("p/e.jpg", true)) + b2i(l.SetMark("p/a/", true)) + b2i(l.SetMark("nope", true))
		}, 1, "e.jpg"},
		{"clear", func(l *List) int { l.MarkAllVisible(); return l.ClearMarks() }, 6, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := fixture(t)
			if n := tc.do(l); n != tc.changed {
				t.Errorf("changed %d, want %d", n, tc.changed)
			}
			if got := markedNames(l); got != tc.want {
				t.Errorf("marked %q, want %q", got, tc.want)
			}
			check(t, l)
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestMarksSurviveSortAndFilter(t *testing.T) {
	l := fixture(t)
	l.MarkRange(2, 4, true) // a b c
	l.SetSort(SortClarity, true)
	if got := markedNames(l); got != "a.jpg b.jpg c.jpg" {
		t.Errorf("after sort (a d b c f e), Marked in order: %s", got)
	}
	l.SetFilter(Filter{OnlyScored: true}) // a d b
	if got := markedNames(l); got != "a.jpg b.jpg c.jpg" {
		t.Errorf("hidden marks are still marks: %s", got)
	}
	if l.InvertVisible() != 3 || markedNames(l) != "d.jpg c.jpg" {
		t.Errorf("invert touches visible rows only: %s", markedNames(l))
	}
	l.SetFilter(Filter{OnlyMarked: true})
	if got := names(l); got != "d.jpg c.jpg" {
		t.Errorf("marked filter rows %s", got)
	}
	l.ToggleMark(0) // unmark d: its row stays until Resort
	if got := names(l); got != "d.jpg c.jpg" {
		t.Errorf("rows moved before Resort: %s", got)
	}
	if i := l.Resort("p/d.jpg"); names(l) != "c.jpg" || i != 0 {
		t.Errorf("after Resort: %s, cursor %d", names(l), i)
	}
	l.SetMark("p/a.jpg", true)
	if l.IndexOfKey("p/a.jpg") >= 0 {
		t.Fatal("a.jpg should be hidden")
	}
	if l.ClearMarks() != 2 || l.Counts().Marked != 0 || len(l.Marked()) != 0 || l.Item("p/a.jpg").Marked {
		t.Error("ClearMarks must clear hidden marks too")
	}
	check(t, l)
}
