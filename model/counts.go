package model

// Counts summarise a List for the status line. They are kept up to date on every change,
// so reading them costs nothing however often the screen redraws.
type Counts struct {
	Prefixes int
	Images   int // objects; the four states below add up to it
	Waiting  int
	Scoring  int
	Scored   int
	Failed   int
	Marked   int // marked images, filtered out or not
}

// state returns the counter of one state.
func (c *Counts) state(s State) *int {
	switch s {
	case Scoring:
		return &c.Scoring
	case Scored:
		return &c.Scored
	case Failed:
		return &c.Failed
	}
	return &c.Waiting
}

// add counts an item in (d = 1) or out (d = -1).
func (c *Counts) add(it *Item, d int) {
	if it.IsPrefix {
		c.Prefixes += d
		return
	}
	c.Images += d
	*c.state(it.State) += d
	if it.Marked {
		c.Marked += d
	}
}

// setState moves an image to state s, keeping the counts.
func (l *List) setState(it *Item, s State) {
	if it.State == s {
		return
	}
	*l.counts.state(it.State)--
	*l.counts.state(s)++
	it.State = s
	l.dirty = true
	if s == Waiting && int(it.seq) < l.rest {
		l.rest = int(it.seq) // the queue's "rest" cursor must see it again
	}
}

// setMark marks or unmarks an image; false when nothing changed (prefixes are never marked).
func (l *List) setMark(it *Item, on bool) bool {
	if it.IsPrefix || it.Marked == on {
		return false
	}
	it.Marked = on
	if on {
		l.counts.Marked++
	} else {
		l.counts.Marked--
	}
	if l.filter.f.OnlyMarked {
		l.dirty = true
	}
	return true
}
