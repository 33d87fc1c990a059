package ui

import (
	"fmt"
	"path"
	"strings"

	tea "charm.land/bubbletea/v2"

	"lightbox/internal/names"
	"lightbox/keymap"
	"lightbox/model"
	"lightbox/score"
)

// The loupe: one image full screen (o, or Enter on an image) that acts like the list.
// Every action key goes through the list's own handler with the cursor on the shown
// image, so the loupe has no curation logic of its own; it only moves between images,
// draws the image with its scores, flags and verdict, and can advance after a verdict
// (Photo Mechanic's and Lightroom's auto-advance).

// loupeState is the loupe's part of the model.
type loupeState struct {
	// open stays true while an overlay or prompt the loupe started (help, tag prompt,
	// dialog, journal) is up, so closing it comes back to the loupe, not to the list.
	open bool
	// autoAdvance moves to the next image after a verdict (P, X, U, a quick tag).
	autoAdvance bool
}

// loupeToggleKey switches auto-advance. A is free in the list's keymap; the loupe is the
// only place it means something.
const loupeToggleKey = "A"

// previewSize is the picture's size in the detail pane at the current layout.
func (m *Model) previewSize() (cols, rows int) {
	if m.lp.open {
		return m.width, max(1, m.height-3)
	}
	w := m.width
	switch {
	case m.showDetail && w >= wideLayout:
		w = min(max(36, w/3), 56)
	case !m.showDetail && w < wideLayout:
	default:
		return 0, 0 // no detail pane on screen
	}
	inner := max(10, w-2)
	return inner, previewRows(m.listRows(), inner)
}

func (m *Model) openImage() tea.Cmd {
	it := m.list.At(m.cursor)
	if it == nil || it.IsPrefix {
		return nil
	}
	m.mode = modeImage
	m.lp.open = true
	cols, rows := m.previewSize()
	return m.wantPreview(cols, rows)
}

func (m *Model) closeLoupe() tea.Cmd {
	m.lp.open = false
	m.mode = modeNormal
	return m.detailSoon()
}

// loupeResume brings the loupe back once what it opened (a prompt, help, a dialog's
// answer) has returned to the normal mode; it closes the loupe when the cursor is no
// longer on an image (a filter emptied the list).
func (m *Model) loupeResume() tea.Cmd {
	if !m.lp.open || m.mode != modeNormal {
		return nil
	}
	if it := m.list.At(m.cursor); it == nil || it.IsPrefix {
		if m.loupeStep(1) == nil && m.loupeStep(-1) == nil {
			m.lp.open = false
			return nil
		}
	}
	m.mode = modeImage
	return nil
}

// notInLoupe are list actions that make no sense on one image: the loupe says so instead
// of leaving silently.
var notInLoupe = map[keymap.Action]bool{
	keymap.ActionVisual: true, keymap.ActionFilter: true, keymap.ActionQualityFilter: true,
	keymap.ActionDetail: true, keymap.ActionRefresh: true,
}

// verdictAction is what auto-advance follows: a decision about the shown image.
func verdictAction(a keymap.Action) bool {
	if _, ok := a.QuickTagSlot(); ok {
		return true
	}
	return a == keymap.ActionPick || a == keymap.ActionReject || a == keymap.ActionUnflag
}

// onImageKey: n/p, arrows, h/l, j/k move between images, g/G to the first and last;
// o, q, esc and enter return; A toggles auto-advance; every other key is the list's.
func (m *Model) onImageKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "n", "right", "l":
		return m.loupeStep(1)
	case "p", "left", "h", "backspace":
		return m.loupeStep(-1)
	case "o", "q", "esc", "enter":
		return m.closeLoupe()
	case loupeToggleKey:
		m.lp.autoAdvance = !m.lp.autoAdvance
		if m.lp.autoAdvance {
			return m.setStatus(false, "auto-advance on: a verdict moves to the next image (%s turns it off)", loupeToggleKey)
		}
		return m.setStatus(false, "auto-advance off (%s turns it on)", loupeToggleKey)
	}
	a, ok := m.keys.Match(msg)
	if ok {
		switch a {
		case keymap.ActionUp:
			return m.loupeStep(-1)
		case keymap.ActionDown:
			return m.loupeStep(1)
		case keymap.ActionPageUp:
			return m.loupeStep(-m.listRows())
		case keymap.ActionPageDown:
			return m.loupeStep(m.listRows())
		case keymap.ActionTop:
			return m.loupeJump(0, 1)
		case keymap.ActionBottom:
			return m.loupeJump(m.list.Len()-1, -1)
		}
		if notInLoupe[a] {
			return m.setStatus(false, "%s works in the list (o goes back to it)", a.Help())
		}
	}
	return m.viaList(msg, a, ok)
}

// viaList hands a key to the list's handler with the cursor on the shown image, then
// keeps the loupe on an image and advances after a verdict when asked to.
func (m *Model) viaList(msg tea.KeyPressMsg, a keymap.Action, matched bool) tea.Cmd {
	before := m.cursorKey()
	m.mode = modeNormal
	_, cmd := m.onKey(msg)
	cmds := []tea.Cmd{cmd}
	if m.mode == modeNormal && m.lp.open {
		m.mode = modeImage
		if it := m.list.At(m.cursor); it == nil || it.IsPrefix {
			cmds = append(cmds, m.loupeStep(1)) // space marks and moves on: to an image
		}
		if m.cursorKey() != before {
			cols, rows := m.previewSize()
			cmds = append(cmds, m.wantPreview(cols, rows))
		}
		// A verdict given at once (not waiting on a dialog) moves on.
		if matched && m.lp.autoAdvance && verdictAction(a) && m.dialog == nil && m.cursorKey() == before {
			cmds = append(cmds, m.loupeStep(1))
		}
	}
	return tea.Batch(cmds...)
}

// loupeStep moves by step images (not rows: folders are skipped). nil when there is
// no image that way.
func (m *Model) loupeStep(step int) tea.Cmd {
	dir := 1
	if step < 0 {
		dir, step = -1, -step
	}
	target := -1
	for i := m.cursor + dir; i >= 0 && i < m.list.Len() && step > 0; i += dir {
		if m.isImage(m.list.At(i)) {
			target = i
			step--
		}
	}
	if target < 0 {
		return nil
	}
	return m.loupeGo(target)
}

// loupeJump goes to the first image from i in direction dir.
func (m *Model) loupeJump(i, dir int) tea.Cmd {
	for ; i >= 0 && i < m.list.Len(); i += dir {
		if m.isImage(m.list.At(i)) {
			return m.loupeGo(i)
		}
	}
	return nil
}

func (m *Model) loupeGo(i int) tea.Cmd {
	if i == m.cursor {
		return nil
	}
	m.cursor = i
	m.clampCursor()
	m.sess.RememberCursor(m.list.Prefix(), m.cursorKey())
	cols, rows := m.previewSize()
	return tea.Batch(m.wantPreview(cols, rows), m.pump(), m.detailSoon())
}

// isImage is whether the loupe steps to and counts it: an image by its name or by the
// content type HEAD gave, not a folder, a README or a licence file.
func (m *Model) isImage(it *model.Item) bool {
	if it == nil || it.IsPrefix {
		return false
	}
	switch strings.ToLower(path.Ext(it.Key)) {
	case ".gif", ".webp", ".bmp", ".tif", ".tiff", ".heic", ".avif":
		return true // shown or named as images, though never scored
	}
	return names.IsImageName(it.Key) || strings.HasPrefix(m.contentTypes[it.Key], "image/")
}

// imagePosition is the cursor's place among the images only: folders and other files are
// not counted.
func (m *Model) imagePosition() (pos, total int) {
	for i := 0; i < m.list.Len(); i++ {
		if m.isImage(m.list.At(i)) {
			total++
			if i == m.cursor {
				pos = total
			}
		}
	}
	return pos, total
}

// imageView draws the loupe: a title line (cursor marker, counter, name, verdict and
// flags), the scores, the picture, and the status or key hint at the bottom. Overlays the
// loupe opened (help, a dialog, the journal) are drawn over it.
func (m *Model) imageView(w, h int) string {
	it := m.list.At(m.cursor)
	if it == nil || it.IsPrefix {
		return ""
	}
	pos, total := m.imagePosition()
	title := m.st.Mark.Render("▸") + " " + m.st.HintKey.Render(fmt.Sprintf("%d/%d", pos, total)) + "  " + m.st.DetailTitle.Render(names.Printable(it.Name))
	if mark := m.loupeMarks(it); mark != "" {
		title += "  " + mark
	}
	lines := []string{fit(title, w), fit(m.scoreLine(it), w)}
	if h >= 4 {
		lines = append(lines, m.previewText(it, w, max(1, h-3)))
	}
	lines = append(lines, m.loupeBottom(w))
	out := strings.Join(lines, "\n")
	return m.withOverlays(out, w, h)
}

// loupeMarks are the verdict, the mark and the auto-advance state, in words that need no
// colour.
func (m *Model) loupeMarks(it *model.Item) string {
	var parts []string
	switch model.VerdictOf(it.Tags) {
	case model.Pick:
		parts = append(parts, m.st.Badge.Render("✓ PICK"))
	case model.Reject:
		parts = append(parts, m.st.Badge.Render("✗ REJECT"))
	}
	if it.Marked {
		parts = append(parts, m.st.Mark.Render("● marked"))
	}
	if n := otherTags(it.Tags); n > 0 {
		parts = append(parts, m.st.Badge.Render(moreTags(n)))
	}
	if m.lp.autoAdvance {
		parts = append(parts, m.st.Dim.Render("auto-advance"))
	}
	return strings.Join(parts, "  ")
}

// loupeBottom is the prompt or status when there is one, else the loupe's keys.
func (m *Model) loupeBottom(w int) string {
	if m.mode == modeTag || m.status != "" {
		return m.bottomView(w)
	}
	// The action keys as the keymap has them (the config may have moved them).
	parts := []string{"n/p next/previous"}
	for _, a := range []keymap.Action{keymap.ActionPick, keymap.ActionReject, keymap.ActionUnflag, keymap.ActionTag} {
		if b := m.keys.Binding(a); b.Enabled() {
			parts = append(parts, b.Help().Key+" "+b.Help().Desc)
		}
	}
	parts = append(parts, loupeToggleKey+" auto-advance")
	if b := m.keys.Binding(keymap.ActionHelp); b.Enabled() {
		parts = append(parts, b.Help().Key+" help")
	}
	parts = append(parts, "o/esc back")
	return fit(m.st.Hint.Render(strings.Join(parts, " · ")), w)
}

func (m *Model) scoreLine(it *model.Item) string {
	switch it.State {
	case model.Scored:
		var parts []string
		for _, f := range score.Fields {
			v := f.Get(it.Scores)
			parts = append(parts, m.st.Label.Render(f.Label+" ")+m.st.scoreStyle(v, m.opt.Threshold).Render(fmt.Sprint(v)))
		}
		if f := it.Flags().String(); f != "" {
			parts = append(parts, m.st.Badge.Render(f))
		}
		return strings.Join(parts, "  ")
	case model.Failed:
		return m.st.Failed.Render("✗ " + failureLabel(it.ErrKind, it.ErrMessage))
	}
	return m.st.Waiting.Render(it.State.String())
}
