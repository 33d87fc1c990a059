package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"lightbox/cosapi"
	"lightbox/model"
)

// Refresh: ctrl+r lists the prefix again (new prefixes such as picked/ or the trash,
// files added from outside), keeping the cursor on its image and every score, mark and
// failure of an unchanged object version; tags are read again, since another reviewer may
// have written some (a tag change does not change an object's ETag).
//
// A folder target (Options.AutoRefresh > 0) is also polled: every AutoRefresh, while the
// reviewer is idle, the prefix is listed again in a Cmd and a fingerprint of its entries
// (keys, ETags, sizes, in listing order) is compared with the one built as the list's own
// pages arrived. Polling, rather than watching the folder, keeps the UI on the COS API it
// uses for every target, costs one listing of a local server, and needs no file-descriptor
// per directory; prefixes above maxPollEntries are left to ctrl+r, where a poll would cost
// as much as the listing itself.

const maxPollEntries = 20_000

// refreshState is a list being listed again in place of old.
type refreshState struct {
	old      *model.List
	cursor   string // the image the cursor was on
	keepTags bool
}

// refresh lists the current prefix again; auto says it was the poll (tags are kept).
func (m *Model) refresh(auto bool) tea.Cmd {
	old := m.list
	cursor := m.cursorKey()
	if cursor == "" {
		cursor = m.sess.Cursor(old.Prefix())
	}
	m.sess.RememberCursor(old.Prefix(), cursor)
	if !auto {
		// Forget the prefix's tags for the session: they are read again as the rows arrive.
		for i := range old.Len() {
			if it := old.At(i); it != nil && !it.IsPrefix {
				id := tagID(it.Key, it.ETag)
				delete(m.tagCache, id)
				delete(m.tagAsked, id)
				m.tagGen[id]++
			}
		}
	}
	l := m.sess.Reload()
	m.list = l
	m.refreshing[l] = &refreshState{old: old, cursor: cursor, keepTags: auto}
	delete(m.prints, old)
	clear(m.rows)
	m.cursor, m.offset = 0, 0
	var status tea.Cmd
	if !auto {
		status = m.setStatus(false, "refreshing %s…", displayPrefix(l.Prefix()))
	} else {
		status = m.setStatus(false, "%s changed on disk: refreshed", displayPrefix(l.Prefix()))
	}
	return tea.Batch(status, m.startListing(l))
}

// onRefreshPage carries over what the old list knew of a page's objects.
func (m *Model) onRefreshPage(l *model.List, p cosapi.Page) {
	rs := m.refreshing[l]
	if rs == nil {
		return
	}
	keys := make([]string, 0, len(p.Objects))
	for _, o := range p.Objects {
		keys = append(keys, o.Key)
	}
	l.CarryOver(rs.old, keys, rs.keepTags)
	if rs.cursor != "" && l.Item(rs.cursor) != nil {
		m.follow(rs.cursor)
		rs.cursor = "" // found: from here the operator moves it
	}
	if !p.Truncated {
		delete(m.refreshing, l)
	}
}

// fingerprint folds a page into a running FNV-1a hash of a listing.
func fingerprint(h uint64, p cosapi.Page) uint64 {
	if h == 0 {
		h = 14695981039346656037
	}
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
		h ^= 0xff // separator
		h *= 1099511628211
	}
	for _, pr := range p.Prefixes {
		add(pr)
	}
	for _, o := range p.Objects {
		add(o.Key)
		add(o.ETag)
		var n [8]byte
		for i := range n {
			n[i] = byte(o.Size >> (8 * i))
		}
		add(string(n[:]))
	}
	return h
}

type pollTickMsg struct{ list *model.List }

// pollMsg is a fresh fingerprint of a list's prefix.
type pollMsg struct {
	list  *model.List
	print uint64
	err   error
}

// schedulePoll arms the next poll of the current list.
func (m *Model) schedulePoll() tea.Cmd {
	if m.opt.AutoRefresh <= 0 || m.pollArmed {
		return nil
	}
	m.pollArmed = true
	l := m.list
	return m.after(m.opt.AutoRefresh, func(time.Time) tea.Msg { return pollTickMsg{list: l} })
}

func (m *Model) onPollTick(msg pollTickMsg) tea.Cmd {
	m.pollArmed = false
	l := m.list
	_, known := m.prints[l]
	// Idle only: no batch, no dialog or prompt, the listing complete, not too big.
	if msg.list != l || m.job != nil || m.dialog != nil || m.mode != modeNormal && m.mode != modeVisual ||
		!l.Complete() || !known || l.Total() > maxPollEntries || m.polling {
		return m.schedulePoll()
	}
	m.polling = true
	return pollCmd(m.ctx, m.opt.Backend, l)
}

func pollCmd(ctx context.Context, b Backend, l *model.List) tea.Cmd {
	prefix := l.Prefix()
	return func() tea.Msg {
		var h uint64
		marker := ""
		for entries := 0; entries <= maxPollEntries; {
			p, err := b.ListPage(ctx, prefix, marker, false, cosapi.MaxPage)
			if err != nil {
				return pollMsg{list: l, err: err}
			}
			h = fingerprint(h, p)
			entries += len(p.Objects) + len(p.Prefixes)
			if !p.Truncated {
				return pollMsg{list: l, print: h}
			}
			marker = p.NextMarker
		}
		return pollMsg{list: l, err: context.DeadlineExceeded} // grew past the bound: leave it to ctrl+r
	}
}

func (m *Model) onPoll(msg pollMsg) tea.Cmd {
	m.polling = false
	if msg.err != nil || msg.list != m.list || m.job != nil {
		return m.schedulePoll()
	}
	if msg.print == m.prints[msg.list] {
		return m.schedulePoll()
	}
	return tea.Batch(m.refresh(true), m.schedulePoll())
}
