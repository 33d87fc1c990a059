package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// oneOf is a stand-in judge: the real ones belong to packages config must not import and
// are tested with the config file by internal/cli.
func oneOf(what string, words ...string) func(string) error {
	return func(s string) error {
		if slices.Contains(words, s) {
			return nil
		}
		return fmt.Errorf("unknown %s %q (test judge)", what, s)
	}
}

var testWords = Words{
	Sort: func(s string) error {
		return oneOf("sort", "name", "size", "time", "clarity")(strings.TrimPrefix(s, "-"))
	},
	// "Speed" is an alias of "speed": duplicates are found by canonical name.
	Column: func(s string) (string, error) {
		c := strings.ToLower(s)
		return c, oneOf("column", "name", "size", "clarity", "speed")(c)
	},
	Theme: oneOf("theme", "auto", "dark", "light", "mono"),
	Image: oneOf("image mode", "auto", "kitty", "blocks", "none"),
}

// TestLoadJudgesWordsWithTheCallersParsers checks that each [review] word reaches its
// judge as written, that a refusal is reported with the judge's own message at the line of
// the setting, and that every bad word is reported at once.
func TestLoadJudgesWordsWithTheCallersParsers(t *testing.T) {
	home := isolate(t)
	p := writeFile(t, home, "c.toml", "[review]\nthreshold = 60\ncolumns = [\"name\", \"Colour\"]\nsort = \"-Date\"\n"+
		"theme = \"pink\"\nimage = \"sixel\"\n", 0o600)
	var got []string
	record := func(kind string) func(string) error {
		return func(s string) error {
			got = append(got, kind+"="+s)
			return fmt.Errorf("no %s %q", kind, s)
		}
	}
	words := Words{Sort: record("sort"), Theme: record("theme"), Image: record("image"),
		Column: func(s string) (string, error) {
			got = append(got, "column="+s)
			if s == "name" {
				return s, nil
			}
			return "", fmt.Errorf("no column %q", s)
		}}
	_, _, err := Load(p, words)
	if err == nil {
		t.Fatal("bad words were accepted")
	}
	want := []string{"column=name", "column=Colour", "sort=-Date", "theme=pink", "image=sixel"}
	if !slices.Equal(got, want) {
		t.Errorf("judges saw %v, want %v", got, want)
	}
	msg := err.Error()
	for _, line := range []string{
		p + `:3: review.columns: no column "Colour"`,
		p + `:4: review.sort: no sort "-Date"`,
		p + `:5: review.theme: no theme "pink"`,
		p + `:6: review.image: no image "sixel"`,
	} {
		if !strings.Contains(msg, line) {
			t.Errorf("error lacks %q:\n%s", line, msg)
		}
	}
	if n := len(unjoin(err)); n != 4 {
		t.Errorf("%d errors, want 4:\n%s", n, msg)
	}
}

func TestLoadColumns(t *testing.T) {
	home := isolate(t)
	cases := []struct {
		file    string
		columns []string
		err     string
	}{
		{"[review]\nthreshold = 60\n", nil, ""},
		{"[review]\ncolumns = [\"Speed\", \"name\"]\n", []string{"Speed", "name"}, ""},
		{"[review]\ncolumns = []\n", nil, ":2: review.columns: must list at least one column"},
		{"[review]\ncolumns = [\"speed\", \"Speed\"]\n", nil, `:2: review.columns: column "Speed" is listed twice`},
	}
	for _, c := range cases {
		p := writeFile(t, home, "c.toml", c.file, 0o600)
		cfg, _, err := Load(p, testWords)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%q: %v", c.file, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: error %v, want %q", c.file, err, c.err)
		case c.err == "" && !slices.Equal(cfg.Review.Columns, c.columns):
			t.Errorf("%q: columns %q, want %q", c.file, cfg.Review.Columns, c.columns)
		}
	}
}

// TestValidateWithoutJudges checks that a caller without the owners' parsers gets the
// rest of the file checked and these words left alone, rather than guessed at.
func TestValidateWithoutJudges(t *testing.T) {
	cfg := Default()
	cfg.Review.Sort, cfg.Review.Theme, cfg.Review.Image = "anything", "at", "all"
	cfg.Review.Columns = []string{"whatever", "whatever"}
	err := cfg.Validate(Words{})
	var fe FieldError
	if !errors.As(err, &fe) || fe.Key != "review.columns" || len(unjoin(err)) != 1 {
		t.Errorf("Validate(Words{}) = %v; want only the repeated column", err)
	}
}
