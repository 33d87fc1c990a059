package store

import (
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"io/fs"
)

// fileID identifies one version of a file without reading it: a metadata
// record, a cached assessment and a placed file's ETag all belong to the
// version with exactly this identity.
type fileID struct {
	size    int64
	mtimeNs int64
	ino     uint64
}

func idOf(fi fs.FileInfo) fileID {
	return fileID{size: fi.Size(), mtimeNs: fi.ModTime().UnixNano(), ino: inodeOf(fi)}
}

const placedETagSalt = "lightbox-placed"

// placedETag is the ETag of a file that was put into DIR directly: the quoted
// hex MD5 of the salt followed by size, mtime in ns and inode, each 8 bytes
// big-endian. Listing many such files must not read them.
func placedETag(id fileID) string {
	var buf [len(placedETagSalt) + 24]byte
	b := append(buf[:0], placedETagSalt...)
	b = binary.BigEndian.AppendUint64(b, uint64(id.size))
	b = binary.BigEndian.AppendUint64(b, uint64(id.mtimeNs))
	b = binary.BigEndian.AppendUint64(b, id.ino)
	return quotedHex(md5.Sum(b))
}

func quotedHex(sum [md5.Size]byte) string {
	var out [2 + 2*md5.Size]byte
	out[0] = '"'
	hex.Encode(out[1:], sum[:])
	out[len(out)-1] = '"'
	return string(out[:])
}
