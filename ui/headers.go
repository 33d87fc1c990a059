package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"lightbox/model"
	"lightbox/score"
)

// columnHeader names the list's columns over them, in the same widths as the rows, and
// marks the sort column with its direction (▲ ascending, ▼ descending), so that nobody has
// to guess which bar is which score or which way the list runs.
func (m *Model) columnHeader(w int) string {
	c := layout(w, m.cols)
	field, desc := m.list.Sort()
	arrow := "▲"
	if desc {
		arrow = "▼"
	}
	label := func(text string, sorted bool) string {
		if sorted { // in front, where a narrow column's cut cannot reach it
			return arrow + text
		}
		return text
	}
	var b strings.Builder
	b.WriteString("  ")
	b.WriteString(fit(label("name", field == model.SortName), c.name))
	if c.size > 0 {
		b.WriteString(" " + alignRight(label("size", field == model.SortSize), c.size))
	}
	if c.age > 0 {
		b.WriteString(" " + alignRight(label("age", field == model.SortTime), c.age))
	}
	sortedID, byScore := field.Score()
	for _, id := range m.cols.scores {
		width := score.Fields[id].Width
		if c.bar > 0 {
			width += c.bar + 1
		}
		b.WriteString(" " + fit(label(score.Fields[id].Label, byScore && sortedID == id), width))
	}
	if c.badges > 0 {
		b.WriteString(" " + fit("flags", c.badges))
	}
	return padTo(m.st.Dim.Render(fit(b.String(), w)), w)
}

// alignRight is fit for a column of numbers: the label stands over their right edge.
func alignRight(s string, width int) string {
	if pad := width - ansi.StringWidth(s); pad > 0 {
		return strings.Repeat(" ", pad) + s
	}
	return fit(s, width)
}
