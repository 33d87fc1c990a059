package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"lightbox/internal/cosrules"
	"lightbox/internal/names"
	"lightbox/keymap"
	"lightbox/model"
	"lightbox/score"
)

// Compare (C): two to four images side by side, as large as the screen allows, each with
// its scores, flags and verdict. A focus moves between them; enter (or P) picks the
// focused one and rejects the others, through the same tag batches as P and X.

const compareMax = 4

type compareState struct {
	items []*model.Item
	focus int
}

// compareFromList opens the marked images; with none marked, the group under the cursor
// (best first, as many as fit), else the cursor's and the next image.
func (m *Model) compareFromList() tea.Cmd {
	var items []*model.Item
	if keys := m.list.MarkedKeys(); len(keys) > 0 {
		for _, k := range keys {
			if it := m.list.Item(k); it != nil && !it.IsPrefix {
				items = append(items, it)
			}
		}
		if len(items) > compareMax {
			return m.setStatus(true, "compare shows 2 to %d images: %d are marked", compareMax, len(items))
		}
	} else if members := m.groupMembers(m.cursor); len(members) > 1 {
		items = members[:min(len(members), compareMax)]
	} else {
		for i := m.cursor; i < m.list.Len() && len(items) < 2; i++ {
			if it := m.list.At(i); it != nil && !it.IsPrefix {
				items = append(items, it)
			}
		}
	}
	return m.openCompare(items)
}

// openCompare shows items (2 to 4) side by side. The groups view opens a group with it.
func (m *Model) openCompare(items []*model.Item) tea.Cmd {
	if len(items) < 2 || len(items) > compareMax {
		return m.setStatus(true, "compare shows 2 to %d images, not %d (mark them with space)", compareMax, len(items))
	}
	m.cmp = &compareState{items: items}
	m.mode = modeCompare
	return m.wantCompare()
}

// compareLay is each panel's picture size at the current screen.
func (m *Model) compareLay() (panelW, picCols, picRows int) {
	n := len(m.cmp.items)
	panelW = max(1, (m.width-(n-1))/n)
	return panelW, max(1, panelW-1), max(1, m.height-2-compareInfo)
}

// compareInfo is the lines under each picture: name, three scores, flags and verdict.
const compareInfo = 5

func (m *Model) wantCompare() tea.Cmd {
	_, cols, rows := m.compareLay()
	var cmds []tea.Cmd
	for _, it := range m.cmp.items {
		if names.IsImageName(it.Key) && cols >= 4 && rows >= 2 {
			cmds = append(cmds, m.renderPreview(it, cols, rows, true))
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) onCompareKey(msg tea.KeyPressMsg) tea.Cmd {
	c := m.cmp
	switch msg.String() {
	case "left", "h", "shift+tab", "k", "up":
		c.focus = (c.focus + len(c.items) - 1) % len(c.items)
	case "right", "l", "tab", "j", "down":
		c.focus = (c.focus + 1) % len(c.items)
	case "enter", "P":
		return m.comparePick()
	default:
		if m.leavesView(msg, keymap.ActionCompare) {
			m.mode, m.cmp = modeNormal, nil
			return m.detailSoon()
		}
	}
	return nil
}

// comparePick tags the focused image pick and the others reject: two tag batches in the
// journal, like P on one and X on the rest, after the confirmation every batch gets.
func (m *Model) comparePick() tea.Cmd {
	if m.opt.ReadOnly != "" {
		return m.readOnly()
	}
	c := m.cmp
	pick := c.items[c.focus].Key
	var rejects []string
	for i, it := range c.items {
		if i != c.focus {
			rejects = append(rejects, it.Key)
		}
	}
	pickTag := []cosrules.Tag{{Key: FlagTag, Value: "pick"}}
	rejectTag := []cosrules.Tag{{Key: FlagTag, Value: "reject"}}
	m.dialog = &dialog{
		title: fmt.Sprintf("pick %s and reject the other %d?", names.Printable(baseName(pick)), len(rejects)),
		lines: append(append([]string{"pick:   " + pick, "reject:"}, examples(rejects, compareMax)...),
			"", "Two batches in the journal (J): u undoes the rejects, u again the pick."),
		confirm: func() tea.Cmd {
			m.mode, m.cmp = modeNormal, nil
			return m.tagJob([]string{pick}, pickTag, nil, func() tea.Cmd {
				return m.tagJob(rejects, rejectTag, nil, nil)
			})
		},
	}
	return nil
}

func baseName(key string) string {
	if i := strings.LastIndexByte(strings.TrimSuffix(key, "/"), '/'); i >= 0 {
		return key[i+1:]
	}
	return key
}

// compareView draws the panels over the whole screen, and any confirmation over them.
func (m *Model) compareView(w, h int) string {
	c := m.cmp
	panelW, cols, rows := m.compareLay()
	panels := make([]string, 0, len(c.items)*2)
	for i, it := range c.items {
		if i > 0 {
			panels = append(panels, strings.TrimSuffix(strings.Repeat(m.st.Faint.Render("│")+"\n", h-2), "\n"))
		}
		panels = append(panels, m.comparePanel(it, i == c.focus, panelW, cols, rows))
	}
	top := m.st.Header.Render("compare") + m.st.Dim.Render(fmt.Sprintf(" %d images", len(c.items)))
	hint := m.st.Hint.Render("←/→ focus · enter/P pick focused, reject others · esc back")
	out := strings.Join([]string{fit(top, w), padBlock(lipgloss.JoinHorizontal(lipgloss.Top, panels...), w), fit(hint, w)}, "\n")
	if m.dialog != nil {
		out = overlay(out, m.dialog.view(m.st, w), w, h)
	}
	return out
}

func (m *Model) comparePanel(it *model.Item, focus bool, w, cols, rows int) string {
	var pic string
	if names.IsImageName(it.Key) {
		pic = m.previewText(it, cols, rows)
	} else {
		pic = strings.TrimSuffix(strings.Repeat(strings.Repeat(" ", cols)+"\n", rows), "\n")
	}
	lines := strings.Split(pic, "\n")
	for i := range lines {
		lines[i] = padTo(" "+lines[i], w)
	}
	lead := "  "
	style := m.st.Row
	if focus {
		lead, style = "▶ ", m.st.RowCursor
	}
	lines = append(lines, style.Render(fit(lead+names.Printable(it.Name), w)))
	for _, f := range score.Fields {
		label := fmt.Sprintf("  %-10s", strings.ToLower(f.Label))
		switch it.State {
		case model.Scored:
			v := f.Get(it.Scores)
			lines = append(lines, padTo(m.st.Label.Render(label)+m.st.scoreStyle(v, m.opt.Threshold).Render(fmt.Sprintf("%3d", v)), w))
		default:
			lines = append(lines, padTo(m.st.Label.Render(label)+m.st.Waiting.Render(fit(it.State.String(), max(0, w-12))), w))
		}
	}
	last := it.Flags().String()
	if v := model.VerdictOf(it.Tags); v == model.Pick || v == model.Reject {
		last = strings.TrimSpace(strings.ToUpper(v.String()) + " " + last)
	}
	lines = append(lines, m.st.Badge.Render(fit("  "+last, w)))
	return strings.Join(lines, "\n")
}
