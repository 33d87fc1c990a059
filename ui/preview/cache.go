package preview

import (
	"container/list"
	"sync"
)

// Key names one rendered preview. The ETag is part of it so an overwritten object is
// never shown stale; the size and mode are, because each render fits one pane in one mode.
type Key struct {
	Object, ETag string
	Cols, Rows   int
	Mode         Mode
}

// Cache is an LRU of rendered previews (half-block text or kitty transmit strings) held
// to a byte budget. Safe for concurrent use: renders fill it from tea.Cmds while the UI
// loop reads it.
type Cache struct {
	mu    sync.Mutex
	max   int
	limit int // most entries kept; 0 = no bound but the bytes
	used  int
	order *list.List // front = most recently used; values are *cacheEntry
	byKey map[Key]*list.Element
}

type cacheEntry struct {
	key  Key
	val  string
	cost int
}

// NewCache returns a cache holding at most maxBytes of previews (with maxBytes <= 0 it
// keeps nothing).
func NewCache(maxBytes int) *Cache {
	return &Cache{max: maxBytes, order: list.New(), byKey: map[Key]*list.Element{}}
}

// cost counts the strings an entry keeps alive; fixed overheads are small next to a
// preview (tens of kilobytes) and are left out so budgets stay easy to reason about.
func cost(k Key, s string) int {
	return len(k.Object) + len(k.ETag) + len(s)
}

// Get returns the preview for k and marks it recently used.
func (c *Cache) Get(k Key) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[k]
	if !ok {
		return "", false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).val, true
}

// Put stores s under k, replacing any previous value, and evicts least recently used
// previews until the budget holds. A value larger than the whole budget is not kept.
func (c *Cache) Put(k Key, s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[k]; ok {
		c.remove(e)
	}
	n := cost(k, s)
	if n > c.max {
		return
	}
	c.byKey[k] = c.order.PushFront(&cacheEntry{key: k, val: s, cost: n})
	c.used += n
	for c.used > c.max || (c.limit > 0 && c.order.Len() > c.limit) {
		c.remove(c.order.Back())
	}
}

// NewCacheN is NewCache that also keeps at most n entries: many small drawings (a contact
// sheet's cells) cost more in bookkeeping than their bytes say.
func NewCacheN(maxBytes, n int) *Cache {
	c := NewCache(maxBytes)
	c.limit = n
	return c
}

func (c *Cache) remove(e *list.Element) {
	ce := c.order.Remove(e).(*cacheEntry)
	delete(c.byKey, ce.key)
	c.used -= ce.cost
}

// Len is the number of previews held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// Bytes is the budget in use.
func (c *Cache) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}
