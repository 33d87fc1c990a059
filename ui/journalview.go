package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lightbox/curation"
	"lightbox/internal/cosrules"
	"lightbox/internal/names"
	"lightbox/keymap"
)

// The journal view (J): every batch the journal holds, newest first, filtered to this
// bucket unless `a` shows all; a detail view per batch (its steps: keys, destinations, tag
// values); u undoes the chosen batch (rolls back an interrupted one), r resumes an
// interrupted one, each after a dialog that names what it will do.

// journalMsg carries the journal's batches, read in a Cmd.
type journalMsg struct {
	batches  []curation.BatchInfo
	err      error
	open     bool // show the view
	announce bool // at start: say if a batch was left interrupted
}

// stepsMsg carries one batch's steps for the detail view.
type stepsMsg struct {
	batch string
	steps []curation.StepInfo
	err   error
}

// journalState is the view's cursor, scroll and detail.
type journalState struct {
	all     bool // every bucket's batches, not only this one's
	sel     int  // in shown()
	offset  int
	detail  string // the batch whose steps are shown; "" = the list
	steps   []curation.StepInfo
	stepsOK bool
	stepErr error
	stepOff int
}

func readJournal(b Backend, open bool) tea.Cmd {
	return func() tea.Msg {
		batches, err := b.History()
		slices.Reverse(batches)
		return journalMsg{batches: batches, err: err, open: open}
	}
}

// announceInterrupted reads the journal at start, to say if a batch was left unfinished.
func announceInterrupted(b Backend) tea.Cmd {
	read := readJournal(b, false)
	return func() tea.Msg {
		msg := read().(journalMsg)
		msg.announce = true
		return msg
	}
}

func readSteps(b Backend, batch string) tea.Cmd {
	return func() tea.Msg {
		steps, err := b.Steps(batch)
		return stepsMsg{batch: batch, steps: steps, err: err}
	}
}

// openJournal shows what lightbox did, in this run and earlier ones, newest first.
func (m *Model) openJournal() tea.Cmd { return readJournal(m.opt.Backend, true) }

func (m *Model) onJournal(msg journalMsg) tea.Cmd {
	var selID string
	if b := m.selectedBatch(); b != nil {
		selID = b.ID
	}
	m.journal, m.journalErr = msg.batches, msg.err
	m.jv.sel = 0
	if msg.open && m.mode != modeJournal {
		selID, m.jv.offset = "", 0 // opening: the newest first
	}
	for i, b := range m.shownBatches() {
		if b.ID == selID {
			m.jv.sel = i
		}
	}
	if msg.open {
		m.mode = modeJournal
		m.jv.detail = ""
		return nil
	}
	if b := m.interrupted(); b != nil && msg.announce {
		return m.setStatus(true, "batch %s (%s) was interrupted: J shows it, r there resumes it, u rolls it back", b.ID, b.Action)
	}
	return nil
}

// shownBatches are the batches the view lists: this bucket's, or all.
func (m *Model) shownBatches() []curation.BatchInfo {
	if m.jv.all {
		return m.journal
	}
	out := make([]curation.BatchInfo, 0, len(m.journal))
	for _, b := range m.journal {
		if b.Mine {
			out = append(out, b)
		}
	}
	return out
}

func (m *Model) selectedBatch() *curation.BatchInfo {
	shown := m.shownBatches()
	if m.jv.sel < 0 || m.jv.sel >= len(shown) {
		return nil
	}
	return &shown[m.jv.sel]
}

// interrupted is this bucket's newest batch left unfinished, if any.
func (m *Model) interrupted() *curation.BatchInfo {
	for i := range m.journal {
		if b := &m.journal[i]; b.Mine && b.Interrupted && !b.Undone {
			return b
		}
	}
	return nil
}

// journalRows is how many batches the view shows at once.
func (m *Model) journalRows() int { return max(3, m.height-9) }

func (m *Model) onJournalKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.jv.detail != "" {
		return m.onStepsKey(msg)
	}
	shown := m.shownBatches()
	rows := m.journalRows()
	if !moveInList(msg.String(), &m.jv.sel, rows, len(shown)-1) {
		switch msg.String() {
		case "a":
			sel := m.selectedBatch()
			m.jv.all = !m.jv.all
			m.jv.sel = 0
			if sel != nil {
				for i, b := range m.shownBatches() {
					if b.ID == sel.ID {
						m.jv.sel = i
					}
				}
			}
		case "enter", "l", "right":
			if b := m.selectedBatch(); b != nil {
				m.jv.detail, m.jv.steps, m.jv.stepsOK, m.jv.stepErr, m.jv.stepOff = b.ID, nil, false, nil, 0
				return readSteps(m.opt.Backend, b.ID)
			}
		case "u":
			return m.askUndoBatch()
		case "r":
			return m.askResume()
		default:
			if m.leavesView(msg, keymap.ActionJournal) {
				m.mode = modeNormal
				return nil
			}
		}
	}
	shown = m.shownBatches()
	m.jv.sel = min(max(m.jv.sel, 0), max(len(shown)-1, 0))
	if m.jv.sel < m.jv.offset {
		m.jv.offset = m.jv.sel
	}
	if m.jv.sel >= m.jv.offset+rows {
		m.jv.offset = m.jv.sel - rows + 1
	}
	return nil
}

func (m *Model) onStepsKey(msg tea.KeyPressMsg) tea.Cmd {
	rows := m.journalRows()
	if !moveInList(msg.String(), &m.jv.stepOff, rows, len(m.jv.steps)) {
		switch msg.String() {
		case "u":
			return m.askUndoBatch()
		case "r":
			return m.askResume()
		default:
			if msg.String() == "q" || m.opens(msg, keymap.ActionJournal) {
				m.mode = modeNormal
				return nil
			}
			m.jv.detail = "" // esc, h, left, backspace: back to the list
			return nil
		}
	}
	m.jv.stepOff = min(max(m.jv.stepOff, 0), max(len(m.jv.steps)-rows, 0))
	return nil
}

func (m *Model) onSteps(msg stepsMsg) tea.Cmd {
	if msg.batch != m.jv.detail {
		return nil
	}
	m.jv.steps, m.jv.stepErr, m.jv.stepsOK = msg.steps, msg.err, true
	return nil
}

// reversal says in words what undoing b does.
func (m *Model) reversal(b curation.BatchInfo) []string {
	n := b.Done
	where := displayPrefix(b.Prefix)
	var what string
	switch b.Action {
	case "trash":
		what = fmt.Sprintf("Moves the %d image(s) it put in the trash back to their keys under %s.", n, where)
	case "promote":
		what = fmt.Sprintf("Removes the %d promoted copies (a move puts the originals back under %s first).", n, where)
	case "tag", "untag":
		what = fmt.Sprintf("Puts back the tags the %d image(s) under %s had before.", n, where)
	case "restore":
		what = fmt.Sprintf("Moves the %d restored image(s) back into the trash.", n)
	case "undo":
		what = fmt.Sprintf("Redoes the %d step(s) that undo reversed.", n)
	default:
		what = fmt.Sprintf("Reverses its %d done step(s).", n)
	}
	lines := []string{what}
	if b.Interrupted {
		lines = append(lines, fmt.Sprintf("It was interrupted: this rolls back what it did; the %d step(s) never done (%d canceled, %d pending) are checked and left as they are.",
			b.Canceled+b.Pending, b.Canceled, b.Pending))
	}
	lines = append(lines, "An object changed since is left alone and reported. The undo is itself a batch in the journal.")
	return lines
}

// askUndoBatch reverses the chosen batch, after naming what it will reverse.
func (m *Model) askUndoBatch() tea.Cmd {
	b := m.selectedBatch()
	if b == nil {
		return m.setStatus(false, "no batch chosen")
	}
	if m.opt.ReadOnly != "" {
		return m.readOnly()
	}
	if b.Undoable != nil {
		return m.setStatus(true, "batch %s cannot be undone: %v", b.ID, b.Undoable)
	}
	batch := *b
	verb := "Undo"
	if batch.Interrupted {
		verb = "Roll back"
	}
	m.dialog = &dialog{
		title: fmt.Sprintf("%s %s of %d image(s) in %s (%s)?", verb, batch.Action, batch.Intents, displayPrefix(batch.Prefix), batch.ID),
		lines: m.reversal(batch),
		confirm: func() tea.Cmd {
			m.mode = modeNormal
			return m.startJob(&job{kind: "undo", label: "undo " + batch.Action, total: batch.Done}, func(ctx context.Context) (curation.Report, error) {
				return m.opt.Backend.Undo(ctx, batch.ID)
			})
		},
	}
	return nil
}

// askResume finishes an interrupted batch.
func (m *Model) askResume() tea.Cmd {
	b := m.selectedBatch()
	if b == nil || !b.Interrupted {
		return m.setStatus(false, "r resumes an interrupted batch; this one is not")
	}
	if m.opt.ReadOnly != "" {
		return m.readOnly()
	}
	batch := *b
	m.dialog = &dialog{
		title: fmt.Sprintf("Resume %s of %d image(s) in %s (%s)?", batch.Action, batch.Intents, displayPrefix(batch.Prefix), batch.ID),
		lines: []string{fmt.Sprintf("%d step(s) were done; the %d not done (%d canceled, %d pending) are checked against the bucket and finished.",
			batch.Done, batch.Canceled+batch.Pending, batch.Canceled, batch.Pending)},
		confirm: func() tea.Cmd {
			m.mode = modeNormal
			return m.startJob(&job{kind: "undo", label: "resume " + batch.Action, total: batch.Canceled + batch.Pending}, func(ctx context.Context) (curation.Report, error) {
				return m.opt.Backend.Resume(ctx, batch.ID)
			})
		},
	}
	return nil
}

// batchState is a batch's state word.
func batchState(b curation.BatchInfo) string {
	switch {
	case b.Unmatched > 0:
		return "damaged"
	case b.Undone:
		return "undone"
	case b.Interrupted:
		return "interrupted"
	case !b.Complete:
		return "incomplete"
	}
	return "complete"
}

func (m *Model) journalView(width, height int) string {
	inner := max(40, min(width-6, 140))
	if m.jv.detail != "" {
		return m.stepsView(inner, width)
	}
	scope := "this bucket · a shows all"
	if m.jv.all {
		scope = "all buckets · a shows this one"
	}
	lines := []string{
		m.st.OverlayTitle.Render("Journal") + m.st.Hint.Render(fit("   newest first · "+scope, inner-7)),
		m.st.Hint.Render(fit("enter details · u undo (roll back if interrupted) · r resume · esc closes", inner)),
		"",
	}
	shown := m.shownBatches()
	switch {
	case m.journalErr != nil:
		lines = append(lines, m.st.Error.Render(fit("the journal cannot be read: "+m.journalErr.Error(), inner)))
	case len(shown) == 0:
		lines = append(lines, m.st.Dim.Render("nothing done here yet"))
	}
	// Columns: when, action, prefix, counts, state, id; the id, the longest, goes last so a
	// long one is cut rather than pushing the rest out of line.
	// Narrow screens drop the year and tighten the counts so the state always shows.
	whenFmt, whenW, numW := "2006-01-02 15:04", 16, 6
	if inner < 100 {
		whenFmt, whenW, numW = "01-02 15:04", 11, 5
	}
	fixed := 2 + whenW + 1 + 8 + 1 + 4*(numW+1) + 2 + 11 + 1
	prefixW := max(8, min(30, inner/5, inner-fixed-10))
	head := fmt.Sprintf("  %-*s %-8s %-*s %*s %*s %*s %*s  %-11s %s", whenW, "when", "action", prefixW, "prefix",
		numW, "done", numW, "fail", numW, "cancl", numW, "pend", "state", "batch")
	if len(shown) > 0 {
		lines = append(lines, m.st.Label.Render(fit(head, inner)))
	}
	rows := m.journalRows()
	end := min(len(shown), m.jv.offset+rows)
	for i := m.jv.offset; i < end; i++ {
		b := shown[i]
		what := b.Action
		if b.Undoes != "" {
			what = "undo"
		}
		mark := "  "
		if i == m.jv.sel {
			mark = "▸ "
		}
		line := fmt.Sprintf("%s%-*s %-8s %-*s %*d %*d %*d %*d  %-11s %s", mark, whenW, b.Last.Local().Format(whenFmt), fit(what, 8),
			prefixW, fit(names.Printable(displayPrefix(b.Prefix)), prefixW), numW, b.Done, numW, b.Failed-b.Canceled, numW, b.Canceled, numW, b.Pending, batchState(b), b.ID)
		style := m.st.Value
		switch {
		case i == m.jv.sel:
			style = m.st.RowCursor
		case b.Interrupted || b.Unmatched > 0 || b.Failed > 0:
			style = m.st.Failed
		case b.Undone:
			style = m.st.Dim
		}
		lines = append(lines, style.Render(fit(line, inner)))
	}
	if len(shown) > rows {
		lines = append(lines, m.st.Hint.Render(fmt.Sprintf("%d–%d of %d", m.jv.offset+1, end, len(shown))))
	}
	if b := m.selectedBatch(); b != nil {
		lines = append(lines, "")
		if b.Undoable != nil {
			lines = append(lines, m.st.Dim.Render(fit("u: cannot be undone: "+b.Undoable.Error(), inner)))
		} else if b.Undoes != "" {
			lines = append(lines, m.st.Dim.Render(fit("undoes "+b.Undoes, inner)))
		}
	}
	return m.st.Overlay.MaxWidth(width).Render(strings.Join(lines, "\n"))
}

func (m *Model) stepsView(inner, width int) string {
	var b curation.BatchInfo
	for _, x := range m.journal {
		if x.ID == m.jv.detail {
			b = x
		}
	}
	lines := []string{
		m.st.OverlayTitle.Render("Batch "+m.jv.detail) + m.st.Hint.Render(fit(fmt.Sprintf("   %s · %s · %s", b.Action, displayPrefix(b.Prefix), batchState(b)), max(10, inner-len(m.jv.detail)-6))),
		m.st.Hint.Render(fit("u undo · r resume · esc back to the list", inner)),
		"",
	}
	switch {
	case m.jv.stepErr != nil:
		lines = append(lines, m.st.Error.Render(fit("its steps cannot be read: "+m.jv.stepErr.Error(), inner)))
	case !m.jv.stepsOK:
		lines = append(lines, m.st.Dim.Render("reading its steps…"))
	case len(m.jv.steps) == 0:
		lines = append(lines, m.st.Dim.Render("no steps"))
	}
	rows := m.journalRows()
	keyW := max(16, inner/3)
	end := min(len(m.jv.steps), m.jv.stepOff+rows)
	for _, s := range m.jv.steps[min(m.jv.stepOff, end):end] {
		what := s.Dest
		if what != "" {
			what = "→ " + names.Printable(what)
		}
		if len(s.TagsBefore)+len(s.TagsAfter) > 0 {
			what = tagText(s.TagsBefore) + " → " + tagText(s.TagsAfter)
		}
		if s.Err != "" {
			what += "  (" + s.Err + ")"
		}
		line := fmt.Sprintf("%-8s %-*s %s", s.Phase, keyW, fit(names.Printable(s.Key), keyW), what)
		style := m.st.Value
		if s.Phase != "done" {
			style = m.st.Failed
		}
		lines = append(lines, style.Render(fit(line, inner)))
	}
	if len(m.jv.steps) > rows {
		lines = append(lines, m.st.Hint.Render(fmt.Sprintf("%d–%d of %d steps", m.jv.stepOff+1, end, len(m.jv.steps))))
	}
	return m.st.Overlay.MaxWidth(width).Render(strings.Join(lines, "\n"))
}

// tagText writes tags as key=value, comma separated; "none" for none.
func tagText(tags []cosrules.Tag) string {
	if len(tags) == 0 {
		return "none"
	}
	parts := make([]string, len(tags))
	for i, t := range tags {
		parts[i] = names.Printable(t.Key + "=" + t.Value)
	}
	return strings.Join(parts, ",")
}
