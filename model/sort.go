package model

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"time"

	"lightbox/score"
)

// SortField is what the list is sorted by.
type SortField uint8

const (
	SortName SortField = iota // natural name order (compareNatural), as file managers sort
	SortSize
	SortTime // last modified

	// The score sorts, one per score in the registry's order: ScoreSort(id) is
	// sortScores + id.
	sortScores
	SortClarity    = sortScores + SortField(score.Clarity)
	SortAesthetic  = sortScores + SortField(score.Aesthetic)
	SortLowQuality = sortScores + SortField(score.LowQuality)
)

// ownSortNames are the sorts that are not scores, as the config ([review] sort) and the UI
// spell them; scores are spelled by package score.
var ownSortNames = [...]string{SortName: "name", SortSize: "size", SortTime: "time"}

// ScoreSort is the sort by a score.
func ScoreSort(id score.ID) SortField { return sortScores + SortField(id) }

// Score is the score f sorts by; ok is false for a sort that is not by a score.
func (f SortField) Score() (id score.ID, ok bool) {
	if f < sortScores || f >= sortScores+SortField(score.NumFields) {
		return 0, false
	}
	return score.ID(f - sortScores), true
}

func (f SortField) String() string {
	if int(f) < len(ownSortNames) {
		return ownSortNames[f]
	}
	if id, ok := f.Score(); ok {
		return score.Fields[id].Word
	}
	return fmt.Sprintf("SortField(%d)", f)
}

// ByScore reports whether f sorts by a score, where unscored and failed items go last.
func (f SortField) ByScore() bool {
	_, ok := f.Score()
	return ok
}

// SortWords are the sorts' canonical words, for help and messages.
func SortWords() []string {
	return append(slices.Clone(ownSortNames[:]), score.Words(func(f score.Field) bool { return f.Sortable })...)
}

// ParseSort reads a sort as the config and the --sort flag write it: a sort word (a score
// by any of its words), "-" in front for descending ("-clarity"). Case and surrounding
// blanks do not matter.
func ParseSort(s string) (SortField, bool, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	name, desc := strings.CutPrefix(s, "-")
	switch name {
	case "mtime", "modified", "age":
		name = "time"
	}
	if i := slices.Index(ownSortNames[:], name); i >= 0 {
		return SortField(i), desc, nil
	}
	// Lookup ignores blanks, which after the "-" ("- clarity") are a mistake here.
	if f, ok := score.Lookup(name); ok && f.Sortable && name == strings.TrimSpace(name) {
		return ScoreSort(f.ID), desc, nil
	}
	return SortName, false, fmt.Errorf("unknown sort %q: want one of %s, with - in front for descending", s, strings.Join(SortWords(), ", "))
}

// FormatSort is ParseSort's inverse.
func FormatSort(f SortField, desc bool) string {
	if desc {
		return "-" + f.String()
	}
	return f.String()
}

// Sort is the current sort.
func (l *List) Sort() (SortField, bool) { return l.field, l.desc }

// SetSort sorts by f, descending if desc, and applies the filter afresh.
func (l *List) SetSort(f SortField, desc bool) {
	l.field, l.desc = f, desc
	l.rebuild()
}

// Resort brings order and filter up to date with the scores, states and marks that came
// in since the last time (nothing to do if none did) and returns where key's row is now:
// see Nearest. The UI calls it a few times a second while answers arrive.
func (l *List) Resort(key string) int {
	if l.dirty {
		l.rebuild()
	}
	return l.Nearest(key)
}

// Nearest is key's visible row; if key is filtered out, the first visible row after it in
// the order (else the last before it), so the cursor stays near where it was; -1 for an
// unknown key or an empty view.
func (l *List) Nearest(key string) int {
	it := l.byKey[key]
	if it == nil {
		return -1
	}
	if it.vis >= 0 {
		return int(it.vis)
	}
	for _, o := range l.order[it.ord+1:] {
		if o.vis >= 0 {
			return int(o.vis)
		}
	}
	for i := it.ord - 1; i >= 0; i-- {
		if v := l.order[i].vis; v >= 0 {
			return int(v)
		}
	}
	return -1
}

// sortKey is an item's place in the order, precomputed so sorting compares integers, not
// items: a is the group and the value, seq (natural name order) breaks ties, which makes
// the order total, hence stable and the same on every run.
type sortKey struct {
	a   uint64
	seq uint32
}

func (x sortKey) cmp(y sortKey) int {
	switch {
	case x.a < y.a:
		return -1
	case x.a > y.a:
		return 1
	case x.seq < y.seq:
		return -1
	case x.seq > y.seq:
		return 1
	}
	return 0
}

// Groups, the top two bits of a key: prefixes first, and in score sorts the images with a
// score, then those still without one, then those that failed, whatever the direction
// (what has no score cannot be best or worst).
const (
	groupShift = 62
	valueMask  = 1<<groupShift - 1

	groupPrefix   = 0
	groupImage    = 1 // every image, or in a score sort the scored ones
	groupUnscored = 2
	groupFailed   = 3
)

// key is the item's sortKey, for merging new items in.
func (l *List) key(it *Item) sortKey {
	g, v, _ := l.rank(it, valueMask)
	return sortKey{a: g<<groupShift | v, seq: uint32(it.seq)}
}

// rank is the item's group and its value within the group, in 0..vmax, reversed for a
// descending sort; ok is false if the value does not fit under vmax.
func (l *List) rank(it *Item, vmax uint64) (group, v uint64, ok bool) {
	desc := l.desc
	switch {
	case it.IsPrefix:
		// Folders in name order; reversed only when the whole list is by name, descending.
		group, v, desc = groupPrefix, uint64(it.seq), l.field == SortName && l.desc
	case l.field == SortName:
		group, v = groupImage, uint64(it.seq)
	case l.field == SortSize:
		group, v = groupImage, uint64(max(it.Size, 0))
	case l.field == SortTime:
		group, v = groupImage, timeValue(it.Modified)
	case it.State == Failed:
		return groupFailed, 0, true
	case it.State != Scored:
		return groupUnscored, 0, true
	default:
		id, _ := l.field.Score()
		group, v = groupImage, uint64(max(id.Get(it.Scores), 0))
	}
	if v > vmax {
		return group, vmax, false
	}
	if desc {
		v = vmax - v
	}
	return group, v, true
}

// timeValue orders times in seconds from 1970 (COS lists whole seconds); earlier and zero
// times are 0.
func timeValue(t time.Time) uint64 {
	if t.IsZero() {
		return 0
	}
	return uint64(max(t.Unix(), 0))
}

// rebuild sorts everything and applies the filter to everything. Group, value and key
// order usually fit in one uint64 (a score takes 7 bits, a time 34, seq 17 for 100,000
// items), and integers sort by radix in a few linear passes; a size too large to fit falls
// back to comparing two-word keys.
func (l *List) rebuild() {
	seqBits := uint(bits.Len(uint(len(l.all))))
	vmax := uint64(1)<<(groupShift-seqBits) - 1
	packed := l.packed[:0]
	for _, it := range l.all {
		g, v, ok := l.rank(it, vmax)
		if !ok {
			packed = nil
			break
		}
		packed = append(packed, g<<groupShift|v<<seqBits|uint64(it.seq))
	}
	l.order = l.order[:0]
	l.visible = l.visible[:0]
	add := func(it *Item) {
		it.ord = int32(len(l.order))
		l.order = append(l.order, it)
		l.place(it, l.filter.match(it))
	}
	if packed != nil || len(l.all) == 0 {
		l.spare = slices.Grow(l.spare[:0], len(packed))[:len(packed)]
		packed, l.spare = radixSort(packed, l.spare, seqBits)
		mask := uint64(1)<<seqBits - 1
		for _, k := range packed {
			add(l.all[k&mask])
		}
		l.packed = packed
	} else {
		keys := make([]sortKey, len(l.all))
		for i, it := range l.all {
			keys[i] = l.key(it)
		}
		slices.SortFunc(keys, sortKey.cmp)
		for _, k := range keys {
			add(l.all[k.seq])
		}
	}
	if l.groups != nil {
		l.regroup()
	}
	l.dirty = false
}

// radixSort sorts keys, using buf (as long) as scratch, and returns the sorted slice and
// the other one. The keys' low bits (seq) are already in order, since they were built
// walking the items in natural name order: a stable sort on the bytes above them is
// enough, and a byte equal in every key is skipped.
func radixSort(keys, buf []uint64, sortedBits uint) (sorted, spare []uint64) {
	if len(keys) < 2 {
		return keys, buf
	}
	for shift := sortedBits / 8 * 8; shift < 64; shift += 8 {
		var count [256]int
		for _, k := range keys {
			count[byte(k>>shift)]++
		}
		if count[byte(keys[0]>>shift)] == len(keys) {
			continue
		}
		sum := 0
		for i, c := range count {
			count[i] = sum
			sum += c
		}
		for _, k := range keys {
			b := byte(k >> shift)
			buf[count[b]] = k
			count[b]++
		}
		keys, buf = buf, keys
	}
	return keys, buf
}

// place appends it to the visible rows if show, else hides it.
func (l *List) place(it *Item, show bool) {
	if !show {
		it.vis = -1
		return
	}
	it.vis = int32(len(l.visible))
	l.visible = append(l.visible, it)
}

// insert merges newly listed items into the order where the current sort puts them. The
// items already shown keep their order and their visibility (only Resort changes those);
// the new ones are filtered. Merging from the end makes the usual case, a page of names
// that sort after everything before, cost only the page.
func (l *List) insert(fresh []*Item) {
	nk := make([]sortKey, len(fresh))
	for i, it := range fresh {
		nk[i] = l.key(it)
		it.vis = -2 // new: not filtered yet
	}
	slices.SortFunc(nk, sortKey.cmp)

	n := len(l.order)
	l.order = slices.Grow(l.order, len(fresh))[:n+len(fresh)]
	i, j, w := n-1, len(nk)-1, n+len(fresh)-1
	var ik sortKey
	if i >= 0 {
		ik = l.key(l.order[i])
	}
	for j >= 0 {
		if i >= 0 && ik.cmp(nk[j]) > 0 {
			l.order[w] = l.order[i]
			if i--; i >= 0 {
				ik = l.key(l.order[i])
			}
		} else {
			l.order[w] = l.all[nk[j].seq]
			j--
		}
		w--
	}
	from := i + 1 // order[:from] did not move

	for k := from; k < len(l.order); k++ {
		l.order[k].ord = int32(k)
	}
	cut := 0 // visible rows before from stay
	for k := from - 1; k >= 0; k-- {
		if v := l.order[k].vis; v >= 0 {
			cut = int(v) + 1
			break
		}
	}
	clear(l.visible[cut:])
	l.visible = l.visible[:cut]
	for _, it := range l.order[from:] {
		if it.vis == -2 {
			l.place(it, l.filter.match(it))
		} else {
			l.place(it, it.vis >= 0)
		}
	}
}
