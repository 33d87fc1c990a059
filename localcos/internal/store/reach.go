package store

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// checkKey is CheckKey plus where the key leads on disk: a symlink inside DIR
// (m -> .lightbox-cos, self -> .) or a hard link to meta.db must not let a
// request read, overwrite or delete the metadata store, which CheckKey's look at
// the first segment cannot see.
func (s *Store) checkKey(key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	if s.reachesMeta(keyPath(key)) {
		return &KeyError{Key: key, Reason: "the key leads through a link into " + MetaDirName + "/, which is reserved for lightbox's metadata"}
	}
	return nil
}

// reachesMeta resolves every symlink on root-relative path p (the part that
// exists; the rest will be created as plain folders) and reports whether it
// lands in the metadata folder. A dangling symlink on the way counts as
// reaching it: where it would lead once created cannot be known.
func (s *Store) reachesMeta(p string) bool {
	real, err := filepath.EvalSymlinks(s.dir)
	if err != nil {
		return true
	}
	full, rest := filepath.Join(s.dir, filepath.FromSlash(p)), ""
	for {
		resolved, err := filepath.EvalSymlinks(full)
		if err == nil {
			full = filepath.Join(resolved, rest)
			break
		}
		// Not there (or under a file): the store will create or refuse it. A symlink
		// that does not resolve (dangling, a loop) is refused.
		if fi, lerr := os.Lstat(full); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return true
		}
		parent := filepath.Dir(full)
		if parent == full || len(parent) < len(s.dir) {
			return true
		}
		rest = filepath.Join(filepath.Base(full), rest)
		full = parent
	}
	rel, err := filepath.Rel(real, full)
	if err != nil {
		return false // outside DIR: os.Root refuses to follow it anyway
	}
	first, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	if isMetaDirName(first) {
		return true
	}
	// A hard link shares meta.db's inode under another name.
	if fi, err := os.Stat(full); err == nil && fi.Mode().IsRegular() {
		if db, err := s.root.Stat(metaDBPath); err == nil && os.SameFile(fi, db) {
			return true
		}
	}
	return false
}
