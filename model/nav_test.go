package model

import (
	"fmt"
	"slices"
	"testing"

	"lightbox/cosapi"
)

func TestCrumbs(t *testing.T) {
	tests := []struct {
		root, enter string
		want        []string
	}{
		{"", "", []string{"bucket"}},
		{"", "2024/beach/", []string{"bucket", "2024/", "beach/"}},
		{"2024/", "2024/beach/", []string{"bucket", "2024/", "beach/"}},
		{"shoot/IMG_", "shoot/IMG_", []string{"bucket", "shoot/", "IMG_"}},
		{"海/", "海/滩/", []string{"bucket", "海/", "滩/"}},
	}
	for _, tc := range tests {
		s := NewSession("bucket", tc.root)
		if _, err := s.Enter(tc.enter); err != nil {
			t.Fatal(err)
		}
		if got := s.Crumbs(); !slices.Equal(got, tc.want) {
			t.Errorf("%q in %q: %q, want %q", tc.enter, tc.root, got, tc.want)
		}
	}
}

func TestEnterUpAndCursorMemory(t *testing.T) {
	s := NewSession("photos-1250000000", "2024/")
	if s.Root() != "2024/" || s.Prefix() != "2024/" || s.List().Prefix() != "2024/" {
		t.Fatal("a new session shows its root")
	}
	top := s.List()
	top.AddPage(page("2024/beach/", "2024/city/", "2024/x.jpg"))
	top.SetComplete()
	s.RememberCursor("2024/", "2024/x.jpg")

	beach, err := s.Enter("2024/beach/")
	if err != nil || beach == top || beach.Total() != 0 || s.Prefix() != "2024/beach/" || s.List() != beach {
		t.Fatalf("Enter: %v", err)
	}
	beach.AddPage(page("2024/beach/sun/", "2024/beach/a.jpg"))
	s.RememberCursor("2024/beach/", "2024/beach/a.jpg")
	sun, _ := s.Enter("2024/beach/sun/")

	up, ok := s.Up()
	if !ok || up != beach || s.Prefix() != "2024/beach/" {
		t.Fatalf("Up to beach: %v %q", ok, s.Prefix())
	}
	// Coming up, the cursor goes to the folder just left.
	if c := s.Cursor("2024/beach/"); c != "2024/beach/sun/" {
		t.Errorf("cursor in beach %q", c)
	}
	if up, ok = s.Up(); !ok || up != top || !top.Complete() || up.Total() != 3 {
		t.Errorf("back at the top, the kept list: %v", ok)
	}
	if up, ok = s.Up(); ok || up != top || s.Prefix() != "2024/" {
		t.Error("went above the root")
	}
	if again, _ := s.Enter("2024/beach/sun/"); again != sun {
		t.Error("a kept list was listed again")
	}
	if s.Cached("2024/beach/") != beach || s.Cached("2023/") != nil {
		t.Error("Cached")
	}
	if _, err := s.Enter("2023/"); err == nil || s.Prefix() != "2024/beach/sun/" {
		t.Error("entered a prefix outside the root")
	}
	if s.Cursor("nowhere/") != "" {
		t.Error("cursor of an unvisited prefix")
	}
}

func TestUpFromAMidNameRoot(t *testing.T) {
	s := NewSession("b", "shoot/IMG_")
	s.Enter("shoot/IMG_x/y/")
	for _, want := range []string{"shoot/IMG_x/", "shoot/IMG_"} {
		if _, ok := s.Up(); !ok || s.Prefix() != want {
			t.Fatalf("Up: %q, want %q", s.Prefix(), want)
		}
	}
	if s.Cursor("shoot/IMG_") != "shoot/IMG_x/" {
		t.Errorf("cursor %q", s.Cursor("shoot/IMG_"))
	}
	if _, ok := s.Up(); ok {
		t.Error("went above a mid-name root")
	}
}

func TestSessionKeepsTheLastLists(t *testing.T) {
	s := NewSession("b", "")
	first := map[string]*List{}
	for i := range 11 {
		p := fmt.Sprintf("d%d/", i)
		l, _ := s.Enter(p)
		first[p] = l
	}
	for i := range 11 {
		p := fmt.Sprintf("d%d/", i)
		kept := i >= 3 // eight kept: the root and d0..d2 were pushed out
		if got := s.Cached(p); (got != nil) != kept || (kept && got != first[p]) {
			t.Errorf("%s kept %v, want %v", p, got != nil, kept)
		}
	}
	if s.Cached("") != nil || len(s.lists) != 8 {
		t.Errorf("%d lists kept", len(s.lists))
	}
	// Revisiting refreshes: d3 survives the next visit.
	s.Enter("d3/")
	s.Enter("new/")
	if s.Cached("d3/") == nil || s.Cached("d4/") != nil {
		t.Error("least recently shown was not the one dropped")
	}
}

func TestSessionCarriesSortAndPause(t *testing.T) {
	s := NewSession("b", "")
	s.List().SetSort(SortClarity, true)
	s.List().SetFilter(Filter{Name: "x"})
	s.List().Pause()
	l, _ := s.Enter("a/")
	if f, d := l.Sort(); f != SortClarity || !d || !l.Paused() || !l.Filter().IsZero() {
		t.Errorf("new list: sort %v %v, paused %v, filter %v", f, d, l.Paused(), l.Filter())
	}
	l.SetSort(SortSize, false)
	l.Resume()
	top, _ := s.Up()
	if f, d := top.Sort(); f != SortSize || d || top.Paused() || top.Filter().Name != "x" {
		t.Errorf("kept list: sort %v %v, paused %v, filter %v", f, d, top.Paused(), top.Filter())
	}
}

func TestReloadKeepsViewSettings(t *testing.T) {
	s := NewSession("b", "")
	l := s.List()
	l.SetSort(SortClarity, true)
	l.SetFilter(Filter{OnlyFailed: true})
	l.AddPage(cosapi.Page{Objects: []cosapi.Object{{Key: "a.jpg", ETag: `"1"`}}})
	fresh := s.Reload()
	if fresh == l || fresh.Total() != 0 || s.List() != fresh {
		t.Fatal("Reload must give a new, empty current list")
	}
	if f, d := fresh.Sort(); f != SortClarity || !d || !fresh.Filter().OnlyFailed {
		t.Errorf("settings lost: %v %v %+v", f, d, fresh.Filter())
	}
}
