package scorecache

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// filled writes n scores to a fresh cache at path and closes it.
func filled(t *testing.T, path string, n int) {
	t.Helper()
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := c.Put(key(i, `"e"`), score(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

// Issue 14: of nine damaged caches, seven said nothing; a file cut in half silently cost
// 150 paid calls. Every kind of damage is reported once, with where the damaged file was
// kept, and an intact cache reports nothing.
func TestEveryDamagedCacheIsReported(t *testing.T) {
	for _, c := range []struct {
		name   string
		damage func(b []byte) []byte
		want   []string // parts of the message
	}{
		{"cut in half mid-line", func(b []byte) []byte { return b[:len(b)/2+3] }, []string{"shorter than lightbox left it", "1 damaged line", "copied to"}},
		{"cut at a line boundary", func(b []byte) []byte {
			i := bytes.IndexByte(b[len(b)/2:], '\n') + len(b)/2 + 1
			return b[:i]
		}, []string{"shorter than lightbox left it"}},
		{"emptied", func(b []byte) []byte { return nil }, []string{"shorter than lightbox left it"}},
		{"one bit flipped", func(b []byte) []byte { b[len(b)/3] ^= 0x04; return b }, []string{"1 damaged line", "copied to"}},
		{"NULs over the middle", func(b []byte) []byte {
			for i := len(b) / 3; i < len(b)/2; i++ {
				b[i] = 0
			}
			return b
		}, []string{"damaged line", "copied to"}},
		{"garbage", func(b []byte) []byte { return bytes.Repeat([]byte("not a cache\n"), 50) }, []string{"moved to", ".corrupt-"}},
		{"zeros", func(b []byte) []byte { return make([]byte, len(b)) }, []string{"moved to"}},
		{"line duplicated and cut", func(b []byte) []byte {
			i := bytes.IndexByte(b, '\n')
			return append(b, b[:i/2]...)
		}, []string{"1 damaged line"}},
		{"older copy restored", nil, []string{"shorter than lightbox left it"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := tempPath(t)
			filled(t, path, 20)
			if c.damage == nil {
				old, _ := os.ReadFile(path)
				cc := open(t, path)
				for i := 20; i < 40; i++ {
					cc.Put(key(i, `"e"`), score(i))
				}
				cc.Close()
				os.WriteFile(path, old, 0o600)
			} else {
				b, _ := os.ReadFile(path)
				if err := os.WriteFile(path, c.damage(b), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			damaged, _ := os.ReadFile(path)
			cc := open(t, path)
			msg := cc.Damage()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			if !strings.Contains(msg, path) {
				t.Errorf("message %q does not name the cache", msg)
			}
			if cc.kept != "" {
				if kept, err := os.ReadFile(cc.kept); err != nil || !bytes.Equal(kept, damaged) {
					t.Errorf("the copy at %s is not the damaged file: %v", cc.kept, err)
				}
			}
			cc.Close()
			// Reported once: the next run has nothing new to say about a cut.
			if again := open(t, path).Damage(); strings.Contains(again, "shorter") {
				t.Errorf("reported again: %q", again)
			}
		})
	}
	path := tempPath(t)
	filled(t, path, 5)
	if msg := open(t, path).Damage(); msg != "" {
		t.Errorf("intact cache: %q", msg)
	}
}

// Issue 14: two score runs at once on one cache made 598 paid calls for 300 images. With
// the lease, the second run waits for the first and finds its scores.
func TestLeaseSharesWorkAcrossCaches(t *testing.T) {
	path := tempPath(t)
	var paid atomic.Int64
	run := func(c *Cache) {
		release, err := c.Lease(context.Background(), "photos-1250000000/img/")
		if err != nil {
			t.Error(err)
			return
		}
		defer release()
		for i := range 300 {
			if _, ok := c.Get(key(i, `"e"`)); ok {
				continue
			}
			paid.Add(1)
			time.Sleep(100 * time.Microsecond) // the paid call
			if err := c.Put(key(i, `"e"`), score(i)); err != nil {
				t.Error(err)
			}
		}
	}
	a, b := open(t, path), open(t, path) // two Caches on one file, as two processes have
	var wg sync.WaitGroup
	wg.Go(func() { run(a) })
	wg.Go(func() { run(b) })
	wg.Wait()
	if n := paid.Load(); n != 300 {
		t.Errorf("%d paid calls for 300 images", n)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	release, err := a.Lease(context.Background(), "other")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lease(ctx, "other"); err == nil {
		t.Error("a held lease was given twice")
	}
	release()
}
