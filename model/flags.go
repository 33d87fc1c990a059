package model

import (
	"lightbox/score"
	"strings"
)

// Flags are AssessQuality's five yes/no answers as a bit set.
type Flags uint8

const (
	FlagLong Flags = 1 << iota
	FlagBW
	FlagSmall
	FlagBig
	FlagPure
)

// flagNames are the flags in display order, with the word the status line and the filter
// language use.
var flagNames = [...]struct {
	f    Flags
	name string
}{{FlagLong, "LONG"}, {FlagBW, "B&W"}, {FlagSmall, "SMALL"}, {FlagBig, "BIG"}, {FlagPure, "PURE"}}

// FlagsOf collects the flags of a score.
func FlagsOf(s score.Scores) Flags {
	var f Flags
	if s.LongImage {
		f |= FlagLong
	}
	if s.BlackAndWhite {
		f |= FlagBW
	}
	if s.SmallImage {
		f |= FlagSmall
	}
	if s.BigImage {
		f |= FlagBig
	}
	if s.PureImage {
		f |= FlagPure
	}
	return f
}

// String is the flags as words, e.g. "B&W PURE"; "" for none.
func (f Flags) String() string {
	return strings.Join(f.names(""), " ")
}

// names lists the set flags' words, each after prefix.
func (f Flags) names(prefix string) []string {
	var out []string
	for _, n := range flagNames {
		if f&n.f != 0 {
			out = append(out, prefix+n.name)
		}
	}
	return out
}
