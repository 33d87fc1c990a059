package model

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"lightbox/cosapi"
)

func TestCompareNatural(t *testing.T) {
	// Each list is in the order a file manager shows it.
	for _, want := range [][]string{
		{"img_2", "img_11", "IMG_100"},
		{"a", "a0", "a00", "a01", "a1", "a2", "a10"}, // equal values: byte order decides
		{"IMG_1.jpg", "img_1.jpg", "img_1a.jpg", "img_1b.jpg", "img_2.jpg"},
		{"x9", "x10", "x99999999999999999999", "x100000000000000000000"}, // beyond uint64
		{"1", "9", "10", "a", "B", "c"},
		{"v1.2.9", "v1.2.10", "v1.10.0"},
		{"DSC_0099.JPG", "dsc_0100.jpg", "DSC_0101.JPG"},
		{"été 2.jpg", "ÉTÉ 10.jpg"}, // non-ASCII letters folded too
		{"p/a.jpg", "p/a/"},         // '.' before '/', as bytes
		{"", "0", "a"},
	} {
		got := slices.Clone(want)
		slices.Reverse(got)
		slices.SortFunc(got, compareNatural)
		if !slices.Equal(got, want) {
			t.Errorf("sorted %q, want %q", got, want)
		}
		for i := range want {
			for j := range want {
				if c, r := compareNatural(want[i], want[j]), cmpInt(i, j); c != r {
					t.Errorf("compareNatural(%q, %q) = %d, want %d", want[i], want[j], c, r)
				}
			}
		}
	}
}

// The order is total: antisymmetric and transitive on names mixing digits, case and
// non-ASCII, and only equal strings compare equal.
func TestCompareNaturalIsTotal(t *testing.T) {
	r := newRand(7)
	alphabet := []string{"0", "1", "2", "9", "00", "a", "A", "b", "_", ".", "é", "É", "/"}
	words := make([]string, 300)
	for i := range words {
		var b strings.Builder
		for range 1 + r.IntN(6) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		words[i] = b.String()
	}
	for _, a := range words {
		for _, b := range words {
			ab, ba := compareNatural(a, b), compareNatural(b, a)
			if ab != -ba || (ab == 0) != (a == b) {
				t.Fatalf("compareNatural(%q, %q) = %d, reversed %d", a, b, ab, ba)
			}
		}
	}
	slices.SortFunc(words, compareNatural)
	for i := 1; i < len(words); i++ {
		if compareNatural(words[i-1], words[i]) > 0 {
			t.Fatalf("not sorted at %d: %q, %q", i, words[i-1], words[i])
		}
	}
	for i := 0; i+2 < len(words); i++ {
		if compareNatural(words[i], words[i+2]) > 0 {
			t.Fatalf("not transitive: %q, %q, %q", words[i], words[i+1], words[i+2])
		}
	}
}

// COS lists in byte order (IMG_100 < img_11 < img_2); the list shows names naturally, in
// both directions, as ties in another sort, and across pages that land in the middle.
func TestListNaturalNameOrder(t *testing.T) {
	l := NewList("p/")
	l.AddPage(cosapi.Page{Prefixes: []string{"p/Day 10/", "p/day 9/"}, Objects: []cosapi.Object{
		obj("p/IMG_100.jpg", 5, 1), obj("p/img_11.jpg", 5, 1), obj("p/img_2.jpg", 5, 1),
	}})
	check(t, l)
	if got, want := names(l), "day 9/ Day 10/ img_2.jpg img_11.jpg IMG_100.jpg"; got != want {
		t.Errorf("by name\n got %s\nwant %s", got, want)
	}
	l.SetSort(SortName, true)
	if got, want := names(l), "Day 10/ day 9/ IMG_100.jpg img_11.jpg img_2.jpg"; got != want {
		t.Errorf("by name, descending\n got %s\nwant %s", got, want)
	}
	l.SetSort(SortSize, false) // all the same size: names decide
	if got, want := names(l), "day 9/ Day 10/ img_2.jpg img_11.jpg IMG_100.jpg"; got != want {
		t.Errorf("by size, tied\n got %s\nwant %s", got, want)
	}

	// A second page in byte order after the first, natural order in the middle.
	l.SetSort(SortName, false)
	l.AddPage(page("p/img_3.jpg", "p/img_30.jpg"))
	check(t, l)
	if got, want := names(l), "day 9/ Day 10/ img_2.jpg img_3.jpg img_11.jpg img_30.jpg IMG_100.jpg"; got != want {
		t.Errorf("after a second page\n got %s\nwant %s", got, want)
	}
	if l.Marker() != "p/img_30.jpg" {
		t.Errorf("Marker %q: the greatest key in byte order, where COS resumes", l.Marker())
	}
}

// Items listed after the queue has moved past their place are still handed out.
func TestQueueSeesItemsListedBeforeItsCursor(t *testing.T) {
	l := NewList("")
	l.AddPage(page("img_10", "img_20"))
	if got := keysOf(l.Next(0, 0, 5)); got != "img_10 img_20" {
		t.Fatalf("first hand-out %q", got)
	}
	l.AddPage(page("img_3"))
	check(t, l)
	if got := keysOf(l.Next(0, 0, 5)); got != "img_3" {
		t.Fatalf("after img_3 was listed, Next = %q", got)
	}
}

// Sorting 100,000 listed names into natural order as pages arrive out of it (every page
// holds names that sort among the earlier ones).
func BenchmarkAddPageNatural100k(b *testing.B) {
	var pages []cosapi.Page
	for p := range 100 {
		var pg cosapi.Page
		for i := range 1000 {
			pg.Objects = append(pg.Objects, obj(fmt.Sprintf("shoot/img_%d_%d.jpg", i, p), 1, 1))
		}
		pages = append(pages, pg)
	}
	for b.Loop() {
		l := NewList("shoot/")
		for _, p := range pages {
			l.AddPage(p)
		}
	}
}
