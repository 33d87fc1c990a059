package store

import (
	"context"
	"os"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// ListOptions select a page of keys, as COS's GET Bucket (v1).
type ListOptions struct {
	Prefix    string
	Delimiter string
	Marker    string
	MaxKeys   int // 1..1000, validated by the caller; <= 0 means 1000
}

// ListPage is one page of a listing.
type ListPage struct {
	Objects        []Object
	CommonPrefixes []string
	IsTruncated    bool
	NextMarker     string // when truncated: the last key or common prefix in the page
}

// List returns the keys after Marker that start with Prefix, in UTF-8 byte
// order, rolling keys that contain Delimiter after the prefix up into
// CommonPrefixes; MaxKeys counts objects and prefixes together. A common
// prefix <= Marker is not repeated. Empty folders, the store's own folder,
// symlinks leading outside DIR or to folders, and names no key can spell
// are never listed.
//
// Listing stats only the files it returns and reads none, except once a file
// whose identity changed since its metadata was recorded (copied, restored):
// its content hash tells whether the metadata is still its own.
// Its Objects carry Key, Size, ModTime, ETag, StorageClass, ContentType,
// CRC64/HasCRC, RestoreExpiry, Placed and IsFolderMarker; UserMeta and Tags
// are left nil (use Head for them).
func (s *Store) List(ctx context.Context, opt ListOptions) (ListPage, error) {
	if opt.MaxKeys <= 0 {
		opt.MaxKeys = 1000
	}
	tx, err := s.db.Begin(false)
	if err != nil {
		return ListPage{}, err
	}
	l := lister{s: s, ctx: ctx, opt: opt, meta: tx.Bucket(objectsBucket)}
	err = l.walk("")
	_ = tx.Rollback() // a read transaction: nothing to undo
	if err != nil {
		return ListPage{}, err
	}
	if !l.page.IsTruncated {
		l.page.NextMarker = ""
	}
	// Record the new identities of files that content showed to be known versions, so
	// the next listing need not hash them again. A hint: failing costs one more hash.
	for _, r := range l.relinks {
		_, _ = s.relink(r.key, r.id)
	}
	return l.page, nil
}

type lister struct {
	s      *Store
	ctx    context.Context
	opt    ListOptions
	meta   *bolt.Bucket
	page   ListPage
	full   bool   // the page is complete and one more item was found
	lastCP string // common prefixes arrive in order; never emit one twice
	keyBuf []byte // reused for metadata lookups, which would each allocate
	// relinks are files whose version was found by content (copied, restored), to be
	// recorded under their new identity once the read transaction is over.
	relinks []relinkReq
}

type relinkReq struct {
	key string
	id  fileID
}

// record returns the raw metadata record of key, valid during the listing.
func (l *lister) record(key string) []byte {
	l.keyBuf = append(l.keyBuf[:0], key...)
	return l.meta.Get(l.keyBuf)
}

// walk emits the keys under folder dir ("" or "a/b/"), which is known to
// be compatible with the prefix: either dir starts with it or it starts
// with dir. Keys under dir that are <= Marker are skipped without being
// visited, as are subtrees rolled up into a common prefix.
func (l *lister) walk(dir string) error {
	if err := l.ctx.Err(); err != nil {
		return err
	}
	sub, entries, err := l.s.openFolder(dir)
	if err != nil {
		if isAbsent(err) {
			return nil // vanished meanwhile
		}
		return err
	}
	defer sub.Close()

	prefix, marker, delim := l.opt.Prefix, l.opt.Marker, l.opt.Delimiter
	lo, hi := 0, len(entries)
	if len(prefix) > len(dir) {
		rest := prefix[len(dir):]
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			// Only the folder named by the prefix's next segment can match.
			lo = searchEntries(entries, rest[:i+1])
			if lo == hi || entries[lo].sortKey != rest[:i+1] {
				return nil
			}
			hi = lo + 1
		} else {
			lo = searchEntries(entries, rest)
			hi = lo + searchEnd(entries[lo:], rest)
		}
	}
	// With the marker inside this folder, entries sorting before the marker's
	// next segment hold only keys <= Marker.
	markerHere := strings.HasPrefix(marker, dir)
	var markerRest string
	if markerHere {
		markerRest = marker[len(dir):]
		bound := markerRest
		if i := strings.IndexByte(markerRest, '/'); i >= 0 {
			bound = markerRest[:i+1]
		}
		lo = max(lo, searchEntries(entries, bound))
	}

	for i := lo; i < hi; i++ {
		e := entries[i]
		if dir == "" && e.kind == kindFolder && isMetaDirName(e.name()) {
			continue
		}
		if markerHere {
			if e.kind == kindFolder {
				if e.sortKey < markerRest && !strings.HasPrefix(markerRest, e.sortKey) {
					continue
				}
			} else if e.sortKey <= markerRest {
				continue
			}
		}
		key := dir + e.sortKey
		if len(key) > MaxKeyBytes {
			continue
		}
		if delim != "" && len(key) > len(prefix) {
			if j := strings.Index(key[len(prefix):], delim); j >= 0 {
				// Everything from here whose key starts with cp rolls up into it.
				cp := key[:len(prefix)+j+len(delim)]
				end := i + 1 + searchEnd(entries[i+1:hi], cp[len(dir):])
				if cp > marker && cp != l.lastCP {
					ok, err := l.anyKey(sub, dir, entries[i:end])
					if err != nil {
						return err
					}
					if ok && !l.emit(nil, cp) {
						return nil
					}
				}
				i = end - 1
				continue
			}
		}
		if e.kind == kindFolder {
			if strings.HasPrefix(key, prefix) && key > marker {
				if o, ok := l.marker(key); ok && !l.emit(&o, "") {
					return nil
				}
			}
			if len(key) < MaxKeyBytes {
				if err := l.walk(key); err != nil || l.full {
					return err
				}
			}
			continue
		}
		o, ok, err := l.file(sub, dir, e)
		if err != nil {
			return err
		}
		if ok && !l.emit(&o, "") {
			return nil
		}
	}
	return nil
}

// searchEnd is the number of leading entries whose sort key starts with p
// (they form one run, as entries are sorted).
func searchEnd(entries []folderEntry, p string) int {
	return sort.Search(len(entries), func(i int) bool { return !strings.HasPrefix(entries[i].sortKey, p) })
}

// emit adds an object or a common prefix, or reports false when the page
// is already full (and so truncated: this item remains).
func (l *lister) emit(o *Object, cp string) bool {
	if len(l.page.Objects)+len(l.page.CommonPrefixes) >= l.opt.MaxKeys {
		l.page.IsTruncated, l.full = true, true
		return false
	}
	if o != nil {
		l.page.Objects = append(l.page.Objects, *o)
		l.page.NextMarker = o.Key
	} else {
		l.page.CommonPrefixes = append(l.page.CommonPrefixes, cp)
		l.page.NextMarker = cp
		l.lastCP = cp
	}
	return true
}

// file describes a file entry, stat-ing it now; ok is false when it is not
// (or no longer) a regular file inside DIR.
func (l *lister) file(sub *os.Root, dir string, e folderEntry) (Object, bool, error) {
	key := dir + e.sortKey
	var fi os.FileInfo
	var err error
	if e.kind == kindSymlink {
		// Resolved from DIR's root: a link may lead anywhere inside DIR.
		fi, err = l.s.root.Stat(key)
	} else {
		fi, err = sub.Lstat(e.sortKey)
	}
	if err != nil {
		if isAbsent(err) {
			return Object{}, false, nil
		}
		return Object{}, false, err
	}
	if !fi.Mode().IsRegular() {
		return Object{}, false, nil
	}
	id := idOf(fi)
	var v *version
	if raw := l.record(key); raw != nil {
		if rec, err := decodeRecord(raw, true); err == nil {
			if v = rec.match(id); v == nil {
				if v = l.s.relinkedVersion(key, id, &rec); v != nil {
					l.relinks = append(l.relinks, relinkReq{key, id})
				}
			}
		}
	}
	return makeObject(key, id, v), true, nil
}

// marker describes folder key's marker, if it has one.
func (l *lister) marker(key string) (Object, bool) {
	raw := l.record(key)
	if raw == nil {
		return Object{}, false
	}
	rec, err := decodeRecord(raw, true)
	if err != nil {
		return Object{}, false
	}
	v := rec.marker()
	if v == nil {
		return Object{}, false
	}
	return makeObject(key, v.id, v), true
}

// anyKey reports whether the entries of folder dir hold at least one key,
// so that a common prefix is never made of empty folders alone.
func (l *lister) anyKey(sub *os.Root, dir string, entries []folderEntry) (bool, error) {
	for _, e := range entries {
		if dir == "" && e.kind == kindFolder && isMetaDirName(e.name()) {
			continue
		}
		key := dir + e.sortKey
		if len(key) > MaxKeyBytes {
			continue
		}
		switch e.kind {
		case kindFile:
			return true, nil
		case kindSymlink:
			if _, ok, err := l.file(sub, dir, e); ok || err != nil {
				return ok, err
			}
		case kindFolder:
			if l.record(key) != nil {
				return true, nil
			}
			if len(key) >= MaxKeyBytes {
				continue
			}
			if err := l.ctx.Err(); err != nil {
				return false, err
			}
			inner, innerEntries, err := l.s.openFolder(key)
			if err != nil {
				if isAbsent(err) {
					continue
				}
				return false, err
			}
			ok, err := l.anyKey(inner, key, innerEntries)
			inner.Close()
			if ok || err != nil {
				return ok, err
			}
		}
	}
	return false, nil
}
