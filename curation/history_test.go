package curation

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"lightbox/cosapi"
	"lightbox/curation/journal"
	"lightbox/internal/cosrules"
)

// trashLeft lists the files under the folder's .trash/ on disk.
func (f *fixture) trashLeft() []string {
	var out []string
	_ = filepath.WalkDir(f.path(".trash"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

func (f *fixture) info(batch string) BatchInfo {
	f.t.Helper()
	all, err := f.engine.History()
	return findBatch(f.t, all, err, func(b BatchInfo) string { return b.ID }, batch, "history")
}

func manyFiles(n int) ([]string, map[string][]byte) {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("shoot/%04d.jpg", i)
	}
	return keys, files(keys...)
}

// cancelDelete soft-deletes keys and cancels the call when the 40th copy is sent.
func cancelDelete(t *testing.T, fs map[string][]byte, keys []string) (*fixture, Report) {
	t.Helper()
	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	var f *fixture
	f = curationFixture(t, fs, withSpy(interrupt(40, false, cancel, &f)))
	rep, err := f.engine.Delete(ctx, keys)
	if cosapi.KindOf(err) != cosapi.KindCanceled {
		t.Fatalf("want a cancelled call: %v", err)
	}
	mustAccountFor(t, rep, keys)
	if len(f.trashLeft()) == 0 {
		t.Fatal("the cancel came before any copy: the test proves nothing")
	}
	b := f.info(rep.Batch)
	if !b.Interrupted || b.Canceled == 0 || b.State() != "interrupted" || b.Undoable != nil {
		t.Fatalf("a cancelled batch must read as interrupted and undoable: %+v", b)
	}
	return f, rep
}

func TestCancelledSoftDeleteRollsBack(t *testing.T) {
	keys, fs := manyFiles(2000)
	f, rep := cancelDelete(t, fs, keys)
	undo, err := f.engine.UndoLast(bg) // what `u` does
	if err != nil || len(undo.Failed) != 0 {
		t.Fatalf("undo: %v %s %+v", err, undo.Summary(), undo.Failed)
	}
	if left := f.trashLeft(); len(left) != 0 {
		t.Errorf("%d copies left in the trash, e.g. %s", len(left), left[0])
	}
	for _, k := range keys {
		if !bytes.Equal(f.read(k), fs[k]) {
			t.Fatalf("%s not as it was", k)
		}
	}
	b := f.info(rep.Batch)
	if b.Interrupted || !b.Undone || b.UndoneBy != undo.Batch || b.Undoable == nil {
		t.Errorf("after the rollback: %+v", b)
	}
	if _, err := f.engine.Resume(bg, rep.Batch); cosapi.KindOf(err) != cosapi.KindInvalid || !strings.Contains(err.Error(), "rolled back") {
		t.Errorf("resuming a rolled-back batch: %v", err)
	}
	if _, err := f.engine.UndoLast(bg); cosapi.KindOf(err) != cosapi.KindNotFound {
		t.Errorf("nothing left to undo: %v", err)
	}
}

func TestCancelledSoftDeleteResumes(t *testing.T) {
	keys, fs := manyFiles(300)
	f, rep := cancelDelete(t, fs, keys)
	res, err := f.engine.Resume(bg, rep.Batch)
	if err != nil || len(res.Done) != len(keys) {
		t.Fatalf("resume: %v %s", err, res.Summary())
	}
	for _, k := range keys {
		if f.exists(k) || !bytes.Equal(f.read(".trash/"+k), fs[k]) {
			t.Fatalf("%s not in the trash", k)
		}
	}
	if b := f.info(rep.Batch); b.Interrupted || b.Canceled != 0 || b.State() != "complete" || b.Done != len(keys) {
		t.Errorf("after resume: %+v", b)
	}
}

// TestRollbackAfterKill journals intents by hand, as a process killed mid-batch leaves
// them, with each key in a different state; Undo takes back exactly what is the batch's.
func TestRollbackAfterKill(t *testing.T) {
	keys := []string{"none.jpg", "copied.jpg", "moved.jpg", "foreign.jpg", oddKeys[4]}
	fs := files(append(keys, "tag-new.jpg", "tag-old.jpg", "tag-other.jpg")...)
	f := curationFixture(t, fs, nil)
	c, e, home := f.client, f.engine, f.client.Home()
	id := journal.NewBatchID()
	recs := f.trashIntents(id, keys)
	before, after := []cosrules.Tag{{Key: "a", Value: "1"}}, []cosrules.Tag{{Key: "verdict", Value: "reject"}}
	recs = append(recs, f.tagIntents(id, []string{"tag-new.jpg", "tag-old.jpg", "tag-other.jpg"}, before, after)...)
	if _, err := f.journal.AppendMany(recs); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"copied.jpg", "moved.jpg", oddKeys[4]} {
		if err := home.Copy(bg, ".trash/"+k, home, k, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(f.path("moved.jpg")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(f.path(".trash/foreign.jpg")), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.path(".trash/foreign.jpg"), []byte("someone else's"), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = c.PutTags(bg, "tag-new.jpg", after)
	_ = c.PutTags(bg, "tag-other.jpg", []cosrules.Tag{{Key: "x", Value: "y"}})

	b := f.info(id)
	if !b.Interrupted || b.Pending != len(recs) || b.Undoable != nil {
		t.Fatalf("%+v", b)
	}
	undo, err := e.Undo(bg, id)
	if err != nil || len(undo.Failed) != 0 {
		t.Fatalf("%v %s %+v", err, undo.Summary(), undo.Failed)
	}
	for _, k := range keys {
		if !bytes.Equal(f.read(k), fs[k]) {
			t.Errorf("%s not back", k)
		}
	}
	if got := f.trashLeft(); len(got) != 1 || !strings.HasSuffix(got[0], "foreign.jpg") {
		t.Errorf("trash after the rollback: %q (only someone else's object may stay)", got)
	}
	for k, want := range map[string][]cosrules.Tag{"tag-new.jpg": before, "tag-old.jpg": before, "tag-other.jpg": {{Key: "x", Value: "y"}}} {
		if got, _ := c.Tags(bg, k); !sameTags(got, want) {
			t.Errorf("%s tags %v, want %v", k, got, want)
		}
	}
	if b := f.info(id); b.Interrupted || !b.Undone {
		t.Errorf("after: %+v", b)
	}
}

func TestHistoryAndSteps(t *testing.T) {
	f := curationFixture(t, files("2024/a/x.jpg", "2024/a/y.jpg", "2024/b.jpg", "c.jpg"), nil)
	e := f.engine
	tagged, err := e.SetTags(bg, []string{"2024/a/x.jpg", "2024/a/y.jpg"}, []cosrules.Tag{{Key: "pick", Value: "1"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	trashed, err := e.Delete(bg, []string{"2024/a/x.jpg", "2024/b.jpg", "2024/none.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	e.cfg.HardDelete = true
	hard, err := e.Delete(bg, []string{"c.jpg"})
	if err != nil {
		t.Fatal(err)
	}
	// Another bucket's batch, in the same journal.
	other := e.intent(journal.ActionTag, "o.jpg")
	other.Batch, other.Bucket = journal.NewBatchID(), "other-1250000000"
	if _, err := f.journal.Append(other); err != nil {
		t.Fatal(err)
	}
	all, err := e.History()
	if err != nil || len(all) != 4 {
		t.Fatalf("%v %d batches", err, len(all))
	}
	want := []struct {
		id, prefix, state string
		mine, undoable    bool
	}{
		{tagged.Batch, "2024/a/", "complete", true, true},
		{trashed.Batch, "2024/", "failed", true, true}, // one key was not there
		{hard.Batch, "", "complete", true, false},
		{other.Batch, "", "interrupted", false, false},
	}
	for i, w := range want {
		b := all[i]
		if b.ID != w.id || b.Prefix != w.prefix || b.State() != w.state || b.Mine != w.mine || (b.Undoable == nil) != w.undoable {
			t.Errorf("batch %d: %+v, want %+v", i, b, w)
		}
	}
	// After the hard delete, the older batches stay reachable by id.
	if _, err := e.UndoLast(bg); err == nil || !strings.Contains(err.Error(), "hard delete") {
		t.Errorf("UndoLast past a hard delete: %v", err)
	}
	if u, err := e.Undo(bg, trashed.Batch); err != nil || len(u.Done) != 2 || !f.exists("2024/b.jpg") {
		t.Errorf("undo of an older batch: %v %s", err, u.Summary())
	}
	steps, err := e.Steps(trashed.Batch)
	if err != nil || len(steps) != 3 {
		t.Fatalf("%v %+v", err, steps)
	}
	if s := steps[0]; s.Key != "2024/a/x.jpg" || s.Dest != ".trash/2024/a/x.jpg" || s.Phase != "done" {
		t.Errorf("%+v", s)
	}
	if s := steps[2]; s.Key != "2024/none.jpg" || s.Phase != "failed" || s.Err == "" {
		t.Errorf("%+v", s)
	}
	tagSteps, _ := e.Steps(tagged.Batch)
	if len(tagSteps) != 2 || !slices.Equal(tagSteps[0].TagsAfter, []cosrules.Tag{{Key: "pick", Value: "1"}}) {
		t.Errorf("%+v", tagSteps)
	}
	if _, err := e.Steps("no-such"); cosapi.KindOf(err) != cosapi.KindNotFound {
		t.Errorf("%v", err)
	}
}

func TestTrashRestoreAndEmpty(t *testing.T) {
	keys := []string{"a.jpg", "b/c.jpg", "d.jpg", oddKeys[1]}
	fs := files(keys...)
	f := curationFixture(t, fs, nil)
	e := f.engine
	first, err := e.Delete(bg, keys[:2])
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.Delete(bg, keys[2:])
	if err != nil {
		t.Fatal(err)
	}
	trash, err := e.Trash(bg)
	if err != nil || len(trash) != 4 {
		t.Fatalf("%v %+v", err, trash)
	}
	for i, te := range trash {
		wantBatch := second.Batch
		if i >= 2 {
			wantBatch = first.Batch // newest first
		}
		if te.Batch != wantBatch || te.Trashed.IsZero() || ".trash/"+te.Original != te.Key || te.Size != int64(len(fs[te.Original])) {
			t.Errorf("entry %d: %+v", i, te)
		}
	}
	// Something new is at d.jpg now: restoring onto it is refused.
	if err := os.WriteFile(f.path("d.jpg"), []byte("new d"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := e.Restore(bg, []string{".trash/a.jpg", ".trash/" + oddKeys[1], ".trash/d.jpg", "b/c.jpg"})
	if err != nil || len(rep.Done) != 2 || len(rep.Failed) != 2 {
		t.Fatalf("%v %s %+v", err, rep.Summary(), rep.Failed)
	}
	if !strings.Contains(failure(rep, "d.jpg").Error(), "another object") || !strings.Contains(failure(rep, "b/c.jpg").Error(), "not in the trash") {
		t.Errorf("%+v", rep.Failed)
	}
	if string(f.read("d.jpg")) != "new d" || !f.exists(".trash/d.jpg") {
		t.Error("d.jpg clobbered")
	}
	for _, k := range []string{"a.jpg", oddKeys[1]} {
		if f.exists(".trash/"+k) || !bytes.Equal(f.read(k), fs[k]) {
			t.Errorf("%s not restored", k)
		}
	}
	// A restore is undone by moving the objects back into the trash.
	if u, err := e.UndoLast(bg); err != nil || len(u.Done) != 2 || f.exists("a.jpg") || !f.exists(".trash/a.jpg") {
		t.Fatalf("undo restore: %v %s", err, u.Summary())
	}
	emptied, err := e.EmptyTrash(bg, []string{".trash/a.jpg", ".trash/b/c.jpg", "d.jpg"})
	if err != nil || len(emptied.Done) != 2 || failure(emptied, "d.jpg") == nil {
		t.Fatalf("%v %s", err, emptied.Summary())
	}
	if f.exists(".trash/a.jpg") || f.exists(".trash/b/c.jpg") || string(f.read("d.jpg")) != "new d" {
		t.Error("wrong state after emptying")
	}
	if b := f.info(emptied.Batch); b.Action != journal.ActionDelete || b.Undoable == nil {
		t.Errorf("%+v", b)
	}
	if trash, _ := e.Trash(bg); len(trash) != 2 {
		t.Errorf("%+v", trash)
	}
}
