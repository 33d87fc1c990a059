package model

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"lightbox/cosapi"
	"lightbox/score"
)

func TestSortEveryFieldBothWays(t *testing.T) {
	// See fixture: ties in every field are broken by key, ascending in both directions;
	// folders lead; in score sorts c (waiting) and f (scoring) follow the scored, e (failed) ends.
	tests := []struct {
		sort string
		want string
	}{
		{"name", "a/ b/ a.jpg b.jpg c.jpg d.jpg e.jpg f.jpg"},
		{"-name", "b/ a/ f.jpg e.jpg d.jpg c.jpg b.jpg a.jpg"},
		{"size", "a/ b/ f.jpg b.jpg d.jpg c.jpg e.jpg a.jpg"},
		{"-size", "a/ b/ a.jpg c.jpg e.jpg b.jpg d.jpg f.jpg"},
		{"time", "a/ b/ b.jpg d.jpg c.jpg e.jpg a.jpg f.jpg"},
		{"-time", "a/ b/ f.jpg a.jpg c.jpg e.jpg b.jpg d.jpg"},
		{"clarity", "a/ b/ b.jpg a.jpg d.jpg c.jpg f.jpg e.jpg"},
		{"-clarity", "a/ b/ a.jpg d.jpg b.jpg c.jpg f.jpg e.jpg"},
		{"aesthetic", "a/ b/ a.jpg d.jpg b.jpg c.jpg f.jpg e.jpg"},
		{"-aesthetic", "a/ b/ b.jpg a.jpg d.jpg c.jpg f.jpg e.jpg"},
		{"lowquality", "a/ b/ d.jpg a.jpg b.jpg c.jpg f.jpg e.jpg"},
		{"-lowquality", "a/ b/ a.jpg b.jpg d.jpg c.jpg f.jpg e.jpg"},
	}
	for _, tc := range tests {
		t.Run(tc.sort, func(t *testing.T) {
			l := fixture(t)
			f, desc, err := ParseSort(tc.sort)
			if err != nil {
				t.Fatal(err)
			}
			l.SetSort(f, desc)
			check(t, l)
			if got := names(l); got != tc.want {
				t.Errorf("rows\n got %s\nwant %s", got, tc.want)
			}
			if gf, gd := l.Sort(); gf != f || gd != desc {
				t.Errorf("Sort() = %v %v", gf, gd)
			}
			// Sorting again, or resorting with nothing new, changes nothing: stable.
			l.SetSort(f, desc)
			l.Resort("")
			if got := names(l); got != tc.want {
				t.Errorf("second sort\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

// The order depends on the data only, not on the order answers arrived in.
func TestSortIsDeterministic(t *testing.T) {
	for _, field := range []SortField{SortName, SortSize, SortTime, SortClarity, SortAesthetic, SortLowQuality} {
		for _, desc := range []bool{false, true} {
			var first []string
			for seed := range uint64(4) {
				r := newRand(seed)
				l := NewList("")
				var p cosapi.Page
				for i := range 300 {
					p.Objects = append(p.Objects, obj(fmt.Sprintf("k%04d", i), int64(i%7), i%5))
				}
				l.AddPage(p)
				l.SetSort(field, desc)
				for _, i := range r.Perm(300) { // answers arrive in a different order each time
					k := fmt.Sprintf("k%04d", i)
					switch i % 10 {
					case 0:
						l.SetFailed(k, etag(k), cosapi.KindUnsupported, "")
					case 1:
					default:
						l.SetScore(k, etag(k), sc(i%3, i%4, i%5, 0))
					}
					if r.IntN(50) == 0 {
						l.Resort("")
					}
				}
				l.Resort("")
				check(t, l)
				if got := visibleKeys(l); first == nil {
					first = got
				} else {
					sameKeys(t, FormatSort(field, desc), got, first)
				}
			}
		}
	}
}

func TestScoresDoNotMoveRowsUntilResort(t *testing.T) {
	l := fixture(t)
	l.SetSort(SortClarity, false)
	before := names(l)
	l.SetScore("p/c.jpg", etag("p/c.jpg"), sc(1, 1, 1, 0))
	l.SetScore("p/a.jpg", etag("p/a.jpg"), sc(99, 1, 1, 0))
	if got := names(l); got != before {
		t.Fatalf("rows moved before Resort: %s", got)
	}
	if i := l.Resort("p/a.jpg"); l.At(i).Key != "p/a.jpg" {
		t.Errorf("Resort says a.jpg is at %d, which holds %s", i, l.At(i).Key)
	}
	if got, want := names(l), "a/ b/ c.jpg b.jpg d.jpg a.jpg f.jpg e.jpg"; got != want {
		t.Errorf("after Resort\n got %s\nwant %s", got, want)
	}
	check(t, l)
}

func TestCursorKeyFollowsItsItem(t *testing.T) {
	l := fixture(t)
	for _, s := range []string{"name", "-clarity", "size", "-time", "lowquality", "-aesthetic", "-name"} {
		f, desc, _ := ParseSort(s)
		l.SetSort(f, desc)
		for _, k := range []string{"p/a/", "p/a.jpg", "p/c.jpg", "p/e.jpg", "p/f.jpg"} {
			i := l.IndexOfKey(k)
			if i < 0 || l.At(i).Key != k || l.Nearest(k) != i || l.Resort(k) != i {
				t.Errorf("%s: %s at row %d", s, k, i)
			}
		}
	}
	l.SetFilter(Filter{OnlyScored: true}) // a b d
	for k, want := range map[string]string{
		"p/b.jpg": "p/b.jpg", // visible: its own row
		"p/c.jpg": "p/b.jpg", // hidden: the next visible row in the order (name desc: f e d c b a)
		"p/a/":    "p/d.jpg",
		"p/e.jpg": "p/d.jpg",
	} {
		i := l.Nearest(k)
		if l.At(i) == nil || l.At(i).Key != want {
			t.Errorf("Nearest(%s) = %d, want the row of %s", k, i, want)
		}
	}
	l.SetSort(SortName, false) // a b d: a hidden item after the last visible one goes back
	if i := l.Nearest("p/f.jpg"); l.At(i).Key != "p/d.jpg" {
		t.Errorf("Nearest(f) = %d", i)
	}
	if l.Nearest("p/nope") != -1 || l.IndexOfKey("p/c.jpg") != -1 {
		t.Error("unknown or hidden keys have no row")
	}
	l.SetFilter(Filter{Name: "nothing"})
	if l.Nearest("p/a.jpg") != -1 {
		t.Error("Nearest in an empty view")
	}
}

// Pages inserted into a sorted list land where a full sort would put them.
func TestInsertMatchesFullSort(t *testing.T) {
	filters := []Filter{{}, {Name: "3"}, {OnlyUnscored: true}, {Name: "/"}}
	for _, field := range []SortField{SortName, SortSize, SortTime, SortClarity} {
		for _, desc := range []bool{false, true} {
			for fi, f := range filters {
				r := newRand(uint64(fi))
				l := NewList("")
				l.SetSort(field, desc)
				l.SetFilter(f)
				var keys []string
				for i := range 400 {
					if i%9 == 0 {
						keys = append(keys, fmt.Sprintf("k%03d/", i))
					} else {
						keys = append(keys, fmt.Sprintf("k%03d.jpg", i))
					}
				}
				for len(keys) > 0 {
					n := min(len(keys), 1+r.IntN(60))
					p := page(keys[:n]...)
					for i := range p.Objects {
						p.Objects[i].Size = int64(r.IntN(20))
						p.Objects[i].LastModified = t0.Add(time.Duration(r.IntN(3)) * time.Hour)
					}
					l.AddPage(p)
					keys = keys[n:]
					check(t, l)
				}
				got := visibleKeys(l)
				l.dirty = true
				l.Resort("")
				name := fmt.Sprintf("%s filter %q", FormatSort(field, desc), f)
				sameKeys(t, name, got, visibleKeys(l))
				if len(got) == 0 {
					t.Errorf("%s: nothing visible, the test proves little", name)
				}
			}
		}
	}
}

// New items join a stale order without moving the rows already there: e.jpg, scored 99
// since the last sort, stays last until Resort, and g.jpg is merged against what the rows
// are worth now, so it lands after it.
func TestInsertKeepsExistingRowsInPlace(t *testing.T) {
	l := fixture(t)
	l.SetSort(SortClarity, true) // a d b c f e
	l.SetScore("p/e.jpg", etag("p/e.jpg"), sc(99, 0, 0, 0))
	l.AddPage(page("p/g.jpg", "p/c/"))
	if got, want := names(l), "a/ b/ c/ a.jpg d.jpg b.jpg c.jpg f.jpg e.jpg g.jpg"; got != want {
		t.Errorf("rows\n got %s\nwant %s", got, want)
	}
	check(t, l)
}

func TestParseSort(t *testing.T) {
	tests := []struct {
		in   string
		f    SortField
		desc bool
		err  bool
	}{
		{"name", SortName, false, false},
		{"-clarity", SortClarity, true, false},
		{" Size ", SortSize, false, false},
		{"-TIME", SortTime, true, false},
		{"aesthetics", SortAesthetic, false, false},
		{"-lowquality", SortLowQuality, true, false},
		{"age", SortTime, false, false},
		{"", SortName, false, true},
		{"-", SortName, false, true},
		{"--name", SortName, false, true},
		{"colour", SortName, false, true},
		{"- clarity", SortName, false, true},
		{"Aesthetics", SortAesthetic, false, false},
		{"-content", SortLowQuality, true, false},
		{"-low-quality", SortLowQuality, true, false},
		{"pure", SortName, false, true},
	}
	for _, tc := range tests {
		f, desc, err := ParseSort(tc.in)
		if (err != nil) != tc.err || f != tc.f || desc != tc.desc {
			t.Errorf("ParseSort(%q) = %v %v %v", tc.in, f, desc, err)
		}
		if err != nil && !strings.Contains(err.Error(), "clarity") {
			t.Errorf("ParseSort(%q) error does not list the choices: %v", tc.in, err)
		}
	}
	words := SortWords()
	if want := []string{"name", "size", "time", "clarity", "aesthetic", "content"}; !slices.Equal(words, want) {
		t.Errorf("SortWords() = %v, want %v", words, want)
	}
	for i := range words {
		for _, desc := range []bool{false, true} {
			s := FormatSort(SortField(i), desc)
			if f, d, err := ParseSort(s); err != nil || f != SortField(i) || d != desc {
				t.Errorf("%s does not read back", s)
			}
		}
	}
	if !SortClarity.ByScore() || SortTime.ByScore() || !slices.Contains(words, SortLowQuality.String()) {
		t.Error("ByScore / String")
	}
}

// Sizes too large to pack with the key order into one word take the two-word path, which
// must order the same way.
func TestSortHugeSizesFallBack(t *testing.T) {
	for _, desc := range []bool{false, true} {
		l := NewList("")
		l.AddPage(cosapi.Page{Prefixes: []string{"d/"}, Objects: []cosapi.Object{
			obj("a", 1<<61, 0), obj("b", 5, 0), obj("c", 1<<61, 0), obj("e", 1<<40, 0),
		}})
		l.SetSort(SortSize, desc)
		check(t, l)
		want := "d/ b e a c"
		if desc {
			want = "d/ a c e b"
		}
		if got := names(l); got != want {
			t.Errorf("desc %v: %s, want %s", desc, got, want)
		}
	}
}

func TestRadixSort(t *testing.T) {
	r := newRand(9)
	for _, n := range []int{0, 1, 2, 3, 100, 5000} {
		for _, seqBits := range []uint{1, 7, 8, 13, 17} {
			keys := make([]uint64, n)
			for i := range keys {
				hi := r.Uint64() >> seqBits
				if r.IntN(2) == 0 {
					hi &= 0xff // many equal high bytes, and ties on all of them
				}
				keys[i] = hi<<seqBits | uint64(i)&(1<<seqBits-1)
			}
			// Low bits in order, as rebuild makes them.
			slices.SortStableFunc(keys, func(a, b uint64) int { return cmpUint(a&(1<<seqBits-1), b&(1<<seqBits-1)) })
			want := slices.Clone(keys)
			slices.Sort(want)
			got, _ := radixSort(slices.Clone(keys), make([]uint64, n), seqBits)
			if !slices.Equal(got, want) {
				t.Errorf("n %d, seq bits %d: not sorted", n, seqBits)
			}
		}
	}
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestScoreSortsFollowTheRegistry checks that every score in package score is a sort, under
// its own word, and reports which score it is.
func TestScoreSortsFollowTheRegistry(t *testing.T) {
	for _, fd := range score.Fields {
		f := ScoreSort(fd.ID)
		if id, ok := f.Score(); !ok || id != fd.ID || f.String() != fd.Word || !f.ByScore() {
			t.Errorf("ScoreSort(%s) = %v: Score() %v %v", fd.Word, f, id, ok)
		}
	}
	if _, ok := SortSize.Score(); ok {
		t.Error("SortSize claims a score")
	}
	if s := SortField(99).String(); s != "SortField(99)" {
		t.Errorf("SortField(99) = %q", s)
	}
}
