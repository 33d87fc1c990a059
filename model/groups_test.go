package model

import (
	"lightbox/score"
	"slices"
	"testing"
)

// groupedList lists a.jpg..f.jpg scored by clarity, with {b, d, f} a group whose best is d
// and {a, e} one whose best is e.
func groupedList(t *testing.T) *List {
	t.Helper()
	l := NewList("")
	l.AddPage(page("a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"))
	l.SetComplete()
	for k, c := range map[string]int{"a.jpg": 50, "b.jpg": 20, "c.jpg": 60, "d.jpg": 90, "e.jpg": 70, "f.jpg": 10} {
		if !l.SetScore(k, etag(k), sc(c, 50, 0, 0)) {
			t.Fatalf("SetScore %s", k)
		}
	}
	l.SetGroups([]Group{
		{Kind: "near", Keys: []string{"d.jpg", "b.jpg", "f.jpg"}, Why: "sharpest"},
		{Kind: "burst", Keys: []string{"e.jpg", "a.jpg"}},
	})
	return l
}

func TestGroupsCollapseUnderBest(t *testing.T) {
	l := groupedList(t)
	if got, want := names(l), "c.jpg d.jpg e.jpg"; got != want {
		t.Fatalf("collapsed rows %q, want %q", got, want)
	}
	info, ok := l.GroupOf("d.jpg")
	if !ok || !info.Best || info.Size != 3 || info.Kind != "near" || info.Expanded {
		t.Fatalf("GroupOf(d) = %+v, %v", info, ok)
	}
	if info, ok := l.GroupOf("b.jpg"); !ok || info.Best {
		t.Fatalf("GroupOf(b) = %+v, %v: a member, not the best", info, ok)
	}
	if _, ok := l.GroupOf("c.jpg"); ok {
		t.Fatal("c is in no group")
	}
	if got := l.Total(); got != 6 {
		t.Fatalf("Total %d: collapsing hides rows, it does not drop items", got)
	}
}

func TestGroupsExpandFollowsBest(t *testing.T) {
	l := groupedList(t)
	if row := l.ToggleGroup("d.jpg"); row != 1 {
		t.Fatalf("expand: row %d, want d's row 1", row)
	}
	if got, want := names(l), "c.jpg d.jpg b.jpg f.jpg e.jpg"; got != want {
		t.Fatalf("expanded rows %q, want %q (members right after the best, best first)", got, want)
	}
	// Collapsing from a member puts the cursor on the best.
	if row := l.ToggleGroup("f.jpg"); row != 1 {
		t.Fatalf("collapse from f: row %d, want the best's row 1", row)
	}
	if got, want := names(l), "c.jpg d.jpg e.jpg"; got != want {
		t.Fatalf("collapsed again %q, want %q", got, want)
	}
	if n := l.SetAllGroups(true); n != 2 || !l.AllExpanded() {
		t.Fatalf("SetAllGroups(true) changed %d, AllExpanded %v", n, l.AllExpanded())
	}
	if got, want := names(l), "c.jpg d.jpg b.jpg f.jpg e.jpg a.jpg"; got != want {
		t.Fatalf("all expanded %q, want %q", got, want)
	}
	l.SetAllGroups(false)
	if got, want := names(l), "c.jpg d.jpg e.jpg"; got != want {
		t.Fatalf("all collapsed %q, want %q", got, want)
	}
}

func TestGroupsSortByBest(t *testing.T) {
	l := groupedList(t)
	l.SetAllGroups(true)
	l.SetSort(SortClarity, false) // worst first: f 10, b 20, a 50, c 60, e 70, d 90
	// Groups sort where their best does: e's group (70) before d's (90), c (60) first.
	if got, want := names(l), "c.jpg e.jpg a.jpg d.jpg b.jpg f.jpg"; got != want {
		t.Fatalf("by clarity %q, want %q", got, want)
	}
	l.SetSort(SortClarity, true)
	if got, want := names(l), "d.jpg b.jpg f.jpg e.jpg a.jpg c.jpg"; got != want {
		t.Fatalf("by clarity, descending %q, want %q", got, want)
	}
}

func TestGroupsFilter(t *testing.T) {
	l := groupedList(t)
	// The filter hides the best (d): its matching members show, nothing else stands for them.
	l.SetFilter(Filter{Below: Bounds{score.Clarity: 30}})
	if got, want := names(l), "b.jpg f.jpg"; got != want {
		t.Fatalf("filter hiding the best %q, want %q", got, want)
	}
	// A filter the best passes keeps the group collapsed under it.
	l.SetFilter(Filter{Name: ".jpg"})
	if got, want := names(l), "c.jpg d.jpg e.jpg"; got != want {
		t.Fatalf("filter keeping the best %q, want %q", got, want)
	}
}

func TestGroupsSurviveRemoveAndReload(t *testing.T) {
	l := groupedList(t)
	l.ToggleGroup("d.jpg")
	l.Remove("d.jpg", "b.jpg")
	l.Resort("d.jpg")
	if m := l.GroupMembers("d.jpg"); len(m) != 2 || m[0].Key != "d.jpg" || m[1].Key != "f.jpg" {
		t.Fatalf("members after removing b: %v", memberKeys(m))
	}
	// Removing the best leaves the rest a group of one: no group at all.
	l.Remove("c.jpg", "d.jpg")
	l.Resort("c.jpg")
	if _, ok := l.GroupOf("f.jpg"); ok {
		t.Fatal("f alone is no group")
	}
}

func memberKeys(items []*Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Key)
	}
	return out
}

func TestGroupsReloadKeepsThem(t *testing.T) {
	s := NewSession("bucket", "")
	s.lists[0] = groupedList(t)
	s.List().ToggleGroup("e.jpg")
	want := s.List().Groups()
	// An undo reloads the list: the new one gets the groups back once listed again.
	n := s.Reload()
	n.AddPage(page("a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"))
	if n.Grouped() {
		t.Fatal("grouped before the listing completed")
	}
	n.SetComplete()
	got := n.Groups()
	if !slices.EqualFunc(got, want, func(a, b Group) bool {
		return a.Kind == b.Kind && a.Expanded == b.Expanded && slices.Equal(a.Keys, b.Keys)
	}) {
		t.Fatalf("groups after reload %+v, want %+v", got, want)
	}
}

func TestGroupsCarriedOverByRefresh(t *testing.T) {
	old := groupedList(t)
	n := NewList("")
	p := page("a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg")
	n.AddPage(p)
	n.SetComplete() // the UI completes the page before carrying it over
	keys := make([]string, 0, len(p.Objects))
	for _, o := range p.Objects {
		keys = append(keys, o.Key)
	}
	n.CarryOver(old, keys, true)
	if got, want := names(n), "c.jpg d.jpg e.jpg"; got != want {
		t.Fatalf("refreshed rows %q, want the groups collapsed as before %q", got, want)
	}
}

// BenchmarkResortGrouped100k re-sorts 100,000 items of which 30,000 are in 10,000 groups of
// three, collapsed: what the UI's periodic Resort costs once a big prefix is grouped.
func BenchmarkResortGrouped100k(b *testing.B) {
	l := bigList(benchN, 1)
	l.SetSort(SortClarity, true)
	var gs []Group
	for i := 0; i+2 < 30_000; i += 3 {
		gs = append(gs, Group{Kind: "near", Keys: []string{l.all[i].Key, l.all[i+1].Key, l.all[i+2].Key}})
	}
	l.SetGroups(gs)
	key := l.At(l.Len() / 2).Key
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		l.dirty = true
		l.Resort(key)
	}
}
