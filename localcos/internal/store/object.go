package store

import (
	"crypto/md5"
	"maps"
	"slices"
	"strings"
	"time"
)

// Tag is one object tag.
type Tag struct{ Key, Value string }

// Object describes one version of an object.
type Object struct {
	Key            string
	Size           int64
	ModTime        time.Time
	ETag           string            // quoted, e.g. `"900150983cd24fb0d6963f7d28e17f72"`
	CRC64          uint64            // CRC-64/ECMA of the content, valid when HasCRC
	HasCRC         bool              //
	ContentType    string            // "" when never set
	StorageClass   string            // "STANDARD" when never set
	UserMeta       map[string]string // lower-case names without "x-cos-meta-"
	Tags           []Tag             // in the order they were set
	RestoreExpiry  time.Time         // ARCHIVE/DEEP_ARCHIVE: zero = not restored
	Placed         bool              // put into DIR directly, not through the store
	IsFolderMarker bool              // key ends in "/" and was created by Put

	// id ties the value to the file version it was read from, so that
	// Assessment, SetAssessment and LearnDigests can tell versions apart.
	id fileID
	// hashed: the version's content hash is recorded, so its metadata can follow
	// the file to another identity (a copy, a restore).
	hashed bool
}

const defaultStorageClass = "STANDARD"

// emptyETag is the MD5 of no bytes, the ETag of every folder marker.
var emptyETag = quotedHex(md5.Sum(nil))

// makeObject describes the file version id at key, using v when it is the
// metadata recorded for exactly that version (nil = none: a placed file).
func makeObject(key string, id fileID, v *version) Object {
	o := Object{
		Key:          key,
		Size:         id.size,
		ModTime:      time.Unix(0, id.mtimeNs),
		StorageClass: defaultStorageClass,
		id:           id,
	}
	if v == nil {
		o.Placed = true
		o.ETag = placedETag(id)
		return o
	}
	o.Placed = v.placed
	o.IsFolderMarker = v.marker
	o.hashed = v.hasMD5
	o.ETag = v.etag
	if o.ETag == "" {
		o.ETag = placedETag(id)
	}
	o.HasCRC, o.CRC64 = v.hasCRC, v.crc
	o.ContentType = v.contentType
	if v.storageClass != "" {
		o.StorageClass = v.storageClass
	}
	if v.restoreNs != 0 {
		o.RestoreExpiry = time.Unix(0, v.restoreNs)
	}
	o.UserMeta = maps.Clone(v.userMeta)
	o.Tags = slices.Clone(v.tags)
	return o
}

// applyMutable copies the fields Update may change from o into v.
func (v *version) applyMutable(o *Object) {
	v.contentType = o.ContentType
	v.storageClass = normClass(o.StorageClass)
	v.userMeta = normMeta(o.UserMeta)
	v.tags = slices.Clone(o.Tags)
	v.restoreNs = 0
	if !o.RestoreExpiry.IsZero() {
		v.restoreNs = o.RestoreExpiry.UnixNano()
	}
}

// normClass stores the default class as "" so records stay small and a
// change of default would apply to them.
func normClass(c string) string {
	if c == defaultStorageClass {
		return ""
	}
	return c
}

func normMeta(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}
