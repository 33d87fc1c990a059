package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/exp/golden"

	"lightbox/curation"
	"lightbox/curation/journal"
)

func TestJournalViewScrollsFiltersAndAligns(t *testing.T) {
	b := gallery()
	for i := range 40 {
		id := fmt.Sprintf("20261101T120000-%02d", i)
		if i%10 == 0 {
			id += "-a-very-long-batch-name-from-another-host-and-process"
		}
		b.history = append(b.history, curation.BatchInfo{BatchSummary: journal.BatchSummary{ID: id, Action: "tag", Intents: 3, Done: 3, Complete: true, Last: epoch},
			Prefix: "shoot/day-" + fmt.Sprint(i) + "/", Mine: i%2 == 0})
	}
	b.history = append(b.history, curation.BatchInfo{BatchSummary: journal.BatchSummary{ID: "other-bucket", Action: "trash", Intents: 1, Done: 1, Complete: true, Last: epoch}, Mine: false})
	hs := newHarness(t, b, 120, 30, nil)
	hs.keys("J")
	s := hs.screen()
	if strings.Contains(s, "other-bucket") {
		t.Errorf("another bucket's batch shows by default:\n%s", s)
	}
	// Every row's columns line up: the state column starts at the same place.
	col := -1
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "complete"); i >= 0 {
			i = lipgloss.Width(line[:i])
			if col >= 0 && i != col {
				t.Errorf("misaligned row (state at %d, not %d): %s", i, col, line)
			}
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no rows:\n%s", s)
	}
	// Scrolls to the oldest.
	hs.keys("G")
	if !strings.Contains(hs.screen(), "20261101T120000-00-a") {
		t.Errorf("G does not reach the oldest batch:\n%s", hs.screen())
	}
	hs.keys("a")
	hs.keys("g")
	if !strings.Contains(hs.screen(), "other-bucket") || !strings.Contains(hs.screen(), "all buckets") {
		t.Errorf("a does not show all buckets:\n%s", hs.screen())
	}
}

func TestJournalDetailAndUndoOfAnEarlierBatchAfterAHardDelete(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 120, 30, nil)
	hs.cursorOn("tiny.jpg")
	hs.keys("X")                                      // batch-0: a tag
	hs.cursorOn("cold.jpg")                           //
	hs.keys("D", "y")                                 // batch-1: to the trash
	b.history = append(b.history, curation.BatchInfo{ // a later hard delete, which cannot be undone
		BatchSummary: journal.BatchSummary{ID: "hard-1", Action: "delete", Intents: 2, Done: 2, Complete: true, Last: epoch.Add(60 * 60e9)},
		Mine:         true, Undoable: errors.New("a hard delete cannot be undone")})
	hs.keys("J")
	if hs.m.selectedBatch().ID != "hard-1" {
		t.Fatalf("the newest is not selected first: %s", hs.m.selectedBatch().ID)
	}
	hs.keys("u")
	if hs.m.dialog != nil || !strings.Contains(hs.screen(), "hard delete cannot be undone") {
		t.Fatalf("u on a hard delete:\n%s", hs.screen())
	}
	// The earlier tag batch is still reachable and undoable.
	hs.selectBatch("batch-0")
	hs.keys("enter")
	if s := hs.screen(); !strings.Contains(s, "Batch batch-0") || !strings.Contains(s, "tiny.jpg") || !strings.Contains(s, "flag=reject") {
		t.Fatalf("detail view:\n%s", s)
	}
	hs.keys("u")
	if s := hs.screen(); hs.m.dialog == nil || !strings.Contains(s, "Undo tag of 1 image(s)") || !strings.Contains(s, "Puts back the tags") {
		t.Fatalf("the undo dialog does not name what it reverses:\n%s", s)
	}
	hs.keys("y")
	if len(b.undoneIDs) != 1 || b.undoneIDs[0] != "batch-0" {
		t.Fatalf("undone: %v", b.undoneIDs)
	}
	if hasTag(b.tags["tiny.jpg"], "flag", "reject") {
		t.Errorf("the tag is still there: %v", b.tags["tiny.jpg"])
	}
	if row := rowOf(t, hs.screen(), "tiny.jpg"); strings.Contains(row, "REJECT") {
		t.Errorf("the undone verdict still shows: %s", row)
	}
}

func TestJournalRollsBackAnInterruptedBatch(t *testing.T) {
	b := gallery()
	b.interrupted = true
	hs := newHarness(t, b, 120, 30, nil)
	hs.keys("J")
	hs.selectBatch("batch-cut")
	if row := rowOf(t, hs.screen(), "batch-cut"); !strings.Contains(row, "interrupted") || !strings.Contains(row, "     5      1") && !strings.Contains(row, "    5     1") {
		t.Errorf("the row lacks the canceled and pending counts: %s", row)
	}
	hs.keys("u")
	if s := hs.screen(); !strings.Contains(s, "Roll back trash of 10") || !strings.Contains(s, "5 canceled, 1 pending") {
		t.Fatalf("roll-back dialog:\n%s", s)
	}
	hs.keys("y")
	if len(b.undoneIDs) != 1 || b.undoneIDs[0] != "batch-cut" {
		t.Errorf("rolled back: %v", b.undoneIDs)
	}
}

func TestTrashViewRestoresSomeAndEmptiesWithConfirmation(t *testing.T) {
	b := gallery()
	hs := newHarness(t, b, 120, 30, nil)
	hs.keys("ctrl+a", "D", "y") // five images to the trash
	if len(b.trash) != 5 {
		t.Fatalf("trash holds %d", len(b.trash))
	}
	hs.keys("T")
	s := hs.screen()
	if !strings.Contains(s, "Trash") || !strings.Contains(s, "tiny.jpg") || !strings.Contains(s, "batch-0") {
		t.Fatalf("trash view:\n%s", s)
	}
	// Restore one: the cursor's.
	hs.keys("r")
	if hs.m.dialog == nil || !strings.Contains(hs.screen(), "Restore 1 image(s)") {
		t.Fatalf("restore asks:\n%s", hs.screen())
	}
	hs.keys("y")
	if len(b.trash) != 4 {
		t.Fatalf("after restoring one the trash holds %d", len(b.trash))
	}
	if hs.m.mode != modeTrash || len(hs.m.tv.entries) != 4 {
		t.Errorf("the view is not re-read: mode %v, %d entries", hs.m.mode, len(hs.m.tv.entries))
	}
	// Restore some: two marked.
	hs.keys("space", "space", "r", "y")
	if len(b.trash) != 2 {
		t.Fatalf("after restoring two the trash holds %d", len(b.trash))
	}
	// Empty: asks, in the danger colour, and n keeps everything.
	hs.keys("E")
	if !strings.Contains(hs.screen(), "PERMANENTLY delete all 2 image(s) in the trash?") {
		t.Fatalf("empty asks:\n%s", hs.screen())
	}
	hs.keys("n")
	if len(b.trash) != 2 {
		t.Fatal("n emptied the trash")
	}
	hs.keys("E", "y")
	if len(b.trash) != 0 || !strings.Contains(hs.screen(), "the trash is empty") {
		t.Errorf("empty: %d left\n%s", len(b.trash), hs.screen())
	}
	hs.keys("esc")
	// The restored images are back in the list.
	if n := len(b.objects); n != 10-2 {
		t.Errorf("%d objects in the bucket", n)
	}
	if hs.m.list.Item("tiny.jpg") == nil && b.objects["tiny.jpg"].Key != "" {
		t.Errorf("a restored image is not listed")
	}
}

// selectBatch moves the journal view's cursor to id.
func (hs *harness) selectBatch(id string) {
	hs.t.Helper()
	for range 100 {
		if b := hs.m.selectedBatch(); b != nil && b.ID == id {
			return
		}
		hs.keys("j")
	}
	hs.t.Fatalf("batch %s is not reachable in the journal view (mode %v):\n%s", id, hs.m.mode, hs.screen())
}

func TestGoldenJournal80x24(t *testing.T) {
	b := gallery()
	b.interrupted = true
	b.history = append(b.history, curation.BatchInfo{BatchSummary: journal.BatchSummary{ID: "20261101T130000-7f3a9c-a-long-batch-id", Action: "delete", Intents: 85, Done: 85, Complete: true, Last: epoch},
		Prefix: "shoot/2026/very-long-folder-name/", Mine: true, Undoable: errors.New("a hard delete cannot be undone")})
	hs := newHarness(t, b, 80, 24, nil)
	hs.cursorOn("tiny.jpg")
	hs.keys("X", "J")
	s := hs.screen()
	for _, want := range []string{"interrupted", "complete", "state"} {
		if !strings.Contains(s, want) {
			t.Errorf("80 columns hide %q:\n%s", want, s)
		}
	}
	golden.RequireEqual(t, []byte(s))
}
