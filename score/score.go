// Package score is AssessQuality's answer and the one registry of its fields: the three
// scores and five flags, with every word, label and width the rest of lightbox spells them
// with. Sort keys, the filter language, the reviewer's columns, config validation and the
// API's enable_* switches all read this table, so a score is named in one place. It
// imports nothing of lightbox.
package score

import (
	"slices"
	"strconv"
	"strings"
)

// Scores are AssessQuality's eight fields, LowQualityScore included (the SDK's own result
// struct drops it). Field names are the API's, which XML and JSON decoding rely on.
type Scores struct {
	LongImage       bool
	BlackAndWhite   bool
	SmallImage      bool
	BigImage        bool
	PureImage       bool
	ClarityScore    int
	AestheticScore  int
	LowQualityScore int
}

// ID names one of the three scores; it indexes Fields.
type ID uint8

// The scores in the API's order, which is also the order they are shown in.
const (
	Clarity ID = iota
	Aesthetic
	LowQuality
	NumFields // how many scores there are
)

// Field is one score as every part of lightbox names and reads it.
type Field struct {
	ID      ID
	Word    string   // canonical word: sort keys, filter terms, column names
	Aliases []string // other words accepted for it, lower case
	APIName string   // the API's XML and JSON element
	Label   string   // shown next to the value; lower-cased where the screen is terse
	Switch  string   // the API query parameter that asks for this score alone
	Width   int      // cells the value takes in a column: 0..100 is 3 digits
	// Sortable and Filterable say whether the list can be sorted by it and the filter
	// language can compare it.
	Sortable, Filterable bool
	Get                  func(Scores) int
}

// Fields are the scores, indexed by ID.
var Fields = [NumFields]Field{
	Clarity: {ID: Clarity, Word: "clarity", APIName: "ClarityScore", Label: "Clarity",
		Switch: "enable_clarity", Width: 3, Sortable: true, Filterable: true,
		Get: func(s Scores) int { return s.ClarityScore }},
	Aesthetic: {ID: Aesthetic, Word: "aesthetic", Aliases: []string{"aesthetics"}, APIName: "AestheticScore",
		Label: "Aesthetic", Switch: "enable_aesthetics", Width: 3, Sortable: true, Filterable: true,
		Get: func(s Scores) int { return s.AestheticScore }},
	// LowQualityScore rates content quality: higher is better, like the other two, so it
	// is called "content" everywhere (sort key, filter word, column, pane, help) rather
	// than by its API name, which reads the other way round. The API's word is still read.
	LowQuality: {ID: LowQuality, Word: "content", Aliases: []string{"lowquality", "low-quality"}, APIName: "LowQualityScore",
		Label: "Content", Switch: "enable_lowquality", Width: 3, Sortable: true, Filterable: true,
		Get: func(s Scores) int { return s.LowQualityScore }},
}

// Get is the score's value in s.
func (id ID) Get(s Scores) int { return Fields[id].Get(s) }

func (id ID) String() string {
	if id < NumFields {
		return Fields[id].Word
	}
	return "score.ID(" + strconv.Itoa(int(id)) + ")"
}

// Lookup finds the score a word names, ignoring case and surrounding blanks and accepting
// aliases ("Aesthetics", "content").
func Lookup(word string) (Field, bool) {
	w := strings.ToLower(strings.TrimSpace(word))
	for _, f := range Fields {
		if f.Word == w || slices.Contains(f.Aliases, w) {
			return f, true
		}
	}
	return Field{}, false
}

// Words are the scores' canonical words in order, keeping those keep says yes to (nil
// keeps all): for messages listing what is allowed.
func Words(keep func(Field) bool) []string {
	var out []string
	for _, f := range Fields {
		if keep == nil || keep(f) {
			out = append(out, f.Word)
		}
	}
	return out
}
