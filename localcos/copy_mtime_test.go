package localcos

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A copy keeps its source's modification time on disk (and in Last-Modified), so that
// moving a photo into the trash or a promote folder and back keeps its date; real COS gives
// a copy the time of the copy instead.
func TestCopyKeepsModTime(t *testing.T) {
	e := newEnv(t, nil)
	old := time.Date(2019, 7, 1, 12, 30, 5, 0, time.UTC)
	src := filepath.Join(e.dir, "shoot", "a.jpg")
	if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, []byte("placed by hand"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(src, old, old); err != nil {
		t.Fatal(err)
	}
	srcHead, err := e.cos.Object.Head(ctx, "shoot/a.jpg", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.cos.Object.Copy(ctx, ".trash/shoot/a.jpg", e.url.Host+"/shoot/a.jpg", nil); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(e.dir, ".trash", "shoot", "a.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if !fi.ModTime().Equal(old) {
		t.Errorf("copy's mtime %v, want the source's %v", fi.ModTime(), old)
	}
	head, err := e.cos.Object.Head(ctx, ".trash/shoot/a.jpg", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := head.Header.Get("Last-Modified"), old.Format(http.TimeFormat); got != want {
		t.Errorf("Last-Modified %q, want %q", got, want)
	}
	if head.Header.Get("ETag") != srcHead.Header.Get("ETag") {
		t.Errorf("ETag %s, want the source's %s", head.Header.Get("ETag"), srcHead.Header.Get("ETag"))
	}
}
