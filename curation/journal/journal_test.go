package journal

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"lightbox/internal/cosrules"
)

func TestRoundTripAndReopen(t *testing.T) {
	path := tempPath(t)
	j := open(t, path)
	batch := NewBatchID()
	before := time.Now()
	in := intent(batch, ActionTag, 1)
	in.TagsBefore = []cosrules.Tag{{Key: "rating", Value: "3"}}
	in.TagsAfter = []cosrules.Tag{{Key: "rating", Value: "5"}, {Key: "reviewed", Value: "yes"}}
	in.Note = "operator pressed 5"
	got := mustAppend(t, j, in)
	if got.Seq != 1 || got.Time.Before(before.Add(-time.Second)) || got.Time.Location() != time.UTC {
		t.Fatalf("appended %+v", got)
	}
	done := mustAppend(t, j, got.Done())
	if done.Seq != 2 || done.Intent != 1 || done.Phase != PhaseDone || done.Key != in.Key {
		t.Fatalf("outcome %+v", done)
	}
	written := mustRecords(t, j)
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Append(intent(batch, ActionTag, 2)); !errors.Is(err, ErrClosed) {
		t.Fatalf("append after close: %v", err)
	}

	j2 := open(t, path)
	reread := mustRecords(t, j2)
	if !reflect.DeepEqual(normal(reread), normal(written)) {
		t.Fatalf("reread\n%+v\nwant\n%+v", reread, written)
	}
	if reread[0].Note != in.Note || !reflect.DeepEqual(reread[0].TagsAfter, in.TagsAfter) {
		t.Fatalf("fields lost: %+v", reread[0])
	}
	// Numbering continues across reopen.
	next := mustAppend(t, j2, intent(batch, ActionTag, 3))
	if next.Seq != 3 {
		t.Fatalf("Seq after reopen %d", next.Seq)
	}
	checkSeqs(t, mustRecords(t, j2))
}

// normal makes times comparable with DeepEqual (monotonic readings and locations differ).
func normal(rs []Record) []Record {
	out := make([]Record, len(rs))
	for i, r := range rs {
		r.Time = time.Unix(0, r.Time.UnixNano()).UTC()
		out[i] = r
	}
	return out
}

func TestFilePermissions(t *testing.T) {
	path := tempPath(t)
	open(t, path)
	for _, p := range []string{filepath.Dir(path), path} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is mode %v", p, fi.Mode().Perm())
		}
	}
}

func TestAppendRejectsBadRecords(t *testing.T) {
	j := open(t, tempPath(t))
	in := mustAppend(t, j, intent("b1", ActionDelete, 1))
	bad := map[string]Record{
		"no batch":       {Action: ActionTag, Phase: PhaseIntent},
		"no action":      {Batch: "b", Phase: PhaseIntent},
		"bad phase":      {Batch: "b", Action: ActionTag, Phase: "maybe"},
		"intent answers": {Batch: "b1", Action: ActionDelete, Phase: PhaseIntent, Intent: in.Seq},
		"unknown intent": {Batch: "b1", Action: ActionDelete, Phase: PhaseDone, Intent: 99},
		"other batch":    {Batch: "b2", Action: ActionDelete, Phase: PhaseDone, Intent: in.Seq},
		"other action":   {Batch: "b1", Action: ActionTag, Phase: PhaseDone, Intent: in.Seq},
		"bad utf-8":      {Batch: "b", Action: ActionTag, Phase: PhaseIntent, Key: "a\xffb"},
	}
	done := mustAppend(t, j, in.Done())
	bad["answers an outcome"] = Record{Batch: "b1", Action: ActionDelete, Phase: PhaseDone, Intent: done.Seq}
	for name, r := range bad {
		if _, err := j.Append(r); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A rejected record inside a batch rejects the whole batch.
	if _, err := j.AppendMany([]Record{intent("b3", ActionTag, 1), bad["bad phase"]}); err == nil {
		t.Fatal("AppendMany with a bad record succeeded")
	}
	if n := len(mustRecords(t, j)); n != 2 {
		t.Fatalf("%d records after rejections, want 2", n)
	}
}

func TestInterruptedBatch(t *testing.T) {
	path := tempPath(t)
	j := open(t, path)
	batch := NewBatchID()
	var want []Record
	for i := range 5 {
		want = append(want, intent(batch, ActionDelete, i))
	}
	intents, err := j.AppendMany(want)
	if err != nil {
		t.Fatal(err)
	}
	mustAppend(t, j, intents[0].Done())
	mustAppend(t, j, intents[2].Failed(errors.New("AccessDenied")))
	mustAppend(t, j, intents[3].Done())
	other := mustAppend(t, j, intent("other", ActionTag, 9)) // another batch, finished
	mustAppend(t, j, other.Done())
	j.Close() // the process dies here

	j = open(t, path)
	b := mustBatch(t, j, batch)
	if b.Intents != 5 || b.Done != 2 || b.Failed != 1 || b.Complete || b.Action != ActionDelete || b.Undone {
		t.Fatalf("summary %+v", b)
	}
	if b.First.IsZero() || b.Last.Before(b.First) {
		t.Fatalf("times %v..%v", b.First, b.Last)
	}
	pending, err := j.Pending(batch)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 2 || pending[0].Seq != intents[1].Seq || pending[1].Seq != intents[4].Seq {
		t.Fatalf("pending %+v", pending)
	}
	all, _ := j.Pending("")
	if len(all) != 2 {
		t.Fatalf("pending across batches: %d", len(all))
	}
	if ob := mustBatch(t, j, "other"); !ob.Complete || ob.Done != 1 {
		t.Fatalf("other batch %+v", ob)
	}
	failed := mustRecords(t, j)[6]
	if failed.Phase != PhaseFailed || failed.Err != "AccessDenied" {
		t.Fatalf("failure record %+v", failed)
	}

	// Resume: answer what was left.
	for _, p := range pending {
		mustAppend(t, j, p.Done())
	}
	if b := mustBatch(t, j, batch); !b.Complete || b.Done != 4 || b.Failed != 1 {
		t.Fatalf("after resume %+v", b)
	}
	if p, _ := j.Pending(batch); len(p) != 0 {
		t.Fatalf("still pending %+v", p)
	}
	ok, _ := j.Succeeded(batch)
	if len(ok) != 4 {
		t.Fatalf("succeeded %d", len(ok))
	}
}

func TestOutcomesWithoutIntentSeqMatchInOrder(t *testing.T) {
	j := open(t, tempPath(t))
	b := "retry"
	in := intent(b, ActionPromote, 1)
	in.DestBucket, in.DestKey = "best-1250000000", "img/001.jpg"
	mustAppend(t, j, in)
	fail := in
	fail.Phase, fail.Err = PhaseFailed, "SlowDown"
	mustAppend(t, j, fail) // names no intent: pairs by batch, action, bucket, key, destination
	mustAppend(t, j, in)   // retried
	elsewhere := in
	elsewhere.DestKey = "img/other.jpg"
	elsewhere.Phase = PhaseDone
	mustAppend(t, j, elsewhere) // another destination: answers nothing
	done := in
	done.Phase = PhaseDone
	mustAppend(t, j, done)
	s := mustBatch(t, j, b)
	if s.Intents != 2 || s.Failed != 1 || s.Done != 1 || s.Unmatched != 1 || !s.Complete {
		t.Fatalf("summary %+v", s)
	}
	// An explicit answer to an intent already answered is left over too.
	rs := mustRecords(t, j)
	mustAppend(t, j, rs[0].Done())
	if s := mustBatch(t, j, b); s.Unmatched != 2 || s.Done != 1 {
		t.Fatalf("summary %+v", s)
	}
}

func TestUndo(t *testing.T) {
	j := open(t, tempPath(t))
	tagging := NewBatchID()
	in := intent(tagging, ActionTag, 1)
	in.TagsBefore, in.TagsAfter = []cosrules.Tag{{Key: "keep", Value: "no"}}, []cosrules.Tag{{Key: "keep", Value: "yes"}}
	in = mustAppend(t, j, in)
	mustAppend(t, j, in.Done())

	steps, err := j.Succeeded(tagging)
	if err != nil || len(steps) != 1 || steps[0].TagsBefore[0] != (cosrules.Tag{Key: "keep", Value: "no"}) {
		t.Fatalf("to undo: %+v, %v", steps, err)
	}
	// A first undo attempt fails.
	undo1 := NewBatchID()
	u := intent(undo1, ActionUndo, 1)
	u.Undoes, u.TagsBefore, u.TagsAfter = tagging, steps[0].TagsAfter, steps[0].TagsBefore
	u1 := mustAppend(t, j, u)
	mustAppend(t, j, u1.Failed(errors.New("network down")))
	if s := mustBatch(t, j, tagging); s.Undone || s.UndoneBy != undo1 {
		t.Fatalf("after a failed undo: %+v", s)
	}
	// A second one succeeds.
	undo2 := NewBatchID()
	u.Batch = undo2
	u2 := mustAppend(t, j, u)
	if s := mustBatch(t, j, tagging); s.Undone || s.UndoneBy != undo2 {
		t.Fatalf("during the undo: %+v", s)
	}
	mustAppend(t, j, u2.Done())
	s := mustBatch(t, j, tagging)
	if !s.Undone || s.UndoneBy != undo2 {
		t.Fatalf("after the undo: %+v", s)
	}
	if us := mustBatch(t, j, undo2); us.Undoes != tagging || us.Action != ActionUndo || !us.Complete {
		t.Fatalf("undo batch %+v", us)
	}
}

func TestRecordsAreCopies(t *testing.T) {
	j := open(t, tempPath(t))
	in := intent("c", ActionTag, 1)
	in.TagsAfter = []cosrules.Tag{{Key: "a", Value: "1"}}
	got := mustAppend(t, j, in)
	in.TagsAfter[0].Value = "changed by caller"
	got.TagsAfter[0].Value = "changed too"
	rs := mustRecords(t, j)
	rs[0].TagsAfter[0].Value = "and again"
	if v := mustRecords(t, j)[0].TagsAfter[0].Value; v != "1" {
		t.Fatalf("journal memory changed to %q", v)
	}
}

func TestTwoJournalsOnOneFile(t *testing.T) {
	path := tempPath(t)
	a := open(t, path)
	b := open(t, path)
	ra := mustAppend(t, a, intent("a", ActionTag, 1))
	if rs := mustRecords(t, b); len(rs) != 1 || rs[0].Batch != "a" {
		t.Fatalf("b sees %+v", rs)
	}
	// b has not read a's record yet when it appends; numbering must still continue.
	c := open(t, path)
	mustAppend(t, a, ra.Done())
	rc := mustAppend(t, c, intent("c", ActionTag, 2))
	if rc.Seq != 3 {
		t.Fatalf("Seq %d, want 3", rc.Seq)
	}
	for _, j := range []*Journal{a, b, c} {
		rs := mustRecords(t, j)
		checkSeqs(t, rs)
		if len(rs) != 3 {
			t.Fatalf("%d records", len(rs))
		}
	}
}

func TestConcurrentAppends(t *testing.T) {
	j := open(t, tempPath(t))
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for i := range 10 {
				r, err := j.Append(intent("w", ActionTag, w*10+i))
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := j.Append(r.Done()); err != nil {
					t.Error(err)
					return
				}
				_, _ = j.Batches()
			}
		})
	}
	wg.Wait()
	rs := mustRecords(t, j)
	checkSeqs(t, rs)
	if s := mustBatch(t, j, "w"); len(rs) != 120 || s.Intents != 60 || s.Done != 60 || !s.Complete {
		t.Fatalf("%d records, %+v", len(rs), s)
	}
}

func TestTornTailAndGarbage(t *testing.T) {
	path := tempPath(t)
	j := open(t, path)
	for i := range 3 {
		mustAppend(t, j, intent("t", ActionTrash, i))
	}
	j.Close()
	data, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(data), "\n")
	// Damage the middle record, and cut the last one short as a kill mid-write would.
	damaged := lines[0] + strings.Replace(lines[1], "trash", "trasH", 1) + lines[2][:len(lines[2])/2]
	if err := os.WriteFile(path, []byte(damaged), 0o600); err != nil {
		t.Fatal(err)
	}
	j = open(t, path)
	if rs := mustRecords(t, j); len(rs) != 1 || j.Skipped() != 2 {
		t.Fatalf("%d records, %d skipped", len(rs), j.Skipped())
	}
	r := mustAppend(t, j, intent("t", ActionTrash, 9))
	if r.Seq != 2 {
		t.Fatalf("Seq %d after the damage", r.Seq)
	}
	j.Close()
	j = open(t, path)
	rs := mustRecords(t, j)
	if len(rs) != 2 || rs[1].Key != "img/009.jpg" || j.Skipped() != 2 {
		t.Fatalf("reread %+v, %d skipped", rs, j.Skipped())
	}
	if data, _ := os.ReadFile(path); !strings.HasPrefix(string(data), damaged) {
		t.Fatal("the journal was rewritten")
	}
}

func TestFullDisk(t *testing.T) {
	path := tempPath(t)
	j := open(t, path)
	first := mustAppend(t, j, intent("f", ActionPromote, 1))
	j.log.SetWriteFault(func(p []byte) (int, error) { return len(p) - 1, syscall.ENOSPC })
	if _, err := j.Append(first.Done()); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("append on a full disk: %v", err)
	}
	if _, err := j.AppendMany([]Record{intent("f", ActionPromote, 2), intent("f", ActionPromote, 3)}); err == nil {
		t.Fatal("AppendMany on a full disk succeeded")
	}
	if rs := mustRecords(t, j); len(rs) != 1 {
		t.Fatalf("%d records in memory after failed appends", len(rs))
	}
	if p, _ := j.Pending("f"); len(p) != 1 {
		t.Fatal("the failed outcome was taken as written")
	}
	j.log.SetWriteFault(nil)
	if r := mustAppend(t, j, first.Done()); r.Seq != 2 {
		t.Fatalf("Seq %d after failed appends, want 2", r.Seq)
	}
	j.Close()
	j = open(t, path)
	checkSeqs(t, mustRecords(t, j))
	if j.Skipped() != 0 || !mustBatch(t, j, "f").Complete {
		t.Fatal("reread after a full disk went wrong")
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/srv/state")
	if p, err := DefaultPath(); err != nil || p != "/srv/state/lightbox/journal.log" {
		t.Fatalf("DefaultPath = %q, %v", p, err)
	}
	t.Setenv("XDG_STATE_HOME", "relative/ignored")
	t.Setenv("HOME", "/home/op")
	if p, err := DefaultPath(); err != nil || p != "/home/op/.local/state/lightbox/journal.log" {
		t.Fatalf("DefaultPath = %q, %v", p, err)
	}
}

func TestNewBatchID(t *testing.T) {
	seen := map[string]bool{}
	format := regexp.MustCompile(`^\d{8}T\d{6}Z-[0-9a-f]{12}$`)
	for range 1000 {
		id := NewBatchID()
		if !format.MatchString(id) || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

func TestStepsPairIntentsWithOutcomes(t *testing.T) {
	j := open(t, tempPath(t))
	a := mustAppend(t, j, intent("b1", ActionTrash, 1))
	b := mustAppend(t, j, intent("b1", ActionTrash, 2))
	mustAppend(t, j, intent("b2", ActionTag, 3))
	mustAppend(t, j, a.Failed(errors.New("boom")))
	steps, err := j.Steps("b1")
	if err != nil || len(steps) != 2 {
		t.Fatalf("%v %+v", err, steps)
	}
	if steps[0].Intent.Seq != a.Seq || steps[0].Outcome == nil || steps[0].Outcome.Phase != PhaseFailed || steps[0].Outcome.Err != "boom" {
		t.Errorf("first step %+v", steps[0])
	}
	if steps[1].Intent.Seq != b.Seq || steps[1].Outcome != nil {
		t.Errorf("second step is unanswered: %+v", steps[1])
	}
	if all, _ := j.Steps(""); len(all) != 3 {
		t.Errorf("every batch: %d steps", len(all))
	}
}
