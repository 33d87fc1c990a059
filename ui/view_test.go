package ui

import (
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// Golden frames at fixed sizes, colours stripped (colour is a profile decision the
// terminal makes); run `go test ./ui/ -update` to accept an intended change.

func TestGoldenList80x24(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, nil)
	hs.keys("j", "j", "j", "space")
	golden.RequireEqual(t, []byte(hs.screen()))
}

func TestGoldenList160x48(t *testing.T) {
	hs := newHarness(t, gallery(), 160, 48, nil)
	hs.keys("enter", "s", "S")
	golden.RequireEqual(t, []byte(hs.screen()))
}

func TestGoldenDetail160x48(t *testing.T) {
	hs := newHarness(t, gallery(), 160, 48, nil)
	hs.keys("G")
	golden.RequireEqual(t, []byte(hs.screen()))
}

func TestGoldenHelp80x24(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, nil)
	hs.keys("?")
	golden.RequireEqual(t, []byte(hs.screen()))
}

func TestGoldenQualityPrompt80x24(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, nil)
	hs.keys("f")
	hs.typeText("clarity<60 pure")
	golden.RequireEqual(t, []byte(hs.screen()))
}

// The mono theme (NO_COLOR) keeps the frame readable with attributes only: the golden
// keeps the escape codes, so a colour sneaking in shows up.
func TestGoldenMono80x24(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, func(o *Options) { o.Theme = ThemeMono })
	hs.keys("j", "space")
	golden.RequireEqual(t, []byte(hs.m.render()))
}
