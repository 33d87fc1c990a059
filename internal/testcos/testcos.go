// Package testcos is what tests of the client side share: a folder of files, served by an
// embedded COS on loopback exactly as the commands serve one.
package testcos

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lightbox/config"
	"lightbox/internal/localtarget"
	"lightbox/localcos"
)

// Scoring is the client's scoring settings for tests: four at a time, no rate limit to
// speak of, six retries.
var Scoring = config.Scoring{Concurrency: 4, QPS: 1000, Timeout: 10 * time.Second, Retries: 6}

// NoWait is a client Sleep that returns at once (retries without backoff), unless the
// context is done.
func NoWait(ctx context.Context, d time.Duration) error { return ctx.Err() }

// Folder writes files (key -> bytes) into a fresh temp folder and returns it.
func Folder(t testing.TB, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for k, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(k))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// JPEGish is n bytes that a fake scorer takes for a JPEG (the first is 0xFF).
func JPEGish(n int) []byte {
	b := make([]byte, n)
	b[0] = 0xFF
	return b
}

// Serve serves dir with no AssessQuality limits; adjust may change the server's config
// (faults, a fake scorer). The server stops when the test ends, after the cleanups
// registered later (the client's) have run.
func Serve(t testing.TB, dir string, adjust func(*localcos.Config)) *localtarget.Served {
	t.Helper()
	served, err := localtarget.Start(config.Target{Local: dir}, localcos.LimitsLocal, adjust)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = served.Close() })
	return served
}

// WithFaults is adjust (an embedded COS's config edit, or nil) that also makes the server
// misbehave as fs says.
func WithFaults(adjust func(*localcos.Config), fs localcos.Faults) func(*localcos.Config) {
	return func(c *localcos.Config) {
		if adjust != nil {
			adjust(c)
		}
		c.Faults = fs
	}
}
