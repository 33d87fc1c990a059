package preview

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

func key(obj string) Key { return Key{Object: obj, ETag: "e", Cols: 80, Rows: 40, Mode: ModeBlocks} }

func TestCacheEvictsLeastRecentlyUsedByBytes(t *testing.T) {
	// Each entry costs len(object)+len(etag)+len(value) = 1+1+38 = 40 bytes.
	c := NewCache(100)
	v := strings.Repeat("x", 38)
	c.Put(key("a"), v)
	c.Put(key("b"), v)
	if _, ok := c.Get(key("a")); !ok { // a is now more recent than b
		t.Fatal("a missing")
	}
	c.Put(key("c"), v) // 120 > 100: the least recently used, b, goes
	if _, ok := c.Get(key("b")); ok {
		t.Error("b should have been evicted")
	}
	for _, k := range []string{"a", "c"} {
		if got, ok := c.Get(key(k)); !ok || got != v {
			t.Errorf("%s: %q %v", k, got, ok)
		}
	}
	if c.Len() != 2 || c.Bytes() != 80 {
		t.Errorf("len %d bytes %d, want 2 and 80", c.Len(), c.Bytes())
	}
}

func TestCacheKeyFields(t *testing.T) {
	c := NewCache(1 << 20)
	base := key("img.jpg")
	c.Put(base, "blocks")
	for name, k := range map[string]Key{
		"etag": {Object: base.Object, ETag: "other", Cols: 80, Rows: 40, Mode: ModeBlocks},
		"cols": {Object: base.Object, ETag: base.ETag, Cols: 81, Rows: 40, Mode: ModeBlocks},
		"rows": {Object: base.Object, ETag: base.ETag, Cols: 80, Rows: 41, Mode: ModeBlocks},
		"mode": {Object: base.Object, ETag: base.ETag, Cols: 80, Rows: 40, Mode: ModeKitty},
	} {
		if _, ok := c.Get(k); ok {
			t.Errorf("a different %s must miss", name)
		}
	}
}

func TestCacheReplaceAndOversize(t *testing.T) {
	c := NewCache(50)
	c.Put(key("a"), "first")
	c.Put(key("a"), "second value")
	if got, _ := c.Get(key("a")); got != "second value" || c.Bytes() != 2+12 || c.Len() != 1 {
		t.Errorf("replace: %q, %d bytes, %d entries", got, c.Bytes(), c.Len())
	}
	c.Put(key("a"), strings.Repeat("y", 100)) // larger than the budget: not kept at all
	if _, ok := c.Get(key("a")); ok || c.Bytes() != 0 {
		t.Errorf("an oversized value must not be kept, nor its stale predecessor (bytes %d)", c.Bytes())
	}
	none := NewCache(0)
	none.Put(key("a"), "v")
	if _, ok := none.Get(key("a")); ok {
		t.Error("a zero budget keeps nothing")
	}
}

func TestCacheConcurrentUse(t *testing.T) {
	c := NewCache(4096)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := key(fmt.Sprint(g, "/", i%20))
				c.Put(k, strings.Repeat("z", i%50))
				c.Get(k)
			}
		})
	}
	wg.Wait()
	if c.Bytes() > 4096 {
		t.Errorf("budget exceeded: %d", c.Bytes())
	}
}

func TestCacheNBoundsTheCount(t *testing.T) {
	c := NewCacheN(1<<20, 2)
	for i, s := range []string{"a", "b", "c"} {
		c.Put(Key{Object: s, Cols: i}, s)
	}
	if c.Len() != 2 {
		t.Fatalf("len %d, want 2", c.Len())
	}
	if _, ok := c.Get(Key{Object: "a", Cols: 0}); ok {
		t.Fatal("the least recently used entry is still there")
	}
}
