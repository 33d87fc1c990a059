package store

import (
	"fmt"
	"time"
)

// setModTime gives a spooled file mtime before it is committed: its identity, which the
// metadata record is tied to, is read again afterwards. The temp file is removed on error.
func (s *Store) setModTime(sp spooled, mtime time.Time) (spooled, error) {
	if err := s.root.Chtimes(sp.name, mtime, mtime); err != nil {
		s.discard(sp)
		return sp, fmt.Errorf("store: setting the modification time of a copy: %w", err)
	}
	fi, err := s.root.Stat(sp.name)
	if err != nil {
		s.discard(sp)
		return sp, fmt.Errorf("store: setting the modification time of a copy: %w", err)
	}
	sp.id = idOf(fi)
	return sp, nil
}
