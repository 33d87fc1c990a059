package model

import (
	"slices"
	"sort"
	"strings"

	"lightbox/cosapi"
	"lightbox/internal/cosrules"
	"lightbox/score"
)

// List is the review state of ONE prefix: every sub-prefix and object listed under it, in
// three views. all is in natural name order (compareNatural) and owns the items; order is
// all sorted; visible is order filtered, and is what the screen's row numbers index. Each
// item knows its place in all three, so finding a key's row is a map lookup.
//
// What the operator sees only moves when asked: scores, marks and state changes do not
// reorder or refilter anything until Resort, SetSort or SetFilter, so a row does not jump
// away from under the cursor while answers stream in. New items from AddPage are placed
// where the current order puts them, without moving the others relative to each other.
type List struct {
	prefix   string
	marker   string // the greatest key listed, in byte order (COS's)
	complete bool

	all     []*Item
	byKey   map[string]*Item
	order   []*Item
	visible []*Item
	packed  []uint64 // Resort's buffers, kept: it runs a few times a second
	spare   []uint64

	counts Counts
	field  SortField
	desc   bool
	filter matcher
	dirty  bool // order or filter answers may have changed since the last rebuild

	rest    int // scoring queue: every image in all[:rest] is past Waiting
	tagRest int // TagsNeeded: every image in all[:tagRest] was handed out or had tags
	paused  bool

	groups        *grouping // near-duplicates and bursts (groups.go); nil = none
	pendingGroups []Group   // a reloaded list's groups, applied when its listing completes
}

// NewList starts an empty list for prefix ("" for the bucket's top), sorted by name.
func NewList(prefix string) *List {
	return &List{prefix: prefix, byKey: make(map[string]*Item)}
}

// Prefix is the prefix listed.
func (l *List) Prefix() string { return l.prefix }

// Complete reports whether the whole listing has arrived.
func (l *List) Complete() bool { return l.complete }

// SetComplete records that the last page has arrived.
func (l *List) SetComplete() {
	l.complete = true
	if l.pendingGroups != nil {
		l.SetGroups(l.pendingGroups)
	}
}

// Marker is the greatest key listed so far: an interrupted listing resumes after it.
func (l *List) Marker() string { return l.marker }

// AddPage adds one page of the listing and returns how many items were new. Pages arrive
// in key order; a repeated key is ignored, unless an object comes back with another ETag:
// it changed, so its old score no longer holds and it is scored again. Keys outside the
// prefix and the prefix's own folder-marker object are skipped.
func (l *List) AddPage(p cosapi.Page) int {
	chunk := make([]Item, 0, len(p.Prefixes)+len(p.Objects)) // one allocation per page, not per item
	var fresh []*Item
	add := func(it Item) {
		l.marker = max(l.marker, it.Key)
		it.Name = baseName(it.Key)
		chunk = append(chunk, it)
		ip := &chunk[len(chunk)-1]
		l.byKey[ip.Key] = ip
		l.counts.add(ip, 1)
		fresh = append(fresh, ip)
	}
	for _, key := range p.Prefixes {
		if key != l.prefix && strings.HasPrefix(key, l.prefix) && l.byKey[key] == nil {
			add(Item{Key: key, IsPrefix: true})
		}
	}
	for _, o := range p.Objects {
		if !strings.HasPrefix(o.Key, l.prefix) || strings.HasSuffix(o.Key, "/") {
			continue // another prefix's key, or a folder marker: never an image
		}
		if old := l.byKey[o.Key]; old != nil {
			if !old.IsPrefix && old.ETag != o.ETag {
				l.changed(old, o)
			}
			continue
		}
		add(Item{Key: o.Key, ETag: o.ETag, Size: o.Size, Modified: o.LastModified, StorageClass: storageClass(o.StorageClass)})
	}
	if len(fresh) == 0 {
		return 0
	}
	l.mergeNatural(fresh)
	l.insert(fresh)
	return len(fresh)
}

// mergeNatural puts fresh items into all, which stays in natural name order (see
// compareNatural), and renumbers what moved. COS lists in byte order, which for the usual
// camera names (IMG_0001, DSC01234) is also natural order: then the page is only appended.
func (l *List) mergeNatural(fresh []*Item) {
	byName := func(a, b *Item) int { return compareNatural(a.Key, b.Key) }
	if !slices.IsSortedFunc(fresh, byName) {
		slices.SortFunc(fresh, byName)
	}
	n := len(l.all)
	l.all = append(l.all, fresh...)
	from := n // all[:from] did not move
	if n > 0 && byName(l.all[n-1], fresh[0]) > 0 {
		// Merge from the end: each fresh item finds its place among the existing ones by
		// binary search (natural comparison is the cost here, not moving pointers), and
		// the existing items after it move up as one block.
		i, w := n, len(l.all) // all[:i] are the existing items not yet moved
		for j := len(fresh) - 1; j >= 0; j-- {
			p := sort.Search(i, func(k int) bool { return byName(l.all[k], fresh[j]) > 0 })
			w -= i - p
			copy(l.all[w:], l.all[p:i])
			w--
			l.all[w] = fresh[j]
			i = p
		}
		from = i
	}
	for k := from; k < len(l.all); k++ {
		l.all[k].seq = int32(k)
	}
	// The queue's cursor has passed only items that did not move, all waiting ones are new.
	l.rest, l.tagRest = min(l.rest, from), min(l.tagRest, from)
}

// changed takes a new version of a listed object: new listing fields, no score.
func (l *List) changed(it *Item, o cosapi.Object) {
	it.ETag, it.Size, it.Modified, it.StorageClass = o.ETag, o.Size, o.LastModified, storageClass(o.StorageClass)
	it.Scores, it.ErrKind, it.ErrMessage, it.Tags = score.Scores{}, 0, "", nil
	l.setState(it, Waiting)
	l.tagRest = 0 // its tags are read again
	l.dirty = true
}

// Len is the number of visible rows (after the filter).
func (l *List) Len() int { return len(l.visible) }

// At is visible row i, nil out of range.
func (l *List) At(i int) *Item {
	if i < 0 || i >= len(l.visible) {
		return nil
	}
	return l.visible[i]
}

// Total is the number of items listed, filtered out or not, prefixes included.
func (l *List) Total() int { return len(l.all) }

// Item is the item with key, nil if none.
func (l *List) Item(key string) *Item { return l.byKey[key] }

// IndexOfKey is key's visible row, -1 if it is not listed or filtered out.
func (l *List) IndexOfKey(key string) int {
	if it := l.byKey[key]; it != nil {
		return int(it.vis)
	}
	return -1
}

// Counts are the running totals.
func (l *List) Counts() Counts { return l.counts }

// image is the object with key whose version is etag, nil otherwise: an answer for an
// older version must not land on the new one.
func (l *List) image(key, etag string) *Item {
	it := l.byKey[key]
	if it == nil || it.IsPrefix || it.ETag != etag {
		return nil
	}
	return it
}

// SetScore records the scores of key's version etag; false (and nothing changes) for an
// unknown key, a prefix, or a stale etag.
func (l *List) SetScore(key, etag string, s score.Scores) bool {
	it := l.image(key, etag)
	if it == nil {
		return false
	}
	it.Scores, it.ErrKind, it.ErrMessage, it.Refresh = s, 0, "", false
	l.setState(it, Scored)
	l.dirty = true // a new score moves the item in a score sort even if it was scored before
	return true
}

// SetFailed records why key's version etag could not be scored; false as for SetScore.
// KindCanceled is not the image's fault (the operator paused or left): the item goes back
// to Waiting instead.
func (l *List) SetFailed(key, etag string, kind cosapi.Kind, msg string) bool {
	it := l.image(key, etag)
	if it == nil {
		return false
	}
	if kind == cosapi.KindCanceled {
		l.setState(it, Waiting)
		return true
	}
	it.Scores, it.ErrKind, it.ErrMessage, it.Refresh = score.Scores{}, kind, msg, false
	l.setState(it, Failed)
	l.dirty = true
	return true
}

// SetScoring records that key is being scored (Next does this itself for what it hands
// out); false for an unknown key or a prefix.
func (l *List) SetScoring(key string) bool {
	it := l.byKey[key]
	if it == nil || it.IsPrefix {
		return false
	}
	l.setState(it, Scoring)
	return true
}

// SetTags stores key's tags once the UI has fetched them; false for an unknown key.
func (l *List) SetTags(key string, tags []cosrules.Tag) bool {
	it := l.byKey[key]
	if it == nil || it.IsPrefix {
		return false
	}
	it.Tags = tags
	if l.filter.byTags {
		l.dirty = true // the row may now match, or no longer: the next Resort says
	}
	return true
}

// Remove drops keys (deleted or moved away) and returns the visible row the cursor should
// go to: cursor's own row if it stays, else the nearest surviving visible row after it in
// the order, else before it; -1 when nothing is visible.
func (l *List) Remove(cursor string, keys ...string) int {
	cur := l.byKey[cursor]
	n := 0
	for _, k := range keys {
		it := l.byKey[k]
		if it == nil {
			continue
		}
		delete(l.byKey, k)
		l.counts.add(it, -1)
		it.seq = -1 // gone: the compactions below skip it
		n++
	}
	if n == 0 {
		return l.Nearest(cursor)
	}
	w, rest := 0, 0
	for i, it := range l.all {
		if it.seq < 0 {
			continue
		}
		if i < l.rest {
			rest++
		}
		it.seq = int32(w)
		l.all[w] = it
		w++
	}
	clear(l.all[w:])
	l.all, l.rest, l.tagRest = l.all[:w], rest, 0

	after, before := -1, -1 // surviving visible rows around a removed cursor
	l.visible = l.visible[:0]
	w = 0
	for _, it := range l.order {
		if it.seq < 0 {
			continue
		}
		if it.vis >= 0 {
			it.vis = int32(len(l.visible))
			l.visible = append(l.visible, it)
			if cur != nil && cur.seq < 0 {
				if it.ord < cur.ord {
					before = int(it.vis)
				} else if after < 0 {
					after = int(it.vis)
				}
			}
		}
		it.ord = int32(w)
		l.order[w] = it
		w++
	}
	clear(l.order[w:])
	l.order = l.order[:w]
	l.dirty = true
	switch {
	case cur == nil:
		return -1
	case cur.seq >= 0:
		return int(cur.vis)
	case after >= 0:
		return after
	}
	return before
}
