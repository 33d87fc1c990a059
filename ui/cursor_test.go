package ui

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// cursorLine is the list row the cursor is on, with its escape codes.
func cursorLine(t *testing.T, hs *harness) string {
	t.Helper()
	for _, line := range strings.Split(hs.m.render(), "\n") {
		if strings.HasPrefix(ansi.Strip(line), "▸") {
			return line
		}
	}
	t.Fatalf("no row starts with the cursor marker:\n%s", hs.screen())
	return ""
}

// Without colour the cursor is still there: a marker in the first cell.
func TestCursorMarkerNeedsNoColour(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, func(o *Options) { o.Theme = ThemeMono })
	hs.send(tea.ColorProfileMsg{Profile: colorprofile.ASCII})
	hs.keys("j", "j", "j", "j")
	if line := ansi.Strip(cursorLine(t, hs)); !strings.Contains(line, hs.m.cursorKey()) {
		t.Errorf("the marker is not on the cursor's row %q: %q", hs.m.cursorKey(), line)
	}
	if n := strings.Count(hs.screen(), "▸"); n != 1 {
		t.Errorf("%d cursor markers", n)
	}
}

// With 16 colours the cursor's background folded into the text's cyan: the row is drawn
// in reverse video instead.
func TestCursorRowIn16Colours(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, nil)
	hs.send(tea.ColorProfileMsg{Profile: colorprofile.ANSI})
	hs.keys("j")
	if line := cursorLine(t, hs); !reverse.MatchString(line) || strings.Contains(line, "48;2;") {
		t.Errorf("16 colours: the cursor row is not reverse video: %q", line)
	}
	hs.send(tea.ColorProfileMsg{Profile: colorprofile.TrueColor})
	if line := cursorLine(t, hs); !strings.Contains(line, "48;2;") {
		t.Errorf("true colour: the cursor row lost its background: %q", line)
	}
}

// reverse finds SGR 7 (reverse video) among a sequence's parameters.
var reverse = regexp.MustCompile(`\x1b\[(?:[0-9]+;)*7[;m]`)

// Colour goldens keep the escape codes: a colour that changes shows up.
func TestGoldenListColour80x24(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, nil)
	hs.keys("j", "j", "j", "space")
	golden.RequireEqual(t, []byte(hs.m.render()))
}

func TestGoldenListMono160x48(t *testing.T) {
	hs := newHarness(t, gallery(), 160, 48, func(o *Options) { o.Theme = ThemeMono })
	hs.keys("enter", "s", "S")
	golden.RequireEqual(t, []byte(hs.m.render()))
}

func TestGoldenLoupeColour80x24(t *testing.T) {
	hs := loupeHarness(t, strip(), 80, 24, nil)
	hs.keys("n", "P")
	golden.RequireEqual(t, []byte(hs.m.render()))
}

func TestGoldenHelpColour80x24(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, nil)
	hs.keys("?", "?")
	golden.RequireEqual(t, []byte(hs.m.render()))
}

// At 20 columns the list, the help, the legend and the loupe fit the screen.
func TestNarrowScreensFit(t *testing.T) {
	for _, keys := range [][]string{{"j"}, {"?"}, {"?", "?"}, {"G", "o"}, {"tab"}} {
		hs := newHarness(t, gallery(), 20, 10, nil)
		hs.keys(keys...)
		for i, line := range strings.Split(hs.m.render(), "\n") {
			if w := ansi.StringWidth(line); w > 20 {
				t.Errorf("%v: line %d is %d cells: %q", keys, i, w, ansi.Strip(line))
			}
		}
	}
}

func TestGoldenListColour160x48(t *testing.T) {
	hs := newHarness(t, gallery(), 160, 48, nil)
	hs.keys("enter", "s", "S")
	golden.RequireEqual(t, []byte(hs.m.render()))
}

func TestGoldenLoupeColour160x48(t *testing.T) {
	hs := loupeHarness(t, strip(), 160, 48, nil)
	hs.keys("G", "A")
	golden.RequireEqual(t, []byte(hs.m.render()))
}

func TestGoldenHelpColour160x48(t *testing.T) {
	hs := newHarness(t, gallery(), 160, 48, nil)
	hs.keys("?")
	golden.RequireEqual(t, []byte(hs.m.render()))
}
