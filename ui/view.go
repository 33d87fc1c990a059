package ui

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"lightbox/internal/cosrules"
	"lightbox/internal/names"
	"lightbox/model"
	"lightbox/score"
)

// wideLayout is the width from which the detail pane sits beside the list.
const wideLayout = 100

// View draws the whole screen from the model; nothing here does I/O.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "lightbox " + m.opt.Target
	return v
}

func (m *Model) render() string {
	w, h := m.width, m.height
	if it := m.list.At(m.cursor); m.lp.open && it != nil && !it.IsPrefix {
		return m.imageView(w, h)
	}
	if m.mode == modeCompare {
		return m.compareView(w, h)
	}
	header := m.headerView(w)
	crumbs := m.crumbsView(w)
	rows := m.listRows()
	var body string
	switch {
	case m.grid != nil:
		body = m.gridView(w, rows+1)
	case m.showDetail && w >= wideLayout:
		dw := min(max(36, w/3), 56)
		list := m.columnHeader(w-dw) + "\n" + m.listView(w-dw, rows)
		detail := m.detailView(dw, rows+1)
		body = lipgloss.JoinHorizontal(lipgloss.Top, list, detail)
	case !m.showDetail && w < wideLayout:
		body = m.detailView(w, rows+1) // narrow screens trade the list for the detail (tab)
	default:
		body = m.columnHeader(w) + "\n" + m.listView(w, rows)
	}
	out := strings.Join([]string{header, crumbs, body, m.statusView(w), m.bottomView(w)}, "\n")
	return m.withOverlays(out, w, h)
}

func (m *Model) headerView(w int) string {
	f, desc := m.list.Sort()
	right := m.st.Dim.Render("sort " + model.FormatSort(f, desc))
	left := m.st.Header.Render("lightbox") + " " + m.st.Dim.Render(names.Printable(m.opt.Target))
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return fit(left, w)
	}
	return left + strings.Repeat(" ", gap) + right
}

func (m *Model) crumbsView(w int) string {
	crumbs := m.sess.Crumbs()
	parts := make([]string, len(crumbs))
	for i, c := range crumbs {
		style := m.st.Crumb
		if i == len(crumbs)-1 {
			style = m.st.CrumbCurrent
		}
		parts[i] = style.Render(names.Printable(c))
	}
	line := strings.Join(parts, m.st.CrumbSep.Render(" › "))
	if lipgloss.Width(line) > w {
		// Keep the end: where the operator is matters more than where they came from.
		plain := strings.Join(crumbs, " › ")
		return m.st.CrumbCurrent.Render(fitLeft(names.Printable(plain), w))
	}
	return line
}

// columns decides what a row shows at a width.
type columns struct {
	name, size, age, bar int
	badges               int
	scores               int // every score column, each with the space before it
}

func layout(w int, cs ColumnSet) columns {
	c := columns{size: 5, age: 4, badges: 14}
	if !cs.size {
		c.size = 0
	}
	if !cs.age {
		c.age = 0
	}
	if !cs.flags {
		c.badges = 0
	}
	switch {
	case w < 50:
		c.size, c.age, c.badges = 0, 0, 0
	case w < 64:
		c.age, c.badges = 0, 5
	}
	// The widest bars that still leave a readable name.
	for _, b := range []int{10, 8, 6, 4, 2, 0} {
		c.bar = b
		c.scores = 0
		for _, id := range cs.scores {
			c.scores += 1 + score.Fields[id].Width // space, number
			if b > 0 {
				c.scores += b + 1 // bar, space
			}
		}
		fixed := 2 + c.scores
		for _, col := range []int{c.size, c.age, c.badges} {
			if col > 0 {
				fixed += col + 1
			}
		}
		c.name = max(4, w-fixed)
		if c.name >= 24 || (b <= 4 && c.name >= 14) {
			break
		}
	}
	return c
}

func (m *Model) listView(w, rows int) string {
	c := layout(w, m.cols)
	lines := make([]string, 0, rows)
	n := m.list.Len()
	for i := m.offset; i < m.offset+rows && i < n; i++ {
		lines = append(lines, m.cachedRow(m.list.At(i), i == m.cursor, c, w))
	}
	if n == 0 {
		msg := "listing…"
		switch {
		case m.list.Complete() && m.list.Total() == 0:
			msg = "nothing under " + displayPrefix(m.list.Prefix())
		case m.list.Complete():
			msg = "no image matches the filter (esc clears it)"
		}
		lines = append(lines, padTo(m.st.Dim.Render(fit("  "+msg, w)), w))
	}
	blank := strings.Repeat(" ", w)
	for len(lines) < rows {
		lines = append(lines, blank)
	}
	return strings.Join(lines, "\n")
}

// rowKey is everything a row's look depends on: rows are re-rendered only when it
// changes, so a key press redraws two rows, not a screenful.
type rowKey struct {
	item                    *model.Item
	state                   model.State
	scores                  score.Scores
	marked, cursor, paused  bool
	width, threshold        int
	errMessage, name, group string
	tags                    string
	minute                  int64 // ages are shown to the minute at best
}

type rowMemo struct {
	key  rowKey
	line string
}

func (m *Model) cachedRow(it *model.Item, cursor bool, c columns, w int) string {
	k := rowKey{item: it, state: it.State, scores: it.Scores, marked: it.Marked, cursor: cursor, paused: m.paused,
		width: w, threshold: m.opt.Threshold, errMessage: it.ErrMessage, name: it.Name, group: m.groupLabel(it), tags: tagsKey(it.Tags), minute: m.opt.Now().Unix() / 60}
	if memo, ok := m.rows[it]; ok && memo.key == k {
		return memo.line
	}
	if len(m.rows) > 4096 { // only what was on screen lately is worth keeping
		clear(m.rows)
	}
	line := m.rowView(it, cursor, c, w)
	m.rows[it] = rowMemo{key: k, line: line}
	return line
}

// padTo fills a rendered line with spaces up to w cells.
func padTo(s string, w int) string {
	if pad := w - lipgloss.Width(s); pad > 0 {
		return s + strings.Repeat(" ", pad)
	}
	return s
}

// rowView renders one row at exactly w cells. Every segment is painted over the row's
// background (cursor, marked), since an inner style's reset would otherwise end the
// highlight halfway along the row.
func (m *Model) rowView(it *model.Item, cursor bool, c columns, w int) string {
	bg := m.rowStyle(cursor, it.Marked)
	paint := func(st lipgloss.Style, text string) string { return st.Inherit(bg).Render(text) }
	var b strings.Builder
	// The cursor is a marker in the first cell as well as a highlight: with no colour
	// (TERM=dumb, NO_COLOR, mono) or 16 colours the highlight alone is not enough.
	if cursor {
		b.WriteString(paint(m.st.Mark, "▸"))
	} else {
		b.WriteString(paint(m.st.Row, " "))
	}
	if it.Marked {
		b.WriteString(paint(m.st.Mark, "●"))
	} else {
		b.WriteString(paint(m.st.Row, " "))
	}
	if it.IsPrefix {
		b.WriteString(paint(m.st.Prefix, fit(names.Printable(it.Name), w-2)))
		return b.String()
	}
	b.WriteString(paint(m.st.Row, fit(m.groupLabel(it)+names.Printable(it.Name), c.name)))
	if c.size > 0 {
		b.WriteString(paint(m.st.Dim, fmt.Sprintf(" %*s", c.size, humanSize(it.Size))))
	}
	if c.age > 0 {
		b.WriteString(paint(m.st.Dim, fmt.Sprintf(" %*s", c.age, age(it.Modified, m.opt.Now()))))
	}
	switch it.State {
	case model.Scored:
		for _, id := range m.cols.scores {
			b.WriteString(paint(m.st.Row, " "))
			m.scoreCell(&b, paint, id, it.Scores, c)
		}
		if c.badges > 0 {
			b.WriteString(paint(m.st.Row, " "))
			m.badges(&b, paint, it, c.badges)
		}
	default:
		span := c.scores - 1
		if c.badges > 0 {
			span += c.badges + 1
		}
		b.WriteString(paint(m.st.Row, " "))
		// An unscored or failed row still shows the operator's verdict, first.
		if v := model.VerdictOf(it.Tags); (v == model.Pick || v == model.Reject) && span > 12 {
			word := strings.ToUpper(v.String())
			b.WriteString(paint(m.st.Badge, word))
			b.WriteString(paint(m.st.Row, " "))
			span -= len(word) + 1
		}
		st, text := m.stateCell(it)
		b.WriteString(paint(st, fit(text, span)))
	}
	line := b.String()
	if pad := w - lipgloss.Width(line); pad > 0 {
		line += paint(m.st.Row, strings.Repeat(" ", pad))
	}
	return line
}

func (m *Model) rowStyle(cursor, marked bool) lipgloss.Style {
	switch {
	case cursor && m.profile > colorprofile.NoTTY && m.profile <= colorprofile.ANSI && !m.st.Mono:
		// 16 colours fold the cursor's background into the text's cyan: reverse video
		// stays legible whatever the palette.
		return lipgloss.NewStyle().Reverse(true)
	case cursor:
		return m.st.RowCursor
	case marked:
		return m.st.RowMarked
	}
	return lipgloss.NewStyle()
}

type painter func(lipgloss.Style, string) string

// scoreCell is a compact bar and the number, coloured by the threshold.
func (m *Model) scoreCell(b *strings.Builder, paint painter, id score.ID, s score.Scores, c columns) {
	v := id.Get(s)
	style := m.st.scoreStyle(v, m.opt.Threshold)
	num := fmt.Sprintf("%*d", score.Fields[id].Width, v)
	if c.bar == 0 {
		b.WriteString(paint(style, num))
		return
	}
	filled, empty := bar(v, c.bar)
	b.WriteString(paint(style, filled))
	b.WriteString(paint(m.st.BarEmpty, empty))
	b.WriteString(paint(style, " "+num))
}

// badges names the flags, as many as fit, in exactly width cells.
func (m *Model) badges(b *strings.Builder, paint painter, it *model.Item, width int) {
	names := strings.Fields(it.Flags().String())
	for _, t := range it.Tags {
		if isVerdictTag(t) {
			names = append([]string{strings.ToUpper(t.Value)}, names...) // the operator's own verdict first
		}
	}
	if others := otherTags(it.Tags); others > 0 {
		names = append(names, moreTags(others))
	}
	used := 0
	for i, n := range names {
		if used+len(n) > width || (used+len(n)+3 > width && i < len(names)-1) {
			more := "+" + strconv.Itoa(len(names)-i)
			b.WriteString(paint(m.st.Badge, more))
			used += len(more)
			break
		}
		if i > 0 {
			b.WriteString(paint(m.st.Row, " "))
			used++
		}
		b.WriteString(paint(m.st.Badge, n))
		used += len(n)
	}
	if used < width {
		b.WriteString(paint(m.st.Row, strings.Repeat(" ", width-used)))
	}
}

// stateCell says why an image has no score yet, and how to show it.
func (m *Model) stateCell(it *model.Item) (lipgloss.Style, string) {
	switch it.State {
	case model.Scoring:
		return m.st.Scoring, "scoring…"
	case model.Failed:
		return m.st.Failed, "✗ " + failureText(it.ErrKind, it.ErrMessage)
	}
	if m.paused {
		return m.st.Waiting, "paused"
	}
	return m.st.Waiting, "waiting"
}

func (m *Model) statusView(w int) string {
	l := m.list
	c := l.Counts()
	var parts []string
	listed := fmt.Sprintf("%d listed", l.Total())
	if !l.Complete() {
		listed += ", more coming"
	}
	parts = append(parts, listed)
	// Two scopes, each labelled: this prefix's images, then the session's requests.
	if c.Images > 0 {
		filled, empty := bar((c.Scored+c.Failed)*100/c.Images, 8)
		here := fmt.Sprintf("here: scored %d/%d", c.Scored, c.Images)
		if c.Failed > 0 {
			here += fmt.Sprintf(" · %d failed", c.Failed)
		}
		parts = append(parts, here+" "+m.st.ScoreHigh.Render(filled)+m.st.BarEmpty.Render(empty))
	}
	if m.paused {
		parts = append(parts, m.st.Error.Render("paused"))
	}
	if f := l.Filter(); !f.IsZero() {
		parts = append(parts, m.st.StatusKey.Render("filter "+f.String()))
	}
	if c.Marked > 0 {
		parts = append(parts, m.st.Mark.Render(fmt.Sprintf("%d marked", c.Marked)))
	}
	if m.mode == modeVisual {
		parts = append(parts, m.st.Mark.Render("VISUAL"))
	}
	if g := m.groupProgress(); g != "" {
		parts = append(parts, g)
	}
	if j := m.job; j != nil {
		pct := 0
		if j.total > 0 {
			pct = j.done * 100 / j.total
		}
		filled, empty := bar(pct, 8)
		parts = append(parts, m.st.StatusKey.Render(fmt.Sprintf("%s %d/%d ", j.label, j.done, j.total))+m.st.ScoreHigh.Render(filled)+m.st.BarEmpty.Render(empty))
	}
	// The session's requests last: the prefix's state matters more when space runs out.
	st := m.opt.Backend.Stats()
	session := fmt.Sprintf("session: %d calls · %d cached", st.Calls, st.CacheHits)
	if cost := m.costText(st.Calls); cost != "" {
		session += " · " + cost
	}
	if st.Scorer != "" {
		session += " · scorer " + st.Scorer
	}
	parts = append(parts, session)
	line := strings.Join(parts, m.st.Faint.Render(" │ "))
	return m.st.Status.Render(fit(line, w))
}

// bottomView is the prompt while typing, a transient message, or the key hint.
func (m *Model) bottomView(w int) string {
	switch {
	case m.mode == modeFilter:
		return fit(m.st.Prompt.Render("/")+m.input.View(), w)
	case m.mode == modeTag:
		return fit(m.st.Prompt.Render(fmt.Sprintf("tag %d: ", len(m.targets())))+m.input.View()+m.st.Hint.Render("  key=value, -key removes, tab completes"), w)
	case m.mode == modeQuality:
		if m.filterErr != "" {
			return fit(m.st.Prompt.Render("filter: ")+m.input.View()+m.st.Error.Render("  "+m.filterErr), w)
		}
		return fit(m.st.Prompt.Render("filter: ")+m.input.View()+m.st.Hint.Render("  e.g. clarity<40 pure reject tag:review=keep"), w)
	case m.status != "":
		style := m.st.Status
		if m.statusBad {
			style = m.st.Error
		}
		return style.Render(fit(names.Printable(m.status), w))
	}
	return hintLine(m.st, m.keys.ShortHelp(), w)
}

// overlay centres box over the screen.
func overlay(screen, box string, w, h int) string {
	lines := strings.Split(screen, "\n")
	boxLines := strings.Split(box, "\n")
	bw := lipgloss.Width(box)
	top := max(0, (h-len(boxLines))/2)
	left := max(0, (w-bw)/2)
	for i, bl := range boxLines {
		y := top + i
		if y >= len(lines) {
			break
		}
		lines[y] = strings.Repeat(" ", left) + bl
	}
	return strings.Join(lines, "\n")
}

// tagsKey is a row memo's view of the tags: any change to them redraws the row.
func tagsKey(tags []cosrules.Tag) string {
	if tags == nil {
		return "?"
	}
	var b strings.Builder
	for _, t := range tags {
		b.WriteString(t.Key + "=" + t.Value + "\x00")
	}
	return b.String()
}

func isVerdictTag(t cosrules.Tag) bool {
	return t.Key == FlagTag && (t.Value == "pick" || t.Value == "reject")
}

// otherTags counts the tags that are not the verdict: shown as a count, not spelt out.
func otherTags(tags []cosrules.Tag) int {
	n := 0
	for _, t := range tags {
		if !isVerdictTag(t) {
			n++
		}
	}
	return n
}

// moreTags reads as words ("+1 tag", "+3 tags"), where "#1" left people guessing.
func moreTags(n int) string {
	if n == 1 {
		return "+1 tag"
	}
	return "+" + itoa(n) + " tags"
}

// withOverlays draws what sits on top of a screen (a dialog, help, the journal, the trash)
// the same way over the list and over the loupe.
func (m *Model) withOverlays(out string, w, h int) string {
	switch {
	case m.dialog != nil:
		out = overlay(out, m.dialog.view(m.st, w), w, h)
	case m.mode == modeHelp:
		out = overlay(out, helpPages(m.st, m.keys, len(m.opt.QuickTags) == 0, m.opt.Threshold, m.helpLegend, w, h), w, h)
	case m.mode == modeJournal:
		out = overlay(out, m.journalView(w, h), w, h)
	case m.mode == modeTrash:
		out = overlay(out, m.trashView(w, h), w, h)
	}
	return out
}
