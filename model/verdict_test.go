package model

import (
	"testing"

	"lightbox/internal/cosrules"
	"lightbox/score"
)

func TestParseVerdictAndTagFilters(t *testing.T) {
	tests := []struct {
		in   string
		want Filter
	}{
		{"pick", Filter{Verdict: Pick}},
		{"REJECT clarity<10", Filter{Verdict: Reject, Below: Bounds{score.Clarity: 10}}},
		{"unflagged unscored", Filter{Verdict: Unflagged, OnlyUnscored: true}},
		{"tag:review=keep", Filter{TagKey: "review", TagValue: "keep"}},
		{"tag:review", Filter{TagKey: "review", TagAnyValue: true}},
		{"tag:review=", Filter{TagKey: "review", TagValue: ""}},
		{`tag:"note=two words" pick pure`, Filter{TagKey: "note", TagValue: "two words", Verdict: Pick, Flags: FlagPure}},
		{"tag:风景=山水 aesthetic>=70", Filter{TagKey: "风景", TagValue: "山水", AtLeast: Bounds{score.Aesthetic: 70}}},
	}
	for _, tc := range tests {
		checkFilter(t, tc.in, tc.want)
	}
	for _, bad := range []string{"pick reject", "tag:", "tag", "tag:=x", "tag:a tag:b", "unflagged tag:flag=pick", "pikc"} {
		if _, err := ParseQualityFilter(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

func TestVerdictFilterMatchesKnownTagsOnly(t *testing.T) {
	l := fixture(t)
	l.SetFilter(Filter{Verdict: Reject})
	if n := l.Len(); n != 0 {
		t.Fatalf("rows with unknown tags matched: %d", n)
	}
	l.SetTags("p/a.jpg", []cosrules.Tag{{Key: FlagTag, Value: "reject"}})
	l.SetTags("p/b.jpg", []cosrules.Tag{{Key: FlagTag, Value: "pick"}, {Key: "review", Value: "keep"}})
	l.SetTags("p/c.jpg", []cosrules.Tag{})
	l.Resort("")
	sameKeys(t, "reject", visibleKeys(l), []string{"p/a.jpg"})
	l.SetFilter(Filter{Verdict: Unflagged})
	sameKeys(t, "unflagged", visibleKeys(l), []string{"p/c.jpg"})
	l.SetFilter(Filter{TagKey: "review", TagAnyValue: true})
	sameKeys(t, "tag:review", visibleKeys(l), []string{"p/b.jpg"})
	l.SetFilter(Filter{TagKey: "review", TagValue: "drop"})
	sameKeys(t, "tag:review=drop", visibleKeys(l), nil)
	// Combined with a score: b is pick but clarity 20.
	l.SetFilter(Filter{Verdict: Pick, AtLeast: Bounds{score.Clarity: 40}})
	sameKeys(t, "pick clarity>=40", visibleKeys(l), nil)
	check(t, l)
}

func TestTagsNeededScreenFirstThenTheRestOnce(t *testing.T) {
	l := fixture(t) // images a..f, visible after the two prefixes
	asked := map[string]bool{}
	want := func(it *Item) bool { return !asked[it.Key] }
	take := func(from, to, n int) []string {
		var out []string
		for _, it := range l.TagsNeeded(from, to, n, want) {
			asked[it.Key] = true
			out = append(out, it.Key)
		}
		return out
	}
	// Rows 5..7 on screen come first.
	first := take(5, 8, 2)
	sameKeys(t, "on screen", first, []string{visibleKeys(l)[5], visibleKeys(l)[6]})
	rest := take(5, 8, 100)
	if len(first)+len(rest) != 6 {
		t.Fatalf("not every image handed out once: %v then %v", first, rest)
	}
	if more := take(0, 8, 100); len(more) != 0 {
		t.Errorf("handed out again: %v", more)
	}
	// A refresh forgets the tags: all are wanted again.
	clear(asked)
	l.RetagAll()
	if again := take(0, 0, 100); len(again) != 6 {
		t.Errorf("after RetagAll: %v", again)
	}
}

func TestCarryOverKeepsWhatDidNotChange(t *testing.T) {
	old := fixture(t)
	old.SetMark("p/a.jpg", true)
	old.SetTags("p/a.jpg", []cosrules.Tag{{Key: FlagTag, Value: "pick"}})
	l := NewList("p/")
	p := page("p/a.jpg", "p/b.jpg", "p/e.jpg", "p/new.jpg")
	p.Objects[1].ETag = `"changed"`
	l.AddPage(p)
	l.CarryOver(old, []string{"p/a.jpg", "p/b.jpg", "p/e.jpg", "p/new.jpg"}, false)
	a, b, e := l.Item("p/a.jpg"), l.Item("p/b.jpg"), l.Item("p/e.jpg")
	if a.State != Scored || a.Scores != old.Item("p/a.jpg").Scores || !a.Marked || a.Tags != nil {
		t.Errorf("a: %+v", a)
	}
	if b.State != Waiting {
		t.Errorf("a changed object kept its old score: %v", b.State)
	}
	if e.State != Failed || e.ErrMessage != "not an image" {
		t.Errorf("e: %v %q", e.State, e.ErrMessage)
	}
	l.CarryOver(old, []string{"p/a.jpg"}, true)
	if VerdictOf(l.Item("p/a.jpg").Tags) != Pick {
		t.Errorf("keepTags: %v", l.Item("p/a.jpg").Tags)
	}
	check(t, l)
}
