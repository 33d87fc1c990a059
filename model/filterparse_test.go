package model

import (
	"errors"
	"lightbox/score"
	"strings"
	"testing"
)

func TestParseQualityFilter(t *testing.T) {
	tests := []struct {
		in   string
		want Filter
	}{
		{"", Filter{}},
		{"   ", Filter{}},
		{"clarity<40", Filter{Below: Bounds{score.Clarity: 40}}},
		{"clarity<40 pure long marked", Filter{Below: Bounds{score.Clarity: 40}, Flags: FlagPure | FlagLong, OnlyMarked: true}},
		{"unscored marked", Filter{OnlyUnscored: true, OnlyMarked: true}},
		{"aesthetic<30 lowquality<50", Filter{Below: Bounds{score.Aesthetic: 30, score.LowQuality: 50}}},
		{"CLARITY < 40 ,PURE", Filter{Below: Bounds{score.Clarity: 40}, Flags: FlagPure}},
		{"clarity<=40", Filter{Below: Bounds{score.Clarity: 41}}},
		{"clarity>40", Filter{AtLeast: Bounds{score.Clarity: 41}}},
		{"clarity>=40 clarity<60", Filter{Below: Bounds{score.Clarity: 60}, AtLeast: Bounds{score.Clarity: 40}}},
		{"clarity=55", Filter{Below: Bounds{score.Clarity: 56}, AtLeast: Bounds{score.Clarity: 55}}},
		{"clarity=0", Filter{Below: Bounds{score.Clarity: 1}}},
		{"clarity<=100", Filter{Below: Bounds{score.Clarity: 101}}},
		{"clarity>=0", Filter{OnlyScored: true}},
		{"aesthetics>=70 content<20 low-quality>=5", Filter{Below: Bounds{score.LowQuality: 20}, AtLeast: Bounds{score.Aesthetic: 70, score.LowQuality: 5}}},
		{"bw b&w B&W small big", Filter{Flags: FlagBW | FlagSmall | FlagBig}},
		{"!pure -long", Filter{NotFlags: FlagPure | FlagLong}},
		{"unscored", Filter{OnlyUnscored: true}},
		{"failed marked", Filter{OnlyFailed: true, OnlyMarked: true}},
		{"scored", Filter{OnlyScored: true}},
		{"name~beach", Filter{Name: "beach"}},
		{"name: IMG_01.JPG clarity<40", Filter{Name: "IMG_01.JPG", Below: Bounds{score.Clarity: 40}}},
		{"name=x", Filter{Name: "x"}},
		{`name~"two words" pure`, Filter{Name: "two words", Flags: FlagPure}},
		{`"beach day"`, Filter{Name: "beach day"}},
		{"name~海滩　clarity<40", Filter{Name: "海滩", Below: Bounds{score.Clarity: 40}}}, // ideographic space separates
		{`name~"say \"hi\""`, Filter{Name: `say "hi"`}},
	}
	for _, tc := range tests {
		checkFilter(t, tc.in, tc.want)
	}
}

func TestParseQualityFilterErrors(t *testing.T) {
	tests := []struct {
		in  string
		pos int
		msg string // part of the message
	}{
		{"clarty<40", 0, "did you mean clarity?"},
		{"pure lng", 5, "did you mean long?"},
		{"beach", 0, "name~beach"},
		{"size<100", 0, "only clarity, aesthetic and content"},
		{"clarity", 0, "needs a comparison, like clarity<40"},
		{"clarity<", 0, "needs a whole number from 0 to 100"},
		{"clarity<abc", 0, "needs a whole number"},
		{"clarity<4.5", 0, "whole number"},
		{"clarity<40pure", 0, "whole number"},
		{"clarity<101", 0, "from 0 to 100"},
		{"clarity<0", 0, "no score is below 0"},
		{"clarity>100", 0, "no score is above 100"},
		{"clarity=>40", 0, `"=>" is not a comparison`},
		{"clarity<<40", 0, "not a comparison"},
		{"clarity<40 clarity<30", 11, "already has an upper bound"},
		{"clarity>=10 clarity>20", 12, "already has a lower bound"},
		{"clarity>=70 clarity<40", 12, "no clarity score is both >= 70 and < 40"},
		{"pure !pure", 5, "both required and excluded"},
		{"unscored failed", 9, "only one of scored, unscored and failed"},
		{"scored unscored", 7, "only one of"},
		{"unscored clarity<40", 9, "only for scored images"},
		{"failed pure", 7, "only for scored images"},
		{"!marked", 0, "only a flag"},
		{"pure=1", 0, "is a flag"},
		{"marked=yes", 0, "used alone"},
		{"name", 0, "needs text"},
		{"name~", 0, "needs text"},
		{`name~""`, 0, "needs text"},
		{`name~"open`, 0, "never closed"},
		{`"open`, 0, "never closed"},
		{`name~"bad \q"`, 0, "bad escape"},
		{"name~a name~b", 7, "one name per filter"},
		{"pure or long", 5, `no "or"`},
		{"pure and long", 5, `no "and" needed`},
		{"not pure", 0, "!pure"},
		{"<40", 0, "unexpected"},
		{"clarity<40 ?", 11, "unexpected"},
	}
	for _, tc := range tests {
		f, err := ParseQualityFilter(tc.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: got %+v, %v; want an error", tc.in, f, err)
			continue
		}
		if !strings.Contains(pe.Error(), tc.msg) || pe.Pos != tc.pos {
			t.Errorf("%q: error %q at %d; want %q at %d", tc.in, pe.Error(), pe.Pos, tc.msg, tc.pos)
		}
		if f != (Filter{}) {
			t.Errorf("%q: a failed parse returned %+v", tc.in, f)
		}
	}
}
