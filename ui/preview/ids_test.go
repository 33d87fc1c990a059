package preview

import (
	"fmt"
	"sync"
	"testing"
)

func TestIDsReuseAndEviction(t *testing.T) {
	var p IDs // the zero value is ready
	id, fresh, ev := p.Acquire("a.jpg", "1")
	if id != 1 || !fresh || ev != 0 {
		t.Fatalf("first: %d %v %d", id, fresh, ev)
	}
	if id2, fresh, ev := p.Acquire("a.jpg", "1"); id2 != id || fresh || ev != 0 {
		t.Fatalf("same object again: %d %v %d, want %d false 0", id2, fresh, ev, id)
	}
	if id2, fresh, _ := p.Acquire("a.jpg", "2"); id2 == id || !fresh {
		t.Fatalf("a new etag is a new picture: %d %v", id2, fresh)
	}
	// Fill every id: 1 and 2 are taken, 3..255 go to new objects, none evicted.
	for i := 3; i <= MaxID; i++ {
		id, fresh, ev := p.Acquire(fmt.Sprint("o", i), "")
		if id != i || !fresh || ev != 0 {
			t.Fatalf("object %d: %d %v %d", i, id, fresh, ev)
		}
	}
	p.Acquire("a.jpg", "1") // touch id 1: now id 2 is the least recently used
	id, fresh, ev = p.Acquire("new", "")
	if id != 2 || !fresh || ev != 2 {
		t.Fatalf("eviction: got id %d fresh %v evicted %d, want 2 true 2", id, fresh, ev)
	}
	if id, fresh, _ := p.Acquire("a.jpg", "2"); !fresh || id == 2 {
		t.Errorf("the evicted picture must be transmitted again under another id: %d %v", id, fresh)
	}
	if id, fresh, _ := p.Acquire("new", ""); id != 2 || fresh {
		t.Errorf("new kept its id: %d %v", id, fresh)
	}
}

func TestIDsRelease(t *testing.T) {
	var p IDs
	a, _, _ := p.Acquire("a", "")
	p.Acquire("b", "")
	if got := p.Release("a", ""); got != a {
		t.Fatalf("Release = %d, want %d", got, a)
	}
	if got := p.Release("a", ""); got != 0 {
		t.Errorf("second Release = %d, want 0", got)
	}
	// The freed id is reused before any new one, and without an eviction.
	if id, fresh, ev := p.Acquire("c", ""); id != a || !fresh || ev != 0 {
		t.Errorf("after release: %d %v %d, want %d true 0", id, fresh, ev, a)
	}
	if id, fresh, _ := p.Acquire("a", ""); !fresh || id == a {
		t.Errorf("a released object starts over: %d %v", id, fresh)
	}
}

func TestIDsConcurrentUse(t *testing.T) {
	var p IDs
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 400 {
				id, _, _ := p.Acquire(fmt.Sprint(g, i), "")
				if id < 1 || id > MaxID {
					t.Errorf("id %d out of range", id)
				}
			}
		})
	}
	wg.Wait()
}
