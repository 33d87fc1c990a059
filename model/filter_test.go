package model

import (
	"lightbox/score"
	"testing"
)

// filterFixture adds names in other scripts and cases to the fixture.
func filterFixture(t *testing.T) *List {
	l := fixture(t)
	l.AddPage(page("p/Beach_DAY.JPG", "p/beach/", "p/Ärger.png", "p/海滩_01.jpg", "p/ＦＵＬＬ.jpg"))
	l.SetScore("p/海滩_01.jpg", etag("p/海滩_01.jpg"), sc(35, 60, 80, FlagPure|FlagBig))
	l.Resort("")
	check(t, l)
	return l
}

func TestFilterMatches(t *testing.T) {
	all := "a/ b/ beach/ a.jpg b.jpg Beach_DAY.JPG c.jpg d.jpg e.jpg f.jpg Ärger.png 海滩_01.jpg ＦＵＬＬ.jpg"
	tests := []struct {
		name string
		f    Filter
		want string
	}{
		{"zero", Filter{}, all},
		{"name, any case, folders too", Filter{Name: "BEACH"}, "beach/ Beach_DAY.JPG"},
		{"name, extension", Filter{Name: ".jpg"}, "a.jpg b.jpg Beach_DAY.JPG c.jpg d.jpg e.jpg f.jpg 海滩_01.jpg ＦＵＬＬ.jpg"},
		{"name, CJK", Filter{Name: "海滩"}, "海滩_01.jpg"},
		{"name, CJK part", Filter{Name: "滩_0"}, "海滩_01.jpg"},
		{"name, non-ASCII case", Filter{Name: "äRGER"}, "Ärger.png"},
		{"name, full-width case", Filter{Name: "ｆｕｌｌ"}, "ＦＵＬＬ.jpg"},
		{"name, no match", Filter{Name: "zebra"}, ""},
		{"name matches the segment, not the prefix", Filter{Name: "p/"}, ""},
		{"clarity below", Filter{Below: Bounds{score.Clarity: 50}}, "b.jpg 海滩_01.jpg"},
		{"clarity below 51", Filter{Below: Bounds{score.Clarity: 51}}, "a.jpg b.jpg d.jpg 海滩_01.jpg"},
		{"clarity at least", Filter{AtLeast: Bounds{score.Clarity: 50}}, "a.jpg d.jpg"},
		{"clarity range", Filter{Below: Bounds{score.Clarity: 50}, AtLeast: Bounds{score.Clarity: 30}}, "海滩_01.jpg"},
		{"aesthetic below", Filter{Below: Bounds{score.Aesthetic: 11}}, "a.jpg d.jpg"},
		{"aesthetic at least", Filter{AtLeast: Bounds{score.Aesthetic: 60}}, "b.jpg 海滩_01.jpg"},
		{"lowquality below", Filter{Below: Bounds{score.LowQuality: 70}}, "d.jpg"},
		{"lowquality at least", Filter{AtLeast: Bounds{score.LowQuality: 71}}, "海滩_01.jpg"},
		{"one flag", Filter{Flags: FlagPure}, "a.jpg b.jpg 海滩_01.jpg"},
		{"all of two flags", Filter{Flags: FlagPure | FlagLong}, "b.jpg"},
		{"flag nobody has", Filter{Flags: FlagSmall}, ""},
		{"without a flag", Filter{NotFlags: FlagPure}, "d.jpg"},
		{"with and without", Filter{Flags: FlagPure, NotFlags: FlagLong}, "a.jpg 海滩_01.jpg"},
		{"unscored", Filter{OnlyUnscored: true}, "Beach_DAY.JPG c.jpg f.jpg Ärger.png ＦＵＬＬ.jpg"},
		{"scored", Filter{OnlyScored: true}, "a.jpg b.jpg d.jpg 海滩_01.jpg"},
		{"failed", Filter{OnlyFailed: true}, "e.jpg"},
		{"marked", Filter{OnlyMarked: true}, "c.jpg"},
		{"name and unscored", Filter{Name: "beach", OnlyUnscored: true}, "Beach_DAY.JPG"},
		{"name and clarity", Filter{Name: ".jpg", Below: Bounds{score.Clarity: 40}}, "b.jpg 海滩_01.jpg"},
		{"clarity and flag", Filter{Below: Bounds{score.Clarity: 51}, Flags: FlagPure}, "a.jpg b.jpg 海滩_01.jpg"},
		{"clarity, aesthetic, lowquality", Filter{Below: Bounds{score.Clarity: 51, score.Aesthetic: 50}, AtLeast: Bounds{score.LowQuality: 70}}, "a.jpg"},
		{"marked and unscored", Filter{OnlyMarked: true, OnlyUnscored: true}, "c.jpg"},
		{"marked and scored", Filter{OnlyMarked: true, OnlyScored: true}, ""},
		{"unscored and failed: nothing", Filter{OnlyUnscored: true, OnlyFailed: true}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := filterFixture(t)
			l.SetMark("p/c.jpg", true)
			l.SetFilter(tc.f)
			check(t, l)
			if got := names(l); got != tc.want {
				t.Errorf("rows\n got %s\nwant %s", got, tc.want)
			}
			if l.Filter() != tc.f {
				t.Errorf("Filter() = %+v", l.Filter())
			}
			if tc.f.IsZero() != (tc.name == "zero") {
				t.Errorf("IsZero = %v", tc.f.IsZero())
			}
		})
	}
}

// What the filter shows only changes on Resort, so rows do not vanish under the cursor as
// answers arrive; then the cursor lands on the nearest row left.
func TestFilterMembershipChangesOnResort(t *testing.T) {
	l := fixture(t)
	l.SetFilter(Filter{OnlyUnscored: true}) // c f
	if got := names(l); got != "c.jpg f.jpg" {
		t.Fatalf("rows %s", got)
	}
	l.SetScore("p/c.jpg", etag("p/c.jpg"), sc(1, 1, 1, 0))
	l.AddPage(page("p/g.jpg"))
	if got := names(l); got != "c.jpg f.jpg g.jpg" {
		t.Errorf("before Resort: %s", got)
	}
	i := l.Resort("p/c.jpg")
	if got := names(l); got != "f.jpg g.jpg" {
		t.Errorf("after Resort: %s", got)
	}
	if l.At(i).Key != "p/f.jpg" {
		t.Errorf("cursor went to row %d", i)
	}
	check(t, l)
}

func TestFilterString(t *testing.T) {
	tests := []struct {
		f    Filter
		want string
	}{
		{Filter{}, ""},
		{Filter{Name: "beach", Below: Bounds{score.Clarity: 40}, Flags: FlagPure}, `name~"beach" clarity<40 PURE`},
		{Filter{Name: `海 "滩"`}, `name~"海 \"滩\""`},
		{Filter{Below: Bounds{score.Clarity: 50}, AtLeast: Bounds{score.Clarity: 30}}, "clarity>=30 clarity<50"},
		{Filter{Below: Bounds{score.Aesthetic: 56}, AtLeast: Bounds{score.Aesthetic: 55}}, "aesthetic=55"},
		{Filter{Below: Bounds{score.LowQuality: 101}}, "content<=100"},
		{Filter{Flags: FlagLong | FlagBW | FlagSmall | FlagBig | FlagPure}, "LONG B&W SMALL BIG PURE"},
		{Filter{NotFlags: FlagBW, Flags: FlagBig}, "BIG !B&W"},
		{Filter{OnlyScored: true, OnlyMarked: true}, "scored marked"},
		{Filter{OnlyUnscored: true, OnlyFailed: true}, "unscored failed"},
	}
	for _, tc := range tests {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.f, got, tc.want)
		}
	}
}

func TestFlags(t *testing.T) {
	s := score.Scores{LongImage: true, PureImage: true}
	if f := FlagsOf(s); f != FlagLong|FlagPure || f.String() != "LONG PURE" || Flags(0).String() != "" {
		t.Errorf("FlagsOf = %v", f)
	}
	it := &Item{Scores: s}
	if it.Flags() != 0 {
		t.Error("an unscored item has flags")
	}
	it.State = Scored
	if it.Flags() != FlagLong|FlagPure || !it.IsImage() || it.Unscored() {
		t.Error("a scored item's flags")
	}
}

func TestContainsFold(t *testing.T) {
	for _, tc := range []struct {
		s, needle string
		want      bool
	}{
		{"IMG_0001.JPG", "img_", true}, {"IMG_0001.JPG", ".jpg", true}, {"IMG", "img_", false},
		{"abc", "", true}, {"ab", "abc", false}, {"xAbCx", "abc", true},
		{"KELVIN", "k", true}, {"\u212aelvin", "k", true}, // the Kelvin sign lowers to k
		{"照片.jpg", "照片", true}, {"照片.jpg", "片.j", true}, {"照片.jpg", "照 片", false},
	} {
		n := tc.needle
		if got := containsFold(tc.s, n, isASCII(n)); got != tc.want {
			t.Errorf("containsFold(%q, %q) = %v", tc.s, n, got)
		}
	}
}
