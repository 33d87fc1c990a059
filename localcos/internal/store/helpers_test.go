package store

import (
	"bytes"
	"context"
	"crypto/md5"
	"errors"
	"hash/crc64"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func openTestStore(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newTestStore(t testing.TB) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	return openTestStore(t, dir), dir
}

func mustPut(t testing.TB, s *Store, key string, data []byte, opt PutOptions) Object {
	t.Helper()
	o, err := s.Put(context.Background(), key, bytes.NewReader(data), opt)
	if err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
	return o
}

// readObject opens key and reads it whole.
func readObject(t testing.TB, s *Store, key string) ([]byte, Object) {
	t.Helper()
	f, o, err := s.Open(key)
	if err != nil {
		t.Fatalf("Open(%q): %v", key, err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return data, o
}

func md5ETag(data []byte) string { return quotedHex(md5.Sum(data)) }

func crcOf(data []byte) uint64 { return crc64.Checksum(data, crcTable) }

func tmpEntries(t testing.TB, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(dir, tmpPath))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func wantErr(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v, want %v", err, target)
	}
}

func errorsIsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
