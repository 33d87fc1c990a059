package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"lightbox/internal/names"
	"lightbox/model"
	"lightbox/score"
)

// detailView is the pane for the item under the cursor: every field of the assessment,
// size, time, ETag, content type, storage class and tags.
func (m *Model) detailView(w, rows int) string {
	inner := max(10, w-2) // the pane's left border and padding
	it := m.list.At(m.cursor)
	var lines []string
	add := func(s string) { lines = append(lines, s) }
	field := func(label, value string) {
		add(m.st.Label.Render(fit(label, 10)) + m.st.Value.Render(fit(names.Printable(value), inner-10)))
	}
	switch {
	case it == nil:
		add(m.st.Dim.Render("nothing selected"))
	case it.IsPrefix:
		add(m.st.Prefix.Render(fit(names.Printable(it.Name), inner)))
		add(m.st.Dim.Render(fit("prefix: enter to open", inner)))
	default:
		if pr := previewRows(rows, inner); pr > 0 {
			lines = append(lines, strings.Split(m.previewText(it, inner, pr), "\n")...)
		}
		add(m.st.DetailTitle.Render(fit(names.Printable(it.Name), inner)))
		add(m.st.Dim.Render(fitLeft(names.Printable(it.Key), inner)))
		add("")
		switch it.State {
		case model.Scored:
			barW := max(4, inner-10-4)
			for _, f := range score.Fields {
				v := f.Get(it.Scores)
				style := m.st.scoreStyle(v, m.opt.Threshold)
				filled, empty := bar(v, barW)
				add(m.st.Label.Render(fit(f.Label, 10)) + style.Render(filled) + m.st.BarEmpty.Render(empty) + style.Render(fmt.Sprintf("%4d", v)))
			}
			// The flags on one line, as the list's badges spell them: the rows saved go
			// to the prefix's histogram.
			flags := m.st.Dim.Render("none")
			if f := it.Flags().String(); f != "" {
				flags = m.st.Badge.Render(fit(f, inner-10))
			}
			add(m.st.Label.Render(fit("Flags", 10)) + flags)
		case model.Failed:
			add(m.st.Failed.Render(fit("✗ not scored: "+failureLabel(it.ErrKind, it.ErrMessage), inner)))
			for _, l := range wrap(names.Printable(it.ErrMessage), inner) {
				add(m.st.Failed.Render(l))
			}
		case model.Scoring:
			add(m.st.Scoring.Render("scoring…"))
		default:
			add(m.st.Waiting.Render("waiting to be scored"))
		}
		m.groupDetail(it, inner-10, field)
		add("")
		field("Size", fmt.Sprintf("%s (%d bytes)", humanSize(it.Size), it.Size))
		if !it.Modified.IsZero() {
			field("Modified", it.Modified.Local().Format("2006-01-02 15:04"))
		}
		field("ETag", strings.Trim(it.ETag, `"`))
		if ct := m.contentTypes[it.Key]; ct != "" {
			field("Type", ct)
		}
		field("Class", it.StorageClass)
		switch {
		case it.Tags == nil && m.detailErr != "":
			field("Tags", "unavailable: "+m.detailErr)
		case it.Tags == nil:
			field("Tags", "…")
		case len(it.Tags) == 0:
			field("Tags", "none")
		default:
			for i, t := range it.Tags {
				label := ""
				if i == 0 {
					label = "Tags"
				}
				field(label, t.Key+"="+t.Value)
			}
		}
	}
	// The prefix's histogram at the bottom, when it fits under the fields.
	if hist := m.histogramView(inner, 3); len(hist) > 0 && len(lines)+1+len(hist) <= rows {
		for len(lines) < rows-len(hist) {
			lines = append(lines, "")
		}
		lines = append(lines, hist...)
	}
	if len(lines) > rows {
		lines = lines[:rows]
	}
	for len(lines) < rows {
		lines = append(lines, "")
	}
	return m.st.Detail.Width(w).Height(rows).MaxHeight(rows).Render(strings.Join(lines, "\n"))
}

// wrap breaks s into lines of at most width cells.
func wrap(s string, width int) []string {
	var out []string
	for _, para := range strings.Split(lipgloss.Wrap(s, width, " "), "\n") {
		out = append(out, fit(para, width))
	}
	return out
}
