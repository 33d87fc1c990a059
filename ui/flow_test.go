package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"lightbox/keymap"
)

// TestFlowScoreSortFilterQuit runs the reviewer as a real tea.Program (teatest): scores
// stream in, the operator sorts, filters, marks and quits; the final model is checked.
func TestFlowScoreSortFilterQuit(t *testing.T) {
	m := New(Options{Backend: gallery(), Target: "cos://photos-1250000000/", Keys: keymap.Default().WithQuickTags(nil),
		Theme: ThemeDark, Now: func() time.Time { return epoch }})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	waitScreen(t, tm, "3/5")

	tm.Send(tea.KeyPressMsg{Code: 's', Text: "s"})
	waitScreen(t, tm, "clarity")
	tm.Send(tea.KeyPressMsg{Code: 'f', Text: "f"})
	tm.Type("clarity<60")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	waitScreen(t, tm, "<60")
	tm.Send(tea.KeyPressMsg{Code: 'a', Mod: tea.ModCtrl})
	waitScreen(t, tm, "marked")
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))

	final := tm.FinalModel(t).(*Model)
	var keys []string
	for i := range final.list.Len() {
		keys = append(keys, final.list.At(i).Key)
	}
	// clarity<60 keeps the scored images under 60, worst first: tiny (0), the long name (49).
	if strings.Join(keys, ",") != "tiny.jpg,a very long file name that will not fit in any column at all.jpg" {
		t.Errorf("rows after sort and filter: %q", keys)
	}
	if final.list.Counts().Marked != 2 {
		t.Errorf("marked %d, want 2", final.list.Counts().Marked)
	}
}

// waitScreen waits for text to be drawn. The renderer sends only the cells that changed,
// so wait for a short token that is new on screen, not for a whole line.
func waitScreen(t *testing.T, tm *teatest.TestModel, want string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(want)) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}
