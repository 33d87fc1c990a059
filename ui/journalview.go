package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lightbox/curation"
	"lightbox/curation/journal"
	"lightbox/internal/names"
)

// journalMsg carries the journal's batches, read in a Cmd.
type journalMsg struct {
	batches []journal.BatchSummary
	err     error
	open    bool // show the view; false: only look for an interrupted batch at start
}

func readJournal(b Backend, open bool) tea.Cmd {
	return func() tea.Msg {
		batches, err := b.Batches()
		slices.Reverse(batches)
		return journalMsg{batches: batches, err: err, open: open}
	}
}

// openJournal shows what lightbox did, in this run and earlier ones, newest first.
func (m *Model) openJournal() tea.Cmd { return readJournal(m.opt.Backend, true) }

func (m *Model) onJournal(msg journalMsg) tea.Cmd {
	m.journal, m.journalErr = msg.batches, msg.err
	if msg.open {
		m.mode = modeJournal
		return nil
	}
	if b := m.interrupted(); b != nil {
		return m.setStatus(true, "batch %s (%s) was interrupted: J shows it, r there resumes it", b.ID, b.Action)
	}
	return nil
}

// interrupted is the newest batch left unfinished, if any.
func (m *Model) interrupted() *journal.BatchSummary {
	for i := range m.journal {
		if !m.journal[i].Complete {
			return &m.journal[i]
		}
	}
	return nil
}

// onJournalKey: r resumes the newest interrupted batch; any other key closes the view.
func (m *Model) onJournalKey(msg tea.KeyPressMsg) tea.Cmd {
	m.mode = modeNormal
	if msg.String() != "r" {
		return nil
	}
	b := m.interrupted()
	if b == nil {
		return m.setStatus(false, "no interrupted batch to resume")
	}
	id := b.ID
	return m.startJob(&job{kind: "undo", label: "resume " + b.Action}, func(ctx context.Context) (curation.Report, error) {
		return m.opt.Backend.Resume(ctx, id)
	})
}

func (m *Model) journalView(width, height int) string {
	inner := max(20, min(width-6, 100))
	hint := "   newest first · any key closes"
	if m.interrupted() != nil {
		hint = "   newest first · r resumes the interrupted batch · any other key closes"
	}
	lines := []string{m.st.OverlayTitle.Render("Journal") + m.st.Hint.Render(hint), ""}
	switch {
	case m.journalErr != nil:
		lines = append(lines, m.st.Error.Render(fit("the journal cannot be read: "+m.journalErr.Error(), inner)))
	case len(m.journal) == 0:
		lines = append(lines, m.st.Dim.Render("nothing done yet"))
	}
	if r := m.lastReport; r != nil && len(r.Failed) > 0 {
		lines = append(lines, m.st.Error.Render(fit("last batch: "+r.Summary(), inner)))
		for _, f := range r.Failed[:min(3, len(r.Failed))] {
			lines = append(lines, m.st.Failed.Render(fit("  "+names.Printable(f.Key)+": "+reason(f.Err), inner)))
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
