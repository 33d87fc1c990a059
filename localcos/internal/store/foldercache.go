package store

import (
	"container/list"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// entryKind is what a folder entry was when the folder was read.
type entryKind uint8

const (
	kindFile entryKind = iota
	kindFolder
	kindSymlink // resolved (inside DIR only) when emitted
)

// folderEntry is one name in a folder. sortKey is the name, with "/"
// appended for folders: sorting by it makes a depth-first walk yield keys
// in byte order ("x.jpg" < "x/…" < "x0").
type folderEntry struct {
	sortKey string
	kind    entryKind
}

func (e folderEntry) name() string { return strings.TrimSuffix(e.sortKey, "/") }

// folderListing is the sorted content of one folder, shared read-only
// between concurrent listings.
type folderListing struct {
	path    string // "" or "a/b/"
	stamp   fileID // the folder's identity when read; any change invalidates
	entries []folderEntry
}

// defaultCacheEntries bounds the cache by entries (~50 bytes each).
const defaultCacheEntries = 1 << 20

// folderCache keeps the listings of recently listed folders, least recently
// used evicted first once the total number of entries passes the limit.
type folderCache struct {
	mu     sync.Mutex
	limit  int
	total  int
	byPath map[string]*list.Element
	lru    list.List // of *folderListing, most recent first
}

func newFolderCache(limit int) *folderCache {
	return &folderCache{limit: limit, byPath: make(map[string]*list.Element)}
}

func (c *folderCache) get(path string, stamp fileID) *folderListing {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.byPath[path]
	if el == nil {
		return nil
	}
	fl := el.Value.(*folderListing)
	if fl.stamp != stamp {
		c.removeLocked(el)
		return nil
	}
	c.lru.MoveToFront(el)
	return fl
}

func (c *folderCache) put(fl *folderListing) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el := c.byPath[fl.path]; el != nil {
		c.removeLocked(el)
	}
	if len(fl.entries) > c.limit {
		return
	}
	c.byPath[fl.path] = c.lru.PushFront(fl)
	c.total += len(fl.entries)
	for c.total > c.limit {
		c.removeLocked(c.lru.Back())
	}
}

func (c *folderCache) forget(path string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el := c.byPath[path]; el != nil {
		c.removeLocked(el)
	}
}

func (c *folderCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.byPath)
	c.lru.Init()
	c.total = 0
}

func (c *folderCache) removeLocked(el *list.Element) {
	fl := c.lru.Remove(el).(*folderListing)
	delete(c.byPath, fl.path)
	c.total -= len(fl.entries)
}

// openFolder opens folder path ("" or "a/b/") and returns it with its sorted
// entries, from the cache when the folder is unchanged since it was read.
func (s *Store) openFolder(path string) (*os.Root, []folderEntry, error) {
	name := "."
	if path != "" {
		name = strings.TrimSuffix(path, "/")
	}
	sub, err := s.root.OpenRoot(name)
	if err != nil {
		return nil, nil, err
	}
	fi, err := sub.Stat(".")
	if err != nil {
		sub.Close()
		return nil, nil, err
	}
	stamp := idOf(fi)
	if fl := s.listings.get(path, stamp); fl != nil {
		return sub, fl.entries, nil
	}
	readAt := time.Now()
	entries, err := readFolder(sub)
	if err != nil {
		sub.Close()
		return nil, nil, err
	}
	// Timestamps are coarse (a clock tick, or worse): a change in the same
	// tick as our read would leave the mtime as it was, so only a folder
	// that has been quiet for racyWindow is safe to cache.
	if readAt.Sub(fi.ModTime()) >= s.racyWindow {
		s.listings.put(&folderListing{path: path, stamp: stamp, entries: entries})
	}
	return sub, entries, nil
}

func readFolder(sub *os.Root) ([]folderEntry, error) {
	f, err := sub.Open(".")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	des, err := readDirEntries(f)
	if err != nil {
		return nil, err
	}
	entries := make([]folderEntry, 0, len(des))
	for _, de := range des {
		name := de.Name()
		if !validName(name) {
			continue // no key can address it
		}
		switch t := de.Type(); {
		case t.IsRegular():
			entries = append(entries, folderEntry{sortKey: name, kind: kindFile})
		case t.IsDir():
			entries = append(entries, folderEntry{sortKey: name + "/", kind: kindFolder})
		case t&fs.ModeSymlink != 0:
			entries = append(entries, folderEntry{sortKey: name, kind: kindSymlink})
		}
		// Devices, FIFOs and sockets are never objects.
	}
	slices.SortFunc(entries, func(a, b folderEntry) int { return strings.Compare(a.sortKey, b.sortKey) })
	return entries, nil
}

// searchEntries is the index of the first entry whose sort key is >= s.
func searchEntries(entries []folderEntry, s string) int {
	i, _ := slices.BinarySearchFunc(entries, s, func(e folderEntry, s string) int { return strings.Compare(e.sortKey, s) })
	return i
}
