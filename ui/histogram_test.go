package ui

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestHistogramBinsThresholdAndMark(t *testing.T) {
	// Ten bins over 0..100: three images in the lowest, one at 55, one at 100.
	got := histogram([]int{0, 3, 9, 55, 100}, 10, 2, 50, 55)
	want := []string{
		"█         ",
		"█    ▆   ▆", // 1 of a peak of 3 over 2 rows: 6 eighths, rounded up
		"────┼─────",
		"0    ▲ 100",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestHistogramEdges(t *testing.T) {
	if h := histogram([]int{50}, 3, 4, 50, 50); h != nil {
		t.Errorf("3 columns drew %q", h)
	}
	if h := histogram(nil, 10, 1, 50, -1); len(h) != 3 || strings.ContainsRune(h[2], '▲') || h[0] != strings.Repeat(" ", 10) {
		t.Errorf("no scores, no mark: %q", h)
	}
	// Out-of-range values are clamped, not a panic; width caps at 50 bins.
	h := histogram([]int{-5, 140}, 200, 1, 0, 101)
	for _, l := range h {
		if n := utf8.RuneCountInString(l); n != 50 {
			t.Errorf("line %q is %d wide, want 50", l, n)
		}
	}
	if !strings.HasPrefix(h[1], "┼") || !strings.HasSuffix(h[2], "▲") {
		t.Errorf("threshold 0 at the left, mark 101 at the right: %q", h)
	}
	// One image among many still shows as at least an eighth.
	many := make([]int, 100)
	h = histogram(append(many, 90), 10, 1, 50, -1)
	if []rune(h[0])[8] == ' ' {
		t.Errorf("a single image vanished: %q", h[0])
	}
}

// The detail pane's histogram follows the prefix: the filter, the sort's score and the
// cursor.
func TestHistogramInTheDetailPane(t *testing.T) {
	hs := newHarness(t, gallery(), 160, 48, nil)
	hs.keys("enter") // beach/: 12, 71 and 88 clarity
	if s := hs.screen(); !strings.Contains(s, "Clarity here: 3 scored, 1 under 50") {
		t.Fatalf("no histogram:\n%s", s)
	}
	hs.keys("s", "s") // sorted by AestheticScore: 30, 64, 91
	if s := hs.screen(); !strings.Contains(s, "Aesthetic here: 3 scored, 1 under 50") {
		t.Fatalf("the histogram does not follow the sort:\n%s", s)
	}
	hs.keys("f")
	hs.typeText("clarity>=50")
	hs.keys("enter")
	if s := hs.screen(); !strings.Contains(s, "Aesthetic here: 2 scored, 0 under 50") {
		t.Fatalf("the histogram does not follow the filter:\n%s", s)
	}
	// The cursor's ▲ moves with it.
	marks := func() string {
		lines := strings.Split(hs.screen(), "\n")
		for _, l := range lines {
			if strings.Contains(l, "▲") && strings.Contains(l, "100") {
				return l
			}
		}
		t.Fatalf("no cursor mark under the histogram:\n%s", hs.screen())
		return ""
	}
	before := marks()
	hs.keys("j")
	if marks() == before {
		t.Errorf("the ▲ did not move with the cursor: %q", before)
	}
}
