package curation

import (
	"os"
	"testing"
	"time"
)

// On the embedded COS a photo keeps its modification time through promote, soft delete,
// undo and restore: the copy step keeps it, and the move deletes only the original.
func TestCurationKeepsModTimeOnDisk(t *testing.T) {
	keys := []string{"a.jpg", "b.jpg", "c.jpg"}
	f := curationFixture(t, files(keys...), promoteTo("best/", "move"))
	old := time.Date(2018, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, k := range keys {
		if err := os.Chtimes(f.path(k), old, old); err != nil {
			t.Fatal(err)
		}
	}
	mtime := func(key string) time.Time {
		fi, err := os.Stat(f.path(key))
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		return fi.ModTime()
	}
	check := func(when string, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if got := mtime(k); !got.Equal(old) {
				t.Errorf("%s: %s has mtime %v, want %v", when, k, got, old)
			}
		}
	}
	e := f.engine
	if _, err := e.Delete(bg, []string{"a.jpg"}); err != nil {
		t.Fatal(err)
	}
	check("trashed", ".trash/a.jpg")
	if _, err := e.UndoLast(bg); err != nil {
		t.Fatal(err)
	}
	check("undone", "a.jpg")
	if _, err := e.Promote(bg, []string{"b.jpg"}); err != nil {
		t.Fatal(err)
	}
	check("promoted", "best/b.jpg")
	if _, err := e.UndoLast(bg); err != nil {
		t.Fatal(err)
	}
	check("promote undone", "b.jpg")
	if _, err := e.Delete(bg, []string{"c.jpg"}); err != nil {
		t.Fatal(err)
	}
	if rep, err := e.Restore(bg, []string{".trash/c.jpg"}); err != nil || len(rep.Done) != 1 {
		t.Fatal(err, rep.Summary())
	}
	check("restored", "c.jpg")
	if o := f.head("c.jpg"); !o.LastModified.Equal(old) {
		t.Errorf("Last-Modified %v, want %v", o.LastModified, old)
	}
}
