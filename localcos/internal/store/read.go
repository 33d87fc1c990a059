package store

import (
	"fmt"
	"io/fs"
	"os"

	bolt "go.etcd.io/bbolt"
)

// Head describes the current version of key.
func (s *Store) Head(key string) (Object, error) {
	if err := s.checkKey(key); err != nil {
		return Object{}, err
	}
	if isFolderKey(key) {
		return s.headMarker(key)
	}
	fi, ok, err := s.statFile(keyPath(key), false)
	if err != nil {
		return Object{}, fmt.Errorf("store: %s: %w", key, err)
	}
	if !ok {
		return Object{}, notFound(key)
	}
	return s.describe(key, fi)
}

// Open opens key for reading. The Object describes exactly the opened file
// (from fstat on the handle), so a concurrent overwrite never pairs one
// version's bytes with another's headers. A folder marker opens as an
// empty file. The caller closes the file.
func (s *Store) Open(key string) (*os.File, Object, error) {
	if err := s.checkKey(key); err != nil {
		return nil, Object{}, err
	}
	if isFolderKey(key) {
		o, err := s.headMarker(key)
		if err != nil {
			return nil, Object{}, err
		}
		f, err := s.openEmpty()
		if err != nil {
			return nil, Object{}, fmt.Errorf("store: %s: %w", key, err)
		}
		return f, o, nil
	}
	f, err := s.root.OpenFile(keyPath(key), openReadFlags, 0)
	if err != nil {
		if isAbsent(err) {
			return nil, Object{}, notFound(key)
		}
		return nil, Object{}, fmt.Errorf("store: %w", err)
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = notFound(key)
	}
	var o Object
	if err == nil {
		o, err = s.describe(key, fi)
	}
	if err != nil {
		f.Close()
		return nil, Object{}, err
	}
	return f, o, nil
}

// describe pairs the file version fi with the metadata recorded for it.
func (s *Store) describe(key string, fi fs.FileInfo) (Object, error) {
	id := idOf(fi)
	v, err := s.lookup(key, id)
	if err != nil {
		return Object{}, err
	}
	if v == nil {
		if v, err = s.relink(key, id); err != nil {
			return Object{}, err
		}
	}
	return makeObject(key, id, v), nil
}

// headMarker describes folder marker key; the folder must exist and have a marker.
func (s *Store) headMarker(key string) (Object, error) {
	fi, err := s.root.Lstat(keyPath(key))
	if err != nil || !fi.IsDir() {
		return Object{}, notFound(key)
	}
	var o Object
	found := false
	err = s.db.View(func(tx *bolt.Tx) error {
		rec := loadRecord(tx, key, false)
		if v := rec.marker(); v != nil {
			o, found = makeObject(key, v.id, v), true
		}
		return nil
	})
	if err != nil {
		return Object{}, err
	}
	if !found {
		return Object{}, notFound(key)
	}
	return o, nil
}
