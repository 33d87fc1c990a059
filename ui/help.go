package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"lightbox/keymap"
)

// helpPages is the `?` overlay: every binding, grouped, generated from the keymap so it can
// never disagree with what the keys do, in columns as many as the width allows; with its
// legend below the keys when the screen has the room, else on a page of its own that ?
// turns to (legend true).
func helpPages(st Styles, keys keymap.Map, noQuickTags bool, threshold int, legend bool, width, height int) string {
	inner := max(20, width-4)
	leg := legendLines(st, threshold, inner)
	if legend {
		title := st.OverlayTitle.Render("Legend") + st.Hint.Render("   (? keys · any other key closes)")
		return helpBox(st, append([]string{title, ""}, leg...), width, height)
	}
	// Wide screens: the legend beside the keys.
	if legW := 72; inner-legW >= 80 {
		leg = legendLines(st, threshold, legW)
		keysW := width - legW - 2
		body := lipgloss.JoinHorizontal(lipgloss.Top, keysBody(st, keys, noQuickTags, keysW, height), "  ", strings.Join(append([]string{"", ""}, leg...), "\n"))
		return helpBox(st, strings.Split(body, "\n"), width, height)
	}
	lines := strings.Split(keysBody(st, keys, noQuickTags, width, height), "\n")
	if len(lines)+1+len(leg) <= height-2 {
		lines = append(append(lines, ""), leg...)
	} else {
		lines[0] = st.OverlayTitle.Render("Keys") + st.Hint.Render("   (? legend · any other key closes)")
	}
	return helpBox(st, lines, width, height)
}

func helpBox(st Styles, lines []string, width, height int) string {
	if limit := height - 2; limit > 0 && len(lines) > limit {
		lines = append(lines[:max(1, limit-1)], st.Hint.Render("… more than fits: enlarge the terminal"))
	}
	return st.Overlay.MaxWidth(width).Render(strings.Join(lines, "\n"))
}

func keysBody(st Styles, keys keymap.Map, noQuickTags bool, width, height int) string {
	groups := keys.Groups()
	inner := max(20, width-4) // the overlay's border and padding
	cols := flowColumns(groups, max(6, height-6))
	colW := inner/max(1, len(cols)) - 2
	// The keys column is as wide as the widest first key ("backspace"), so no key is cut
	// and none runs into its description; more keys of a binding show where they fit.
	keyW := 0
	for _, g := range groups {
		for _, b := range g.Bindings {
			first, _, _ := strings.Cut(b.Help().Key, "/")
			keyW = max(keyW, lipgloss.Width(first))
		}
	}
	keyW = min(keyW, max(4, colW/2))
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
	return body
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
