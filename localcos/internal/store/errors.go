package store

import (
	"errors"
	"fmt"
)

// Errors the HTTP layer maps to COS error codes; test them with errors.Is,
// because the store wraps them with the key or path concerned.
var (
	ErrNotFound  = errors.New("store: no such key")
	ErrConflict  = errors.New("store: key conflicts with an existing file or folder")
	ErrBadDigest = errors.New("store: content MD5 mismatch")
	ErrTooLarge  = errors.New("store: object larger than the limit")
	ErrLocked    = errors.New("store: folder is in use by another lightbox process")

	// Multipart uploads.
	ErrNoSuchUpload   = errors.New("store: no such upload")
	ErrInvalidPart    = errors.New("store: invalid part")
	ErrPartOrder      = errors.New("store: parts not in ascending order")
	ErrPartTooSmall   = errors.New("store: part too small")
	ErrUploadMismatch = errors.New("store: upload is for another key")
)

// ErrInvalidKey matches every *KeyError under errors.Is.
var ErrInvalidKey = errors.New("store: invalid key")

// KeyError explains why a key is refused.
type KeyError struct {
	Key, Reason string
}

func (e *KeyError) Error() string {
	const show = 64 // a refused key may be huge or binary; quote only its start
	k := e.Key
	if len(k) > show {
		k = k[:show] + "..."
	}
	return fmt.Sprintf("store: invalid key %q: %s", k, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidKey) true.
func (e *KeyError) Is(target error) bool { return target == ErrInvalidKey }

func notFound(key string) error { return fmt.Errorf("%w: %s", ErrNotFound, key) }

func conflict(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrConflict}, args...)...)
}
