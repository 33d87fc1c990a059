package ui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lightbox/curation"
	"lightbox/internal/names"
	"lightbox/keymap"
)

// The trash view (T): what soft deletes put under [curation] trash_prefix, newest first,
// with when and by which batch; r restores the marked entries (or the one under the
// cursor) to their original keys, E empties the marked ones (or the whole trash) for good
// after a confirmation.

type trashMsg struct {
	entries []curation.TrashEntry
	err     error
}

type trashState struct {
	entries []curation.TrashEntry
	err     error
	loaded  bool
	sel     int
	offset  int
	marked  map[string]bool // by trash key
}

func readTrash(ctx context.Context, b Backend) tea.Cmd {
	return func() tea.Msg {
		entries, err := b.Trash(ctx)
		return trashMsg{entries: entries, err: err}
	}
}

func (m *Model) openTrash() tea.Cmd {
	m.mode = modeTrash
	m.tv = trashState{marked: map[string]bool{}}
	return readTrash(m.ctx, m.opt.Backend)
}

func (m *Model) onTrash(msg trashMsg) tea.Cmd {
	sel := ""
	if m.tv.sel < len(m.tv.entries) {
		sel = m.tv.entries[m.tv.sel].Key
	}
	m.tv.entries, m.tv.err, m.tv.loaded = msg.entries, msg.err, true
	m.tv.sel = 0
	for i, e := range m.tv.entries {
		if e.Key == sel {
			m.tv.sel = i
		}
	}
	for k := range m.tv.marked {
		if !m.inTrash(k) {
			delete(m.tv.marked, k)
		}
	}
	m.clampTrash()
	return nil
}

func (m *Model) inTrash(key string) bool {
	for _, e := range m.tv.entries {
		if e.Key == key {
			return true
		}
	}
	return false
}

func (m *Model) clampTrash() {
	rows := m.journalRows()
	m.tv.sel = min(max(m.tv.sel, 0), max(len(m.tv.entries)-1, 0))
	if m.tv.sel < m.tv.offset {
		m.tv.offset = m.tv.sel
	}
	if m.tv.sel >= m.tv.offset+rows {
		m.tv.offset = m.tv.sel - rows + 1
	}
}

// trashTargets are the marked trash keys, or the one under the cursor.
func (m *Model) trashTargets() []string {
	var keys []string
	for _, e := range m.tv.entries {
		if m.tv.marked[e.Key] {
			keys = append(keys, e.Key)
		}
	}
	if len(keys) == 0 && m.tv.sel < len(m.tv.entries) {
		keys = []string{m.tv.entries[m.tv.sel].Key}
	}
	return keys
}

func (m *Model) onTrashKey(msg tea.KeyPressMsg) tea.Cmd {
	rows := m.journalRows()
	if !moveInList(msg.String(), &m.tv.sel, rows, len(m.tv.entries)-1) {
		switch msg.String() {
		case "space":
			if m.tv.sel < len(m.tv.entries) {
				k := m.tv.entries[m.tv.sel].Key
				if m.tv.marked[k] {
					delete(m.tv.marked, k)
				} else {
					m.tv.marked[k] = true
				}
				m.tv.sel++
			}
		case "ctrl+a", "*":
			for _, e := range m.tv.entries {
				m.tv.marked[e.Key] = true
			}
		case "ctrl+x":
			clear(m.tv.marked)
		case "r":
			return m.askRestore()
		case "E":
			return m.askEmptyTrash()
		default:
			if m.leavesView(msg, keymap.ActionTrash) {
				m.mode = modeNormal
				return nil
			}
		}
	}
	m.clampTrash()
	return nil
}

func (m *Model) askRestore() tea.Cmd {
	keys := m.trashTargets()
	if len(keys) == 0 {
		return m.setStatus(false, "the trash is empty")
	}
	if m.opt.ReadOnly != "" {
		return m.readOnly()
	}
	originals := make([]string, len(keys))
	for i, k := range keys {
		originals[i] = strings.TrimPrefix(k, m.opt.Curation.TrashPrefix)
	}
	m.dialog = &dialog{
		title: fmt.Sprintf("Restore %d image(s) from the trash?", len(keys)),
		lines: append(examples(originals, 5), "", "Each goes back to its original key, never over an object that is there now.", "u undoes it; the journal (J) records it."),
		confirm: func() tea.Cmd {
			return m.startJob(&job{kind: "restore", label: "restore", keys: keys}, func(ctx context.Context) (curation.Report, error) {
				return m.opt.Backend.Restore(ctx, keys)
			})
		},
	}
	return nil
}

func (m *Model) askEmptyTrash() tea.Cmd {
	var keys []string
	for _, e := range m.tv.entries {
		if m.tv.marked[e.Key] {
			keys = append(keys, e.Key)
		}
	}
	what := fmt.Sprintf("the %d marked image(s)", len(keys))
	if len(keys) == 0 {
		for _, e := range m.tv.entries {
			keys = append(keys, e.Key)
		}
		what = fmt.Sprintf("all %d image(s) in the trash", len(keys))
	}
	if len(keys) == 0 {
		return m.setStatus(false, "the trash is empty")
	}
	if m.opt.ReadOnly != "" {
		return m.readOnly()
	}
	m.dialog = &dialog{
		danger: true,
		title:  fmt.Sprintf("PERMANENTLY delete %s?", what),
		lines:  append(examples(keys, 5), "", "Emptying the trash cannot be undone."),
		confirm: func() tea.Cmd {
			return m.startJob(&job{kind: "empty", label: "empty trash", keys: keys}, func(ctx context.Context) (curation.Report, error) {
				return m.opt.Backend.EmptyTrash(ctx, keys)
			})
		},
	}
	return nil
}

func (m *Model) trashView(width, height int) string {
	inner := max(40, min(width-6, 140))
	marked := len(m.tv.marked)
	title := "   " + m.opt.Curation.TrashPrefix
	if m.tv.loaded && m.tv.err == nil {
		title += fmt.Sprintf(" · %d image(s)", len(m.tv.entries))
	}
	if marked > 0 {
		title += fmt.Sprintf(" · %d marked", marked)
	}
	lines := []string{
		m.st.OverlayTitle.Render("Trash") + m.st.Hint.Render(fit(title, inner-5)),
		m.st.Hint.Render(fit("space mark · ctrl+a mark all · r restore (marked, else this one) · E empty for good · esc closes", inner)),
		"",
	}
	switch {
	case m.tv.err != nil:
		lines = append(lines, m.st.Error.Render(fit("the trash cannot be read: "+reason(m.tv.err), inner)))
	case !m.tv.loaded:
		lines = append(lines, m.st.Dim.Render("reading the trash…"))
	case len(m.tv.entries) == 0:
		lines = append(lines, m.st.Dim.Render("the trash is empty"))
	}
	keyW := max(16, inner-16-1-7-1-4-24)
	if len(m.tv.entries) > 0 {
		lines = append(lines, m.st.Label.Render(fit(fmt.Sprintf("    %-16s %-*s %7s  %s", "trashed", keyW, "original key", "size", "batch"), inner)))
	}
	rows := m.journalRows()
	end := min(len(m.tv.entries), m.tv.offset+rows)
	for i := m.tv.offset; i < end; i++ {
		e := m.tv.entries[i]
		when := "unknown"
		if !e.Trashed.IsZero() {
			when = e.Trashed.Local().Format("2006-01-02 15:04")
		}
		mark := "  "
		if m.tv.marked[e.Key] {
			mark = "● "
		}
		cur := "  "
		if i == m.tv.sel {
			cur = "▸ "
		}
		batch := e.Batch
		if batch == "" {
			batch = "(not in the journal)"
		}
		line := fmt.Sprintf("%s%s%-16s %-*s %7s  %s", cur, mark, when, keyW, fit(names.Printable(e.Original), keyW), humanSize(e.Size), batch)
		style := m.st.Value
		switch {
		case i == m.tv.sel:
			style = m.st.RowCursor
		case m.tv.marked[e.Key]:
			style = m.st.RowMarked
		}
		lines = append(lines, style.Render(fit(line, inner)))
	}
	if len(m.tv.entries) > rows {
		lines = append(lines, m.st.Hint.Render(fmt.Sprintf("%d–%d of %d", m.tv.offset+1, end, len(m.tv.entries))))
	}
	return m.st.Overlay.MaxWidth(width).Render(strings.Join(lines, "\n"))
}
