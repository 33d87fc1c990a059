package ui

import (
	"slices"
	"strings"
	"testing"

	"lightbox/score"
)

func TestParseColumn(t *testing.T) {
	for in, want := range map[string]string{
		"name": "name", "Size": "size", "age": "age", "time": "age", "FLAGS": "flags",
		"clarity": "clarity", "Aesthetics": "aesthetic", "lowquality": "content", " low-quality ": "content",
	} {
		if got, err := ParseColumn(in); err != nil || got != want {
			t.Errorf("ParseColumn(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "colour", "pure", "ClarityScore"} {
		_, err := ParseColumn(in)
		if err == nil || !strings.Contains(err.Error(), "name, size, age, clarity, aesthetic, content, flags") {
			t.Errorf("ParseColumn(%q) error = %v, want one listing the columns", in, err)
		}
	}
}

// TestEveryScoreIsAColumn checks that the columns follow the registry: each score, by any
// of its words, is a column of its own.
func TestEveryScoreIsAColumn(t *testing.T) {
	for _, f := range score.Fields {
		for _, w := range append([]string{f.Word}, f.Aliases...) {
			set, err := ParseColumns([]string{"name", w})
			if err != nil || !slices.Equal(set.scores, []score.ID{f.ID}) {
				t.Errorf("ParseColumns(name, %s) = %+v, %v", w, set, err)
			}
		}
	}
}

func TestParseColumns(t *testing.T) {
	all, err := ParseColumns(nil)
	if err != nil || !all.size || !all.age || !all.flags || len(all.scores) != int(score.NumFields) {
		t.Errorf("ParseColumns(nil) = %+v, %v; want every column", all, err)
	}
	set, err := ParseColumns([]string{"name", "content", "clarity", "time"})
	if err != nil || set.size || !set.age || set.flags || !slices.Equal(set.scores, []score.ID{score.LowQuality, score.Clarity}) {
		t.Errorf("ParseColumns = %+v, %v", set, err)
	}
	// A bad word and a repeat (under another spelling) are both reported; the rest is kept.
	set, err = ParseColumns([]string{"aesthetic", "colour", "Aesthetics", "size"})
	if err == nil || !strings.Contains(err.Error(), `"colour"`) || !strings.Contains(err.Error(), `"aesthetic" is listed twice`) {
		t.Errorf("error = %v", err)
	}
	if !set.size || !slices.Equal(set.scores, []score.ID{score.Aesthetic}) {
		t.Errorf("good words lost: %+v", set)
	}
}

func TestParseTheme(t *testing.T) {
	for in, want := range map[string]string{"auto": ThemeAuto, "Dark": ThemeDark, " light": ThemeLight, "MONO": ThemeMono} {
		if got, err := ParseTheme(in); err != nil || got != want {
			t.Errorf("ParseTheme(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseTheme("pink"); err == nil || !strings.Contains(err.Error(), `"pink"`) || !strings.Contains(err.Error(), "auto, dark, light, mono") {
		t.Errorf("ParseTheme(pink) error = %v", err)
	}
}
