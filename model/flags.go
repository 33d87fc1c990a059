package model

import (
	"lightbox/score"
	"strings"
)

// Flags are AssessQuality's five yes/no answers as a bit set: bit i is score.Flags[i].
type Flags uint8

const (
	FlagLong  Flags = 1 << score.Long
	FlagBW    Flags = 1 << score.BlackAndWhite
	FlagSmall Flags = 1 << score.Small
	FlagBig   Flags = 1 << score.Big
	FlagPure  Flags = 1 << score.Pure
)

// FlagOf is the bit of one flag.
func FlagOf(id score.FlagID) Flags { return 1 << id }

// FlagsOf collects the flags of a score.
func FlagsOf(s score.Scores) Flags {
	var f Flags
	for _, fl := range score.Flags {
		if fl.Get(s) {
			f |= FlagOf(fl.ID)
		}
	}
	return f
}

// String is the flags' badges in display order, e.g. "B&W PURE"; "" for none.
func (f Flags) String() string {
	return strings.Join(f.names(""), " ")
}

// names lists the set flags' badges, each after prefix; the filter language reads them
// back.
func (f Flags) names(prefix string) []string {
	var out []string
	for _, fl := range score.Flags {
		if f&FlagOf(fl.ID) != 0 {
			out = append(out, prefix+fl.Badge)
		}
	}
	return out
}
