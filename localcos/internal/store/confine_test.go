package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestTraversalKeysRefused(t *testing.T) {
	s, dir := newTestStore(t)
	mustPut(t, s, "ok", []byte("ok"), PutOptions{})
	ctx := context.Background()
	for _, key := range []string{"../x", "a/../../x", "/etc/passwd", ".lightbox-cos/meta.db", ".lightbox-cos/tmp/", "a\x00b", "..", "a/./b"} {
		_, err := s.Put(ctx, key, bytes.NewReader([]byte("evil")), PutOptions{})
		wantErr(t, err, ErrInvalidKey)
		_, err = s.Head(key)
		wantErr(t, err, ErrInvalidKey)
		_, _, err = s.Open(key)
		wantErr(t, err, ErrInvalidKey)
		wantErr(t, s.Delete(key), ErrInvalidKey)
		_, err = s.Copy(ctx, "ok", key, CopyOptions{})
		wantErr(t, err, ErrInvalidKey)
		_, err = s.Copy(ctx, key, "ok2", CopyOptions{})
		wantErr(t, err, ErrInvalidKey)
		_, err = s.Update(key, func(*Object) error { return nil })
		wantErr(t, err, ErrInvalidKey)
	}
	if _, err := os.Stat(filepath.Join(dir, metaDBPath)); err != nil {
		t.Fatalf("meta.db touched: %v", err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "x")); !os.IsNotExist(err) {
		t.Fatalf("a file appeared outside DIR: %v", err)
	}
}

func TestSymlinkOutsideDIR(t *testing.T) {
	s, dir := newTestStore(t)
	outside := t.TempDir()
	secret := filepath.Join(outside, "file")
	if err := os.WriteFile(secret, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "filelink")); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, key := range []string{"link/file", "filelink"} {
		_, err := s.Head(key)
		wantErr(t, err, ErrNotFound)
		_, _, err = s.Open(key)
		wantErr(t, err, ErrNotFound)
		_, err = s.Copy(ctx, key, "stolen", CopyOptions{})
		wantErr(t, err, ErrNotFound)
		if err := s.Delete(key); err != nil {
			t.Fatalf("Delete(%q) = %v", key, err)
		}
		_, err = s.Update(key, func(*Object) error { return nil })
		wantErr(t, err, ErrNotFound)
	}
	for _, key := range []string{"link/file", "link/new", "link/sub/new", "link/"} {
		_, err := s.Put(ctx, key, bytes.NewReader(nil), PutOptions{})
		wantErr(t, err, ErrConflict)
	}
	mustPut(t, s, "src", []byte("x"), PutOptions{})
	_, err := s.Copy(ctx, "src", "link/copied", CopyOptions{})
	wantErr(t, err, ErrConflict)

	if b, err := os.ReadFile(secret); err != nil || string(b) != "secret" {
		t.Fatalf("outside file changed: %q %v", b, err)
	}
	ents, _ := os.ReadDir(outside)
	if len(ents) != 1 {
		t.Fatalf("outside folder now holds %d entries", len(ents))
	}
	if fi, err := os.Lstat(filepath.Join(dir, "link")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the symlink itself was removed or replaced: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := Open(file, Options{}); err == nil {
		t.Fatal("Open of a file succeeded")
	}
	if _, err := Open(filepath.Join(dir, "missing"), Options{}); err == nil {
		t.Fatal("Open of a missing folder succeeded")
	}
	if os.Geteuid() != 0 { // root ignores permissions
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		if _, err := Open(ro, Options{}); err == nil {
			t.Fatal("Open of a read-only folder succeeded")
		} else {
			t.Log(err)
		}
	}
	// A symlinked metadata folder could lead outside DIR.
	evil := filepath.Join(dir, "evil")
	os.Mkdir(evil, 0o755)
	os.Symlink(t.TempDir(), filepath.Join(evil, MetaDirName))
	if _, err := Open(evil, Options{}); err == nil {
		t.Fatal("Open accepted a symlinked .lightbox-cos")
	}
}
