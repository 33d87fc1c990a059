package ui

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"lightbox/cosapi"
	"lightbox/curation"
	"lightbox/internal/cosrules"
	"lightbox/keymap"
)

// cursorOn moves the cursor to key.
func (hs *harness) cursorOn(key string) {
	hs.t.Helper()
	i := hs.m.list.IndexOfKey(key)
	if i < 0 {
		hs.t.Fatalf("%q is not on screen", key)
	}
	hs.m.cursor = i
	hs.m.clampCursor()
}

// settle fires the detail pane's debounce for key, as the cursor resting there does: its
// tags and its preview load.
func (hs *harness) settle(key string) {
	hs.send(detailTickMsg{list: hs.m.list, key: key, gen: hs.m.detailGen})
}

func TestDeleteAsksAndOnlyYConfirms(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 100, 30, nil)
	hs.cursorOn("emoji 🌅 dawn.jpg")
	for _, cancel := range []string{"enter", "esc", "n", "D"} {
		hs.keys("D")
		if hs.m.dialog == nil || !strings.Contains(hs.screen(), "Delete 1 image(s)? They move to .trash/") {
			t.Fatalf("D must ask first:\n%s", hs.screen())
		}
		hs.keys(cancel)
		if hs.m.dialog != nil {
			t.Fatalf("%s left the dialog open", cancel)
		}
		if _, ok := b.objects["emoji 🌅 dawn.jpg"]; !ok {
			t.Fatalf("%s confirmed a delete", cancel)
		}
	}
	hs.keys("D", "y")
	if _, ok := b.objects["emoji 🌅 dawn.jpg"]; ok {
		t.Fatal("y did not delete")
	}
	if hs.m.list.Item("emoji 🌅 dawn.jpg") != nil || !strings.Contains(hs.screen(), "trashed 1") {
		t.Errorf("the row stays or no report:\n%s", hs.screen())
	}
	// u brings it back (asking first), and the list is re-read.
	hs.keys("u", "y")
	if _, ok := b.objects["emoji 🌅 dawn.jpg"]; !ok {
		t.Fatal("undo did not restore")
	}
	if hs.m.list.Item("emoji 🌅 dawn.jpg") == nil {
		t.Errorf("the restored image is not listed:\n%s", hs.screen())
	}
}

func TestHardDeleteSaysItIsPermanent(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, func(o *Options) { o.Curation.HardDelete = true })
	hs.cursorOn("tiny.jpg")
	hs.keys("space", "k", "k", "space", "D")
	s := hs.screen()
	if !strings.Contains(s, "PERMANENTLY delete 2 image(s)?") || !strings.Contains(s, "cannot be undone") {
		t.Errorf("hard delete dialog:\n%s", s)
	}
	golden.RequireEqual(t, []byte(s))
}

func TestGoldenPromoteDialog80x24(t *testing.T) {
	hs := newHarness(t, gallery(), 80, 24, func(o *Options) { o.Curation.PromoteMode = "move" })
	hs.keys("ctrl+a", "c")
	golden.RequireEqual(t, []byte(hs.screen()))
}

func TestPickRejectAndTagPrompt(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 120, 30, nil)
	hs.cursorOn("emoji 🌅 dawn.jpg")
	hs.keys("P") // one image: at once, no dialog
	if hs.m.dialog != nil || !hasTag(b.tags["emoji 🌅 dawn.jpg"], "flag", "pick") {
		t.Fatalf("P: dialog %v tags %v", hs.m.dialog != nil, b.tags["emoji 🌅 dawn.jpg"])
	}
	hs.keys("X")
	if !hasTag(b.tags["emoji 🌅 dawn.jpg"], "flag", "reject") || len(b.tags["emoji 🌅 dawn.jpg"]) != 1 {
		t.Fatalf("X replaces the flag: %v", b.tags["emoji 🌅 dawn.jpg"])
	}
	// The row shows the verdict once the tags are known.
	hs.settle("emoji 🌅 dawn.jpg")
	if !strings.Contains(hs.screen(), "REJECT") {
		t.Errorf("row lacks REJECT:\n%s", hs.screen())
	}
	hs.keys("U")
	if len(b.tags["emoji 🌅 dawn.jpg"]) != 0 {
		t.Fatalf("U unflags: %v", b.tags["emoji 🌅 dawn.jpg"])
	}

	// A marked set is tagged after a confirmation, from the prompt, with completion.
	hs.cursorOn("cold.jpg")
	hs.keys("space", "space") // cold and emoji
	hs.keys("t")
	if !strings.Contains(hs.screen(), "tag 2:") {
		t.Fatalf("tag prompt:\n%s", hs.screen())
	}
	hs.typeText("review=keep")
	hs.keys("enter")
	if hs.m.dialog == nil || !strings.Contains(hs.screen(), "tag review=keep on 2 images?") {
		t.Fatalf("a bulk tag asks first:\n%s", hs.screen())
	}
	hs.keys("enter") // does not confirm
	if hasTag(b.tags["cold.jpg"], "review", "keep") {
		t.Fatal("Enter confirmed a bulk tag")
	}
	hs.keys("t")
	hs.typeText("review=keep")
	hs.keys("enter", "y")
	if !hasTag(b.tags["cold.jpg"], "review", "keep") || !hasTag(b.tags["emoji 🌅 dawn.jpg"], "review", "keep") {
		t.Fatalf("bulk tag: %v %v", b.tags["cold.jpg"], b.tags["emoji 🌅 dawn.jpg"])
	}
	hs.keys("t")
	hs.typeText("novalue")
	hs.keys("enter")
	if !strings.Contains(hs.screen(), "a tag is key=value") {
		t.Errorf("a malformed tag is explained:\n%s", hs.screen())
	}
}

func hasTag(tags []cosrules.Tag, k, v string) bool {
	for _, t := range tags {
		if t.Key == k && t.Value == v {
			return true
		}
	}
	return false
}

func TestQuickTags(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 120, 30, func(o *Options) {
		o.QuickTags = map[string]cosrules.Tag{"1": {Key: "review", Value: "keep"}}
		o.Keys = o.Keys.WithQuickTags(o.QuickTags)
	})
	hs.cursorOn("tiny.jpg")
	hs.keys("1")
	if !hasTag(b.tags["tiny.jpg"], "review", "keep") {
		t.Errorf("quick tag 1: %v", b.tags["tiny.jpg"])
	}
}

func TestPromoteNeedsADestination(t *testing.T) {
	hs := newHarness(t, gallery(), 120, 30, func(o *Options) { o.Curation.PromoteTo = "" })
	hs.cursorOn("tiny.jpg")
	hs.keys("c")
	if hs.m.dialog != nil || !strings.Contains(hs.screen(), "promote_to") {
		t.Errorf("no destination:\n%s", hs.screen())
	}
}

func TestJournalView(t *testing.T) {
	hs := newHarness(t, gallery(), 120, 30, nil)
	hs.cursorOn("tiny.jpg")
	hs.keys("P", "J")
	if !strings.Contains(hs.screen(), "Journal") || !strings.Contains(hs.screen(), "tag") {
		t.Errorf("journal view:\n%s", hs.screen())
	}
	hs.keys("esc")
	if hs.m.mode != modeNormal {
		t.Error("esc closes the journal")
	}
}

// An opener bound to one of a view's own keys does not take that key from the view: with
// the journal on "a", a inside the journal still switches to every bucket's batches.
func TestViewKeysWinOverARebindOpener(t *testing.T) {
	keys, errs := keymap.Default().WithQuickTags(nil).WithOverrides(map[string][]string{"journal": {"a"}, "markall": {"ctrl+a"}})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	hs := newHarness(t, gallery(), 120, 30, func(o *Options) { o.Keys = keys })
	hs.keys("a")
	if hs.m.mode == modeNormal {
		t.Fatal("a did not open the journal")
	}
	all := hs.m.jv.all
	hs.keys("a")
	if hs.m.mode == modeNormal || hs.m.jv.all == all {
		t.Errorf("a inside the journal closed it instead of showing all batches (mode %v, all %v)", hs.m.mode, hs.m.jv.all)
	}
	hs.keys("esc")
	if hs.m.mode != modeNormal {
		t.Error("esc still closes the journal")
	}
}

// A rebound key closes the view it opens, as J and T do by default.
func TestReboundOpenerClosesItsView(t *testing.T) {
	keys, errs := keymap.Default().WithQuickTags(nil).WithOverrides(map[string][]string{"journal": {"ctrl+j"}, "trash": {"ctrl+t"}})
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	hs := newHarness(t, gallery(), 120, 30, func(o *Options) { o.Keys = keys })
	for _, k := range []string{"ctrl+j", "ctrl+t"} {
		hs.keys(k)
		if hs.m.mode == modeNormal {
			t.Fatalf("%s did not open its view", k)
		}
		hs.keys(k)
		if hs.m.mode != modeNormal {
			t.Errorf("%s did not close the view it opened", k)
		}
	}
}

// blockingBackend holds a batch until its context ends, like a slow network.
type blockingBackend struct{ *fakeBackend }

func (b blockingBackend) Delete(ctx context.Context, keys []string) (curation.Report, error) {
	<-ctx.Done()
	rep := curation.Report{Action: "trash"}
	for _, k := range keys {
		rep.Failed = append(rep.Failed, curation.KeyResult{Key: k, Err: &cosapi.Error{Kind: cosapi.KindCanceled, Op: "trash", Key: k}})
	}
	return rep, ctx.Err()
}

func TestQuitDuringABatchAsksAndWaitsForTheJournal(t *testing.T) {
	hs := newHarness(t, blockingBackend{gallery()}, 120, 30, nil)
	hs.cursorOn("tiny.jpg")
	hs.keys("D")
	_, start := hs.m.Update(keyPress("y")) // start the job but do not run it: it would block
	if hs.m.job == nil || start == nil {
		t.Fatal("no job started")
	}
	hs.keys("q")
	if hs.m.dialog == nil || !strings.Contains(hs.screen(), "Stop it and quit?") {
		t.Fatalf("q during a batch must ask:\n%s", hs.screen())
	}
	_, cmd := hs.m.Update(keyPress("y"))
	if hs.m.quitAfterJob == 0 {
		t.Fatal("confirming did not arrange to quit")
	}
	_ = cmd
	// The batch, cancelled, ends and only then does the program quit.
	msg := runUntil(t, start, func(m tea.Msg) bool { _, ok := m.(jobDoneMsg); return ok })
	_, after := hs.m.Update(msg)
	if !quits(after) {
		t.Error("the program did not quit after the cancelled batch ended")
	}
}

// runUntil runs cmd's commands until one produces a message matching want.
func runUntil(t *testing.T, cmd tea.Cmd, want func(tea.Msg) bool) tea.Msg {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch m := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, m...)
		default:
			if want(m) {
				return m
			}
		}
	}
	t.Fatal("no matching message")
	return nil
}

func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	for _, m := range expand(cmd) {
		if _, ok := m.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

// expand runs cmd and, through batches and sequences, every command it holds; it returns
// the messages they produce.
func expand(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, expand(v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func TestInterruptedBatchIsAnnouncedAndResumed(t *testing.T) {
	b := gallery()
	b.interrupted = true
	hs := newHarness(t, b, 120, 30, nil)
	if !strings.Contains(hs.screen(), "batch-cut (trash) was interrupted") {
		t.Fatalf("no word of the interrupted batch:\n%s", hs.screen())
	}
	hs.keys("J")
	if row := rowOf(t, hs.screen(), "batch-cut"); !strings.Contains(row, "interrupted") {
		t.Fatalf("journal row: %s", row)
	}
	hs.keys("r")
	if hs.m.dialog == nil || !strings.Contains(hs.screen(), "Resume trash of 10 image(s)") {
		t.Fatalf("r asks first:\n%s", hs.screen())
	}
	hs.keys("y")
	if len(b.resumed) != 1 || b.resumed[0] != "batch-cut" {
		t.Errorf("resumed %v", b.resumed)
	}
}

func TestExternalViewerGetsTheImageInATempFile(t *testing.T) {
	t.Setenv("LIGHTBOX_VIEWER", "true")
	b := gallery()
	b.images = map[string][]byte{"tiny.jpg": []byte("\xFF\xD8 image bytes")}
	hs := newHarness(t, b, 120, 30, nil)
	hs.cursorOn("tiny.jpg")
	_, cmd := hs.m.Update(keyPress("O"))
	msg, ok := cmd().(externalReadyMsg)
	if !ok || msg.err != nil {
		t.Fatalf("download: %+v", msg)
	}
	defer os.Remove(msg.file)
	if data, err := os.ReadFile(msg.file); err != nil || string(data) != "\xFF\xD8 image bytes" || !strings.HasSuffix(msg.file, ".jpg") {
		t.Errorf("temp file %s: %q %v", msg.file, data, err)
	}
	if next := hs.m.onExternalReady(msg); next == nil {
		t.Error("no viewer started")
	}
	t.Setenv("LIGHTBOX_VIEWER", "")
	t.Setenv("PATH", t.TempDir()) // no xdg-open either
	hs.keys("O")
	if !strings.Contains(hs.screen(), "LIGHTBOX_VIEWER") {
		t.Errorf("no viewer: %s", hs.screen())
	}
}

// A batch that ends while the quit question is open leaves nothing to stop: y quits at
// once, and no later batch ends the program by itself.
func TestQuitConfirmedAfterTheBatchEndedQuitsAtOnceAndNeverLater(t *testing.T) {
	hs := newHarness(t, blockingBackend{gallery()}, 120, 30, nil)
	hs.cursorOn("tiny.jpg")
	hs.keys("D")
	_, start := hs.m.Update(keyPress("y"))
	hs.keys("q") // asks: a batch is running
	if hs.m.dialog == nil {
		t.Fatal("q during a batch must ask")
	}
	// The batch ends (cancelled elsewhere) before the operator answers.
	hs.m.job.cancel()
	done := runUntil(t, start, func(m tea.Msg) bool { _, ok := m.(jobDoneMsg); return ok })
	if _, cmd := hs.m.Update(done); quits(cmd) {
		t.Fatal("the batch's end quit before the operator answered")
	}
	_, cmd := hs.m.Update(keyPress("y"))
	if !quits(cmd) {
		t.Fatal("y after the batch ended did not quit at once")
	}
	if hs.m.quitAfterJob != 0 || strings.Contains(hs.screen(), "stopping") {
		t.Errorf("a stale quit is left armed: %d\n%s", hs.m.quitAfterJob, hs.screen())
	}
}

// A batch that ignores the cancel does not keep the program open.
func TestQuitGivesUpOnABatchThatIgnoresTheCancel(t *testing.T) {
	hs := newHarness(t, blockingBackend{gallery()}, 120, 30, nil)
	hs.cursorOn("tiny.jpg")
	hs.keys("D")
	_, _ = hs.m.Update(keyPress("y"))
	hs.keys("q")
	_, cmd := hs.m.Update(keyPress("y"))
	var deadline *quitDeadlineMsg
	for _, m := range expand(cmd) {
		if d, ok := m.(quitDeadlineMsg); ok {
			deadline = &d
		}
	}
	if deadline == nil {
		t.Fatal("no deadline for the cancelled batch")
	}
	if _, after := hs.m.Update(*deadline); !quits(after) {
		t.Error("the deadline passed with the batch still running and the program stays open")
	}
	// A deadline for an old batch does nothing.
	hs.m.quitAfterJob = 0
	if _, after := hs.m.Update(quitDeadlineMsg{job: 99}); quits(after) {
		t.Error("a stale deadline quit")
	}
}
