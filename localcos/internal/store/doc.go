// Package store is the storage layer of localcos: it serves one folder DIR
// as a COS bucket. Object key "a/b/c.jpg" is the file DIR/a/b/c.jpg, and
// files dropped into DIR by hand are objects too ("placed" files).
//
// All metadata (content type, storage class, user metadata, tags, digests,
// folder markers, cached assessments) lives in one bbolt database,
// DIR/.lightbox-cos/meta.db; DIR/.lightbox-cos/tmp holds writes in
// progress. That folder is never listed and no key can address it. The
// database's lock keeps a second process from serving the same folder.
//
// Every file access goes through an os.Root, so no key and no symlink can
// reach outside DIR: symlinks leading outside are absent, symlinks to files
// inside DIR are objects, and listings never descend into symlinked folders.
//
// Writes are atomic: Put and Copy stream into a temp file while hashing it,
// fsync it, record its metadata and rename it into place. Each metadata
// record is tied to the identity of the file version it describes (size,
// mtime in ns, inode); when the file on disk no longer matches (someone
// replaced or edited it in DIR), the record is ignored and the object reads
// as a placed file with default metadata, as COS drops metadata and tags on
// overwrite.
//
// # ETags
//
// For objects written by Put the ETag is the quoted hex MD5 of the bytes,
// as COS gives for simple uploads, and the CRC-64/ECMA is known. A placed
// file's ETag is derived from its identity so that listing many files reads
// none of them: the quoted lowercase hex MD5 of "lightbox-placed" followed
// by size, mtime in ns and inode, each as 8 bytes big-endian. It stays the
// same while the file is unchanged, changes when the file does, and does not
// flip when LearnDigests later records the file's CRC. Copy gives the copy
// the source's ETag, whichever kind it is.
//
// # Folder markers
//
// Put of a key ending in "/" with an empty body creates that folder and
// records a marker, listed as a zero-byte object with the MD5 ETag of no
// bytes. Folders without a marker only show through their contents.
// Deleting a file removes the folders it leaves empty, except marked ones.
package store
