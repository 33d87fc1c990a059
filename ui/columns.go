package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"lightbox/score"
)

// ownColumns are the reviewer's columns that are not scores, with the other words each
// answers to; the score columns are package score's, under every word it knows.
var ownColumns = []struct {
	word    string
	aliases []string
}{{"name", nil}, {"size", nil}, {"age", []string{"time"}}, {"flags", nil}}

// ColumnWords are the column names, canonical spelling, for help and messages.
func ColumnWords() []string {
	var out []string
	for _, c := range ownColumns[:3] {
		out = append(out, c.word)
	}
	out = append(out, score.Words(nil)...)
	return append(out, ownColumns[3].word)
}

// ParseColumn reads one [review] columns word, ignoring case and surrounding blanks, and
// returns its canonical spelling ("Aesthetics" is "aesthetic").
func ParseColumn(word string) (string, error) {
	w := strings.ToLower(strings.TrimSpace(word))
	for _, c := range ownColumns {
		if w == c.word || slices.Contains(c.aliases, w) {
			return c.word, nil
		}
	}
	if f, ok := score.Lookup(w); ok {
		return f.Word, nil
	}
	return "", fmt.Errorf("unknown column %q; columns are %s", word, strings.Join(ColumnWords(), ", "))
}

// ColumnSet are the optional columns the operator asked for ([review] columns); the name
// is always shown.
type ColumnSet struct {
	size, age, flags bool
	scores           []score.ID // in the order asked for
}

// ParseColumns reads the [review] columns list; none (nil or empty) means every column.
// Each word must be a column (ParseColumn) and appear once. The set holds every good word
// even when the error reports bad ones.
func ParseColumns(words []string) (ColumnSet, error) {
	if len(words) == 0 {
		all := ColumnSet{size: true, age: true, flags: true}
		for id := range score.NumFields {
			all.scores = append(all.scores, id)
		}
		return all, nil
	}
	var s ColumnSet
	var errs []error
	seen := map[string]bool{}
	for _, w := range words {
		c, err := ParseColumn(w)
		switch {
		case err != nil:
			errs = append(errs, err)
			continue
		case seen[c]:
			errs = append(errs, fmt.Errorf("column %q is listed twice", c))
			continue
		}
		seen[c] = true
		switch c {
		case "size":
			s.size = true
		case "age":
			s.age = true
		case "flags":
			s.flags = true
		case "name":
		default:
			f, _ := score.Lookup(c)
			s.scores = append(s.scores, f.ID)
		}
	}
	return s, errors.Join(errs...)
}
