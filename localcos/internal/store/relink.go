package store

import (
	"crypto/md5"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Metadata follows the file, not its inode. A record's versions are found by the exact
// identity (size, mtime, inode) first, which costs nothing. When a file was copied (cp -a),
// restored from a backup (tar) or moved to another filesystem, that identity changed
// though the bytes did not: then a version of the same size is checked against the file's
// content hash, computed only now, and on a match it is moved to the new identity, ETag
// and all. Every version that carries metadata has its content hash recorded, so this
// check is always possible.

// candidate reports whether rec has a version that content may prove to describe the
// file with identity id.
func (r *record) candidate(id fileID) bool {
	for i := range r.versions {
		if v := &r.versions[i]; !v.marker && v.hasMD5 && v.id.size == id.size && v.id != id {
			return true
		}
	}
	return false
}

// byContent returns the version of rec whose content hash is sum, for a file of size.
func (r *record) byContent(size int64, sum [md5.Size]byte) *version {
	for i := len(r.versions) - 1; i >= 0; i-- {
		if v := &r.versions[i]; !v.marker && v.hasMD5 && v.id.size == size && v.md5 == sum {
			return v
		}
	}
	return nil
}

// fileMD5 hashes the file at root-relative p and returns the identity of what it read,
// which differs from the one the caller saw if the file changed meanwhile.
func (s *Store) fileMD5(p string) ([md5.Size]byte, fileID, error) {
	var sum [md5.Size]byte
	f, err := s.root.OpenFile(p, openReadFlags, 0)
	if err != nil {
		return sum, fileID{}, err
	}
	defer f.Close()
	h := md5.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, fileID{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		return sum, fileID{}, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, idOf(fi), nil
}

// relinkedVersion hashes key's file (identity id) and returns the version of rec that
// its content proves it to be, or nil. It does not write.
func (s *Store) relinkedVersion(key string, id fileID, rec *record) *version {
	if !rec.candidate(id) {
		return nil
	}
	sum, got, err := s.fileMD5(keyPath(key))
	if err != nil || got != id {
		return nil
	}
	v := rec.byContent(id.size, sum)
	if v == nil {
		return nil
	}
	out := *v
	if out.etag == "" {
		out.etag = placedETag(v.id) // the ETag clients knew it by stays
	}
	out.id = id
	return &out
}

// relink moves the version that content proves to describe key's file (identity id) to
// that identity, and returns it; nil when none does.
func (s *Store) relink(key string, id fileID) (*version, error) {
	var rec record
	if err := s.db.View(func(tx *bolt.Tx) error { rec = loadRecord(tx, key, false); return nil }); err != nil {
		return nil, err
	}
	v := s.relinkedVersion(key, id, &rec)
	if v == nil {
		return nil, nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		cur := loadRecord(tx, key, false)
		if cur.match(id) != nil {
			return nil // relinked meanwhile
		}
		if cur.byContent(id.size, v.md5) == nil {
			return nil // rewritten meanwhile: what was proved no longer stands
		}
		cur.versions = []version{*v}
		return saveRecord(tx, key, cur)
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}
