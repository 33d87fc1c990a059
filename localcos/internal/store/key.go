package store

import (
	"fmt"
	"path"
	"strings"
	"unicode/utf8"
)

// MaxKeyBytes is COS's key length limit.
const MaxKeyBytes = 850

// maxSegmentBytes is the usual filesystem limit on one name (NAME_MAX).
const maxSegmentBytes = 255

// CheckKey reports why key cannot name an object, or nil if it can.
// The error is a *KeyError.
func CheckKey(key string) error {
	bad := func(format string, args ...any) error {
		return &KeyError{Key: key, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case key == "":
		return bad("the key is empty")
	case len(key) > MaxKeyBytes:
		return bad("the key is %d bytes long; the limit is %d", len(key), MaxKeyBytes)
	case !utf8.ValidString(key):
		return bad("the key is not valid UTF-8")
	case key[0] == '/':
		return bad("the key starts with /")
	}
	// Other control characters are legal in file names and in COS keys (listings carry them
	// with encoding-type=url); only NUL can name no file.
	if i := strings.IndexByte(key, 0); i >= 0 {
		return bad("the key contains the control character 0x00 at byte %d", i)
	}
	// A single trailing "/" names a folder marker; any other empty segment is refused.
	for i, seg := range strings.Split(strings.TrimSuffix(key, "/"), "/") {
		switch {
		case seg == "":
			return bad("the key has an empty segment (//)")
		case seg == "." || seg == "..":
			return bad("the key has a %q segment", seg)
		case len(seg) > maxSegmentBytes:
			return bad("a segment of the key is %d bytes long; the filesystem allows %d", len(seg), maxSegmentBytes)
		case i == 0 && isMetaDirName(seg):
			return bad("%s/ is reserved for lightbox's metadata", MetaDirName)
		}
	}
	return nil
}

// isMetaDirName reports whether a top-level name is the store's folder,
// ignoring case because on a case-insensitive filesystem any spelling is it.
func isMetaDirName(name string) bool { return strings.EqualFold(name, MetaDirName) }

// isFolderKey reports whether a checked key names a folder marker.
func isFolderKey(key string) bool { return strings.HasSuffix(key, "/") }

// keyPath is the root-relative path of a checked key ("a/b/" is the folder "a/b").
func keyPath(key string) string { return strings.TrimSuffix(key, "/") }

// parentPath is the folder holding p, "." for the top of DIR.
func parentPath(p string) string { return path.Dir(p) }

// folderOf is the listing-cache name of the folder holding key: "" or "a/b/".
func folderOf(key string) string {
	i := strings.LastIndexByte(keyPath(key), '/')
	return key[:i+1]
}

// validName reports whether a name found on disk can be part of a key;
// files whose names cannot be addressed are left out of listings.
func validName(name string) bool {
	if name == "" || len(name) > maxSegmentBytes || !utf8.ValidString(name) || name == "." || name == ".." {
		return false
	}
	return !strings.ContainsAny(name, "\x00/")
}
