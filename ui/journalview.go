package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// openJournal shows what lightbox did, in this run and earlier ones, newest first. The
// journal is read here, on a key press, from the client's memory: no I/O.
func (m *Model) openJournal() tea.Cmd {
	batches, err := m.opt.Backend.Batches()
	slices.Reverse(batches)
	m.journal, m.journalErr = batches, err
	m.mode = modeJournal
	return nil
}

func (m *Model) journalView(width, height int) string {
	inner := max(20, min(width-6, 100))
	lines := []string{m.st.OverlayTitle.Render("Journal") + m.st.Hint.Render("   newest first · any key closes"), ""}
	switch {
	case m.journalErr != nil:
		lines = append(lines, m.st.Error.Render(fit("the journal cannot be read: "+m.journalErr.Error(), inner)))
	case len(m.journal) == 0:
		lines = append(lines, m.st.Dim.Render("nothing done yet"))
	}
	if r := m.lastReport; r != nil && len(r.Failed) > 0 {
		lines = append(lines, m.st.Error.Render(fit("last batch: "+r.Summary(), inner)))
		for _, f := range r.Failed[:min(3, len(r.Failed))] {
			lines = append(lines, m.st.Failed.Render(fit("  "+printable(f.Key)+": "+reason(f.Err), inner)))
		}
		lines = append(lines, "")
	}
	for _, b := range m.journal {
		if len(lines) >= height-4 {
			lines = append(lines, m.st.Hint.Render(fmt.Sprintf("… %d older batches", len(m.journal)-len(lines)+2)))
			break
		}
		state := "complete"
		switch {
		case b.Undone:
			state = "undone"
		case !b.Complete:
			state = "INTERRUPTED (resume it)"
		}
		what := b.Action
		if b.Undoes != "" {
			what = "undo of " + b.Undoes
		}
		line := fmt.Sprintf("%s  %-8s %4d done %3d failed  %s  %s", b.Last.Local().Format("2006-01-02 15:04"), what, b.Done, b.Failed, state, b.ID)
		style := m.st.Value
		if b.Failed > 0 || !b.Complete {
			style = m.st.Failed
		}
		lines = append(lines, style.Render(fit(line, inner)))
	}
	return m.st.Overlay.MaxWidth(width).Render(strings.Join(lines, "\n"))
}
