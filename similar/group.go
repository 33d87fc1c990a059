package similar

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Item is one image to group.
type Item struct {
	Key  string
	Size int64
	// Content identifies the bytes: items with the same Size and Content are exact
	// duplicates. The caller sets it only from something that is a digest of the content
	// (an MD5 ETag, a hash of bytes it read); "" = unknown, never matched.
	Content string
	FP      Fingerprint
	HasFP   bool      // FP was computed; without it an item can only be an exact duplicate
	Taken   time.Time // capture time (EXIF DateTimeOriginal) or else the object's time; zero = unknown
	// Uploaded says Taken is the object's time (when it was stored), not a capture time.
	// Those only count for bursts where few objects were stored at once (see burstCrowd).
	Uploaded bool
	// Scored says Clarity and Aesthetic hold the image's ClarityScore and AestheticScore.
	Scored             bool
	Clarity, Aesthetic int
}

// Kind is how a group's members are alike.
type Kind int

const (
	// Duplicate: the same bytes.
	Duplicate Kind = iota
	// Near: the same picture (re-encoded, resized, lightly cropped or re-exposed).
	Near
	// Burst: similar pictures taken close in time.
	Burst
)

func (k Kind) String() string {
	switch k {
	case Duplicate:
		return "duplicate"
	case Near:
		return "near"
	case Burst:
		return "burst"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Options are the thresholds. Distances are in bits of 64 (see Fingerprint); P distances
// are even (each hash has 32 bits set), so an odd threshold acts like the even one below.
type Options struct {
	// Near: two images are the same picture when P differs by at most Near bits and D by
	// at most NearD.
	Near, NearD int
	// Burst: two images are one burst when P differs by at most Burst bits and both were
	// taken within Window of each other (both times known).
	Burst  int
	Window time.Duration
}

// DefaultOptions are the thresholds measured in this package's tests (see README "Groups").
var DefaultOptions = Options{Near: 10, NearD: 12, Burst: 20, Window: 10 * time.Second}

// Check reports thresholds out of range.
func (o Options) Check() error {
	switch {
	case o.Near < 0 || o.Near > 32:
		return fmt.Errorf("near threshold must be 0..32 bits (got %d)", o.Near)
	case o.NearD < 0 || o.NearD > 64:
		return fmt.Errorf("near difference-hash threshold must be 0..64 bits (got %d)", o.NearD)
	case o.Burst < 0 || o.Burst > 32:
		return fmt.Errorf("burst threshold must be 0..32 bits (got %d)", o.Burst)
	case o.Window < 0:
		return fmt.Errorf("burst window must not be negative (got %v)", o.Window)
	}
	return nil
}

// Group is a set of two or more items alike.
type Group struct {
	Kind Kind
	// Members are positions in the items given to Find, best first, then in the order
	// the best was chosen by.
	Members []int
	Why     string // why Members[0] is the best
}

// Best is the chosen member's position.
func (g Group) Best() int { return g.Members[0] }

// Find groups items. Each item is in at most one group, the widest that holds it: exact
// duplicates join near-duplicates, and those join bursts. A group's Kind is the loosest
// likeness it needed: Duplicate when all members are the same bytes, Near when same-picture
// links connect them all, Burst otherwise. Groups come in the order of their best member's key.
func Find(items []Item, opt Options) []Group {
	n := len(items)
	exact, near, burst := newUnionFind(n), newUnionFind(n), newUnionFind(n)
	join := func(i, j int, kind Kind) {
		if kind == Duplicate {
			exact.union(i, j)
		}
		if kind <= Near {
			near.union(i, j)
		}
		burst.union(i, j)
	}

	type content struct {
		size int64
		id   string
	}
	firstWith := map[content]int{}
	for i, it := range items {
		if it.Content == "" {
			continue
		}
		c := content{it.Size, it.Content}
		if j, ok := firstWith[c]; ok {
			join(j, i, Duplicate)
		} else {
			firstWith[c] = i
		}
	}

	var pos []int // items with a fingerprint, indexed by the index's positions
	var hashes []uint64
	for i, it := range items {
		if it.HasFP {
			pos = append(pos, i)
			hashes = append(hashes, it.FP.P)
		}
	}
	NewIndex(hashes).Pairs(opt.Near, func(a, b, d int) {
		i, j := pos[a], pos[b]
		if DDistance(items[i].FP, items[j].FP) <= opt.NearD {
			join(i, j, Near)
		}
	})
	burstPairs(items, pos, opt, func(i, j int) { join(i, j, Burst) })

	// Members of each set of two or more, by root, in one pass.
	slot := make(map[int]int) // root → index in members
	var members [][]int
	for i := range n {
		r := burst.find(i)
		if burst.size[r] < 2 {
			continue
		}
		k, ok := slot[r]
		if !ok {
			k = len(members)
			slot[r] = k
			members = append(members, make([]int, 0, burst.size[r]))
		}
		members[k] = append(members[k], i)
	}
	var groups []Group
	for _, m := range members {
		g := Group{Kind: Burst}
		switch {
		case allSame(m, exact):
			g.Kind = Duplicate
		case allSame(m, near):
			g.Kind = Near
		}
		g.Members, g.Why = rank(items, m, g.Kind)
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b Group) int { return cmp.Compare(items[a.Best()].Key, items[b.Best()].Key) })
	return groups
}

// burstLookahead is how many images, in order of time, each is compared with for bursts:
// the frames of a burst follow one another, so a few dozen suffice, and it bounds the work
// when thousands of objects share one time (an upload's LastModified).
const burstLookahead = 32

// burstCrowd: when more than this many objects timed by upload sit within a window of
// each other, those times say when a folder was copied, not when the pictures were taken,
// and they are not used: any similar-looking pair would otherwise pass for a burst.
const burstCrowd = 10

// burstPairs calls join for every pair of fingerprinted items (positions pos) within
// opt.Burst bits whose times are known and within opt.Window, each item looking at the next
// burstLookahead in order of time.
func burstPairs(items []Item, pos []int, opt Options, join func(i, j int)) {
	if opt.Window <= 0 {
		return
	}
	var timed []int
	for _, i := range pos {
		if !items[i].Taken.IsZero() {
			timed = append(timed, i)
		}
	}
	byTime := func(a, b int) int {
		if c := items[a].Taken.Compare(items[b].Taken); c != 0 {
			return c
		}
		return cmp.Compare(items[a].Key, items[b].Key)
	}
	slices.SortFunc(timed, byTime)
	timed = dropCrowdedUploads(items, timed, opt.Window)
	for x, i := range timed {
		for _, j := range timed[x+1 : min(len(timed), x+1+burstLookahead)] {
			if items[j].Taken.Sub(items[i].Taken) > opt.Window {
				break
			}
			if Distance(items[i].FP, items[j].FP) <= opt.Burst {
				join(i, j)
			}
		}
	}
}

// dropCrowdedUploads removes from timed (sorted by time) the upload-timed items with more
// than burstCrowd other upload-timed items within window of them.
func dropCrowdedUploads(items []Item, timed []int, window time.Duration) []int {
	var up []int // positions in timed of upload-timed items
	for k, i := range timed {
		if items[i].Uploaded {
			up = append(up, k)
		}
	}
	crowded := make(map[int]bool)
	lo, hi := 0, 0
	for x, k := range up {
		t := items[timed[k]].Taken
		for items[timed[up[lo]]].Taken.Before(t.Add(-window)) {
			lo++
		}
		for hi+1 < len(up) && !items[timed[up[hi+1]]].Taken.After(t.Add(window)) {
			hi++
		}
		hi = max(hi, x)
		if hi-lo > burstCrowd {
			crowded[k] = true
		}
	}
	if len(crowded) == 0 {
		return timed
	}
	kept := timed[:0:0]
	for k, i := range timed {
		if !crowded[k] {
			kept = append(kept, i)
		}
	}
	return kept
}

func allSame(m []int, uf unionFind) bool {
	r := uf.find(m[0])
	for _, i := range m[1:] {
		if uf.find(i) != r {
			return false
		}
	}
	return true
}

// unionFind is a disjoint-set forest with union by size and path halving.
type unionFind struct{ parent, size []int32 }

func newUnionFind(n int) unionFind {
	uf := unionFind{make([]int32, n), make([]int32, n)}
	for i := range uf.parent {
		uf.parent[i], uf.size[i] = int32(i), 1
	}
	return uf
}

func (uf unionFind) find(i int) int {
	for int(uf.parent[i]) != i {
		uf.parent[i] = uf.parent[uf.parent[i]]
		i = int(uf.parent[i])
	}
	return i
}

func (uf unionFind) union(a, b int) {
	a, b = uf.find(a), uf.find(b)
	if a == b {
		return
	}
	if uf.size[a] < uf.size[b] {
		a, b = b, a
	}
	uf.parent[b] = int32(a)
	uf.size[a] += uf.size[b]
}
