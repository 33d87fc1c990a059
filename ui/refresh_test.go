package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"lightbox/internal/cosrules"
	"lightbox/score"
)

func TestRefreshShowsWhatChangedAndKeepsTheCursor(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 98, 30, nil)
	hs.cursorOn("emoji 🌅 dawn.jpg")
	calls := b.calls.Load()
	// Another tool adds files and a prefix; another reviewer rejects tiny.jpg.
	b.mu.Lock()
	b.add("picked/best.jpg", 1000, score.Scores{ClarityScore: 90})
	b.add("added.jpg", 2000, score.Scores{ClarityScore: 40})
	b.tags["tiny.jpg"] = []cosrules.Tag{{Key: "flag", Value: "reject"}}
	b.mu.Unlock()
	hs.keys("ctrl+r")
	if got := hs.m.cursorKey(); got != "emoji 🌅 dawn.jpg" {
		t.Errorf("the cursor moved to %q", got)
	}
	s := hs.screen()
	for _, want := range []string{"picked/", "added.jpg"} {
		if !strings.Contains(s, want) {
			t.Errorf("%s does not appear after ctrl+r:\n%s", want, s)
		}
	}
	if row := rowOf(t, s, "tiny.jpg"); !strings.Contains(row, "REJECT") {
		t.Errorf("another reviewer's verdict does not appear: %s", row)
	}
	// Unchanged objects keep their scores: only the new image is scored.
	if got := b.calls.Load() - calls; got != 1 {
		t.Errorf("the refresh made %d scoring calls, want 1 (the new image)", got)
	}
}

func TestFolderIsPolledAndRefreshedWhenItChanges(t *testing.T) {
	b := gallery()
	var ticks []pollTickMsg
	hs := newHarness(t, b, 98, 30, func(o *Options) {
		o.AutoRefresh = 2 * time.Second
		immediate := o.After
		o.After = func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
			if msg, ok := fn(epoch).(pollTickMsg); ok {
				return func() tea.Msg { ticks = append(ticks, msg); return nil } // the test decides when
			}
			return immediate(d, fn)
		}
	})
	hs.cursorOn("emoji 🌅 dawn.jpg")
	if len(ticks) != 1 {
		t.Fatalf("%d polls armed once the listing was complete, want 1", len(ticks))
	}
	fire := func() {
		tick := ticks[len(ticks)-1]
		ticks = ticks[:0]
		hs.send(tick)
		if len(ticks) != 1 {
			t.Fatalf("the poll is not re-armed: %d", len(ticks))
		}
	}
	list := hs.m.list
	fire() // nothing changed: the list stays
	if hs.m.list != list {
		t.Fatal("an unchanged folder was refreshed")
	}
	b.mu.Lock()
	b.add("dropped in.jpg", 3000, score.Scores{ClarityScore: 70})
	b.mu.Unlock()
	fire()
	if hs.m.list == list || hs.m.list.Item("dropped in.jpg") == nil {
		t.Fatalf("a new file did not appear:\n%s", hs.screen())
	}
	if got := hs.m.cursorKey(); got != "emoji 🌅 dawn.jpg" {
		t.Errorf("the cursor moved to %q", got)
	}
	// While a dialog is open the poll waits.
	b.mu.Lock()
	b.add("another.jpg", 3001, score.Scores{})
	b.mu.Unlock()
	hs.keys("D")
	list = hs.m.list
	fire()
	if hs.m.list != list {
		t.Error("the poll refreshed under an open dialog")
	}
}
