package store

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Multipart uploads live in the metadata folder, never among the objects: the parts of
// upload ID are the files .lightbox-cos/uploads/ID/NNNNN, and what is known about the upload
// and each part is in meta.db's "multipart" bucket. A part's record is written after its
// file is in place, so a part without a record (a crash between the two) is simply not
// there for the client, and the next upload of that part number replaces it.
//
// Uploads do not survive a restart: Open removes every upload left by the previous process
// (OpenMultipart's caller sees NoSuchUpload and starts over), so a crash leaves nothing
// that outlives it.

const uploadsPath = MetaDirName + "/uploads"

var multipartBucket = []byte("multipart")

// MinPartSize is COS's smallest part other than the last (1 MB).
const MinPartSize = 1 << 20

// MaxPartNumber is the highest part number COS and S3 accept.
const MaxPartNumber = 10000

// MaxUploads bounds the uploads in progress at once, so that initiating without end cannot
// fill the metadata area; abandoned ones go at the next start.
const MaxUploads = 10000

// ErrTooManyUploads is CreateUpload's answer when MaxUploads are in progress.
var ErrTooManyUploads = errors.New("store: too many multipart uploads in progress")

// Upload describes a multipart upload in progress and the object it will make.
type Upload struct {
	ID           string
	Key          string
	Initiated    time.Time
	ContentType  string
	StorageClass string
	UserMeta     map[string]string
	Tags         []Tag
}

// Part is one uploaded part.
type Part struct {
	Number       int
	Size         int64
	ETag         string // quoted hex MD5 of the part
	CRC64        uint64
	LastModified time.Time
}

// partRecord is how a part is kept; MD5 is raw so Complete can compute the final ETag.
type partRecord struct {
	Size     int64
	MD5      []byte
	CRC64    uint64
	Modified int64
}

// uploadLocks serialise changes to one upload (striped by upload ID); Complete holds one
// across the object's commit, which takes a key lock, so they are distinct from keyLocks.
var uploadLocks [64]sync.Mutex

func lockUpload(id string) func() {
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h ^= uint32(id[i])
		h *= 16777619
	}
	m := &uploadLocks[h%uint32(len(uploadLocks))]
	m.Lock()
	return m.Unlock
}

// ValidUploadID reports whether id has the form CreateUpload gives, so that no request
// can name a path outside the uploads folder.
func ValidUploadID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil && strings.ToLower(id) == id
}

func uploadRecordKey(id string) []byte { return []byte("u/" + id) }
func partRecordKey(id string, n int) []byte {
	return []byte(fmt.Sprintf("p/%s/%05d", id, n))
}
func partPath(id string, n int) string { return fmt.Sprintf("%s/%s/%05d", uploadsPath, id, n) }

// cleanUploads removes every upload a previous process left; called by Open with the lock held.
func (s *Store) cleanUploads() error {
	if err := s.root.RemoveAll(uploadsPath); err != nil {
		return err
	}
	if err := s.root.Mkdir(uploadsPath, 0o755); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(multipartBucket) != nil {
			if err := tx.DeleteBucket(multipartBucket); err != nil {
				return err
			}
		}
		_, err := tx.CreateBucket(multipartBucket)
		return err
	})
}

// CreateUpload starts a multipart upload of key.
func (s *Store) CreateUpload(key string, u Upload) (Upload, error) {
	if err := CheckKey(key); err != nil {
		return Upload{}, err
	}
	if isFolderKey(key) {
		return Upload{}, &KeyError{Key: key, Reason: "a key ending in / names a folder and cannot have content"}
	}
	var r [16]byte
	rand.Read(r[:])
	u.ID = hex.EncodeToString(r[:])
	u.Key = key
	u.Initiated = time.Now().UTC()
	u.StorageClass = normClass(u.StorageClass)
	u.UserMeta = normMeta(u.UserMeta)
	raw, err := json.Marshal(u)
	if err != nil {
		return Upload{}, err
	}
	if err := s.root.Mkdir(uploadsPath+"/"+u.ID, 0o755); err != nil {
		return Upload{}, fmt.Errorf("store: creating the upload of %s: %w", key, err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(multipartBucket)
		n, prefix := 0, []byte("u/")
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if n++; n >= MaxUploads {
				return fmt.Errorf("%w (%d)", ErrTooManyUploads, MaxUploads)
			}
		}
		return b.Put(uploadRecordKey(u.ID), raw)
	})
	if err != nil {
		s.root.RemoveAll(uploadsPath + "/" + u.ID)
		if errors.Is(err, ErrTooManyUploads) {
			return Upload{}, err
		}
		return Upload{}, fmt.Errorf("store: recording the upload of %s: %w", key, err)
	}
	return u, nil
}

// GetUpload describes upload id, which must be for key.
func (s *Store) GetUpload(key, id string) (Upload, error) {
	if !ValidUploadID(id) {
		return Upload{}, fmt.Errorf("%w: %q", ErrNoSuchUpload, id)
	}
	var u Upload
	err := s.db.View(func(tx *bolt.Tx) error {
		raw := tx.Bucket(multipartBucket).Get(uploadRecordKey(id))
		if raw == nil {
			return fmt.Errorf("%w: %s", ErrNoSuchUpload, id)
		}
		return json.Unmarshal(raw, &u)
	})
	if err != nil {
		return Upload{}, err
	}
	if u.Key != key {
		return Upload{}, fmt.Errorf("%w: %s is an upload of %q", ErrNoSuchUpload, id, u.Key)
	}
	if u.StorageClass == "" {
		u.StorageClass = defaultStorageClass
	}
	return u, nil
}

// PutPart stores body as part n of upload id (replacing an earlier part n). With wantMD5
// set, a body whose MD5 differs gives ErrBadDigest and leaves any earlier part n in place.
func (s *Store) PutPart(ctx context.Context, key, id string, n int, body io.Reader, maxSize int64, wantMD5 []byte) (Part, error) {
	if n < 1 || n > MaxPartNumber {
		return Part{}, fmt.Errorf("%w: part number %d is not between 1 and %d", ErrInvalidPart, n, MaxPartNumber)
	}
	if _, err := s.GetUpload(key, id); err != nil {
		return Part{}, err
	}
	sp, err := s.spool(ctx, key, body, maxSize)
	if err != nil {
		return Part{}, err
	}
	if wantMD5 != nil && !bytes.Equal(wantMD5, sp.md5[:]) {
		s.discard(sp)
		return Part{}, fmt.Errorf("%w: part %d of %s", ErrBadDigest, n, key)
	}
	unlock := lockUpload(id)
	defer unlock()
	// The upload may have been completed or aborted while the body was arriving.
	if _, err := s.GetUpload(key, id); err != nil {
		s.discard(sp)
		return Part{}, err
	}
	if err := s.root.Rename(sp.name, partPath(id, n)); err != nil {
		s.discard(sp)
		return Part{}, fmt.Errorf("store: storing part %d of %s: %w", n, key, err)
	}
	rec := partRecord{Size: sp.id.size, MD5: sp.md5[:], CRC64: sp.crc, Modified: time.Now().UnixNano()}
	raw, _ := json.Marshal(rec) // plain fields always marshal
	if err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(multipartBucket).Put(partRecordKey(id, n), raw)
	}); err != nil {
		return Part{}, fmt.Errorf("store: recording part %d of %s: %w", n, key, err)
	}
	return rec.part(n), nil
}

func (p partRecord) part(n int) Part {
	return Part{Number: n, Size: p.Size, ETag: `"` + hex.EncodeToString(p.MD5) + `"`, CRC64: p.CRC64,
		LastModified: time.Unix(0, p.Modified)}
}

// CopyPart stores bytes [offset, offset+length) of srcKey as part n (length -1: to the end).
// It checks that the source did not change while being read.
func (s *Store) CopyPart(ctx context.Context, key, id string, n int, srcKey string, offset, length int64) (Part, Object, error) {
	f, src, err := s.Open(srcKey)
	if err != nil {
		return Part{}, Object{}, err
	}
	defer f.Close()
	if length < 0 {
		length = src.Size - offset
	}
	if offset < 0 || length < 0 || offset+length > src.Size {
		return Part{}, src, fmt.Errorf("%w: the range is outside the %d-byte source", ErrInvalidRange, src.Size)
	}
	p, err := s.PutPart(ctx, key, id, n, io.NewSectionReader(f, offset, length), 0, nil)
	return p, src, err
}

// ErrInvalidRange is a copy range outside its source.
var ErrInvalidRange = errors.New("store: invalid range")

// ListParts returns the parts of upload id in part-number order.
func (s *Store) ListParts(key, id string) ([]Part, error) {
	if _, err := s.GetUpload(key, id); err != nil {
		return nil, err
	}
	recs, err := s.partRecords(id)
	if err != nil {
		return nil, err
	}
	parts := make([]Part, 0, len(recs))
	for n, rec := range recs {
		parts = append(parts, rec.part(n))
	}
	sort.Slice(parts, func(i, j int) bool { return parts[i].Number < parts[j].Number })
	return parts, nil
}

func (s *Store) partRecords(id string) (map[int]partRecord, error) {
	recs := map[int]partRecord{}
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := []byte("p/" + id + "/")
		c := tx.Bucket(multipartBucket).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var n int
			if _, err := fmt.Sscanf(string(k[len(prefix):]), "%05d", &n); err != nil {
				continue
			}
			var rec partRecord
			if json.Unmarshal(v, &rec) == nil && len(rec.MD5) == md5.Size {
				recs[n] = rec
			}
		}
		return nil
	})
	return recs, err
}

// ListUploads returns every upload in progress, by key, then initiation time, then ID.
func (s *Store) ListUploads() ([]Upload, error) {
	var ups []Upload
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(multipartBucket).Cursor()
		prefix := []byte("u/")
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var u Upload
			if json.Unmarshal(v, &u) == nil {
				if u.StorageClass == "" {
					u.StorageClass = defaultStorageClass
				}
				ups = append(ups, u)
			}
		}
		return nil
	})
	sort.Slice(ups, func(i, j int) bool {
		if ups[i].Key != ups[j].Key {
			return ups[i].Key < ups[j].Key
		}
		if !ups[i].Initiated.Equal(ups[j].Initiated) {
			return ups[i].Initiated.Before(ups[j].Initiated)
		}
		return ups[i].ID < ups[j].ID
	})
	return ups, err
}

// AbortUpload discards upload id and its parts.
func (s *Store) AbortUpload(key, id string) error {
	unlock := lockUpload(id)
	defer unlock()
	if _, err := s.GetUpload(key, id); err != nil {
		return err
	}
	return s.dropUpload(id)
}

func (s *Store) dropUpload(id string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(multipartBucket)
		if err := b.Delete(uploadRecordKey(id)); err != nil {
			return err
		}
		prefix := []byte("p/" + id + "/")
		c := b.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: discarding upload %s: %w", id, err)
	}
	// Once the records are gone the files are unreachable; a failure here leaves garbage
	// that the next Open removes.
	s.root.RemoveAll(uploadsPath + "/" + id)
	return nil
}

// CompletePart is one entry of the client's part list.
type CompletePart struct {
	Number int
	ETag   string
}

// CompleteUpload assembles the listed parts (ascending numbers, ETags matching, every part
// but the last at least MinPartSize) into key, atomically like Put, and discards the upload.
// The object's ETag is COS's and S3's multipart form: the MD5 of the parts' MD5s, a dash and
// the number of parts.
func (s *Store) CompleteUpload(ctx context.Context, key, id string, list []CompletePart, maxSize int64) (Object, error) {
	unlock := lockUpload(id)
	defer unlock()
	u, err := s.GetUpload(key, id)
	if err != nil {
		return Object{}, err
	}
	if len(list) == 0 {
		return Object{}, fmt.Errorf("%w: the part list is empty", ErrInvalidPart)
	}
	recs, err := s.partRecords(id)
	if err != nil {
		return Object{}, err
	}
	for i := 1; i < len(list); i++ {
		if list[i].Number <= list[i-1].Number {
			return Object{}, fmt.Errorf("%w: part %d follows part %d", ErrPartOrder, list[i].Number, list[i-1].Number)
		}
	}
	var total int64
	for i, p := range list {
		rec, ok := recs[p.Number]
		if !ok {
			return Object{}, fmt.Errorf("%w: part %d was not uploaded", ErrInvalidPart, p.Number)
		}
		if strings.Trim(strings.TrimSpace(p.ETag), `"`) != hex.EncodeToString(rec.MD5) {
			return Object{}, fmt.Errorf("%w: the ETag of part %d does not match", ErrInvalidPart, p.Number)
		}
		if i < len(list)-1 && rec.Size < MinPartSize {
			return Object{}, fmt.Errorf("%w: part %d is %d bytes; every part but the last must be at least %d", ErrPartTooSmall, p.Number, rec.Size, MinPartSize)
		}
		total += rec.Size
	}
	if maxSize > 0 && total > maxSize {
		return Object{}, fmt.Errorf("%w: %s would be %d bytes", ErrTooLarge, key, total)
	}
	sp, etag, err := s.assemble(ctx, key, id, list, recs)
	if err != nil {
		return Object{}, err
	}
	v := version{
		hasMD5: true, md5: sp.md5,
		hasCRC: true, crc: sp.crc,
		etag:         etag,
		contentType:  u.ContentType,
		storageClass: normClass(u.StorageClass),
		userMeta:     normMeta(u.UserMeta),
		tags:         cloneTags(u.Tags),
	}
	obj, err := s.commitFile(ctx, key, sp, v)
	if err != nil {
		return Object{}, err
	}
	if err := s.dropUpload(id); err != nil {
		return obj, err
	}
	return obj, nil
}

// assemble concatenates the parts into a synced temp file, hashing the whole.
func (s *Store) assemble(ctx context.Context, key, id string, list []CompletePart, recs map[int]partRecord) (spooled, string, error) {
	etagSum := md5.New()
	for _, p := range list {
		etagSum.Write(recs[p.Number].MD5)
	}
	pr, pw := io.Pipe()
	go func() {
		for _, p := range list {
			rec := recs[p.Number]
			f, err := s.root.Open(partPath(id, p.Number))
			if err != nil {
				pw.CloseWithError(fmt.Errorf("store: reading part %d of %s: %w", p.Number, key, err))
				return
			}
			n, err := io.Copy(pw, f)
			f.Close()
			if err == nil && n != rec.Size {
				err = fmt.Errorf("store: part %d of %s is %d bytes on disk, %d recorded", p.Number, key, n, rec.Size)
			}
			if err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.Close()
	}()
	sp, err := s.spool(ctx, key, pr, 0)
	pr.CloseWithError(io.ErrClosedPipe) // unblocks the writer if spool stopped early
	if err != nil {
		return spooled{}, "", err
	}
	etag := fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(etagSum.Sum(nil)), len(list))
	return sp, etag, nil
}
