package model

import (
	"reflect"
	"strings"
	"testing"

	"lightbox/score"
)

// TestFilterKnowsEveryRegistryWord checks that the filter language reads every word and
// alias package score has for a score or a flag, in any case, and that what it reads
// writes back (Filter.String) to a filter that parses the same.
func TestFilterKnowsEveryRegistryWord(t *testing.T) {
	for _, fd := range score.Fields {
		for _, w := range append([]string{fd.Word}, fd.Aliases...) {
			for _, spelled := range []string{w, strings.ToUpper(w)} {
				f, err := ParseQualityFilter(spelled + "<40")
				var want Filter
				want.Below[fd.ID] = 40
				if err != nil || f != want {
					t.Errorf("%s<40: %+v, %v", spelled, f, err)
					continue
				}
				if back, err := ParseQualityFilter(f.String()); err != nil || back != f {
					t.Errorf("%s<40 writes %q, which reads %+v, %v", spelled, f.String(), back, err)
				}
			}
		}
	}
	for _, fl := range score.Flags {
		for _, w := range append([]string{fl.Word, fl.Badge}, fl.Aliases...) {
			f, err := ParseQualityFilter("!" + w)
			if err != nil || f != (Filter{NotFlags: FlagOf(fl.ID)}) {
				t.Errorf("!%s: %+v, %v", w, f, err)
			}
		}
	}
}

// TestFlagsFollowTheRegistry checks that each API flag sets its own bit and is written with
// its badge.
func TestFlagsFollowTheRegistry(t *testing.T) {
	for _, fl := range score.Flags {
		var s score.Scores
		reflect.ValueOf(&s).Elem().FieldByName(fl.APIName).SetBool(true)
		got := FlagsOf(s)
		if got != FlagOf(fl.ID) || got.String() != fl.Badge {
			t.Errorf("%s: FlagsOf = %b (%q), want bit %d (%q)", fl.APIName, got, got.String(), fl.ID, fl.Badge)
		}
	}
	all := FlagsOf(score.Scores{LongImage: true, BlackAndWhite: true, SmallImage: true, BigImage: true, PureImage: true})
	if all != FlagLong|FlagBW|FlagSmall|FlagBig|FlagPure || all.String() != "LONG B&W SMALL BIG PURE" {
		t.Errorf("all flags: %b %q", all, all.String())
	}
}
