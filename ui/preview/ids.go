package preview

import "sync"

// IDs hands out kitty image ids 1..MaxID, one per (object, etag), and recycles the least
// recently used when they run out. The terminal keeps every transmitted image until told
// otherwise, so a long session would otherwise fill its image memory. The zero value is
// ready to use and it is safe for concurrent use.
type IDs struct {
	mu    sync.Mutex
	byKey map[idKey]int
	owner [MaxID + 1]idKey  // owner[id]; index 0 unused
	last  [MaxID + 1]uint64 // last use of id, in ticks
	tick  uint64
	next  int   // ids 1..next have been handed out at least once
	free  []int // released ids, reused before any eviction
}

type idKey struct{ object, etag string }

// Acquire returns the id for (object, etag). fresh means the terminal does not hold this
// picture under that id yet: Transmit it. evicted, when not 0, is an id whose previous
// picture must be freed with Delete first; it is the id being reused.
func (p *IDs) Acquire(object, etag string) (id int, fresh bool, evicted int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byKey == nil {
		p.byKey = map[idKey]int{}
	}
	k := idKey{object, etag}
	p.tick++
	if id, ok := p.byKey[k]; ok {
		p.last[id] = p.tick
		return id, false, 0
	}
	switch {
	case len(p.free) > 0:
		id = p.free[len(p.free)-1]
		p.free = p.free[:len(p.free)-1]
	case p.next < MaxID:
		p.next++
		id = p.next
	default:
		id = 1
		for i := 2; i <= MaxID; i++ {
			if p.last[i] < p.last[id] {
				id = i
			}
		}
		delete(p.byKey, p.owner[id])
		evicted = id
	}
	p.byKey[k] = id
	p.owner[id] = k
	p.last[id] = p.tick
	return id, true, evicted
}

// Release forgets (object, etag) and returns its id (0 if it had none), for when its
// transmission was abandoned or the object is gone; the next Acquire for it is fresh.
// The terminal may still hold the picture: send Delete(id) if it was transmitted.
func (p *IDs) Release(object, etag string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	id, ok := p.byKey[idKey{object, etag}]
	if !ok {
		return 0
	}
	delete(p.byKey, idKey{object, etag})
	p.owner[id] = idKey{}
	p.free = append(p.free, id)
	return id
}
