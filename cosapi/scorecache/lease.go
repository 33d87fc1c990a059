package scorecache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// leasePoll is how often a waiting Lease tries again.
const leasePoll = 50 * time.Millisecond

// Lease takes the cache's lease on scope (a bucket and prefix, say), waiting while another
// process or Cache holds it, so that two runs scoring the same objects do not both pay for
// each one: the second waits, then finds the first's scores in the cache (Get picks them
// up). It is an flock on a file under "<cache>.leases/", so a process that dies gives its
// lease back. release must be called when done.
func (c *Cache) Lease(ctx context.Context, scope string) (release func(), err error) {
	dir := c.Path() + ".leases"
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("scorecache: lease: %w", err)
	}
	sum := sha256.Sum256([]byte(scope))
	f, err := os.OpenFile(filepath.Join(dir, hex.EncodeToString(sum[:8])), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("scorecache: lease: %w", err)
	}
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("scorecache: lease: %w", err)
		}
		if ok {
			return func() { unlock(f); f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(leasePoll):
		}
	}
}
