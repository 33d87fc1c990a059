package journal

import (
	"fmt"
	"testing"

	"lightbox/internal/testproc"
)

const helperSteps = 30 // each an intent and an outcome

// TestHelperProcess is the body of a child of TestMultiProcess, not a test: it journals its own
// batch, intents in small groups, then their outcomes.
func TestHelperProcess(t *testing.T) {
	id, path, ok := testproc.Child(t.Name())
	if !ok {
		t.Skip("child process body for TestMultiProcess")
	}
	j, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	batch := fmt.Sprintf("child-%d", id)
	for i := 0; i < helperSteps; i += 3 {
		intents, err := j.AppendMany([]Record{intent(batch, ActionTag, i), intent(batch, ActionTag, i+1), intent(batch, ActionTag, i+2)})
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range intents {
			if _, err := j.Append(in.Done()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestMultiProcess(t *testing.T) {
	if testproc.InChild() {
		t.Skip("in a child")
	}
	path := tempPath(t)
	watcher := open(t, path)
	const children = 3
	testproc.Run(t, "TestHelperProcess", children, path)
	for _, j := range []*Journal{watcher, open(t, path)} {
		rs := mustRecords(t, j)
		if len(rs) != children*helperSteps*2 || j.Skipped() != 0 {
			t.Fatalf("%d records, %d skipped", len(rs), j.Skipped())
		}
		checkSeqs(t, rs)
		for id := range children {
			b := mustBatch(t, j, fmt.Sprintf("child-%d", id))
			if b.Intents != helperSteps || b.Done != helperSteps || !b.Complete || b.Unmatched != 0 {
				t.Fatalf("batch %+v", b)
			}
		}
	}
}
