package model

// Marks live on the items, so they survive sorting, filtering and Resort. Only images are
// marked: a prefix is never acted on. Each function returns how many marks changed.

// ToggleMark flips visible row i's mark and returns the new mark (false for a prefix or a
// row out of range).
func (l *List) ToggleMark(i int) bool {
	it := l.At(i)
	if it == nil {
		return false
	}
	l.setMark(it, !it.Marked)
	return it.Marked
}

// SetMark marks or unmarks key; false if nothing changed.
func (l *List) SetMark(key string, on bool) bool {
	it := l.byKey[key]
	return it != nil && l.setMark(it, on)
}

// MarkRange marks (or unmarks) visible rows from..to, both included, in either order: the
// span of a visual selection from its anchor to the cursor.
func (l *List) MarkRange(from, to int, on bool) int {
	if from > to {
		from, to = to, from
	}
	from, to = max(from, 0), min(to, len(l.visible)-1)
	n := 0
	for i := from; i <= to; i++ {
		if l.setMark(l.visible[i], on) {
			n++
		}
	}
	return n
}

// MarkAllVisible marks every visible image.
func (l *List) MarkAllVisible() int { return l.MarkRange(0, len(l.visible)-1, true) }

// InvertVisible flips the mark of every visible image; hidden marks stay.
func (l *List) InvertVisible() int {
	n := 0
	for _, it := range l.visible {
		if l.setMark(it, !it.Marked) {
			n++
		}
	}
	return n
}

// ClearMarks unmarks everything, filtered out or not, so nothing unseen is acted on later.
func (l *List) ClearMarks() int {
	n := 0
	for _, it := range l.all {
		if l.counts.Marked == 0 {
			break
		}
		if l.setMark(it, false) {
			n++
		}
	}
	return n
}

// Marked are the marked images in the current order, including those the filter hides
// (Counts().Marked says how many; IndexOfKey < 0 tells a hidden one).
func (l *List) Marked() []*Item {
	out := make([]*Item, 0, l.counts.Marked)
	for _, it := range l.order {
		if len(out) == l.counts.Marked {
			break
		}
		if it.Marked {
			out = append(out, it)
		}
	}
	return out
}

// MarkedKeys are Marked's keys.
func (l *List) MarkedKeys() []string {
	marked := l.Marked()
	keys := make([]string, len(marked))
	for i, it := range marked {
		keys[i] = it.Key
	}
	return keys
}
