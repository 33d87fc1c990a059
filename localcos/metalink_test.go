package localcos

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	cos "github.com/tencentyun/cos-go-sdk-v5"
)

// Links inside the served folder must not reach the metadata store, however they are
// spelled: reading it leaks every object's tags, overwriting or deleting it loses them.
func TestLinksIntoTheMetadataStoreAreRefused(t *testing.T) {
	e := newEnv(t, nil)
	e.put("keep.txt", []byte("keep"), nil)
	if _, err := e.cos.Object.PutTagging(t.Context(), "keep.txt", &cos.ObjectPutTaggingOptions{TagSet: []cos.ObjectTaggingTag{{Key: "verdict", Value: "pick"}}}); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(e.dir, ".lightbox-cos", "meta.db")
	for name, target := range map[string]string{"m": ".lightbox-cos", "self": ".", "deep/up": ".."} {
		p := filepath.Join(e.dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(e.dir, ".lightbox-cos"), filepath.Join(e.dir, "abs")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(db, filepath.Join(e.dir, "hard.db")); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{
		"/m/meta.db", "/self/.lightbox-cos/meta.db", "/self/self/.LIGHTBOX-COS/meta.db",
		"/deep/up/.lightbox-cos/meta.db", "/abs/meta.db", "/hard.db", "/m/tmp/new", "/m", "/m/new/deeper",
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete} {
			status, code := rawWire(t, e, method, target, http.Header{"Content-Length": {"0"}})
			if status < 400 {
				t.Errorf("%s %s: %d %s", method, target, status, code)
			}
		}
	}
	if fi, err := os.Stat(db); err != nil || fi.Size() == 0 {
		t.Fatalf("meta.db is gone or empty: %v", err)
	}
	if _, err := os.Stat(filepath.Join(e.dir, ".lightbox-cos", "new")); !os.IsNotExist(err) {
		t.Errorf("a file was created inside the metadata folder: %v", err)
	}
	// The store still opens and still knows the tags.
	e.ts.Close()
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := newEnvDir(t, e.dir, nil)
	got, _, err := e2.cos.Object.GetTagging(t.Context(), "keep.txt")
	if err != nil || len(got.TagSet) != 1 || got.TagSet[0].Value != "pick" {
		t.Fatalf("tags after the attack: %+v %v", got, err)
	}
}
