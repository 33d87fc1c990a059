package journal

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// flipBit flips one bit in the payload of the line holding marker.
func flipBit(t *testing.T, path, marker string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines {
		if k := bytes.Index(l, []byte(marker)); k >= 0 {
			lines[i][k] ^= 0x01
			if err := os.WriteFile(path, bytes.Join(lines, []byte("\n")), 0o600); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no line holds %q", marker)
}

// Issue 14: one flipped bit in the intent of a soft-delete batch made it look complete
// with 0 steps, and undo reversed an unrelated batch. A damaged batch must be shown as
// damaged and refused, with a message naming the journal.
func TestDamagedIntentMarksItsBatchAndIsRefused(t *testing.T) {
	path := tempPath(t)
	j := open(t, path)
	before := intent("b1-tags", ActionTag, 1)
	before.Note = "earlier batch"
	in := mustAppend(t, j, before)
	mustAppend(t, j, in.Done())
	del := intent("b2-trash", ActionTrash, 2)
	del.Note = "THE-TRASH-INTENT"
	in2 := mustAppend(t, j, del)
	mustAppend(t, j, in2.Done())
	after := intent("b3-tags", ActionTag, 3)
	in3 := mustAppend(t, j, after)
	mustAppend(t, j, in3.Done())
	other := intent("b4-tags", ActionTag, 4)
	in4 := mustAppend(t, j, other)
	mustAppend(t, j, in4.Done())
	j.Close()

	flipBit(t, path, "THE-TRASH-INTENT")
	j = open(t, path)
	if j.Skipped() != 1 {
		t.Fatalf("skipped %d lines, want 1", j.Skipped())
	}
	b := mustBatch(t, j, "b2-trash")
	if !b.Damaged || b.Complete {
		t.Errorf("damaged batch summary %+v: want Damaged and not Complete", b)
	}
	_, err := j.Succeeded("b2-trash")
	var de *DamagedError
	if !errors.As(err, &de) || de.Batch != "b2-trash" || !strings.Contains(err.Error(), path) {
		t.Fatalf("Succeeded on a damaged batch: %v", err)
	}
	if _, err := j.Pending("b2-trash"); !errors.As(err, &de) {
		t.Fatalf("Pending on a damaged batch: %v", err)
	}
	// A batch far from the damage is untouched.
	if b := mustBatch(t, j, "b4-tags"); b.Damaged || !b.Complete {
		t.Errorf("intact batch %+v", b)
	}
	if ok, err := j.Succeeded("b4-tags"); err != nil || len(ok) != 1 {
		t.Errorf("intact batch: %v %v", ok, err)
	}
	msg := j.Damage()
	if !strings.Contains(msg, path) || !strings.Contains(msg, "1 damaged line") || !strings.Contains(msg, "b2-trash") {
		t.Errorf("damage report %q", msg)
	}
}

func TestNoDamageNoReport(t *testing.T) {
	j := open(t, tempPath(t))
	in := mustAppend(t, j, intent("b", ActionTag, 1))
	mustAppend(t, j, in.Done())
	if msg := j.Damage(); msg != "" {
		t.Errorf("report %q for an intact journal", msg)
	}
}

// A journal cut at a line boundary passes every checksum; it is reported all the same.
func TestCutJournalIsReported(t *testing.T) {
	path := tempPath(t)
	j := open(t, path)
	for i := range 4 {
		in := mustAppend(t, j, intent("b", ActionTag, i))
		mustAppend(t, j, in.Done())
	}
	j.Close()
	b, _ := os.ReadFile(path)
	cut := bytes.LastIndexByte(b[:len(b)-1], '\n') + 1
	if err := os.WriteFile(path, b[:cut], 0o600); err != nil {
		t.Fatal(err)
	}
	j = open(t, path)
	if msg := j.Damage(); !strings.Contains(msg, "shorter than lightbox left it") || !strings.Contains(msg, path) {
		t.Errorf("report %q", msg)
	}
}
