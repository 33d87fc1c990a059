package model

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"lightbox/cosapi"
	"lightbox/score"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

// obj is an object with an ETag derived from its key.
func obj(key string, size int64, age int) cosapi.Object {
	return cosapi.Object{Key: key, Size: size, ETag: etag(key), LastModified: t0.Add(time.Duration(age) * time.Hour), StorageClass: "STANDARD"}
}

func etag(key string) string { return `"` + key + `"` }

// page builds a page from keys: those ending in "/" are prefixes.
func page(keys ...string) cosapi.Page {
	var p cosapi.Page
	for _, k := range keys {
		if strings.HasSuffix(k, "/") {
			p.Prefixes = append(p.Prefixes, k)
		} else {
			p.Objects = append(p.Objects, obj(k, 100, 0))
		}
	}
	return p
}

func sc(clarity, aesthetic, lowq int, flags Flags) score.Scores {
	return score.Scores{
		ClarityScore: clarity, AestheticScore: aesthetic, LowQualityScore: lowq,
		LongImage: flags&FlagLong != 0, BlackAndWhite: flags&FlagBW != 0, SmallImage: flags&FlagSmall != 0,
		BigImage: flags&FlagBig != 0, PureImage: flags&FlagPure != 0,
	}
}

// visibleKeys are the rows' keys, in order.
func visibleKeys(l *List) []string {
	out := make([]string, l.Len())
	for i := range out {
		out[i] = l.At(i).Key
	}
	return out
}

// names are the rows' keys with the list's prefix cut off, for short expectations.
func names(l *List) string {
	out := make([]string, l.Len())
	for i := range out {
		out[i] = strings.TrimPrefix(l.At(i).Key, l.prefix)
	}
	return strings.Join(out, " ")
}

// check verifies every invariant the List keeps incrementally against a recomputation:
// a test that forgets to call it still gets the behaviour tested, but most call it.
func check(t testing.TB, l *List) {
	t.Helper()
	var want Counts
	for i, it := range l.all {
		if int(it.seq) != i {
			t.Fatalf("all[%d] %s has seq %d", i, it.Key, it.seq)
		}
		if i > 0 && compareNatural(l.all[i-1].Key, it.Key) >= 0 {
			t.Fatalf("all not in natural name order at %d: %q then %q", i, l.all[i-1].Key, it.Key)
		}
		if l.byKey[it.Key] != it {
			t.Fatalf("byKey[%q] is not the item", it.Key)
		}
		if i < l.rest && !it.IsPrefix && it.State == Waiting {
			t.Fatalf("queue cursor %d is past waiting %s", l.rest, it.Key)
		}
		want.add(it, 1)
	}
	if len(l.byKey) != len(l.all) || len(l.order) != len(l.all) {
		t.Fatalf("byKey %d, order %d, all %d", len(l.byKey), len(l.order), len(l.all))
	}
	if want != l.counts {
		t.Fatalf("counts %+v, recounted %+v", l.counts, want)
	}
	seen := 0
	for i, it := range l.order {
		if int(it.ord) != i {
			t.Fatalf("order[%d] %s has ord %d", i, it.Key, it.ord)
		}
		if it.vis >= 0 {
			if int(it.vis) != seen || l.visible[seen] != it {
				t.Fatalf("order[%d] %s has vis %d, want %d", i, it.Key, it.vis, seen)
			}
			seen++
		} else if it.vis != -1 {
			t.Fatalf("%s has vis %d", it.Key, it.vis)
		}
	}
	if seen != len(l.visible) {
		t.Fatalf("%d visible, %d rows", seen, len(l.visible))
	}
}

// fixture is a list under "p/" with two folders and six images in every state, with ties
// in every field:
//
//	key      size time clarity aesthetic lowq  state
//	a.jpg    300  t3   50      10        70    scored
//	b.jpg    100  t1   20      90        70    scored
//	c.jpg    200  t2   -                       waiting
//	d.jpg    100  t1   50      10        30    scored
//	e.jpg    200  t2   -                       failed
//	f.jpg     50  t4   -                       scoring
func fixture(t testing.TB) *List {
	l := NewList("p/")
	p := cosapi.Page{Prefixes: []string{"p/a/", "p/b/"}, Objects: []cosapi.Object{
		obj("p/a.jpg", 300, 3), obj("p/b.jpg", 100, 1), obj("p/c.jpg", 200, 2),
		obj("p/d.jpg", 100, 1), obj("p/e.jpg", 200, 2), obj("p/f.jpg", 50, 4),
	}}
	if n := l.AddPage(p); n != 8 {
		t.Fatalf("AddPage added %d, want 8", n)
	}
	set := func(ok bool) {
		if !ok {
			t.Helper()
			t.Fatal("fixture update refused")
		}
	}
	set(l.SetScore("p/a.jpg", etag("p/a.jpg"), sc(50, 10, 70, FlagPure)))
	set(l.SetScore("p/b.jpg", etag("p/b.jpg"), sc(20, 90, 70, FlagLong|FlagPure)))
	set(l.SetScore("p/d.jpg", etag("p/d.jpg"), sc(50, 10, 30, FlagBW)))
	set(l.SetFailed("p/e.jpg", etag("p/e.jpg"), cosapi.KindUnsupported, "not an image"))
	set(l.SetScoring("p/f.jpg"))
	l.Resort("")
	check(t, l)
	return l
}

// bigList is n images shoot/IMG_000000.jpg... with random scores on about two thirds,
// failures on a few, in pages of 1000 as COS sends them.
func bigList(n int, seed uint64) *List {
	l := NewList("shoot/")
	r := newRand(seed)
	for start := 0; start < n; start += cosapi.MaxPage {
		var p cosapi.Page
		for i := start; i < min(start+cosapi.MaxPage, n); i++ {
			key := fmt.Sprintf("shoot/IMG_%06d.jpg", i)
			p.Objects = append(p.Objects, cosapi.Object{Key: key, Size: int64(r.IntN(8 << 20)), ETag: fmt.Sprintf(`"%032x"`, r.Uint64()),
				LastModified: t0.Add(time.Duration(r.IntN(1e6)) * time.Second), StorageClass: "STANDARD"})
		}
		l.AddPage(p)
	}
	l.SetComplete()
	for _, it := range l.all {
		switch v := r.IntN(30); {
		case v < 20:
			l.SetScore(it.Key, it.ETag, sc(r.IntN(101), r.IntN(101), r.IntN(101), Flags(r.IntN(32))))
		case v == 20:
			l.SetFailed(it.Key, it.ETag, cosapi.KindUnsupported, "UnsupportedFormat")
		}
	}
	l.Resort("")
	return l
}

func sameKeys(t testing.TB, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %v\nwant %v", what, got, want)
	}
}

// newRand is a seeded generator: tests and benchmarks see the same data every run.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

// toPage turns items back into a listing page.
func toPage(items []*Item) cosapi.Page {
	var p cosapi.Page
	for _, it := range items {
		p.Objects = append(p.Objects, cosapi.Object{Key: it.Key, Size: it.Size, ETag: it.ETag, LastModified: it.Modified, StorageClass: it.StorageClass})
	}
	return p
}

// checkFilter parses in, compares with want, and checks that String writes the same
// language: the filter reads back unchanged.
func checkFilter(t *testing.T, in string, want Filter) {
	t.Helper()
	got, err := ParseQualityFilter(in)
	if err != nil {
		t.Errorf("%q: %v", in, err)
		return
	}
	if got != want {
		t.Errorf("%q:\n got %+v\nwant %+v", in, got, want)
	}
	back, err := ParseQualityFilter(got.String())
	if err != nil || back != got {
		t.Errorf("%q -> %q -> %+v, %v", in, got.String(), back, err)
	}
}
