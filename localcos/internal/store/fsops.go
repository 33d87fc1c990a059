package store

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// isAbsent reports whether err from a Root operation means "nothing there
// as far as keys go": missing, a non-folder in the way, a symlink loop, or
// a symlink leading outside DIR.
func isAbsent(err error) bool {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) ||
		errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.ENAMETOOLONG) {
		return true
	}
	// os.Root's escape error is not exported; recognise it by its text.
	for e := err; e != nil; e = errors.Unwrap(e) {
		if e.Error() == "path escapes from parent" {
			return true
		}
	}
	return false
}

// isConflictErrno reports errors a rename or mkdir gives when a file stands
// where a folder must be, or a folder where a file must be.
func isConflictErrno(err error) bool {
	return errors.Is(err, syscall.EISDIR) || errors.Is(err, syscall.ENOTDIR) ||
		errors.Is(err, syscall.ENOTEMPTY) || errors.Is(err, syscall.EEXIST)
}

// statFile finds the regular file at p (following symlinks inside DIR).
// ok is false when there is none; a folder there is ErrConflict when
// wantFree is set (the caller is about to put a file at p).
func (s *Store) statFile(p string, wantFree bool) (fi fs.FileInfo, ok bool, err error) {
	fi, err = s.root.Stat(p)
	switch {
	case err != nil && isAbsent(err):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	case fi.IsDir() && wantFree:
		return nil, false, conflict("%s is a folder", p)
	case !fi.Mode().IsRegular():
		return nil, false, nil
	}
	return fi, true, nil
}

// makeFolders creates folder p and its missing parents, returning those it
// created, outermost first. The caller holds s.folderLock shared.
func (s *Store) makeFolders(p string) (created []string, err error) {
	if p == "." {
		return nil, nil
	}
	if fi, err := s.root.Stat(p); err == nil && fi.IsDir() {
		return nil, nil // the common case: one stat
	}
	parts := strings.Split(p, "/")
	for i := range parts {
		sub := strings.Join(parts[:i+1], "/")
		for attempt := 0; ; attempt++ {
			fi, err := s.root.Stat(sub)
			if err == nil && fi.IsDir() {
				break
			}
			if err == nil || !errors.Is(err, fs.ErrNotExist) {
				if err == nil || isAbsent(err) {
					return created, conflict("%s is not a folder", sub)
				}
				return created, err
			}
			if lfi, lerr := s.root.Lstat(sub); lerr == nil && lfi.Mode()&fs.ModeSymlink != 0 {
				return created, conflict("%s is a dangling symlink", sub)
			}
			err = s.root.Mkdir(sub, 0o755)
			if err == nil {
				created = append(created, sub)
				break
			}
			if !errors.Is(err, fs.ErrExist) || attempt > 0 {
				if isConflictErrno(err) {
					return created, conflict("%s is not a folder", sub)
				}
				return created, err
			}
			// Someone else made it just now: look again.
		}
	}
	return created, nil
}

// removeEmptyFolders removes folder p and then its parents while they are
// empty, stopping at DIR, at a folder marker, or at the first folder that
// still holds something. stop, when not "", is the outermost folder that may go.
func (s *Store) removeEmptyFolders(p, stop string) {
	s.folderLock.Lock()
	defer s.folderLock.Unlock()
	for p != "." && p != "" {
		if s.hasMarker(p + "/") {
			return
		}
		// Lstat: never remove a symlink that merely points at a folder.
		if fi, err := s.root.Lstat(p); err != nil || !fi.IsDir() {
			return
		}
		if err := s.root.Remove(p); err != nil {
			return
		}
		s.listings.forget(p + "/")
		parent := parentPath(p)
		s.listings.forget(listingName(parent))
		if p == stop {
			return
		}
		p = parent
	}
}

// listingName turns a folder path ("." or "a/b") into its cache name ("" or "a/b/").
func listingName(p string) string {
	if p == "." || p == "" {
		return ""
	}
	return p + "/"
}

// syncFolder makes a rename or creation inside folder p durable.
func (s *Store) syncFolder(p string) error {
	f, err := s.root.Open(p)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil // some filesystems cannot fsync a directory; nothing more to do
	}
	return err
}

// openEmpty returns a read handle on an empty file, the content of a folder marker.
func (s *Store) openEmpty() (*os.File, error) {
	name := tmpName("marker")
	f, err := s.root.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if err := s.root.Remove(name); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
