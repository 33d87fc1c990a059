package model

import (
	"fmt"
	"strings"
	"testing"

	"lightbox/cosapi"
	"lightbox/score"
)

func keysOf(items []*Item) string {
	var out []string
	for _, it := range items {
		out = append(out, it.Name)
	}
	return strings.Join(out, " ")
}

// queueList is ten waiting images and a folder under "q/", sorted by name descending so
// visible order differs from key order: rows 0 sub/, 1 i9 ... 10 i0.
func queueList(t *testing.T) *List {
	l := NewList("q/")
	var keys []string
	for i := range 10 {
		keys = append(keys, fmt.Sprintf("q/i%d", i))
	}
	l.AddPage(page(append(keys, "q/sub/")...))
	l.SetSort(SortName, true)
	check(t, l)
	return l
}

func TestQueueOrder(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(l *List)
		from, to int
		n        int
		want     []string // successive calls
	}{
		{"visible first, then the rest in key order", nil, 2, 5, 5, []string{"i8 i7 i6 i0 i1", "i2 i3 i4 i5 i9", ""}},
		{"window holding the folder", nil, 0, 2, 2, []string{"i9 i0", "i1 i2"}},
		{"no window", nil, 0, 0, 4, []string{"i0 i1 i2 i3"}},
		{"window clamped", nil, -5, 99, 3, []string{"i9 i8 i7", "i6 i5 i4"}},
		{"window larger than n", nil, 1, 11, 2, []string{"i9 i8", "i7 i6"}},
		{"skips scoring, scored, failed", func(l *List) {
			l.SetScoring("q/i8")
			l.SetScore("q/i0", etag("q/i0"), sc(1, 1, 1, 0))
			l.SetFailed("q/i1", etag("q/i1"), cosapi.KindUnsupported, "")
		}, 1, 3, 3, []string{"i9 i2 i3", "i4 i5 i6", "i7", ""}},
		{"n is zero", nil, 0, 11, 0, []string{""}},
		{"paused", func(l *List) { l.Pause() }, 0, 11, 5, []string{""}},
		{"resumed", func(l *List) { l.Pause(); l.Resume() }, 10, 11, 1, []string{"i0"}},
		{"a filter changes the window's rows", func(l *List) { l.SetFilter(Filter{Name: "5"}) }, 0, 1, 2, []string{"i5 i0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := queueList(t)
			if tc.setup != nil {
				tc.setup(l)
			}
			for i, want := range tc.want {
				got := l.Next(tc.from, tc.to, tc.n)
				if keysOf(got) != want {
					t.Errorf("call %d: %q, want %q", i, keysOf(got), want)
				}
				for _, it := range got {
					if it.State != Scoring {
						t.Errorf("%s handed out but %v", it.Key, it.State)
					}
				}
				check(t, l)
			}
		})
	}
}

func TestQueueTakesNewPagesAndRequeues(t *testing.T) {
	l := queueList(t)
	for len(l.Next(0, 0, 4)) > 0 {
	}
	if c := l.Counts(); c.Scoring != 10 || c.Waiting != 0 {
		t.Fatalf("counts %+v", c)
	}
	l.AddPage(page("q/j0", "q/j1"))
	if got := keysOf(l.Next(0, 0, 5)); got != "j0 j1" {
		t.Errorf("new page: %q", got)
	}
	l.SetScore("q/i3", etag("q/i3"), sc(50, 50, 50, 0))
	l.SetFailed("q/i7", etag("q/i7"), cosapi.KindThrottled, "slow down")
	if n := l.Requeue("q/i7", "q/i3", "q/sub/", "q/nope"); n != 2 {
		t.Errorf("requeued %d", n)
	}
	i3 := l.Item("q/i3")
	if i3.State != Waiting || !i3.Refresh || i3.Scores != (score.Scores{}) || l.Item("q/i7").ErrMessage != "" {
		t.Errorf("requeued item %+v", i3)
	}
	check(t, l)
	if got := keysOf(l.Next(0, 0, 5)); got != "i3 i7" {
		t.Errorf("after requeue: %q", got)
	}
	l.SetScore("q/i3", etag("q/i3"), sc(60, 60, 60, 0))
	if i3.Refresh {
		t.Error("Refresh outlives the fresh score")
	}
	// Canceled work goes back to the queue by itself.
	l.SetFailed("q/i5", etag("q/i5"), cosapi.KindCanceled, "")
	if got := keysOf(l.Next(0, 0, 5)); got != "i5" {
		t.Errorf("after cancel: %q", got)
	}
	if l.Paused() {
		t.Error("paused")
	}
	l.Pause()
	l.Requeue("q/i0")
	if !l.Paused() || l.Next(0, 11, 5) != nil {
		t.Error("paused queue handed out work")
	}
	check(t, l)
}

// Every image is handed out exactly once, whatever windows the UI asks for.
func TestQueueHandsOutEachOnce(t *testing.T) {
	l := bigList(5000, 7)
	for _, it := range l.all {
		l.Requeue(it.Key)
	}
	seen := map[string]bool{}
	r := newRand(3)
	for {
		from := r.IntN(l.Len())
		got := l.Next(from, from+r.IntN(60), 1+r.IntN(10))
		if len(got) == 0 {
			break
		}
		for _, it := range got {
			if seen[it.Key] {
				t.Fatalf("%s handed out twice", it.Key)
			}
			seen[it.Key] = true
		}
	}
	if len(seen) != 5000 {
		t.Errorf("%d handed out, want 5000", len(seen))
	}
	check(t, l)
}

func TestNextWindowNeverWalksTheRest(t *testing.T) {
	l := bigList(3000, 1)
	for _, it := range l.all {
		if it.State != Waiting {
			continue
		}
	}
	got := l.NextWindow(0, 10, 100, []string{l.all[2000].Key})
	for _, it := range got {
		if it.vis >= 10 && it.Key != l.all[2000].Key {
			t.Errorf("handed out %s, off screen and not asked for", it.Key)
		}
	}
	if more := l.NextWindow(0, 10, 100, nil); len(more) != 0 {
		t.Errorf("a second call handed out %d", len(more))
	}
}
