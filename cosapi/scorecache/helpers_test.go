package scorecache

import (
	"fmt"
	"path/filepath"
	"testing"
)

const testEndpoint = "http://127.0.0.1:7070"

func key(i int, etag string) Key {
	return Key{Endpoint: testEndpoint, Bucket: "photos-1250000000", Object: fmt.Sprintf("img/%05d.jpg", i), ETag: etag}
}

func score(i int) []byte {
	return fmt.Appendf(nil, `{"ClarityScore":%d,"AestheticScore":%d}`, i%100, (i*7)%100)
}

func tempPath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "lightbox", "scores.log")
}

func open(t testing.TB, path string) *Cache {
	t.Helper()
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func mustGet(t testing.TB, c *Cache, k Key, want []byte) {
	t.Helper()
	got, ok := c.Get(k)
	if !ok {
		t.Fatalf("Get(%v): miss, want %s", k, want)
	}
	if string(got) != string(want) {
		t.Fatalf("Get(%v) = %q, want %q", k, got, want)
	}
}

func mustMiss(t testing.TB, c *Cache, k Key) {
	t.Helper()
	if got, ok := c.Get(k); ok {
		t.Fatalf("Get(%v) = %q, want a miss", k, got)
	}
}
