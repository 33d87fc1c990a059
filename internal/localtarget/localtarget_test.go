package localtarget

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/config"
	"lightbox/localcos"
)

// TestReadOnlyFolderIsServedWithoutWritingIt: a folder lightbox may not write is still
// served for browsing and scoring; every change is refused, and nothing appears in it.
func TestReadOnlyFolderIsServedWithoutWritingIt(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	checkWritable = func(string) string { return "is on a read-only file system" }
	t.Cleanup(func() { checkWritable = unwritable })
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Start(config.Target{Local: dir}, localcos.LimitsLocal, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.Contains(s.ReadOnly, "read-only") || !strings.Contains(s.ReadOnly, os.Getenv("XDG_CACHE_HOME")) {
		t.Errorf("ReadOnly = %q: want why, and where the metadata goes", s.ReadOnly)
	}
	u, _ := cos.NewBucketURL(s.Target.Bucket, s.Target.Region, false)
	u.Host = strings.TrimPrefix(s.Target.Endpoint, "http://")
	u.Scheme = "http"
	c := cos.NewClient(&cos.BaseURL{BucketURL: u}, &http.Client{Transport: &cos.AuthorizationTransport{
		SecretID: s.Credentials.SecretID, SecretKey: s.Credentials.SecretKey.Reveal()}})
	ctx := context.Background()
	resp, err := c.Object.Get(ctx, "a.txt", nil)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	resp.Body.Close()
	if _, err := c.Object.Put(ctx, "b.txt", bytes.NewReader([]byte("x")), nil); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("PUT into a read-only folder: %v", err)
	}
	if _, err := c.Object.Delete(ctx, "a.txt"); err == nil {
		t.Error("DELETE in a read-only folder succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "a.txt" {
		t.Errorf("the folder was written: %v", entries)
	}
}
