package store

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/crc64"
	"io"
	"os"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// PutOptions describe the object Put writes.
type PutOptions struct {
	ContentType  string
	StorageClass string
	UserMeta     map[string]string
	Tags         []Tag
	MaxSize      int64  // 0 = no limit; a longer body gives ErrTooLarge and stores nothing
	WantMD5      []byte // when non-nil the body's MD5 must equal it, else ErrBadDigest
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// Put stores body under key, replacing any previous version (and its
// metadata) atomically: readers see the old object or the new one, never a
// mix, and a failed Put leaves the old one intact and no temp file behind.
// ctx is checked between reads of body; a body whose Read blocks must be
// unblocked by its owner (net/http does so when the request ends).
//
// A key ending in "/" creates a folder marker; its body must be empty, else
// the error is a *KeyError.
func (s *Store) Put(ctx context.Context, key string, body io.Reader, opt PutOptions) (Object, error) {
	if err := s.checkKey(key); err != nil {
		return Object{}, err
	}
	v := version{
		contentType:  opt.ContentType,
		storageClass: normClass(opt.StorageClass),
		userMeta:     normMeta(opt.UserMeta),
		tags:         cloneTags(opt.Tags),
	}
	if isFolderKey(key) {
		var one [1]byte
		n, err := io.ReadFull(body, one[:])
		if n > 0 {
			return Object{}, &KeyError{Key: key, Reason: "a key ending in / names a folder and cannot have content"}
		}
		if err != nil && err != io.EOF {
			return Object{}, fmt.Errorf("store: reading the body of %s: %w", key, err)
		}
		if opt.WantMD5 != nil && !bytes.Equal(opt.WantMD5, md5Empty[:]) {
			return Object{}, fmt.Errorf("%w: %s", ErrBadDigest, key)
		}
		if err := ctx.Err(); err != nil {
			return Object{}, err
		}
		return s.commitMarker(key, v)
	}
	sp, err := s.spool(ctx, key, body, opt.MaxSize)
	if err != nil {
		return Object{}, err
	}
	if opt.WantMD5 != nil && !bytes.Equal(opt.WantMD5, sp.md5[:]) {
		s.discard(sp)
		return Object{}, fmt.Errorf("%w: %s", ErrBadDigest, key)
	}
	v.hasMD5, v.md5 = true, sp.md5
	v.hasCRC, v.crc = true, sp.crc
	v.etag = quotedHex(sp.md5)
	return s.commitFile(ctx, key, sp, v)
}

var md5Empty = md5.Sum(nil)

func cloneTags(t []Tag) []Tag {
	if len(t) == 0 {
		return nil
	}
	return append([]Tag(nil), t...)
}

// spooled is a complete, synced temp file waiting to be renamed into place.
type spooled struct {
	name string // root-relative path in tmp/
	id   fileID
	md5  [md5.Size]byte
	crc  uint64
}

var copyBufs = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

func tmpName(kind string) string {
	var r [8]byte
	rand.Read(r[:])
	return tmpPath + "/" + kind + "-" + hex.EncodeToString(r[:])
}

// spool copies body into a new temp file, hashing it on the way, and syncs it.
func (s *Store) spool(ctx context.Context, key string, body io.Reader, maxSize int64) (sp spooled, err error) {
	sp.name = tmpName("put")
	f, err := s.root.OpenFile(sp.name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return sp, fmt.Errorf("store: creating a temp file for %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			s.root.Remove(sp.name)
		}
	}()
	var w io.Writer = f
	if s.wrapTemp != nil {
		w = s.wrapTemp(w)
	}
	sum, crc := md5.New(), crc64.New(crcTable)
	bufp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bufp)
	buf := *bufp
	var size int64
	for {
		if err := ctx.Err(); err != nil {
			return sp, err
		}
		n, rerr := body.Read(buf)
		if n > 0 {
			size += int64(n)
			if maxSize > 0 && size > maxSize {
				return sp, fmt.Errorf("%w: %s is over %d bytes", ErrTooLarge, key, maxSize)
			}
			if _, err := w.Write(buf[:n]); err != nil {
				return sp, fmt.Errorf("store: writing %s: %w", key, err)
			}
			sum.Write(buf[:n])
			crc.Write(buf[:n])
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return sp, fmt.Errorf("store: reading the body of %s: %w", key, rerr)
		}
	}
	if err := f.Sync(); err != nil {
		return sp, fmt.Errorf("store: writing %s: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		return sp, err
	}
	if err := f.Close(); err != nil {
		return sp, fmt.Errorf("store: writing %s: %w", key, err)
	}
	sp.id = idOf(fi)
	sum.Sum(sp.md5[:0])
	sp.crc = crc.Sum64()
	return sp, nil
}

func (s *Store) discard(sp spooled) { s.root.Remove(sp.name) }

// commitFile moves a spooled file into place as key with metadata v.
//
// The new version's record is committed before the rename, next to the old
// version's: a reader matches the file it finds to its version by identity,
// so it sees old file + old metadata or new file + new metadata, and a
// crash at any point leaves a consistent pair (the unused version is
// dropped by the next write to the key).
func (s *Store) commitFile(ctx context.Context, key string, sp spooled, v version) (Object, error) {
	committed := false
	defer func() {
		if !committed {
			s.discard(sp)
		}
	}()
	if err := ctx.Err(); err != nil {
		return Object{}, err
	}
	p := keyPath(key)
	v.id = sp.id
	unlock := s.lockKey(key)
	defer unlock()

	s.folderLock.RLock()
	created, err := s.makeFolders(parentPath(p))
	if err == nil {
		err = s.renameIntoPlace(key, p, sp, v)
	}
	s.folderLock.RUnlock()
	if err != nil {
		if len(created) > 0 {
			s.removeEmptyFolders(created[len(created)-1], created[0])
		}
		return Object{}, err
	}
	committed = true

	if err := s.syncFolder(parentPath(p)); err != nil {
		return Object{}, fmt.Errorf("store: syncing the folder of %s: %w", key, err)
	}
	if err := s.syncCreated(created); err != nil {
		return Object{}, fmt.Errorf("store: syncing the folder of %s: %w", key, err)
	}
	return makeObject(key, v.id, &v), nil
}

func (s *Store) renameIntoPlace(key, p string, sp spooled, v version) error {
	fi, exists, err := s.statFile(p, true)
	if err != nil {
		return err
	}
	var cur fileID
	if exists {
		cur = idOf(fi)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		rec := loadRecord(tx, key, false)
		rec.keepOnly(cur, exists)
		rec.versions = append(rec.versions, v)
		return saveRecord(tx, key, rec)
	})
	if err != nil {
		return fmt.Errorf("store: recording metadata of %s: %w", key, err)
	}
	if err := s.root.Rename(sp.name, p); err != nil {
		s.dropVersion(key, v.id)
		if isConflictErrno(err) {
			return conflict("%s is a folder", p)
		}
		return fmt.Errorf("store: moving %s into place: %w", key, err)
	}
	s.listings.forget(folderOf(key))
	return nil
}

// dropVersion forgets a version that never made it to disk (best effort:
// a leftover would match no file and goes with the next write).
func (s *Store) dropVersion(key string, id fileID) {
	s.db.Update(func(tx *bolt.Tx) error {
		rec := loadRecord(tx, key, false)
		if len(rec.versions) == 0 {
			return nil
		}
		keep := rec.versions[:0]
		for _, v := range rec.versions {
			if v.marker || v.id != id {
				keep = append(keep, v)
			}
		}
		rec.versions = keep
		return saveRecord(tx, key, rec)
	})
}

// syncCreated makes newly created folders durable in their parents.
func (s *Store) syncCreated(created []string) error {
	for i := len(created) - 1; i >= 0; i-- {
		parent := parentPath(created[i])
		if err := s.syncFolder(parent); err != nil {
			return err
		}
		s.listings.forget(listingName(parent))
	}
	return nil
}

// commitMarker creates folder key (ending in "/") and records its marker.
func (s *Store) commitMarker(key string, v version) (Object, error) {
	p := keyPath(key)
	v.marker, v.placed = true, false
	v.id = fileID{mtimeNs: time.Now().UnixNano()}
	v.hasMD5, v.md5 = true, md5Empty
	v.hasCRC, v.crc = true, 0
	v.etag = emptyETag
	unlock := s.lockKey(key)
	defer unlock()

	s.folderLock.RLock()
	created, err := s.makeFolders(p)
	if err == nil {
		// Recorded while the folder is held, so pruning sees the marker.
		err = s.db.Update(func(tx *bolt.Tx) error {
			return saveRecord(tx, key, record{versions: []version{v}})
		})
	}
	s.folderLock.RUnlock()
	if err != nil {
		if len(created) > 0 {
			s.removeEmptyFolders(created[len(created)-1], created[0])
		}
		return Object{}, err
	}
	if err := s.syncCreated(created); err != nil {
		return Object{}, fmt.Errorf("store: syncing the folder of %s: %w", key, err)
	}
	return makeObject(key, v.id, &v), nil
}
