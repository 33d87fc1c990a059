package store

import (
	bolt "go.etcd.io/bbolt"
)

// Assessment returns the blob cached for exactly the version o describes
// (same identity and ETag); a changed object never gets an older blob.
// o must come from Head, Open or List.
func (s *Store) Assessment(o Object) ([]byte, bool) {
	var blob []byte
	found := false
	s.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(assessmentsBucket).Get([]byte(o.Key))
		if raw == nil {
			return nil
		}
		a, err := decodeAssessment(raw)
		if err == nil && a.id == o.id && a.etag == o.ETag {
			blob, found = a.blob, true
		}
		return nil
	})
	return blob, found
}

// SetAssessment caches blob for the version o describes, replacing the
// blob of any other version of the key. o must come from Head, Open or List.
func (s *Store) SetAssessment(o Object, blob []byte) error {
	if err := s.checkKey(o.Key); err != nil {
		return err
	}
	a := assessment{id: o.id, etag: o.ETag, blob: blob}
	raw := a.encode()
	// Batch: parallel scorers finish together and can share one commit.
	return s.db.Batch(func(tx *bolt.Tx) error {
		return tx.Bucket(assessmentsBucket).Put([]byte(o.Key), raw)
	})
}

// LearnDigests records crc, the CRC-64/ECMA of the bytes the caller has just
// read in full, if o still describes the file on disk and its CRC is not
// known yet. The ETag never changes: clients key caches on it.
func (s *Store) LearnDigests(o Object, crc uint64) error {
	if err := s.checkKey(o.Key); err != nil {
		return err
	}
	if o.IsFolderMarker || o.HasCRC {
		return nil
	}
	unlock := s.lockKey(o.Key)
	defer unlock()
	fi, ok, err := s.statFile(keyPath(o.Key), false)
	if err != nil || !ok || idOf(fi) != o.id {
		return err // gone or changed: what was read describes nothing current
	}
	return s.db.Batch(func(tx *bolt.Tx) error {
		rec := loadRecord(tx, o.Key, false)
		v := rec.match(o.id)
		if v == nil {
			rec.versions = append(rec.versions, version{id: o.id, placed: true})
			v = &rec.versions[len(rec.versions)-1]
		}
		if v.hasCRC {
			return nil
		}
		v.hasCRC, v.crc = true, crc
		rec.keepOnly(o.id, true)
		return saveRecord(tx, o.Key, rec)
	})
}
