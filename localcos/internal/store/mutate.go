package store

import (
	"context"
	"crypto/md5"
	"errors"
	"fmt"
	"io"

	bolt "go.etcd.io/bbolt"
)

// Delete removes key. A missing key is not an error (COS semantics).
// Folders left empty by it are removed too, up to DIR, unless they carry a
// marker; deleting a marker removes its folder when that is empty.
func (s *Store) Delete(key string) error {
	if err := s.checkKey(key); err != nil {
		return err
	}
	p := keyPath(key)
	if isFolderKey(key) {
		unlock := s.lockKey(key)
		err := s.forgetKey(key)
		unlock()
		if err != nil {
			return err
		}
		s.removeEmptyFolders(p, "")
		return nil
	}
	unlock := s.lockKey(key)
	removed, err := s.removeFile(key, p)
	unlock()
	if err != nil || !removed {
		return err
	}
	s.removeEmptyFolders(parentPath(p), "")
	return nil
}

// removeFile removes the file of key, leaving alone anything that is not an
// object there (folders, symlinks leading outside DIR or to folders).
func (s *Store) removeFile(key, p string) (removed bool, err error) {
	_, ok, err := s.statFile(p, false)
	if err != nil {
		return false, fmt.Errorf("store: deleting %s: %w", key, err)
	}
	if ok {
		if err := s.root.Remove(p); err != nil && !isAbsent(err) {
			return false, fmt.Errorf("store: deleting %s: %w", key, err)
		}
		s.listings.forget(folderOf(key))
	}
	if err := s.forgetKey(key); err != nil {
		return false, err
	}
	return ok, nil
}

// forgetKey drops key's metadata and cached assessment.
func (s *Store) forgetKey(key string) error {
	k := []byte(key)
	present := false
	s.db.View(func(tx *bolt.Tx) error {
		present = tx.Bucket(objectsBucket).Get(k) != nil || tx.Bucket(assessmentsBucket).Get(k) != nil
		return nil
	})
	if !present {
		return nil // deleting a placed file costs no database commit
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(objectsBucket).Delete(k); err != nil {
			return err
		}
		return tx.Bucket(assessmentsBucket).Delete(k)
	})
}

// Update changes the Tags, StorageClass, RestoreExpiry, ContentType and
// UserMeta of an existing object atomically; changes fn makes to other
// fields are ignored. An error from fn aborts the update and is returned.
// fn runs with the key locked and must not call back into the Store.
func (s *Store) Update(key string, fn func(o *Object) error) (Object, error) {
	if err := s.checkKey(key); err != nil {
		return Object{}, err
	}
	unlock := s.lockKey(key)
	defer unlock()
	if isFolderKey(key) {
		o, err := s.headMarker(key)
		if err != nil {
			return Object{}, err
		}
		return s.updateVersion(key, o, fn)
	}
	fi, ok, err := s.statFile(keyPath(key), false)
	if err != nil {
		return Object{}, fmt.Errorf("store: %s: %w", key, err)
	}
	if !ok {
		return Object{}, notFound(key)
	}
	o, err := s.describe(key, fi)
	if err != nil {
		return Object{}, err
	}
	return s.updateVersion(key, o, fn)
}

// updateVersion applies fn to o and records the result as the only version
// of key. The caller holds the key lock and o is current.
func (s *Store) updateVersion(key string, o Object, fn func(o *Object) error) (Object, error) {
	id := o.id
	edit := o
	edit.UserMeta = cloneMeta(o.UserMeta)
	edit.Tags = cloneTags(o.Tags)
	if err := fn(&edit); err != nil {
		return Object{}, err
	}
	// Metadata must be able to follow the file: hash a placed file's content (once) before
	// recording any, outside the write transaction.
	var hashed struct {
		sum [md5.Size]byte
		ok  bool
	}
	if !o.IsFolderMarker && !o.hashed {
		if sum, got, err := s.fileMD5(keyPath(key)); err == nil && got == id {
			hashed.sum, hashed.ok = sum, true
		}
	}
	var out Object
	err := s.db.Update(func(tx *bolt.Tx) error {
		rec := loadRecord(tx, key, false)
		var v version
		if o.IsFolderMarker {
			m := rec.marker()
			if m == nil {
				return notFound(key)
			}
			v = *m
		} else if m := rec.match(id); m != nil {
			v = *m
		} else {
			v = version{id: id, placed: true}
		}
		if !v.marker && !v.hasMD5 {
			v.hasMD5, v.md5 = hashed.ok, hashed.sum
			if v.hasMD5 && v.etag == "" {
				v.etag = placedETag(id)
			}
		}
		v.applyMutable(&edit)
		rec.versions = []version{v}
		out = makeObject(key, id, &v)
		return saveRecord(tx, key, rec)
	})
	if err != nil {
		return Object{}, err
	}
	return out, nil
}

func cloneMeta(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// CopyOptions describe how Copy treats the source's metadata.
type CopyOptions struct {
	ReplaceMeta  bool // COS directive "Replaced": ContentType/UserMeta come from here
	ContentType  string
	UserMeta     map[string]string
	StorageClass string // "" = keep the source's
	KeepModTime  bool   // the copy gets the source's modification time, not the time of the copy
}

// errSourceChanged: the source kept changing on disk while being copied.
var errSourceChanged = errors.New("store: the source changed while being copied")

// Copy copies srcKey to dstKey as atomically as Put. The copy has the
// source's ETag (even a placed file's identity ETag, so a client checking
// size+ETag succeeds), a CRC computed from the bytes, and the source's tags.
func (s *Store) Copy(ctx context.Context, srcKey, dstKey string, opt CopyOptions) (Object, error) {
	if err := s.checkKey(srcKey); err != nil {
		return Object{}, err
	}
	if err := s.checkKey(dstKey); err != nil {
		return Object{}, err
	}
	var (
		sp  spooled
		src Object
	)
	for attempt := 0; ; attempt++ {
		var err error
		sp, src, err = s.spoolCopy(ctx, srcKey, dstKey)
		if err == nil {
			break
		}
		if !errors.Is(err, errSourceChanged) || attempt == 2 {
			return Object{}, err
		}
	}
	if opt.KeepModTime && !isFolderKey(dstKey) {
		var err error
		if sp, err = s.setModTime(sp, src.ModTime); err != nil {
			return Object{}, err
		}
	}
	v := version{
		hasMD5: true, md5: sp.md5,
		hasCRC: true, crc: sp.crc,
		etag:         src.ETag,
		contentType:  src.ContentType,
		userMeta:     normMeta(src.UserMeta),
		storageClass: normClass(src.StorageClass),
		tags:         cloneTags(src.Tags),
	}
	if opt.ReplaceMeta {
		v.contentType, v.userMeta = opt.ContentType, normMeta(opt.UserMeta)
	}
	if opt.StorageClass != "" {
		v.storageClass = normClass(opt.StorageClass)
	}
	if isFolderKey(dstKey) {
		s.discard(sp)
		if sp.id.size > 0 {
			return Object{}, &KeyError{Key: dstKey, Reason: "a key ending in / names a folder and cannot have content"}
		}
		return s.commitMarker(dstKey, v)
	}
	return s.commitFile(ctx, dstKey, sp, v)
}

// spoolCopy copies the source's bytes into a temp file and checks that the
// file did not change meanwhile (someone editing it in place in DIR).
func (s *Store) spoolCopy(ctx context.Context, srcKey, dstKey string) (spooled, Object, error) {
	f, src, err := s.Open(srcKey)
	if err != nil {
		return spooled{}, Object{}, err
	}
	defer f.Close()
	sp, err := s.spool(ctx, dstKey, io.LimitReader(f, src.Size+1), 0)
	if err != nil {
		return spooled{}, Object{}, err
	}
	if src.IsFolderMarker {
		return sp, src, nil
	}
	fi, err := f.Stat()
	if err != nil || idOf(fi) != src.id || sp.id.size != src.Size {
		s.discard(sp)
		return spooled{}, Object{}, fmt.Errorf("%w: %s", errSourceChanged, srcKey)
	}
	return sp, src, nil
}
