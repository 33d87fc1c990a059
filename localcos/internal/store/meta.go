package store

import (
	bolt "go.etcd.io/bbolt"
)

// loadRecord reads key's record; a missing or unreadable one is empty,
// which makes the object a placed file with default metadata.
func loadRecord(tx *bolt.Tx, key string, light bool) record {
	raw := tx.Bucket(objectsBucket).Get([]byte(key))
	if raw == nil {
		return record{}
	}
	rec, err := decodeRecord(raw, light)
	if err != nil {
		return record{}
	}
	return rec
}

// saveRecord writes rec, or deletes the key's record when it has no versions.
func saveRecord(tx *bolt.Tx, key string, rec record) error {
	b := tx.Bucket(objectsBucket)
	if len(rec.versions) == 0 {
		return b.Delete([]byte(key))
	}
	return b.Put([]byte(key), rec.encode())
}

// hasMarker reports whether folder key ("a/b/") has a marker record.
func (s *Store) hasMarker(key string) bool {
	found := false
	s.db.View(func(tx *bolt.Tx) error {
		found = tx.Bucket(objectsBucket).Get([]byte(key)) != nil
		return nil
	})
	return found
}

// lookup returns the metadata recorded for the file version id at key.
func (s *Store) lookup(key string, id fileID) (*version, error) {
	var v *version
	err := s.db.View(func(tx *bolt.Tx) error {
		rec := loadRecord(tx, key, false)
		v = rec.match(id)
		return nil
	})
	return v, err
}
