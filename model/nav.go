package model

import (
	"fmt"
	"slices"
	"strings"
)

// MaxCachedLists is how many prefixes' lists a Session keeps, so going back to one of the
// last few is instant while memory stays bounded (a list can hold 100,000 items).
const MaxCachedLists = 8

// Session is the operator's walk through one target: the root they opened (never left),
// the prefix being shown, the lists of the prefixes visited last, and the cursor key
// remembered per prefix. New lists take the current list's sort and pause, so the view
// feels the same in every folder; filters stay with their folder.
type Session struct {
	label   string // first crumb: the bucket, or the local folder
	root    string
	prefix  string
	lists   []*List // least recently shown first; the current one last
	cursors map[string]string
}

// NewSession opens root ("" for the whole bucket, or a prefix, possibly ending mid-name)
// under a crumb label such as the bucket name.
func NewSession(label, root string) *Session {
	return &Session{label: label, root: root, prefix: root, lists: []*List{NewList(root)}, cursors: map[string]string{}}
}

// Root is the prefix the session was opened on.
func (s *Session) Root() string { return s.root }

// Prefix is the prefix shown.
func (s *Session) Prefix() string { return s.prefix }

// List is the prefix shown's list.
func (s *Session) List() *List { return s.lists[len(s.lists)-1] }

// Cached is prefix's list if it is still kept, else nil: answers for a list that was
// dropped are dropped too (the score cache keeps them for next time).
func (s *Session) Cached(prefix string) *List {
	for _, l := range s.lists {
		if l.prefix == prefix {
			return l
		}
	}
	return nil
}

// Crumbs are the label and the shown prefix's segments: ["bucket", "2024/", "beach/"].
func (s *Session) Crumbs() []string {
	out := []string{s.label}
	rest := s.prefix
	for rest != "" {
		i := strings.IndexByte(rest, '/') + 1
		if i == 0 {
			i = len(rest) // a root that ends mid-name
		}
		out = append(out, rest[:i])
		rest = rest[i:]
	}
	return out
}

// Enter shows prefix, which must lie under the root, and returns its list: the kept one if
// it was visited lately (check Complete: a listing cut short must be resumed after
// Marker), else a new, empty one to list.
func (s *Session) Enter(prefix string) (*List, error) {
	if !strings.HasPrefix(prefix, s.root) {
		return nil, fmt.Errorf("%q is outside %q, where this session started", prefix, s.root)
	}
	return s.show(prefix), nil
}

// Up shows the parent prefix (never above the root), with the cursor on the prefix just
// left; false at the root.
func (s *Session) Up() (*List, bool) {
	if s.prefix == s.root {
		return s.List(), false
	}
	child := s.prefix
	parent := child[:strings.LastIndexByte(strings.TrimSuffix(child, "/"), '/')+1]
	if len(parent) < len(s.root) {
		parent = s.root
	}
	s.cursors[parent] = child
	return s.show(parent), true
}

// show makes prefix's list the current one.
func (s *Session) show(prefix string) *List {
	cur := s.List()
	field, desc := cur.Sort()
	i := slices.IndexFunc(s.lists, func(l *List) bool { return l.prefix == prefix })
	var l *List
	if i >= 0 {
		l = s.lists[i]
		s.lists = slices.Delete(s.lists, i, i+1)
		if f, d := l.Sort(); f != field || d != desc {
			l.SetSort(field, desc)
		}
	} else {
		l = NewList(prefix)
		l.field, l.desc = field, desc // empty: nothing to sort yet
	}
	l.paused = cur.paused
	s.lists = append(s.lists, l)
	if len(s.lists) > MaxCachedLists {
		clear(s.lists[:len(s.lists)-MaxCachedLists])
		s.lists = s.lists[len(s.lists)-MaxCachedLists:]
	}
	s.prefix = prefix
	return l
}

// RememberCursor records the key under the cursor in prefix, to return to it later.
func (s *Session) RememberCursor(prefix, key string) { s.cursors[prefix] = key }

// Cursor is the key remembered for prefix, "" if none.
func (s *Session) Cursor(prefix string) string { return s.cursors[prefix] }

// Reload replaces the current prefix's list with a new, empty one that keeps its sort,
// filter, pause and groups, for when the bucket changed under it (an undo brought objects back).
// Scores come back from the score cache as the new listing arrives.
func (s *Session) Reload() *List {
	cur := s.List()
	l := NewList(cur.prefix)
	l.field, l.desc, l.paused = cur.field, cur.desc, cur.paused
	l.SetFilter(cur.Filter())
	l.pendingGroups = cur.Groups() // the same pictures group alike once listed again
	s.lists[len(s.lists)-1] = l
	return l
}
