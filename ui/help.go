package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"lightbox/keymap"
)

// helpView is the `?` overlay: every binding, grouped, generated from the keymap so it
// can never disagree with what the keys do. Groups flow down columns, newspaper style, as
// many columns as the width allows; keys and descriptions shrink to fit 80 columns.
func helpView(st Styles, keys keymap.Map, noQuickTags bool, width, height int) string {
	groups := keys.Groups()
	inner := max(20, width-4) // the overlay's border and padding
	cols := flowColumns(groups, max(6, height-6))
	colW := inner/max(1, len(cols)) - 2
	keyW := 0
	for _, g := range groups {
		for _, b := range g.Bindings {
			keyW = max(keyW, lipgloss.Width(b.Help().Key))
		}
	}
	keyW = min(keyW, max(4, colW/3))
	descW := max(4, colW-keyW-1)
	blocks := make([]string, len(cols))
	for i, c := range cols {
		var lines []string
		for j, g := range c {
			if j > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, st.HelpGroup.Render(g.Name))
			for _, b := range g.Bindings {
				lines = append(lines, st.HintKey.Render(fit(keysText(b.Help().Key, keyW), keyW))+" "+st.Value.Render(fit(b.Help().Desc, descW)))
			}
		}
		blocks[i] = lipgloss.NewStyle().PaddingRight(2).Render(strings.Join(lines, "\n"))
	}
	body := st.OverlayTitle.Render("Keys") + st.Hint.Render("   (any key closes)") + "\n\n" +
		lipgloss.JoinHorizontal(lipgloss.Top, blocks...)
	if noQuickTags {
		// The slots are disabled, so the table above leaves them out: say why.
		body += "\n\n" + st.HintKey.Render("0-9") + " " + st.Hint.Render(fit("quick tags: none set ([quick_tags] in the config)", max(10, inner-5)))
	}
	lines := strings.Split(body, "\n")
	if limit := height - 2; limit > 0 && len(lines) > limit {
		lines = append(lines[:max(1, limit-1)], st.Hint.Render("… more keys than fit: enlarge the terminal"))
	}
	return st.Overlay.MaxWidth(width).Render(strings.Join(lines, "\n"))
}

// flowColumns lays the groups out, newspaper style, in columns of at most maxLines lines;
// a group is never split from its heading.
func flowColumns(groups []keymap.Group, maxLines int) [][]keymap.Group {
	var cols [][]keymap.Group
	var col []keymap.Group
	used := 0
	for _, g := range groups {
		need := 1 + len(g.Bindings)
		if len(col) > 0 {
			need++ // the blank line between groups
		}
		if len(col) > 0 && used+need > maxLines {
			cols = append(cols, col)
			col, used, need = nil, 0, 1+len(g.Bindings)
		}
		col = append(col, g)
		used += need
	}
	if len(col) > 0 {
		cols = append(cols, col)
	}
	return cols
}

// keysText keeps as many of a binding's keys ("pgup/ctrl+b/ctrl+u") as fit whole.
func keysText(all string, width int) string {
	parts := strings.Split(all, "/")
	out := parts[0]
	for _, p := range parts[1:] {
		if lipgloss.Width(out+"/"+p) > width {
			break
		}
		out += "/" + p
	}
	return out
}

// hintLine is the one-line key hint at the bottom, cut to the width.
func hintLine(st Styles, bindings []key.Binding, width int) string {
	var parts []string
	used := 0
	for _, b := range bindings {
		h := b.Help()
		part := st.HintKey.Render(h.Key) + " " + st.Hint.Render(h.Desc)
		w := lipgloss.Width(part) + 2
		if used+w > width {
			break
		}
		parts = append(parts, part)
		used += w
	}
	return strings.Join(parts, "  ")
}
