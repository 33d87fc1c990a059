// Package scorecache remembers paid-for image scores (AssessQuality) across runs, keyed by the
// object's ETag so a changed object is scored again. Many lightbox processes may share one
// cache file; each sees the others' scores.
package scorecache

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"lightbox/internal/applog"
)

// ErrClosed is returned (wrapped) by changes made after Close.
var ErrClosed = applog.ErrClosed

// Key names one version of one object.
type Key struct {
	Endpoint string // the service, e.g. "https://cos.ap-guangzhou.myqcloud.com"; a trailing "/" is ignored
	Bucket   string
	Object   string
	ETag     string // exactly as COS gives it, quotes included
}

func (k Key) check() error {
	if k.Bucket == "" || k.Object == "" || k.ETag == "" {
		// Without an ETag a cached score could silently belong to an older object.
		return fmt.Errorf("scorecache: key needs a bucket, an object and an ETag: %+v", k)
	}
	return nil
}

func (k Key) normal() Key {
	k.Endpoint = strings.TrimRight(k.Endpoint, "/")
	return k
}

// object is a Key without its version: the cache keeps one score per object, for the newest
// ETag written, since an older version's score is of no use once the object changed.
type object struct{ endpoint, bucket, name string }

type entry struct {
	etag  string
	value []byte
}

func objectOf(k Key) object { return object{k.Endpoint, k.Bucket, k.Object} }

// Compaction is worth its rewrite only on a file that is big and mostly superseded records.
const (
	compactMinSize   = 1 << 20
	compactDeadRatio = 0.5
)

// Cache is an open score cache. Its methods are safe for concurrent use.
type Cache struct {
	log  *applog.Log
	mu   sync.RWMutex
	m    map[object]entry
	kept string // copy of a file found damaged, made at Open
}

// Open loads the cache at path (created if missing, with its folder). Damaged lines are
// skipped (see Skipped); a file with nothing intact in it is moved aside (see SetAside) and a
// fresh one started, so a broken cache never stops lightbox.
func Open(path string) (*Cache, error) {
	c := &Cache{m: map[object]entry{}}
	log, err := applog.Open(path, applog.Options{
		Apply:           c.apply,
		Reset:           c.reset,
		SetAsideGarbage: true,
	})
	if err != nil {
		return nil, fmt.Errorf("scorecache: %w", err)
	}
	c.log = log
	if s := log.Stats(); s.SetAside == "" && s.Skipped > 0 {
		// Keep the damaged file as found: compaction would drop its damaged lines for good.
		c.kept, _ = keepCopy(path)
	}
	return c, nil
}

// keepCopy copies path to "<path>.damaged-<unix time>".
func keepCopy(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	dst := fmt.Sprintf("%s.damaged-%d", path, time.Now().Unix())
	for i := 1; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
			break
		}
		dst = fmt.Sprintf("%s.damaged-%d-%d", path, time.Now().Unix(), i)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		return "", err
	}
	return dst, nil
}

// Damage describes, in one line, what Open found damaged and where it was kept, or "":
// the lines skipped (their scores will be paid for again), and the copy of the damaged
// file or the file moved aside. Commands print it once on stderr; the reviewer shows it
// in its status line.
func (c *Cache) Damage() string {
	s := c.log.Stats()
	var parts []string
	if s.SetAside != "" {
		return fmt.Sprintf("score cache %s held no intact score and was moved to %s; a new one was started, so every image will be scored (and paid for) again", c.Path(), s.SetAside)
	}
	if s.Missing > 0 {
		parts = append(parts, fmt.Sprintf("the file is %d bytes shorter than lightbox left it (cut short, or an older copy restored): the scores in them are lost", s.Missing))
	}
	if s.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d damaged line(s) skipped", s.Skipped))
	}
	if len(parts) == 0 {
		return ""
	}
	msg := fmt.Sprintf("score cache %s: %s; those images will be scored (and paid for) again", c.Path(), strings.Join(parts, "; "))
	if c.kept != "" {
		msg += "; the damaged file was copied to " + c.kept
	}
	return msg
}

// Get returns the value stored for k. The slice is the caller's. On a miss it first picks up
// scores other processes have added (one stat when there are none), since a miss costs a
// paid call; if that check fails the answer is a miss, never an error.
func (c *Cache) Get(k Key) ([]byte, bool) {
	k = k.normal()
	if k.check() != nil {
		return nil, false
	}
	if v, ok := c.lookup(k); ok {
		return v, true
	}
	if changed, err := c.log.Refresh(); err != nil || !changed {
		return nil, false
	}
	return c.lookup(k)
}

// Put stores value for k, durably, replacing the score of any other ETag of the same object.
func (c *Cache) Put(k Key, value []byte) error {
	return c.PutMany(map[Key][]byte{k: value})
}

// PutMany stores several values with one write and one fsync.
func (c *Cache) PutMany(entries map[Key][]byte) error {
	type put struct {
		k   Key
		v   []byte
		rec []byte
	}
	puts := make([]put, 0, len(entries))
	for k, v := range entries {
		k = k.normal()
		if err := k.check(); err != nil {
			return err
		}
		v = bytes.Clone(v) // the caller may reuse its buffer
		rec, err := encodeRecord(k, v, false)
		if err != nil {
			return fmt.Errorf("scorecache: %w", err)
		}
		puts = append(puts, put{k, v, rec})
	}
	// A stable order makes the file reproducible, which helps when reading it by hand.
	slices.SortFunc(puts, func(a, b put) int { return cmpKey(a.k, b.k) })
	var todo []put
	err := c.log.AppendFunc(func() ([][]byte, error) {
		todo = todo[:0]
		var recs [][]byte
		for _, p := range puts {
			if old, ok := c.lookup(p.k); ok && bytes.Equal(old, p.v) {
				continue // already there: a record would only be dead weight
			}
			todo = append(todo, p)
			recs = append(recs, p.rec)
		}
		return recs, nil
	}, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, p := range todo {
			c.m[objectOf(p.k)] = entry{p.k.ETag, p.v}
		}
	})
	if err != nil {
		return fmt.Errorf("scorecache: %w", err)
	}
	return nil
}

// Forget drops the value stored for k (exactly that ETag), so the next Get misses: the
// operator asked for a fresh score.
func (c *Cache) Forget(k Key) error {
	k = k.normal()
	if err := k.check(); err != nil {
		return err
	}
	rec, err := encodeRecord(k, nil, true)
	if err != nil {
		return fmt.Errorf("scorecache: %w", err)
	}
	err = c.log.AppendFunc(func() ([][]byte, error) {
		if _, ok := c.lookup(k); !ok {
			return nil, nil
		}
		return [][]byte{rec}, nil
	}, func() { c.forget(k) })
	if err != nil {
		return fmt.Errorf("scorecache: %w", err)
	}
	return nil
}

// Len is the number of objects with a stored value.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

// Skipped is the number of damaged lines skipped since Open.
func (c *Cache) Skipped() int { return c.log.Stats().Skipped }

// SetAside is where Open moved a cache file it found to be garbage, or "".
func (c *Cache) SetAside() string { return c.log.Stats().SetAside }

// Path is the cache file.
func (c *Cache) Path() string { return c.log.Path() }

// Compact rewrites the file to hold only the live values, whatever the proportion of dead
// records. Close does it by itself when worthwhile.
func (c *Cache) Compact() error {
	err := c.log.Compact(func() ([][]byte, error) {
		// Every change to c.m happens under the log's lock, which Compact holds: this snapshot
		// is what the file says.
		c.mu.RLock()
		keys := make([]Key, 0, len(c.m))
		values := make(map[Key][]byte, len(c.m))
		for o, e := range c.m {
			k := Key{o.endpoint, o.bucket, o.name, e.etag}
			keys = append(keys, k)
			values[k] = e.value
		}
		c.mu.RUnlock()
		slices.SortFunc(keys, cmpKey)
		recs := make([][]byte, 0, len(keys))
		for _, k := range keys {
			rec, err := encodeRecord(k, values[k], false)
			if err != nil {
				return nil, err
			}
			recs = append(recs, rec)
		}
		return recs, nil
	})
	if err != nil {
		return fmt.Errorf("scorecache: %w", err)
	}
	return nil
}

// Close compacts the file if it is over 1 MB and more than half superseded, then closes it. A
// failed compaction leaves the file as it was (and is reported); nothing is lost.
func (c *Cache) Close() error {
	var err error
	s := c.log.Stats()
	if s.Size > compactMinSize && float64(s.Records-c.Len()) > compactDeadRatio*float64(s.Records) {
		if err = c.Compact(); errors.Is(err, ErrClosed) {
			return nil // closed before: nothing to do
		}
	}
	if cerr := c.log.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("scorecache: %w", cerr)
	}
	return err
}

func (c *Cache) lookup(k Key) ([]byte, bool) {
	c.mu.RLock()
	e, ok := c.m[objectOf(k)]
	c.mu.RUnlock()
	if !ok || e.etag != k.ETag {
		return nil, false
	}
	return bytes.Clone(e.value), true
}

func (c *Cache) forget(k Key) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[objectOf(k)]; ok && e.etag == k.ETag {
		delete(c.m, objectOf(k))
	}
}

// apply replays one record read from the file (the log calls it in file order).
func (c *Cache) apply(p []byte) error {
	k, v, forget, err := decodeRecord(p)
	if err != nil {
		return err
	}
	if forget {
		c.forget(k)
		return nil
	}
	c.mu.Lock()
	c.m[objectOf(k)] = entry{k.ETag, v}
	c.mu.Unlock()
	return nil
}

// reset drops everything before the log rereads a file another process compacted.
func (c *Cache) reset() {
	c.mu.Lock()
	c.m = map[object]entry{}
	c.mu.Unlock()
}

func cmpKey(a, b Key) int {
	return cmp.Or(cmp.Compare(a.Endpoint, b.Endpoint), cmp.Compare(a.Bucket, b.Bucket),
		cmp.Compare(a.Object, b.Object), cmp.Compare(a.ETag, b.ETag))
}
