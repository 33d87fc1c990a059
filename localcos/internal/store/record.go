package store

import (
	"crypto/md5"
	"encoding/binary"
	"errors"
	"slices"
)

// version is the metadata of one file version. A key's record holds one
// version, or two while a Put is between recording the new version and
// renaming it into place: readers pick the version whose identity matches
// the file they found, so they never pair one file with another's metadata.
type version struct {
	id           fileID // for a folder marker only mtimeNs is set: its creation time
	marker       bool
	placed       bool // learned about a placed file, not written by the store
	hasMD5       bool
	md5          [md5.Size]byte
	hasCRC       bool
	crc          uint64
	etag         string // "" = derived from id (placed files)
	contentType  string
	storageClass string // "" = STANDARD
	restoreNs    int64  // 0 = not restored
	userMeta     map[string]string
	tags         []Tag
}

type record struct{ versions []version }

// match returns the version recorded for the file with identity id.
func (r *record) match(id fileID) *version {
	for i := len(r.versions) - 1; i >= 0; i-- {
		if v := &r.versions[i]; !v.marker && v.id == id {
			return v
		}
	}
	return nil
}

// marker returns the folder marker version, if the record is one.
func (r *record) marker() *version {
	if len(r.versions) > 0 && r.versions[0].marker {
		return &r.versions[0]
	}
	return nil
}

// keepOnly drops every version except the one describing id.
func (r *record) keepOnly(id fileID, ok bool) {
	r.versions = slices.DeleteFunc(r.versions, func(v version) bool { return !ok || v.marker || v.id != id })
}

const recordFormat = 1

const (
	flagMarker = 1 << iota
	flagPlaced
	flagMD5
	flagCRC
)

func (r *record) encode() []byte {
	b := []byte{recordFormat}
	b = binary.AppendUvarint(b, uint64(len(r.versions)))
	for i := range r.versions {
		b = r.versions[i].append(b)
	}
	return b
}

func (v *version) append(b []byte) []byte {
	var flags byte
	if v.marker {
		flags |= flagMarker
	}
	if v.placed {
		flags |= flagPlaced
	}
	if v.hasMD5 {
		flags |= flagMD5
	}
	if v.hasCRC {
		flags |= flagCRC
	}
	b = append(b, flags)
	b = binary.AppendVarint(b, v.id.size)
	b = binary.AppendVarint(b, v.id.mtimeNs)
	b = binary.AppendUvarint(b, v.id.ino)
	if v.hasMD5 {
		b = append(b, v.md5[:]...)
	}
	if v.hasCRC {
		b = binary.BigEndian.AppendUint64(b, v.crc)
	}
	b = appendString(b, v.etag)
	b = appendString(b, v.contentType)
	b = appendString(b, v.storageClass)
	b = binary.AppendVarint(b, v.restoreNs)
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range v.userMeta {
			if !yield(k) {
				return
			}
		}
	})
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, k := range names {
		b = appendString(b, k)
		b = appendString(b, v.userMeta[k])
	}
	b = binary.AppendUvarint(b, uint64(len(v.tags)))
	for _, t := range v.tags {
		b = appendString(b, t.Key)
		b = appendString(b, t.Value)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

var errCorrupt = errors.New("store: corrupt metadata record")

// decodeRecord parses a record. With light set it skips user metadata and
// tags, which listings do not return, to save their allocations.
func decodeRecord(raw []byte, light bool) (record, error) {
	d := decoder{buf: raw}
	if d.byte() != recordFormat {
		return record{}, errCorrupt
	}
	n := d.uvarint()
	if n > 16 || d.err != nil {
		return record{}, errCorrupt
	}
	r := record{versions: make([]version, n)}
	for i := range r.versions {
		d.version(&r.versions[i], light)
	}
	if d.err != nil || len(d.buf) != 0 {
		return record{}, errCorrupt
	}
	return r, nil
}

type decoder struct {
	buf []byte
	err error
}

func (d *decoder) fail() { d.err, d.buf = errCorrupt, nil }

func (d *decoder) byte() byte {
	if len(d.buf) < 1 {
		d.fail()
		return 0
	}
	c := d.buf[0]
	d.buf = d.buf[1:]
	return c
}

// uvarint and varint rely on binary's contract: x is 0 whenever n <= 0 (short or
// overflowing input), so a failed read yields 0 as every other failed read does.
func (d *decoder) uvarint() uint64 {
	x, n := binary.Uvarint(d.buf)
	d.consume(n)
	return x
}

func (d *decoder) varint() int64 {
	x, n := binary.Varint(d.buf)
	d.consume(n)
	return x
}

// consume drops the n bytes a varint read took, or marks the record bad when n <= 0.
func (d *decoder) consume(n int) {
	if n <= 0 {
		d.fail()
		return
	}
	d.buf = d.buf[n:]
}

func (d *decoder) bytes(n uint64) []byte {
	if uint64(len(d.buf)) < n {
		d.fail()
		return nil
	}
	b := d.buf[:n]
	d.buf = d.buf[n:]
	return b
}

func (d *decoder) string() string { return string(d.bytes(d.uvarint())) }

func (d *decoder) skipString() { d.bytes(d.uvarint()) }

func (d *decoder) version(v *version, light bool) {
	flags := d.byte()
	v.marker = flags&flagMarker != 0
	v.placed = flags&flagPlaced != 0
	v.hasMD5 = flags&flagMD5 != 0
	v.hasCRC = flags&flagCRC != 0
	v.id.size = d.varint()
	v.id.mtimeNs = d.varint()
	v.id.ino = d.uvarint()
	if v.hasMD5 {
		copy(v.md5[:], d.bytes(md5.Size))
	}
	if v.hasCRC {
		if b := d.bytes(8); b != nil {
			v.crc = binary.BigEndian.Uint64(b)
		}
	}
	v.etag = d.string()
	v.contentType = d.string()
	v.storageClass = d.string()
	v.restoreNs = d.varint()
	for n := d.uvarint(); n > 0 && d.err == nil; n-- {
		if light {
			d.skipString()
			d.skipString()
			continue
		}
		if v.userMeta == nil {
			v.userMeta = make(map[string]string)
		}
		k := d.string()
		v.userMeta[k] = d.string()
	}
	for n := d.uvarint(); n > 0 && d.err == nil; n-- {
		if light {
			d.skipString()
			d.skipString()
			continue
		}
		k := d.string()
		v.tags = append(v.tags, Tag{Key: k, Value: d.string()})
	}
}

// assessment is a cached blob and the identity of the version it was made from.
type assessment struct {
	id   fileID
	etag string
	blob []byte
}

func (a *assessment) encode() []byte {
	b := []byte{recordFormat}
	b = binary.AppendVarint(b, a.id.size)
	b = binary.AppendVarint(b, a.id.mtimeNs)
	b = binary.AppendUvarint(b, a.id.ino)
	b = appendString(b, a.etag)
	return append(b, a.blob...)
}

func decodeAssessment(raw []byte) (assessment, error) {
	d := decoder{buf: raw}
	if d.byte() != recordFormat {
		return assessment{}, errCorrupt
	}
	var a assessment
	a.id.size = d.varint()
	a.id.mtimeNs = d.varint()
	a.id.ino = d.uvarint()
	a.etag = d.string()
	if d.err != nil {
		return assessment{}, d.err
	}
	a.blob = slices.Clone(d.buf)
	return a, nil
}
