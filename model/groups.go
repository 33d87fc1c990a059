package model

// Groups of near-duplicates and bursts (issue 18) in the review state: each group's rows
// follow its best member, and a collapsed group shows only that best row. The grouping
// itself is found elsewhere (package similar, through the UI's Backend); the list only
// keeps it, orders by it and hides what is collapsed.

// Group is one group as the list receives it: Keys best first.
type Group struct {
	Kind string // duplicate, near or burst
	Keys []string
	Why  string // why Keys[0] is the best
	// Expanded shows every member; a new grouping starts collapsed.
	Expanded bool
}

// group is a Group held by the list; members are the items, best first.
type group struct {
	kind     string
	why      string
	members  []*Item
	expanded bool
}

// grouping is a list's groups and which one each grouped item is in.
type grouping struct {
	groups []*group
	of     map[*Item]*group
}

// SetGroups replaces the list's groups (nil or empty: none) and re-sorts. Keys not listed (or prefixes) are left out; a group left with fewer than two
// members is dropped.
func (l *List) SetGroups(gs []Group) {
	l.groups, l.pendingGroups = nil, nil
	if len(gs) > 0 {
		g := &grouping{of: map[*Item]*group{}}
		for _, in := range gs {
			gr := &group{kind: in.Kind, why: in.Why, expanded: in.Expanded}
			for _, k := range in.Keys {
				if it := l.byKey[k]; it != nil && !it.IsPrefix && g.of[it] == nil {
					gr.members = append(gr.members, it)
				}
			}
			if len(gr.members) < 2 {
				continue
			}
			for _, it := range gr.members {
				g.of[it] = gr
			}
			g.groups = append(g.groups, gr)
		}
		if len(g.groups) > 0 {
			l.groups = g
		}
	}
	l.rebuild()
}

// Groups returns the list's groups, best first within each, as SetGroups takes them (for a
// list that replaces this one, such as after a reload).
func (l *List) Groups() []Group {
	if l.groups == nil {
		return nil
	}
	out := make([]Group, 0, len(l.groups.groups))
	for _, g := range l.groups.groups {
		in := Group{Kind: g.kind, Why: g.why, Expanded: g.expanded}
		for _, it := range g.live(l) {
			in.Keys = append(in.Keys, it.Key)
		}
		out = append(out, in)
	}
	return out
}

// Grouped reports whether the list has groups.
func (l *List) Grouped() bool { return l.groups != nil }

// live are the group's members still listed, best first. The usual case, none removed,
// returns members itself: callers must not change the slice.
func (g *group) live(l *List) []*Item {
	all := true
	for _, it := range g.members {
		all = all && it.seq >= 0 // Remove marks what it drops with -1
	}
	if all {
		return g.members
	}
	out := make([]*Item, 0, len(g.members))
	for _, it := range g.members {
		if it.seq >= 0 {
			out = append(out, it)
		}
	}
	return out
}

// GroupInfo is what the screen shows of key's group.
type GroupInfo struct {
	Kind     string
	Why      string
	Size     int  // members still listed
	Best     bool // key is the group's head (its best listed member)
	Expanded bool
}

// GroupOf is key's group; ok is false when key is in none (or its group has fewer than two
// members left).
func (l *List) GroupOf(key string) (GroupInfo, bool) {
	g := l.groupOf(key)
	if g == nil {
		return GroupInfo{}, false
	}
	live := g.live(l)
	if len(live) < 2 {
		return GroupInfo{}, false
	}
	return GroupInfo{Kind: g.kind, Why: g.why, Size: len(live), Best: live[0].Key == key, Expanded: g.expanded}, true
}

func (l *List) groupOf(key string) *group {
	if l.groups == nil {
		return nil
	}
	it := l.byKey[key]
	if it == nil {
		return nil
	}
	return l.groups.of[it]
}

// GroupMembers are the listed items of key's group, best first; nil when key is in none.
// Filtered-out and collapsed members are included: the group is what it is, whatever shows.
func (l *List) GroupMembers(key string) []*Item {
	g := l.groupOf(key)
	if g == nil {
		return nil
	}
	if live := g.live(l); len(live) >= 2 {
		return live
	}
	return nil
}

// ToggleGroup expands key's group if collapsed, else collapses it, and returns the visible
// row key's group head is on afterwards (the cursor goes there on collapse); -1 and no
// change if key is in no group.
func (l *List) ToggleGroup(key string) int {
	g := l.groupOf(key)
	if g == nil {
		return -1
	}
	g.expanded = !g.expanded
	l.rebuild()
	if !g.expanded {
		if live := g.live(l); len(live) > 0 {
			return l.Nearest(live[0].Key)
		}
	}
	return l.Nearest(key)
}

// SetAllGroups expands (or collapses) every group and returns how many changed.
func (l *List) SetAllGroups(expanded bool) int {
	if l.groups == nil {
		return 0
	}
	n := 0
	for _, g := range l.groups.groups {
		if g.expanded != expanded {
			g.expanded = expanded
			n++
		}
	}
	if n > 0 {
		l.rebuild()
	}
	return n
}

// AllExpanded reports whether every group is expanded (false with no groups).
func (l *List) AllExpanded() bool {
	if l.groups == nil {
		return false
	}
	for _, g := range l.groups.groups {
		if !g.expanded {
			return false
		}
	}
	return true
}

// regroup runs after a sort: each group's members move right after its head (the best
// member still listed), best first, so a group sorts by its best; then visibility is
// applied again. A collapsed group shows its head only, unless the filter hides the head:
// then its matching members show, since nothing on screen stands for them.
func (l *List) regroup() {
	live := make(map[*group][]*Item, len(l.groups.groups)) // each group's listed members, once
	for _, g := range l.groups.groups {
		if ms := g.live(l); len(ms) >= 2 {
			live[g] = ms
		}
	}
	order := make([]*Item, 0, len(l.order))
	l.visible = l.visible[:0]
	for _, it := range l.order {
		g := l.groups.of[it]
		ms := live[g]
		switch {
		case ms == nil:
			order = append(order, it)
		case ms[0] == it:
			order = append(order, ms...)
		} // else placed after its head
	}
	l.order = order
	for i := 0; i < len(order); i++ {
		it := order[i]
		it.ord = int32(i)
		show := l.filter.match(it)
		l.place(it, show)
		g := l.groups.of[it]
		ms := live[g]
		if ms == nil || ms[0] != it {
			continue
		}
		for _, m := range ms[1:] { // the members follow their head
			i++
			m.ord = int32(i)
			l.place(m, l.filter.match(m) && (g.expanded || !show))
		}
	}
}

// carryGroups gives a refreshed list (l) the groups old had, once it is listed: a refresh
// does not undo the operator's grouping.
func (l *List) carryGroups(old *List) {
	if old.groups == nil || l.groups != nil {
		return
	}
	if gs := old.Groups(); l.complete {
		l.SetGroups(gs)
	} else {
		l.pendingGroups = gs
	}
}

// Images are the listed objects (not prefixes), in natural name order, filtered or not.
func (l *List) Images() []*Item {
	out := make([]*Item, 0, l.counts.Images)
	for _, it := range l.all {
		if !it.IsPrefix {
			out = append(out, it)
		}
	}
	return out
}
