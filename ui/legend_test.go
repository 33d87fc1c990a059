package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"lightbox/score"
)

// Where the legend does not fit under the keys, ? turns to it and back; any other key
// closes the help.
func TestHelpLegendPage(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, nil)
	hs.keys("?")
	if s := hs.screen(); !strings.Contains(s, "? legend") || strings.Contains(s, "Badges and marks") {
		t.Fatalf("80x24 help: keys first, the legend a ? away:\n%s", s)
	}
	hs.keys("?")
	s := hs.screen()
	for _, want := range []string{"Legend", "≥50", "40-49", "<40", "ClarityScore", "AestheticScore", "LowQualityScore", "REJECT", "+2 tags", "▸"} {
		if !strings.Contains(s, want) {
			t.Errorf("the legend lacks %q:\n%s", want, s)
		}
	}
	for _, f := range score.Flags {
		if !strings.Contains(s, f.Badge) {
			t.Errorf("the legend lacks the badge %s", f.Badge)
		}
	}
	hs.keys("?")
	if !strings.Contains(hs.screen(), "Navigate") {
		t.Error("? again turns back to the keys")
	}
	hs.keys("j")
	if hs.m.mode != modeNormal || hs.m.helpLegend {
		t.Error("any other key closes the help, and it opens on the keys next time")
	}
	for _, line := range strings.Split(hs.m.render(), "\n") {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("a line of %d cells", w)
		}
	}
}

// The threshold in the legend is the operator's.
func TestLegendFollowsTheThreshold(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, func(o *Options) { o.Threshold = 70 })
	hs.keys("?", "?")
	if s := hs.screen(); !strings.Contains(s, "≥70") || !strings.Contains(s, "60-69") || !strings.Contains(s, "<60") {
		t.Errorf("threshold 70:\n%s", s)
	}
}

func TestGoldenLegend80x24(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, nil)
	hs.keys("?", "?")
	golden.RequireEqual(t, []byte(hs.screen()))
}

func TestGoldenHelp160x48(t *testing.T) {
	hs := newHarness(t, gallery(), 160, 48, nil)
	hs.keys("?")
	golden.RequireEqual(t, []byte(hs.screen()))
}

func TestGoldenHelpMono80x24(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, func(o *Options) { o.Theme = ThemeMono })
	hs.keys("?", "?")
	golden.RequireEqual(t, []byte(hs.m.render()))
}

func TestGoldenHelpMono160x48(t *testing.T) {
	hs := newHarness(t, gallery(), 160, 48, func(o *Options) { o.Theme = ThemeMono })
	hs.keys("?")
	golden.RequireEqual(t, []byte(hs.m.render()))
}
