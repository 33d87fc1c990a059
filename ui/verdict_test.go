package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"lightbox/internal/cosrules"
	"lightbox/score"
)

// rowOf is the screen line showing key.
func rowOf(t *testing.T, screen, key string) string {
	t.Helper()
	lines := strings.Split(screen, "\n")
	// A list row starts with its name (after the cursor and the mark): the detail pane beside the list
	// may name the cursor's image on an earlier line. Other views' rows only contain it.
	for _, line := range lines {
		if strings.HasPrefix(strings.TrimLeft(line, " ●▸"), key) {
			return line
		}
	}
	for _, line := range lines {
		if strings.Contains(line, key) {
			return line
		}
	}
	t.Fatalf("%q is not on screen:\n%s", key, screen)
	return ""
}

// The walk-through: f clarity<60, Enter, ctrl+a, X, y said "tagged N" but only the cursor
// row showed REJECT.
func TestBulkRejectShowsOnEveryTouchedRowAtOnce(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 98, 30, nil)
	hs.keys("f")
	hs.typeText("clarity<60")
	hs.keys("enter", "ctrl+a", "X", "y")
	s := hs.screen()
	for _, k := range []string{"tiny.jpg", "a very long file name"} {
		if row := rowOf(t, s, k); !strings.Contains(row, "REJECT") {
			t.Errorf("%s does not show REJECT after the batch: %s", k, row)
		}
	}
}

// Tags unknown when the batch ran are read at once, not when the cursor passes by.
func TestBulkTagOnRowsWhoseTagsWereUnknownReadsThemAgain(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 98, 30, nil)
	hs.m.forgetTags(hs.m.list, "cold.jpg", "tiny.jpg")
	hs.cursorOn("cold.jpg")
	hs.keys("space", "space") // cold, emoji? marks cold and the next row
	hs.cursorOn("tiny.jpg")
	hs.keys("space", "P", "y")
	for _, k := range []string{"cold.jpg", "tiny.jpg"} {
		if row := rowOf(t, hs.screen(), k); !strings.Contains(row, "PICK") {
			t.Errorf("%s: %s", k, row)
		}
	}
	// tiny.jpg kept its other tag: the read merged nothing away.
	if it := hs.m.list.Item("tiny.jpg"); !hasTag(it.Tags, "review", "reject") {
		t.Errorf("tiny.jpg lost a tag on screen: %v", it.Tags)
	}
}

// After a restart the stored verdicts show on every row on screen without moving the
// cursor; then the rest of the prefix loads in the background, each version read once.
func TestStoredVerdictsShowAfterRestartScreenFirst(t *testing.T) {
	b := newFake()
	for i := range 120 {
		k := fmt.Sprintf("shoot/img_%03d.jpg", i)
		b.add(k, int64(1000+i), score.Scores{ClarityScore: 50})
		switch i % 3 {
		case 0:
			b.tags[k] = []cosrules.Tag{{Key: "flag", Value: "pick"}}
		case 1:
			b.tags[k] = []cosrules.Tag{{Key: "flag", Value: "reject"}}
		}
	}
	hs := newHarness(t, b, 120, 24, func(o *Options) { o.Root = "shoot/" })
	s := hs.screen()
	if row := rowOf(t, s, "img_000.jpg"); !strings.Contains(row, "PICK") {
		t.Errorf("row 0: %s", row)
	}
	if row := rowOf(t, s, "img_001.jpg"); !strings.Contains(row, "REJECT") {
		t.Errorf("row 1: %s", row)
	}
	last := hs.m.listRows() - 1 // 19 rows at 120x24: img_018.jpg, a pick (i % 3 == 0)
	if row := rowOf(t, s, fmt.Sprintf("img_%03d.jpg", last)); last%3 != 0 || !strings.Contains(row, "PICK") {
		t.Errorf("the last row on screen (%d): %s", last, row)
	}
	if hs.m.cursor != 0 {
		t.Fatalf("the cursor moved: %d", hs.m.cursor)
	}
	// The screen's rows were read first.
	rows := hs.m.listRows()
	for i, k := range b.tagReads[:rows] {
		if want := fmt.Sprintf("shoot/img_%03d.jpg", i); k != want {
			t.Fatalf("read %d was %s, not the screen's row %s", i, k, want)
		}
	}
	// Then the rest, each once.
	reads := slices.Clone(b.tagReads)
	slices.Sort(reads)
	if len(reads) != 120 || len(slices.Compact(reads)) != 120 {
		t.Errorf("%d reads for 120 images", len(b.tagReads))
	}
	// Leaving and coming back reads nothing again: the session keeps them per version.
	hs.keys("h", "l")
	if len(b.tagReads) != 120 {
		t.Errorf("coming back read tags again: %d reads", len(b.tagReads))
	}
}

func TestVerdictFilterInThePrompt(t *testing.T) {
	b := gallery()
	b.tags["beach/blurry.jpg"] = []cosrules.Tag{{Key: "flag", Value: "reject"}}
	b.tags["beach/sunset.jpg"] = []cosrules.Tag{{Key: "flag", Value: "pick"}, {Key: "review", Value: "keep"}}
	hs := newHarness(t, b, 140, 30, func(o *Options) { o.Root = "beach/" })
	filter := func(expr string) []string {
		hs.keys("f", "ctrl+u")
		hs.typeText(expr)
		hs.keys("enter")
		if hs.m.mode != modeNormal {
			t.Fatalf("%q refused: %s", expr, hs.m.filterErr)
		}
		return rowKeys(hs.m)
	}
	if got := filter("reject"); !slices.Equal(got, []string{"beach/blurry.jpg"}) {
		t.Errorf("reject: %q", got)
	}
	if got := filter("pick clarity>=80"); !slices.Equal(got, []string{"beach/sunset.jpg"}) {
		t.Errorf("pick clarity>=80: %q", got)
	}
	if got := filter("unflagged"); !slices.Equal(got, []string{"beach/panorama.jpg"}) {
		t.Errorf("unflagged: %q", got)
	}
	if got := filter("tag:review=keep"); !slices.Equal(got, []string{"beach/sunset.jpg"}) {
		t.Errorf("tag:review=keep: %q", got)
	}
	// A verdict set now moves the row into or out of the filter on the next re-sort.
	hs.cursorOn("beach/sunset.jpg")
	filter("pick")
	hs.cursorOn("beach/sunset.jpg")
	hs.keys("X")
	if got := rowKeys(hs.m); len(got) != 0 {
		t.Errorf("after X the pick filter still shows %q", got)
	}
}
