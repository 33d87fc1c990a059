package ui

import (
	"fmt"
	"strings"
	"testing"

	"lightbox/cosapi"
	"lightbox/score"
)

type scorerBackend struct{ *fakeBackend }

func (b scorerBackend) Stats() cosapi.Stats {
	return cosapi.Stats{Calls: b.calls.Load(), Scorer: "cos"}
}

func bigBucket(n int) *fakeBackend {
	b := newFake()
	for i := range n {
		b.add(fmt.Sprintf("shoot/img_%04d.jpg", i), int64(1000+i), score.Scores{ClarityScore: i % 100})
	}
	return b
}

// On a billed bucket only the rows on screen are scored; R asks, naming the calls.
func TestCostGuardScoresTheScreenAndAsksBeforeThePrefix(t *testing.T) {
	b := bigBucket(500)
	hs := newHarness(t, scorerBackend{b}, 120, 24, func(o *Options) {
		o.Root = "shoot/"
		o.Cost = &CostGuard{AskAbove: 300, PricePer1000: 1.5}
	})
	rows := int64(hs.m.listRows())
	if got := b.calls.Load(); got != rows {
		t.Fatalf("%d calls at start, want the %d rows on screen", got, rows)
	}
	s := hs.screen()
	if !strings.Contains(s, fmt.Sprintf("session: %d calls", rows)) || !strings.Contains(s, "scorer cos") {
		t.Errorf("the status line lacks the session's calls or the scorer:\n%s", s)
	}
	// r on a marked row off screen scores it, and nothing else.
	hs.m.list.SetMark("shoot/img_0400.jpg", true)
	hs.keys("r")
	if got := b.calls.Load(); got != rows+1 {
		t.Errorf("r made %d calls, want 1", got-rows)
	}
	hs.m.list.ClearMarks()
	// Scrolling scores the new screen only.
	hs.keys("pgdown")
	if got := b.calls.Load(); got > 3*rows+1 {
		t.Errorf("a page down made %d calls", got)
	}
	// R: 500 - a few scored, above ask_above = 300: asks with the count and the cost.
	before := b.calls.Load()
	waiting := hs.m.list.Counts().Waiting
	hs.keys("R")
	s = hs.screen()
	if hs.m.dialog == nil || !strings.Contains(s, fmt.Sprintf("Score all %d unscored images", waiting)) ||
		!strings.Contains(s, fmt.Sprintf("up to %d AssessQuality calls", waiting)) {
		t.Fatalf("R does not ask with the number of calls:\n%s", s)
	}
	hs.keys("n")
	if b.calls.Load() != before {
		t.Fatal("n spent calls")
	}
	hs.keys("R", "y")
	if got := b.calls.Load(); got != 500 {
		t.Errorf("after R, y: %d calls, want 500", got)
	}
	if s := hs.screen(); !strings.Contains(s, "session: 500 calls") || !strings.Contains(s, "cost ≈0.75") {
		t.Errorf("the status line's cost:\n%s", s)
	}
}

func TestNoCostGuardScoresEverything(t *testing.T) {
	b := bigBucket(200)
	newHarness(t, b, 120, 24, func(o *Options) { o.Root = "shoot/" })
	if got := b.calls.Load(); got != 200 {
		t.Errorf("a folder target scored %d of 200", got)
	}
}

func TestStatusLineCountsFailuresApart(t *testing.T) {
	hs := newHarness(t, gallery(), 140, 24, nil)
	s := hs.screen()
	if !strings.Contains(s, "here: scored 3/5 · 2 failed") || !strings.Contains(s, "session: 4 calls · 0 cached") {
		t.Errorf("status line:\n%s", s)
	}
}
