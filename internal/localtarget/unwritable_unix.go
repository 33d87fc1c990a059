//go:build unix

package localtarget

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"lightbox/localcos"
)

// unwritable says why lightbox may not write into dir ("" when it may): a read-only
// mount, or a folder (or its metadata folder) the user has no write permission on.
func unwritable(dir string) string {
	for _, p := range []string{filepath.Join(dir, localcos.MetaDirName), dir} {
		if _, err := os.Stat(p); err != nil {
			continue // a missing metadata folder is made in dir, judged next
		}
		switch err := syscall.Access(p, 2 /* W_OK */); {
		case errors.Is(err, syscall.EROFS):
			return "is on a read-only file system"
		case err != nil:
			return "is not writable by you"
		}
		return ""
	}
	return ""
}

// Server is the embedded COS itself (tests look at what it stored).
func (s *Served) Server() *localcos.Server { return s.srv }

// Close stops the server, letting requests in flight finish for a few seconds.
func (s *Served) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}
