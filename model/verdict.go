package model

import "lightbox/internal/cosrules"

// FlagTag is the object tag that holds the operator's verdict (P, X and U in the reviewer):
// pick and reject live on the objects, so other reviewers and tools see them.
const FlagTag = "flag"

// Verdict is a row's pick/reject state, read from its tags.
type Verdict uint8

const (
	AnyVerdict Verdict = iota // in a Filter: no condition
	Pick                      // flag=pick
	Reject                    // flag=reject
	Unflagged                 // no flag tag
)

// String is the verdict's word in the filter language.
func (v Verdict) String() string {
	switch v {
	case Pick:
		return "pick"
	case Reject:
		return "reject"
	case Unflagged:
		return "unflagged"
	}
	return ""
}

// VerdictOf reads the verdict from tags; AnyVerdict when the tags are not known (nil).
func VerdictOf(tags []cosrules.Tag) Verdict {
	if tags == nil {
		return AnyVerdict
	}
	for _, t := range tags {
		if t.Key == FlagTag {
			switch t.Value {
			case "pick":
				return Pick
			case "reject":
				return Reject
			}
		}
	}
	return Unflagged
}

// hasTag reports whether tags hold key (with value, unless anyValue).
func hasTag(tags []cosrules.Tag, key, value string, anyValue bool) bool {
	for _, t := range tags {
		if t.Key == key && (anyValue || t.Value == value) {
			return true
		}
	}
	return false
}

// TagsNeeded hands out up to n images whose tags are not known and for which want says
// yes (the caller tracks what it already asked for): the visible rows from..to first, so the
// screen's badges come first, then the rest of the list in key order, remembering where it
// stopped so that a long prefix is walked once, not once per call.
func (l *List) TagsNeeded(from, to, n int, want func(*Item) bool) []*Item {
	var out []*Item
	need := func(it *Item) bool { return !it.IsPrefix && it.Tags == nil && want(it) }
	for i := max(from, 0); i < min(to, len(l.visible)) && len(out) < n; i++ {
		if it := l.visible[i]; need(it) {
			out = append(out, it)
		}
	}
	for l.tagRest < len(l.all) && len(out) < n {
		it := l.all[l.tagRest]
		if need(it) && !containsItem(out, it) {
			out = append(out, it)
		}
		l.tagRest++
	}
	return out
}

// RetagAll forgets where TagsNeeded stopped, after tags were dropped (a refresh).
func (l *List) RetagAll() {
	for _, it := range l.all {
		if !it.IsPrefix {
			it.Tags = nil
		}
	}
	l.tagRest = 0
	l.dirty = true
}

func containsItem(items []*Item, it *Item) bool {
	for _, o := range items {
		if o == it {
			return true
		}
	}
	return false
}
