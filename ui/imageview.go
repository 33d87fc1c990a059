package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lightbox/internal/names"
	"lightbox/keymap"
	"lightbox/model"
	"lightbox/score"
)

// The full-screen view of one image (o, or Enter on an image): the picture, a line of its
// scores, next and previous without leaving it.

// previewSize is the picture's size in the detail pane at the current layout.
func (m *Model) previewSize() (cols, rows int) {
	if m.mode == modeImage {
		return m.width, max(1, m.height-2)
	}
	w := m.width
	switch {
	case m.showDetail && w >= wideLayout:
		w = min(max(36, w/3), 56)
	case !m.showDetail && w < wideLayout:
	default:
		return 0, 0 // no detail pane on screen
	}
	inner := max(10, w-2)
	return inner, previewRows(m.listRows(), inner)
}

func (m *Model) openImage() tea.Cmd {
	it := m.list.At(m.cursor)
	if it == nil || it.IsPrefix {
		return nil
	}
	m.mode = modeImage
	cols, rows := m.previewSize()
	return m.wantPreview(cols, rows)
}

// onImageKey: j/k, n/p, arrows and space move between images; o, q, esc and enter return.
func (m *Model) onImageKey(msg tea.KeyPressMsg) tea.Cmd {
	step := 0
	switch msg.String() {
	case "n", "space", "right", "l":
		step = 1
	case "p", "left", "h", "backspace":
		step = -1
	case "o", "q", "esc", "enter":
		m.mode = modeNormal
		return m.detailSoon()
	default:
		if a, ok := m.keys.Match(msg); ok {
			switch a {
			case keymap.ActionDown:
				step = 1
			case keymap.ActionUp:
				step = -1
			case keymap.ActionExternal:
				return m.openExternal()
			}
		}
	}
	if step == 0 {
		return nil
	}
	for i := m.cursor + step; i >= 0 && i < m.list.Len(); i += step {
		if it := m.list.At(i); it != nil && !it.IsPrefix {
			m.cursor = i
			m.clampCursor()
			m.sess.RememberCursor(m.list.Prefix(), it.Key)
			cols, rows := m.previewSize()
			return tea.Batch(m.wantPreview(cols, rows), m.pump())
		}
	}
	return nil
}

func (m *Model) imageView(w, h int) string {
	it := m.list.At(m.cursor)
	if it == nil || it.IsPrefix {
		m.mode = modeNormal
		return ""
	}
	top := m.st.DetailTitle.Render(names.Printable(it.Name)) + "  " + m.scoreLine(it)
	hint := m.st.Hint.Render(fmt.Sprintf("%d/%d  n/p next/previous · O external viewer · o/esc back", m.cursor+1, m.list.Len()))
	pic := m.previewText(it, w, max(1, h-2))
	return strings.Join([]string{fit(top, w), pic, fit(hint, w)}, "\n")
}

func (m *Model) scoreLine(it *model.Item) string {
	switch it.State {
	case model.Scored:
		var parts []string
		for _, f := range score.Fields {
			v := f.Get(it.Scores)
			parts = append(parts, m.st.Label.Render(strings.ToLower(f.Label)+" ")+m.st.scoreStyle(v, m.opt.Threshold).Render(fmt.Sprint(v)))
		}
		if f := it.Flags().String(); f != "" {
			parts = append(parts, m.st.Badge.Render(f))
		}
		return strings.Join(parts, "  ")
	case model.Failed:
		return m.st.Failed.Render("✗ " + failureLabel(it.ErrKind, it.ErrMessage))
	}
	return m.st.Waiting.Render(it.State.String())
}
