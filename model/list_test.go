package model

import (
	"testing"
	"time"

	"lightbox/cosapi"
	"lightbox/internal/cosrules"
	"lightbox/score"
)

func TestAddPageStreaming(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		pages  []cosapi.Page
		added  []int
		want   string // visible rows, prefix cut off
	}{
		{"one page", "p/", []cosapi.Page{page("p/a.jpg", "p/b.jpg")}, []int{2}, "a.jpg b.jpg"},
		{"pages append", "p/", []cosapi.Page{page("p/a.jpg"), page("p/b.jpg", "p/c.jpg")}, []int{1, 2}, "a.jpg b.jpg c.jpg"},
		{"folders first", "p/", []cosapi.Page{page("p/a.jpg", "p/m/", "p/z.jpg")}, []int{3}, "m/ a.jpg z.jpg"},
		{"folder in a later page goes above", "p/", []cosapi.Page{page("p/a.jpg", "p/b.jpg"), page("p/c/", "p/d.jpg")}, []int{2, 2}, "c/ a.jpg b.jpg d.jpg"},
		{"overlapping pages (a retried page)", "p/", []cosapi.Page{page("p/a.jpg", "p/b.jpg"), page("p/b.jpg", "p/c.jpg", "p/c.jpg")}, []int{2, 1}, "a.jpg b.jpg c.jpg"},
		{"repeated folder", "p/", []cosapi.Page{page("p/x/"), page("p/x/", "p/y/")}, []int{1, 1}, "x/ y/"},
		{"folder marker and strangers skipped", "p/", []cosapi.Page{page("p/", "p/a.jpg", "q/b.jpg", "p/sub/")}, []int{2}, "sub/ a.jpg"},
		{"object key ending in / skipped", "p/", []cosapi.Page{{Objects: []cosapi.Object{obj("p/", 0, 0), obj("p/x/", 0, 0)}}}, []int{0}, ""},
		{"page out of order", "p/", []cosapi.Page{page("p/c.jpg", "p/d.jpg"), page("p/a.jpg", "p/e.jpg")}, []int{2, 2}, "a.jpg c.jpg d.jpg e.jpg"},
		{"empty page", "p/", []cosapi.Page{{}}, []int{0}, ""},
		{"bucket top", "", []cosapi.Page{page("2023/", "2024/", "x.png")}, []int{3}, "2023/ 2024/ x.png"},
		{"root ending mid-name", "shoot/IMG_", []cosapi.Page{page("shoot/IMG_1.jpg", "shoot/IMG_x/")}, []int{2}, "x/ 1.jpg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := NewList(tc.prefix)
			for i, p := range tc.pages {
				if n := l.AddPage(p); n != tc.added[i] {
					t.Errorf("page %d added %d, want %d", i, n, tc.added[i])
				}
				check(t, l)
			}
			if got := names(l); got != tc.want {
				t.Errorf("rows %q, want %q", got, tc.want)
			}
			if l.Complete() {
				t.Error("complete before SetComplete")
			}
			l.SetComplete()
			if !l.Complete() {
				t.Error("not complete after SetComplete")
			}
		})
	}
}

func TestItemFields(t *testing.T) {
	l := NewList("2024/")
	o := obj("2024/beach/../海滩 01.JPG", 1234, 5)
	o.StorageClass = "STANDARD_IA"
	l.AddPage(cosapi.Page{Prefixes: []string{"2024/beach/"}, Objects: []cosapi.Object{o}})
	it := l.Item(o.Key)
	if it == nil || it.Name != "海滩 01.JPG" || it.Size != 1234 || !it.Modified.Equal(o.LastModified) ||
		it.ETag != o.ETag || it.StorageClass != "STANDARD_IA" || it.IsPrefix || it.State != Waiting {
		t.Errorf("object item %+v", it)
	}
	if p := l.Item("2024/beach/"); p == nil || p.Name != "beach/" || !p.IsPrefix {
		t.Errorf("prefix item %+v", p)
	}
	if l.Marker() != o.Key || l.Prefix() != "2024/" || l.Total() != 2 {
		t.Errorf("marker %q prefix %q total %d", l.Marker(), l.Prefix(), l.Total())
	}
	if l.Item("nope") != nil || l.IndexOfKey("nope") != -1 || l.At(-1) != nil || l.At(2) != nil {
		t.Error("lookups of missing things should be empty")
	}
	if !l.SetTags(o.Key, []cosrules.Tag{{Key: "k", Value: "v"}}) || len(it.Tags) != 1 || l.SetTags("2024/beach/", nil) || l.SetTags("nope", nil) {
		t.Error("SetTags")
	}
}

func TestBaseName(t *testing.T) {
	for key, want := range map[string]string{
		"a.jpg": "a.jpg", "x/y/a.jpg": "a.jpg", "x/y/": "y/", "x/": "x/", "": "", "x//": "/", "海/滩.jpg": "滩.jpg",
	} {
		if got := baseName(key); got != want {
			t.Errorf("baseName(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestUpdatesForStaleOrUnknownItemsAreIgnored(t *testing.T) {
	good := sc(80, 80, 80, 0)
	tests := []struct {
		name   string
		update func(l *List) bool
	}{
		{"score, old etag", func(l *List) bool { return l.SetScore("p/c.jpg", `"old"`, good) }},
		{"score, no etag", func(l *List) bool { return l.SetScore("p/c.jpg", "", good) }},
		{"score, unknown key", func(l *List) bool { return l.SetScore("p/zz.jpg", etag("p/zz.jpg"), good) }},
		{"score, a prefix", func(l *List) bool { return l.SetScore("p/a/", "", good) }},
		{"failure, old etag", func(l *List) bool { return l.SetFailed("p/c.jpg", `"old"`, cosapi.KindServer, "x") }},
		{"failure, unknown key", func(l *List) bool { return l.SetFailed("p/zz.jpg", "", cosapi.KindServer, "x") }},
		{"scoring, unknown key", func(l *List) bool { return l.SetScoring("p/zz.jpg") }},
		{"scoring, a prefix", func(l *List) bool { return l.SetScoring("p/a/") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := fixture(t)
			before := l.Counts()
			c := *l.Item("p/c.jpg")
			if tc.update(l) {
				t.Error("update accepted")
			}
			if l.Counts() != before || l.Item("p/c.jpg").State != c.State || l.Item("p/c.jpg").Scores != c.Scores {
				t.Error("a refused update changed something")
			}
			check(t, l)
		})
	}
}

func TestChangedObjectIsScoredAgain(t *testing.T) {
	l := fixture(t)
	old := etag("p/a.jpg")
	l.ToggleMark(l.IndexOfKey("p/a.jpg"))
	changed := obj("p/a.jpg", 999, 9)
	changed.ETag = `"new"`
	if n := l.AddPage(cosapi.Page{Objects: []cosapi.Object{changed}}); n != 0 {
		t.Errorf("a changed object counted as new: %d", n)
	}
	it := l.Item("p/a.jpg")
	if it.State != Waiting || it.Scores != (score.Scores{}) || it.Size != 999 || it.ETag != `"new"` || !it.Marked {
		t.Errorf("changed item %+v", it)
	}
	check(t, l)
	if l.SetScore("p/a.jpg", old, sc(1, 1, 1, 0)) {
		t.Error("the old version's late score was accepted")
	}
	if !l.SetScore("p/a.jpg", `"new"`, sc(2, 2, 2, 0)) || it.Scores.ClarityScore != 2 {
		t.Error("the new version's score was refused")
	}
	check(t, l)
}

func TestCounts(t *testing.T) {
	l := fixture(t)
	want := Counts{Prefixes: 2, Images: 6, Waiting: 1, Scoring: 1, Scored: 3, Failed: 1}
	if l.Counts() != want {
		t.Fatalf("fixture counts %+v, want %+v", l.Counts(), want)
	}
	steps := []struct {
		name string
		do   func()
		want Counts
	}{
		{"waiting starts scoring", func() { l.SetScoring("p/c.jpg") }, Counts{Prefixes: 2, Images: 6, Scoring: 2, Scored: 3, Failed: 1}},
		{"scoring scored", func() { l.SetScore("p/c.jpg", etag("p/c.jpg"), sc(1, 2, 3, 0)) }, Counts{Prefixes: 2, Images: 6, Scoring: 1, Scored: 4, Failed: 1}},
		{"scored again", func() { l.SetScore("p/c.jpg", etag("p/c.jpg"), sc(4, 5, 6, 0)) }, Counts{Prefixes: 2, Images: 6, Scoring: 1, Scored: 4, Failed: 1}},
		{"scoring fails", func() { l.SetFailed("p/f.jpg", etag("p/f.jpg"), cosapi.KindNetwork, "reset") }, Counts{Prefixes: 2, Images: 6, Scored: 4, Failed: 2}},
		{"canceled goes back to waiting", func() { l.SetFailed("p/e.jpg", etag("p/e.jpg"), cosapi.KindCanceled, "") }, Counts{Prefixes: 2, Images: 6, Waiting: 1, Scored: 4, Failed: 1}},
		{"mark two", func() { l.MarkRange(0, 3, true) }, Counts{Prefixes: 2, Images: 6, Waiting: 1, Scored: 4, Failed: 1, Marked: 2}},
		{"requeue", func() { l.Requeue("p/a.jpg", "p/f.jpg", "p/a/") }, Counts{Prefixes: 2, Images: 6, Waiting: 3, Scored: 3, Marked: 2}},
		{"new page", func() { l.AddPage(page("p/g.jpg", "p/z/")) }, Counts{Prefixes: 3, Images: 7, Waiting: 4, Scored: 3, Marked: 2}},
		{"remove a marked one", func() { l.Remove("", "p/a.jpg", "p/z/", "p/nope") }, Counts{Prefixes: 2, Images: 6, Waiting: 3, Scored: 3, Marked: 1}},
		{"clear marks", func() { l.ClearMarks() }, Counts{Prefixes: 2, Images: 6, Waiting: 3, Scored: 3}},
	}
	for _, s := range steps {
		s.do()
		if got := l.Counts(); got != s.want {
			t.Errorf("%s: counts %+v, want %+v", s.name, got, s.want)
		}
		check(t, l)
	}
}

func TestRemoveMovesCursorToNeighbour(t *testing.T) {
	tests := []struct {
		name, cursor string
		remove       []string
		want         string // key under the cursor after, "" for none
	}{
		{"cursor stays", "p/d.jpg", []string{"p/a.jpg", "p/b.jpg"}, "p/d.jpg"},
		{"cursor removed: next row", "p/b.jpg", []string{"p/b.jpg", "p/c.jpg"}, "p/d.jpg"},
		{"last removed: previous row", "p/f.jpg", []string{"p/e.jpg", "p/f.jpg"}, "p/d.jpg"},
		{"everything removed", "p/a.jpg", []string{"p/a/", "p/b/", "p/a.jpg", "p/b.jpg", "p/c.jpg", "p/d.jpg", "p/e.jpg", "p/f.jpg"}, ""},
		{"nothing removed", "p/c.jpg", []string{"p/nope"}, "p/c.jpg"},
		{"unknown cursor", "p/nope", []string{"p/a.jpg"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := fixture(t)
			i := l.Remove(tc.cursor, tc.remove...)
			check(t, l)
			got := ""
			if it := l.At(i); it != nil {
				got = it.Key
			}
			if got != tc.want {
				t.Errorf("cursor on %q (row %d), want %q", got, i, tc.want)
			}
			for _, k := range tc.remove {
				if l.Item(k) != nil {
					t.Errorf("%s still listed", k)
				}
			}
		})
	}
}

func TestRemoveHiddenCursorAndQueueCursor(t *testing.T) {
	l := fixture(t)
	l.SetFilter(Filter{OnlyScored: true}) // a b d
	if got := l.Next(0, 0, 1); len(got) != 1 || got[0].Key != "p/c.jpg" {
		t.Fatalf("Next %v", got)
	}
	// cursor c is hidden; removing it lands on the next visible row in the order: d.
	if i := l.Remove("p/c.jpg", "p/c.jpg", "p/a.jpg"); l.At(i) == nil || l.At(i).Key != "p/d.jpg" {
		t.Errorf("row %d", i)
	}
	check(t, l)
	l.Requeue("p/b.jpg")
	check(t, l)
	if got := l.Next(0, 0, 5); len(got) != 1 || got[0].Key != "p/b.jpg" {
		t.Errorf("after removal the queue hands out %v", got)
	}
}

func TestStateStringAndTimeValue(t *testing.T) {
	for s, want := range map[State]string{Waiting: "waiting", Scoring: "scoring", Scored: "scored", Failed: "failed", 9: "unknown"} {
		if s.String() != want {
			t.Errorf("%d: %q", s, s.String())
		}
	}
	if timeValue(time.Time{}) != 0 || timeValue(time.Unix(-5, 0)) != 0 || timeValue(time.Unix(7, 0)) != 7 {
		t.Error("timeValue")
	}
}
