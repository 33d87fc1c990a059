package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"lightbox/cosapi"
	"lightbox/internal/cosrules"
	"lightbox/model"
)

// Tags, and with them each row's PICK/REJECT badge, are loaded in the background: the rows
// on screen first, then the rest of the prefix, a few requests at a time (the scoring
// concurrency). On real COS each read is a GET ?tagging request, so answers are kept for
// the session per object version (key and ETag); ctrl+r forgets them for the prefix, to
// see tags another reviewer wrote.

// tagsMsg is one object's tags.
type tagsMsg struct {
	list      *model.List
	key, etag string
	gen       int // the version's tagGen when asked: a batch since makes the answer stale
	tags      []cosrules.Tag
	err       error
}

func tagID(key, etag string) string { return key + "\x00" + etag }

func tagsCmd(ctx context.Context, b Backend, l *model.List, key, etag string, gen int) tea.Cmd {
	return func() tea.Msg {
		tags, err := b.Tags(ctx, key)
		if err == nil && tags == nil {
			tags = []cosrules.Tag{} // known: none
		}
		return tagsMsg{list: l, key: key, etag: etag, gen: gen, tags: tags, err: err}
	}
}

// tagPump hands out tag reads up to the concurrency; cached answers are applied at once.
func (m *Model) tagPump() tea.Cmd {
	var cmds []tea.Cmd
	l := m.list
	applied := false
	want := func(it *model.Item) bool { return !m.tagAsked[tagID(it.Key, it.ETag)] }
	for free := m.opt.Concurrency - m.tagInflight; free > 0; {
		items := l.TagsNeeded(m.offset, m.offset+m.listRows(), free, want)
		if len(items) == 0 {
			break
		}
		for _, it := range items {
			id := tagID(it.Key, it.ETag)
			if tags, ok := m.tagCache[id]; ok {
				l.SetTags(it.Key, tags)
				applied = true
				continue
			}
			m.tagAsked[id] = true
			m.tagInflight++
			free--
			cmds = append(cmds, tagsCmd(m.ctx, m.opt.Backend, l, it.Key, it.ETag, m.tagGen[id]))
		}
	}
	if applied && filtersByTags(l) {
		cmds = append(cmds, m.resortSoon(l))
	}
	return tea.Batch(cmds...)
}

func filtersByTags(l *model.List) bool {
	f := l.Filter()
	return f.Verdict != model.AnyVerdict || f.TagKey != ""
}

func (m *Model) onTags(msg tagsMsg) tea.Cmd {
	m.tagInflight--
	id := tagID(msg.key, msg.etag)
	if msg.gen != m.tagGen[id] {
		delete(m.tagAsked, id) // read before a batch changed them: read again
		return m.tagPump()
	}
	if msg.err != nil {
		if cosapi.KindOf(msg.err) == cosapi.KindCanceled {
			delete(m.tagAsked, id) // not the object's fault: ask again later
		}
		// Otherwise left asked: the cursor's detail fetch says what is wrong.
		return m.tagPump()
	}
	m.rememberTags(msg.key, msg.etag, msg.tags)
	if it := msg.list.Item(msg.key); it != nil && it.ETag == msg.etag {
		msg.list.SetTags(msg.key, msg.tags)
	}
	var resort tea.Cmd
	if filtersByTags(msg.list) {
		resort = m.resortSoon(msg.list)
	}
	return tea.Batch(resort, m.tagPump())
}

// rememberTags caches an object version's tags for the session.
func (m *Model) rememberTags(key, etag string, tags []cosrules.Tag) {
	if tags == nil {
		tags = []cosrules.Tag{}
	}
	m.tagCache[tagID(key, etag)] = tags
}

// forgetTags drops what is known of keys' tags (an undo or restore changed them without
// changing their ETags) so that they are read again.
func (m *Model) forgetTags(l *model.List, keys ...string) {
	for _, k := range keys {
		if it := l.Item(k); it != nil {
			id := tagID(k, it.ETag)
			delete(m.tagCache, id)
			delete(m.tagAsked, id)
			m.tagGen[id]++ // a read in flight answers for before
			l.SetTags(k, nil)
		}
	}
}

// resortSoon re-sorts (and re-filters) l shortly, once, however many answers arrive.
func (m *Model) resortSoon(l *model.List) tea.Cmd {
	if l != m.list || m.resortDue {
		return nil
	}
	m.resortDue = true
	return m.after(resortEvery, func(time.Time) tea.Msg { return resortMsg{list: l} })
}
