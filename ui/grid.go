package ui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"lightbox/internal/names"
	"lightbox/keymap"
	"lightbox/model"
	"lightbox/score"
)

// The contact sheet (ctrl+g): the list drawn as a grid of thumbnails. It is a layout of
// the same list, not a list of its own: its cursor is m.cursor, marks are the list's, and
// every key that is not a move goes down the list's own path, so P, X, t, digits, v,
// filters and sorts act exactly as they do on rows. Folders are cells too; enter goes in.

// gridState is the sheet's own state: where it is scrolled to and its thumbnails.
type gridState struct {
	top int // first visible row of cells
	th  *thumbs
}

// gridLay is the sheet's geometry at a screen size.
type gridLay struct {
	cols, rows           int // cells across, rows of cells on screen
	cellW, cellH         int
	thumbCols, thumbRows int
}

// gridCellMin is the narrowest cell: a name, a score and a verdict still fit.
const gridCellMin = 20

// gridLayout fits cells into w x h: as many columns as keep a cell gridCellMin wide, the
// picture about as tall as a landscape photo needs (a half-block cell is two pixels
// high), then as many rows as fit under the name and score lines.
func (m *Model) gridLayout(w, h int) gridLay {
	cols := max(1, w/gridCellMin)
	cellW := max(1, w/cols)
	tc := max(1, cellW-2)
	tr := max(2, tc*3/8)
	if tr+2 > h { // one row of cells at least: the picture gives way
		tr = max(1, h-2)
	}
	cellH := tr + 2
	return gridLay{cols: cols, rows: max(1, h/cellH), cellW: cellW, cellH: cellH, thumbCols: tc, thumbRows: tr}
}

// gridVisible is the range of list indices on screen, after scrolling to the cursor.
func (m *Model) gridVisible(lay gridLay) (first, last int) {
	g := m.grid
	row := m.cursor / lay.cols
	if row < g.top {
		g.top = row
	}
	if row >= g.top+lay.rows {
		g.top = row - lay.rows + 1
	}
	rowsTotal := (m.list.Len() + lay.cols - 1) / lay.cols
	g.top = max(0, min(g.top, rowsTotal-lay.rows))
	first = g.top * lay.cols
	return first, min(m.list.Len(), first+lay.rows*lay.cols)
}

// toggleGrid switches between the list and the contact sheet.
func (m *Model) toggleGrid() tea.Cmd {
	if m.grid != nil {
		m.grid = nil
		m.clampCursor()
		return m.setStatus(false, "list")
	}
	m.grid = &gridState{th: newThumbs()}
	return tea.Batch(m.wantThumbs(), m.setStatus(false, "contact sheet: arrows move, %s back to the list", m.keys.Binding(keymap.ActionGrid).Help().Key))
}

// onGridKey handles the keys that mean something else on a sheet: moves in two
// dimensions. ok is false for every other key, which then takes the list's path.
func (m *Model) onGridKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	lay := m.gridLayout(m.width, m.listRows()+1)
	switch msg.String() {
	case "left", "h":
		return m.move(-1), true
	case "right", "l":
		return m.move(1), true // off a row's end onto the next row's first cell
	}
	a, ok := m.keys.Match(msg)
	if !ok {
		return nil, false
	}
	switch a {
	case keymap.ActionUp:
		if m.cursor < lay.cols {
			return nil, true
		}
		return m.move(-lay.cols), true
	case keymap.ActionDown:
		if m.cursor+lay.cols >= m.list.Len() && m.cursor/lay.cols == (m.list.Len()-1)/lay.cols {
			return nil, true // already on the last row
		}
		return m.move(lay.cols), true
	case keymap.ActionPageUp:
		return m.move(-lay.cols * lay.rows), true
	case keymap.ActionPageDown:
		return m.move(lay.cols * lay.rows), true
	}
	return nil, false
}

// gridClick moves the cursor to the cell at screen cell (x, y).
func (m *Model) gridClick(x, y int) tea.Cmd {
	lay := m.gridLayout(m.width, m.listRows()+1)
	first, last := m.gridVisible(lay)
	row := y - 2 // header and breadcrumbs above the sheet
	if row < 0 || x < 0 || x >= lay.cols*lay.cellW {
		return nil
	}
	i := first + (row/lay.cellH)*lay.cols + x/lay.cellW
	if row/lay.cellH >= lay.rows || i >= last {
		return nil
	}
	return m.move(i - m.cursor)
}

// gridView draws the sheet in w x h.
func (m *Model) gridView(w, h int) string {
	lay := m.gridLayout(w, h)
	first, last := m.gridVisible(lay)
	var rows []string
	for start := first; start < last; start += lay.cols {
		cells := make([]string, 0, lay.cols)
		for i := start; i < min(last, start+lay.cols); i++ {
			cells = append(cells, m.gridCell(m.list.At(i), i == m.cursor, lay))
		}
		rows = append(rows, padBlock(lipgloss.JoinHorizontal(lipgloss.Top, cells...), w))
	}
	if m.list.Len() == 0 {
		msg := "listing…"
		if m.list.Complete() {
			msg = "nothing here (esc clears a filter)"
		}
		rows = append(rows, m.st.Dim.Render(fit("  "+msg, w)))
	}
	out := strings.Join(rows, "\n")
	n := lipgloss.Height(out)
	if out == "" {
		n = 0
	}
	blank := strings.Repeat(" ", w)
	for ; n < h; n++ {
		out += "\n" + blank
	}
	if n > h {
		out = strings.Join(strings.Split(out, "\n")[:h], "\n")
	}
	return out
}

// padBlock pads every line of a block to w cells.
func padBlock(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = padTo(l, w)
	}
	return strings.Join(lines, "\n")
}

// gridCell is one cell: picture, name (with the cursor and mark markers, which need no
// colour), then the ClarityScore and the verdict.
func (m *Model) gridCell(it *model.Item, cursor bool, lay gridLay) string {
	style := m.rowStyle(cursor, it.Marked)
	pic := m.thumbText(it, lay.thumbCols, lay.thumbRows)
	lead := " "
	if cursor {
		lead = "▶"
	}
	mark := " "
	if it.Marked {
		mark = "●"
	}
	name := style.Render(fit(lead+mark+names.Printable(it.Name), lay.cellW-1)) + " "
	line := padTo(m.cellScore(it, style, lay.cellW-1), lay.cellW-1)
	if pad := lay.cellW - 1 - lipgloss.Width(line); pad > 0 {
		line += style.Render(strings.Repeat(" ", pad))
	}
	line += " "
	// The picture keeps its own colours; a one-column gutter carries the cursor's bar.
	gutter := " "
	if cursor {
		gutter = "▌"
	}
	picLines := strings.Split(pic, "\n")
	for i, l := range picLines {
		picLines[i] = padTo(m.st.Mark.Render(gutter)+padTo(l, lay.thumbCols), lay.cellW)
	}
	return strings.Join(append(picLines, name, line), "\n")
}

// cellScore is the cell's second line, at most w cells: the clarity score (the list's
// label, coloured by the threshold) and the verdict, or the item's state while it has no
// score. Every part is painted over the cell's background (cursor, marked).
func (m *Model) cellScore(it *model.Item, bg lipgloss.Style, w int) string {
	paint := func(st lipgloss.Style, text string) string { return st.Inherit(bg).Render(text) }
	text, used := "", 0
	add := func(st lipgloss.Style, s string) {
		if used >= w {
			return
		}
		s = fit(s, min(w-used, lipgloss.Width(s)))
		text += paint(st, s)
		used += lipgloss.Width(s)
	}
	add(m.st.Row, "  ")
	switch {
	case it.IsPrefix:
		add(m.st.Prefix, "folder")
	case it.State == model.Scored:
		f := score.Fields[score.Clarity]
		v := f.Get(it.Scores)
		add(m.st.Dim, strings.ToLower(f.Label)+" ")
		add(m.st.scoreStyle(v, m.opt.Threshold), fmt.Sprint(v))
	case it.State == model.Failed:
		add(m.st.Failed, "✗ failed")
	default:
		add(m.st.Waiting, it.State.String())
	}
	if v := model.VerdictOf(it.Tags); v == model.Pick || v == model.Reject {
		add(m.st.Row, " ")
		add(m.st.Badge, strings.ToUpper(v.String()))
	}
	return text
}
