package model

import "lightbox/score"

// The scoring queue is a view of the items' states, not a separate list: an image is
// queued while it is Waiting. What matters is the order of hand-out: the rows on screen
// first, then everything else in name order. "Everything else" is a cursor over the
// name-ordered items that only moves forward (Requeue, a changed object and a new item
// listed before it move it back),
// so calling Next often with 100,000 items costs the window, not the list.

// Next hands out up to n Waiting images to score and marks them Scoring: first the visible
// rows from..to-1 in visible order, then the rest in name order. Each must be answered with
// SetScore, SetFailed or Requeue. Nothing while paused.
func (l *List) Next(from, to, n int) []*Item {
	if l.paused || n <= 0 || l.counts.Waiting == 0 {
		return nil
	}
	out := make([]*Item, 0, min(n, l.counts.Waiting))
	take := func(it *Item) {
		if !it.IsPrefix && it.State == Waiting {
			l.setState(it, Scoring)
			out = append(out, it)
		}
	}
	from, to = max(from, 0), min(to, len(l.visible))
	for i := from; i < to && len(out) < n; i++ {
		take(l.visible[i])
	}
	for l.rest < len(l.all) && len(out) < n {
		take(l.all[l.rest])
		l.rest++
	}
	return out
}

// Requeue sends keys back to Waiting for a fresh score (re-score on demand, one item or
// the marked set), with Refresh set so the score cache is bypassed. It returns how many
// images it requeued. An answer still in flight for one of them lands normally.
func (l *List) Requeue(keys ...string) int {
	n := 0
	for _, k := range keys {
		it := l.byKey[k]
		if it == nil || it.IsPrefix {
			continue
		}
		it.Scores, it.ErrKind, it.ErrMessage, it.Refresh = score.Scores{}, 0, "", true
		l.setState(it, Waiting)
		l.dirty = true
		n++
	}
	return n
}

// Pause stops Next from handing out work; what is in flight finishes.
func (l *List) Pause() { l.paused = true }

// Resume lets Next hand out work again.
func (l *List) Resume() { l.paused = false }

// Paused reports whether scoring is paused.
func (l *List) Paused() bool { return l.paused }

// NextWindow is Next for billed scoring: only the visible rows from..to-1, then the
// Waiting images among keys (the ones the operator asked for), never the rest of the list.
func (l *List) NextWindow(from, to, n int, keys []string) []*Item {
	if l.paused || n <= 0 || l.counts.Waiting == 0 {
		return nil
	}
	var out []*Item
	take := func(it *Item) {
		if it != nil && !it.IsPrefix && it.State == Waiting {
			l.setState(it, Scoring)
			out = append(out, it)
		}
	}
	from, to = max(from, 0), min(to, len(l.visible))
	for i := from; i < to && len(out) < n; i++ {
		take(l.visible[i])
	}
	for _, k := range keys {
		if len(out) >= n {
			break
		}
		take(l.byKey[k])
	}
	return out
}
