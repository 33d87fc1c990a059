package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"lightbox/cosapi"
	"lightbox/model"
	"lightbox/score"
)

func stripANSI(s string) string { return ansi.Strip(s) }

func rowKeys(m *Model) []string {
	var out []string
	for i := range m.list.Len() {
		out = append(out, m.list.At(i).Key)
	}
	return out
}

func TestLoadsListsAndScores(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 120, 30, nil)
	keys := rowKeys(hs.m)
	want := []string{"beach/", "docs/", "风景/", "a very long file name that will not fit in any column at all.jpg", "animation.gif", "cold.jpg", "emoji 🌅 dawn.jpg", "tiny.jpg"}
	if strings.Join(keys, "|") != strings.Join(want, "|") {
		t.Fatalf("rows %q", keys)
	}
	c := hs.m.list.Counts()
	if c.Images != 5 || c.Scored != 3 || c.Failed != 2 {
		t.Errorf("counts %+v", c)
	}
	// The GIF was never sent: its name says it is not PNG or JPEG, and calls are billed.
	if got := b.calls.Load(); got != 4 {
		t.Errorf("%d calls, want 4 (the gif is skipped)", got)
	}
	s := hs.screen()
	for _, want := range []string{"cos://photos-1250000000/", "beach/", "archived", "scoring" + "", "8 listed"} {
		if want == "scoring" {
			continue
		}
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
}

func TestNavigationRemembersTheCursorPerPrefix(t *testing.T) {
	hs := newHarness(t, gallery(), 120, 30, nil)
	hs.keys("enter") // into beach/
	if hs.m.list.Prefix() != "beach/" {
		t.Fatalf("prefix %q", hs.m.list.Prefix())
	}
	hs.keys("j")
	onBeach := hs.m.cursorKey()
	hs.keys("backspace")
	if hs.m.list.Prefix() != "" || hs.m.cursorKey() != "beach/" {
		t.Fatalf("back: prefix %q cursor %q", hs.m.list.Prefix(), hs.m.cursorKey())
	}
	hs.keys("G")
	if hs.m.cursorKey() != "tiny.jpg" {
		t.Errorf("G: %q", hs.m.cursorKey())
	}
	hs.keys("g", "enter")
	if hs.m.cursorKey() != onBeach {
		t.Errorf("the cursor in beach/ was %q, came back on %q", onBeach, hs.m.cursorKey())
	}
	if !strings.Contains(hs.screen(), "› beach/") {
		t.Errorf("breadcrumbs:\n%s", hs.screen())
	}
	hs.keys("backspace", "backspace")
	if !strings.Contains(hs.screen(), "already at the top") {
		t.Error("no word at the top")
	}
}

func TestSortKeepsTheCursorOnItsImage(t *testing.T) {
	hs := newHarness(t, gallery(), 120, 30, nil)
	hs.keys("enter") // beach/: blurry 12, panorama 71, sunset 88
	hs.keys("G")     // sunset (name order: blurry, panorama, sunset)
	if hs.m.cursorKey() != "beach/sunset.jpg" {
		t.Fatalf("cursor %q", hs.m.cursorKey())
	}
	hs.keys("s") // clarity, ascending: blurry, panorama, sunset
	if f, desc := hs.m.list.Sort(); f != model.SortClarity || desc {
		t.Fatalf("sort %v %v", f, desc)
	}
	hs.keys("S") // descending: sunset first
	if rows := rowKeys(hs.m); rows[0] != "beach/sunset.jpg" || hs.m.cursorKey() != "beach/sunset.jpg" || hs.m.cursor != 0 {
		t.Errorf("rows %q, cursor %q at %d", rows, hs.m.cursorKey(), hs.m.cursor)
	}
	if !strings.Contains(hs.screen(), "sort -clarity") {
		t.Errorf("header does not show the sort:\n%s", hs.screen())
	}
}

func TestNameFilterAsYouTypeAndQualityFilter(t *testing.T) {
	hs := newHarness(t, gallery(), 120, 30, nil)
	hs.keys("/")
	hs.typeText("tin")
	if rows := rowKeys(hs.m); len(rows) != 1 || rows[0] != "tiny.jpg" {
		t.Fatalf("typing narrows: %q", rows)
	}
	hs.keys("esc") // cancel: back to everything
	if hs.m.list.Len() != 8 {
		t.Fatalf("esc restores: %d rows", hs.m.list.Len())
	}
	hs.keys("/")
	hs.typeText("dawn")
	hs.keys("enter")
	if hs.m.list.Len() != 1 || !strings.Contains(hs.screen(), `filter name~"dawn"`) {
		t.Fatalf("name filter kept: %d\n%s", hs.m.list.Len(), hs.screen())
	}
	hs.keys("esc")
	hs.keys("f")
	hs.typeText("failed")
	hs.keys("enter")
	if rows := rowKeys(hs.m); len(rows) != 2 {
		t.Errorf("failed filter: %q", rows)
	}
	hs.keys("f")
	hs.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // clear the line
	hs.typeText("clarity<>")
	hs.keys("enter")
	if !strings.Contains(hs.screen(), "filter:") {
		t.Errorf("a bad expression is reported:\n%s", hs.screen())
	}
	hs.keys("esc") // the prompt stayed open on the bad expression: esc cancels it
	if f := hs.m.list.Filter().String(); f != "failed" {
		t.Errorf("cancelling the prompt keeps the previous filter: %q", f)
	}
	hs.keys("esc")
	if !hs.m.list.Filter().IsZero() {
		t.Errorf("esc clears the filter: %v", hs.m.list.Filter())
	}
}

func TestMarking(t *testing.T) {
	hs := newHarness(t, gallery(), 120, 30, nil)
	hs.keys("G", "k", "k") // cold.jpg? rows: ... animation, cold, emoji, tiny
	start := hs.m.cursor
	hs.keys("space")
	if hs.m.cursor != start+1 || hs.m.list.Counts().Marked != 1 {
		t.Fatalf("space marks and moves: cursor %d→%d, marked %d", start, hs.m.cursor, hs.m.list.Counts().Marked)
	}
	hs.keys("ctrl+x")
	if hs.m.list.Counts().Marked != 0 {
		t.Fatal("ctrl+x clears")
	}
	hs.keys("g", "j", "j", "j", "v", "j", "j", "esc")
	if got := hs.m.list.Counts().Marked; got != 3 {
		t.Errorf("visual range of 3 marked %d", got)
	}
	hs.keys("i")
	if got := hs.m.list.Counts().Marked; got != 2 {
		t.Errorf("invert: %d marked of 5 images", got)
	}
	hs.keys("ctrl+a")
	if got := hs.m.list.Counts().Marked; got != 5 {
		t.Errorf("mark all: %d", got)
	}
	if !strings.Contains(hs.screen(), "5 marked") {
		t.Errorf("status line:\n%s", hs.screen())
	}
}

func TestPauseRescoreAndStaleAnswers(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 120, 30, nil)
	hs.keys("p")
	if !hs.m.paused || !strings.Contains(hs.screen(), "paused") {
		t.Fatal("p pauses")
	}
	hs.keys("G", "k", "k") // cold.jpg (archived)
	if hs.m.cursorKey() != "cold.jpg" {
		t.Fatalf("cursor %q", hs.m.cursorKey())
	}
	delete(b.fail, "cold.jpg")
	b.scores["cold.jpg"] = score.Scores{ClarityScore: 60, AestheticScore: 60, LowQualityScore: 60}
	hs.keys("r")
	if it := hs.m.list.Item("cold.jpg"); it.State != model.Waiting {
		t.Fatalf("paused: a re-score waits, state %v", it.State)
	}
	hs.keys("p")
	if it := hs.m.list.Item("cold.jpg"); it.State != model.Scored || it.Scores.ClarityScore != 60 {
		t.Fatalf("resumed: %v %+v", it.State, it.Scores)
	}
	// An answer for an older version of an object is dropped.
	it := hs.m.list.Item("tiny.jpg")
	hs.send(scoredMsg{list: hs.m.list, key: "tiny.jpg", etag: `"old"`, res: cosapi.Assessment{Scores: score.Scores{ClarityScore: 99}}})
	if it.Scores.ClarityScore == 99 {
		t.Error("a stale answer was applied")
	}
}

func TestTinyAndHugeTerminals(t *testing.T) {
	hs := newHarness(t, gallery(), 120, 30, nil)
	for _, size := range [][2]int{{20, 6}, {1, 1}, {45, 10}, {64, 12}, {300, 80}, {80, 24}} {
		hs.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		hs.keys("j", "?")
		lines := strings.Split(hs.screen(), "\n")
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > size[0] {
				t.Errorf("%dx%d: line %d is %d wide: %q", size[0], size[1], i, w, l)
			}
		}
		hs.keys("?") // close help
	}
}

func TestDetailPaneFetchesTags(t *testing.T) {
	hs := newHarness(t, gallery(), 160, 40, nil)
	hs.keys("G") // tiny.jpg, tagged
	s := hs.screen()
	for _, want := range []string{"review=reject", "image/jpeg", "Flags     SMALL", "STANDARD"} {
		if !strings.Contains(s, want) {
			t.Errorf("detail lacks %q:\n%s", want, s)
		}
	}
}

func TestConfiguredColumns(t *testing.T) {
	hs := newHarness(t, gallery(), 100, 20, func(o *Options) { o.Columns = []string{"name", "clarity"} })
	hs.keys("tab") // list only
	s := hs.screen()
	if !strings.Contains(s, " 65") || strings.Contains(s, " 58 ") || strings.Contains(s, "928K") {
		t.Errorf("only name and clarity should show:\n%s", s)
	}
}
