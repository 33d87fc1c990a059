package score

import (
	"slices"
	"strings"
)

// FlagID names one of the five yes/no answers; it indexes Flags and is the flag's bit
// number in a set of flags.
type FlagID uint8

// The flags in the API's order, which is also the order they are shown in.
const (
	Long FlagID = iota
	BlackAndWhite
	Small
	Big
	Pure
	NumFlags // how many flags there are
)

// Flag is one yes/no answer as every part of lightbox names and reads it.
type Flag struct {
	ID      FlagID
	Word    string   // the filter language's word, lower case
	Aliases []string // other words the filter accepts
	APIName string   // the API's XML and JSON element
	Label   string   // the detail pane's label
	Badge   string   // the list's and status line's badge; the filter reads it back
	Get     func(Scores) bool
}

// Flags are the flags, indexed by FlagID.
var Flags = [NumFlags]Flag{
	Long: {ID: Long, Word: "long", APIName: "LongImage", Label: "Long", Badge: "LONG",
		Get: func(s Scores) bool { return s.LongImage }},
	BlackAndWhite: {ID: BlackAndWhite, Word: "bw", Aliases: []string{"b&w"}, APIName: "BlackAndWhite", Label: "B&W", Badge: "B&W",
		Get: func(s Scores) bool { return s.BlackAndWhite }},
	Small: {ID: Small, Word: "small", APIName: "SmallImage", Label: "Small", Badge: "SMALL",
		Get: func(s Scores) bool { return s.SmallImage }},
	Big: {ID: Big, Word: "big", APIName: "BigImage", Label: "Big", Badge: "BIG",
		Get: func(s Scores) bool { return s.BigImage }},
	Pure: {ID: Pure, Word: "pure", APIName: "PureImage", Label: "Pure", Badge: "PURE",
		Get: func(s Scores) bool { return s.PureImage }},
}

// LookupFlag finds the flag a word names, ignoring case and surrounding blanks and
// accepting aliases and the badge ("B&W").
func LookupFlag(word string) (Flag, bool) {
	w := strings.ToLower(strings.TrimSpace(word))
	for _, f := range Flags {
		if f.Word == w || slices.Contains(f.Aliases, w) || strings.ToLower(f.Badge) == w {
			return f, true
		}
	}
	return Flag{}, false
}

// FlagWords are the flags' filter words in order, for messages and suggestions.
func FlagWords() []string {
	out := make([]string, len(Flags))
	for i, f := range Flags {
		out[i] = f.Word
	}
	return out
}
