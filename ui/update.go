package ui

import (
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"lightbox/cosapi"
	"lightbox/internal/names"
	"lightbox/keymap"
	"lightbox/model"
	"lightbox/score"
	"lightbox/ui/preview"
)

// Update routes every message. It does no I/O: work goes out as Cmds.
func (m *Model) Update(msg tea.Msg) (_ tea.Model, cmd tea.Cmd) {
	if m.grid != nil { // the contact sheet draws what scrolled in, whatever the message
		defer func() { cmd = tea.Batch(cmd, m.wantThumbs()) }()
	}
	if m.img.detector != nil {
		m.observeTerminal(msg)
	}
	switch msg := msg.(type) {
	case previewMsg:
		return m, m.onPreview(msg)
	case thumbMsg:
		return m, m.onThumb(msg)
	case tea.ColorProfileMsg:
		m.profile = msg.Profile
		clear(m.rows) // the cursor row's look depends on the profile
		if m.img.use == preview.ModeKitty && m.profile < colorprofile.ANSI256 && m.img.mode != preview.ModeKitty {
			m.img.use = preview.ModeBlocks
		}
		return m, nil
	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 1), max(msg.Height, 1)
		m.clampCursor()
		// The preview is cached by size: ask for the new one now, not when the cursor moves.
		cols, rows := m.previewSize()
		return m, tea.Batch(m.pump(), m.wantPreview(cols, rows))
	case tea.BackgroundColorMsg:
		m.dark = msg.IsDark()
		m.st = NewStyles(m.opt.Theme, m.dark)
		clear(m.rows)
		return m, nil
	case pageMsg:
		return m, m.onPage(msg)
	case scoredMsg:
		return m, m.onScored(msg)
	case tagsMsg:
		return m, m.onTags(msg)
	case pollTickMsg:
		return m, m.onPollTick(msg)
	case pollMsg:
		return m, m.onPoll(msg)
	case resortMsg:
		if msg.list == m.list {
			key := m.cursorKey()
			m.list.Resort(key)
			m.follow(key)
		}
		m.resortDue = false
		return m, nil
	case detailTickMsg:
		if msg.list == m.list && msg.gen == m.detailGen && msg.key == m.cursorKey() {
			if it := m.list.Item(msg.key); it != nil && !it.IsPrefix {
				var tags tea.Cmd
				if it.Tags == nil || m.contentTypes[it.Key] == "" {
					readTags := it.Tags == nil && !m.tagAsked[tagID(it.Key, it.ETag)]
					tags = detailCmd(m.ctx, m.opt.Backend, m.list, it.Key, it.ETag, readTags)
				}
				cols, rows := m.previewSize()
				return m, tea.Batch(tags, m.wantPreview(cols, rows))
			}
		}
		return m, nil
	case detailMsg:
		if msg.err != nil {
			if msg.list == m.list && msg.key == m.cursorKey() && cosapi.KindOf(msg.err) != cosapi.KindCanceled {
				m.detailErr = reason(msg.err)
			}
			return m, nil
		}
		if it := msg.list.Item(msg.key); it != nil && it.ETag == msg.etag && !msg.noTags {
			msg.list.SetTags(msg.key, msg.tags)
			m.rememberTags(msg.key, msg.etag, msg.tags)
		}
		m.contentTypes[msg.key] = msg.contentType
		return m, nil
	case jobProgressMsg:
		if m.job != nil && m.job.id == msg.id {
			m.job.done, m.job.total = msg.done, msg.total
			return m, waitProgressAgain(m)
		}
		return m, nil
	case jobDoneMsg:
		return m, m.onJobDone(msg)
	case groupChunkMsg:
		return m, m.onGroupChunk(msg)
	case journalMsg:
		return m, m.onJournal(msg)
	case stepsMsg:
		return m, m.onSteps(msg)
	case trashMsg:
		return m, m.onTrash(msg)
	case externalReadyMsg:
		return m, m.onExternalReady(msg)
	case externalDoneMsg:
		return m, m.onExternalDone(msg)
	case quitDeadlineMsg:
		return m, m.onQuitDeadline(msg)
	case statusClearMsg:
		if msg.gen == m.statusGen {
			m.status = ""
		}
		return m, nil
	case tea.KeyPressMsg:
		next, cmd := m.onKey(msg)
		m.loupeResume() // back to the loupe when what it opened has closed
		return next, cmd
	case tea.MouseWheelMsg:
		switch msg.Mouse().Button {
		case tea.MouseWheelUp:
			return m, m.move(-3)
		case tea.MouseWheelDown:
			return m, m.move(3)
		}
		return m, nil
	case tea.MouseClickMsg:
		if m.grid != nil && msg.Mouse().Button == tea.MouseLeft {
			return m, m.gridClick(msg.Mouse().X, msg.Mouse().Y)
		}
		if msg.Mouse().Button == tea.MouseLeft {
			row := msg.Mouse().Y - 3 // header, breadcrumbs and column names above the list
			if row >= 0 && m.grid == nil && row < m.listRows() && m.offset+row < m.list.Len() {
				return m, m.move(m.offset + row - m.cursor)
			}
		}
		return m, nil
	}
	if m.mode == modeFilter || m.mode == modeQuality {
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Model) onPage(msg pageMsg) tea.Cmd {
	l := msg.list
	m.listing[l] = false
	if msg.err != nil {
		if cosapi.KindOf(msg.err) == cosapi.KindCanceled {
			return nil
		}
		return m.setStatus(true, "listing %s failed: %v", displayPrefix(l.Prefix()), msg.err)
	}
	key := m.cursorKey()
	l.AddPage(msg.page)
	m.prints[l] = fingerprint(m.prints[l], msg.page)
	if !msg.page.Truncated {
		l.SetComplete()
	}
	var cmds []tea.Cmd
	if l == m.list {
		if key == "" {
			if remembered := m.sess.Cursor(l.Prefix()); remembered != "" {
				key = remembered
			}
		}
		m.follow(key)
		m.onRefreshPage(l, msg.page)
		cmds = append(cmds, m.startListing(l), m.pump(), m.detailSoon())
		if l.Complete() {
			cmds = append(cmds, m.schedulePoll())
		}
	}
	return tea.Batch(cmds...)
}

func (m *Model) onScored(msg scoredMsg) tea.Cmd {
	m.inflight--
	l := msg.list
	var status tea.Cmd
	switch {
	case msg.err == nil:
		l.SetScore(msg.key, msg.etag, msg.res.Scores)
	case cosapi.KindOf(msg.err) == cosapi.KindCanceled:
		l.SetFailed(msg.key, msg.etag, cosapi.KindCanceled, "") // back to waiting: not the image's fault
		return nil
	default:
		kind := cosapi.KindOf(msg.err)
		l.SetFailed(msg.key, msg.etag, kind, reason(msg.err))
		if kind == cosapi.KindBudget && !m.paused {
			m.paused = true
			status = m.setStatus(true, "the call budget (max_calls) is spent: scoring paused")
		}
		if kind == cosapi.KindAuth && !m.paused {
			m.paused = true
			status = m.setStatus(true, "COS refused the credentials: scoring paused (%s)", reason(msg.err))
		}
	}
	return tea.Batch(status, m.resortSoon(l), m.pump())
}

// reason is an error as the operator should read it: the COS message without the
// operation prefix.
func reason(err error) string {
	var e *cosapi.Error
	if errors.As(err, &e) {
		switch {
		case e.Message != "" && e.Code != "":
			return e.Code + ": " + e.Message
		case e.Message != "":
			return e.Message
		case e.Code != "":
			return e.Code
		}
		return e.Kind.String()
	}
	return err.Error()
}

// pump hands out background work: scores and tags.
func (m *Model) pump() tea.Cmd { return tea.Batch(m.scorePump(), m.tagPump()) }

// scorePump hands out scoring work up to the concurrency, visible rows first. Objects whose
// names are not PNG or JPEG are not sent (each call is billed); r re-scores one anyway.
func (m *Model) scorePump() tea.Cmd {
	if m.paused {
		return nil
	}
	var cmds []tea.Cmd
	for free := m.opt.Concurrency - m.inflight; free > 0; {
		items := m.nextToScore(m.list, free)
		if len(items) == 0 {
			break
		}
		for _, it := range items {
			if !it.Refresh && !names.IsImageName(it.Key) {
				m.list.SetFailed(it.Key, it.ETag, cosapi.KindUnsupported, "not a .jpg, .jpeg or .png name, so not sent (r scores it anyway)")
				continue
			}
			m.inflight++
			free--
			cmds = append(cmds, scoreCmd(m.ctx, m.opt.Backend, m.list, it))
		}
	}
	return tea.Batch(cmds...)
}

// detailSoon fetches the cursor image's tags once the cursor rests there.
func (m *Model) detailSoon() tea.Cmd {
	m.detailGen++
	m.detailErr = ""
	it := m.list.At(m.cursor)
	if it == nil || it.IsPrefix {
		return nil
	}
	gen, l, key := m.detailGen, m.list, it.Key
	return m.after(detailDelay, func(time.Time) tea.Msg { return detailTickMsg{list: l, key: key, gen: gen} })
}

// move shifts the cursor by delta rows (marking the range in visual mode).
func (m *Model) move(delta int) tea.Cmd {
	before := m.cursor
	m.cursor += delta
	m.clampCursor()
	if m.cursor == before {
		return nil
	}
	if m.mode == modeVisual {
		m.list.MarkRange(m.anchor, m.cursor, true)
	}
	m.sess.RememberCursor(m.list.Prefix(), m.cursorKey())
	return tea.Batch(m.pump(), m.detailSoon())
}

// enter goes into a prefix; back goes up, each list remembering where its cursor was.
func (m *Model) enter(prefix string) tea.Cmd {
	m.sess.RememberCursor(m.list.Prefix(), m.cursorKey())
	l, err := m.sess.Enter(prefix)
	if err != nil {
		return m.setStatus(true, "%v", err)
	}
	m.list = l
	return m.arrive()
}

func (m *Model) back() tea.Cmd {
	m.sess.RememberCursor(m.list.Prefix(), m.cursorKey())
	l, ok := m.sess.Up()
	if !ok {
		return m.setStatus(false, "already at the top of %s", m.opt.Target)
	}
	m.list = l
	return m.arrive()
}

// arrive shows the session's current list, restoring its cursor, listing if needed.
func (m *Model) arrive() tea.Cmd {
	m.mode = modeNormal
	m.cursor, m.offset = 0, 0
	m.follow(m.sess.Cursor(m.list.Prefix()))
	return tea.Batch(m.startListing(m.list), m.pump(), m.detailSoon())
}

// onKey handles a key press in the current mode.
func (m *Model) onKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if d := m.dialog; d != nil {
		m.dialog = nil
		if msg.String() == "y" {
			return m, d.confirm()
		}
		return m, m.setStatus(false, "cancelled")
	}
	switch m.mode {
	case modeImage:
		return m, m.onImageKey(msg)
	case modeCompare:
		return m, m.onCompareKey(msg)
	case modeHelp:
		if msg.String() == "?" { // turns to the legend and back, where it has a page
			m.helpLegend = !m.helpLegend
			return m, nil
		}
		m.mode, m.helpLegend = modeNormal, false
		return m, nil
	case modeJournal:
		return m, m.onJournalKey(msg)
	case modeTrash:
		return m, m.onTrashKey(msg)
	case modeFilter, modeQuality, modeTag:
		return m.onPromptKey(msg)
	}
	if m.grid != nil {
		if cmd, ok := m.onGridKey(msg); ok {
			return m, cmd
		}
	}
	action, ok := m.keys.Match(msg)
	if !ok {
		if msg.String() == "esc" && m.mode == modeVisual {
			m.mode = modeNormal
		}
		if s := msg.String(); len(s) == 1 && s[0] >= '0' && s[0] <= '9' {
			// A disabled quick-tag slot: say why nothing happened.
			return m, m.setStatus(false, "%s", noQuickTag(s))
		}
		return m, nil
	}
	rows := m.listRows()
	switch action {
	case keymap.ActionQuit:
		return m, m.quit()
	case keymap.ActionUp:
		return m, m.move(-1)
	case keymap.ActionDown:
		return m, m.move(1)
	case keymap.ActionPageUp:
		return m, m.move(-rows)
	case keymap.ActionPageDown:
		return m, m.move(rows)
	case keymap.ActionTop:
		return m, m.move(-m.cursor)
	case keymap.ActionBottom:
		return m, m.move(m.list.Len())
	case keymap.ActionEnter:
		if it := m.list.At(m.cursor); it != nil && it.IsPrefix {
			return m, m.enter(it.Key)
		}
		return m, m.openImage()
	case keymap.ActionOpen:
		return m, m.openImage()
	case keymap.ActionBack:
		return m, m.back()
	case keymap.ActionHelp:
		m.mode = modeHelp
		return m, nil
	case keymap.ActionSort:
		return m, m.cycleSort()
	case keymap.ActionReverse:
		f, desc := m.list.Sort()
		key := m.cursorKey()
		m.list.SetSort(f, !desc)
		m.follow(key)
		return m, nil
	case keymap.ActionFilter:
		return m, m.openPrompt(modeFilter, m.list.Filter().Name)
	case keymap.ActionQualityFilter:
		f := m.list.Filter()
		f.Name = ""
		text := ""
		if !f.IsZero() {
			text = f.String()
		}
		return m, m.openPrompt(modeQuality, text)
	case keymap.ActionClearFilter:
		if m.mode == modeVisual {
			m.mode = modeNormal
			return m, nil
		}
		key := m.cursorKey()
		m.list.SetFilter(model.Filter{})
		m.follow(key)
		return m, nil
	case keymap.ActionDetail:
		m.showDetail = !m.showDetail
		return m, nil
	case keymap.ActionGrid:
		return m, m.toggleGrid()
	case keymap.ActionCompare:
		return m, m.compareFromList()
	case keymap.ActionScoreAll:
		return m, m.askScoreAll()
	case keymap.ActionRefresh:
		return m, m.refresh(false)
	case keymap.ActionPause:
		m.paused = !m.paused
		if m.paused {
			return m, m.setStatus(false, "scoring paused (p resumes)")
		}
		return m, tea.Batch(m.setStatus(false, "scoring resumed"), m.pump())
	case keymap.ActionRescore:
		keys := m.list.MarkedKeys()
		if len(keys) == 0 {
			if it := m.list.At(m.cursor); it != nil && !it.IsPrefix {
				keys = []string{it.Key}
			}
		}
		m.list.Requeue(keys...)
		m.wanted[m.list] = append(m.wanted[m.list], keys...) // asked for: scored even off screen
		return m, tea.Batch(m.setStatus(false, "re-scoring %d image(s)", len(keys)), m.pump())
	case keymap.ActionMark:
		m.list.ToggleMark(m.cursor)
		return m, m.move(1)
	case keymap.ActionVisual:
		if m.mode == modeVisual {
			m.mode = modeNormal
			return m, nil
		}
		m.mode, m.anchor = modeVisual, m.cursor
		m.list.MarkRange(m.cursor, m.cursor, true)
		return m, nil
	case keymap.ActionMarkAll:
		m.list.MarkAllVisible()
		return m, nil
	case keymap.ActionInvert:
		m.list.InvertVisible()
		return m, nil
	case keymap.ActionClearMarks:
		m.list.ClearMarks()
		return m, nil
	case keymap.ActionGroup:
		return m, m.toggleGrouping()
	case keymap.ActionFold:
		return m, m.toggleFold()
	case keymap.ActionFoldAll:
		return m, m.toggleFoldAll()
	case keymap.ActionRejectRest:
		return m, m.rejectRest()
	}
	return m, m.act(action)
}

// cycleSort steps through the sort fields, keeping the cursor on its image.
func (m *Model) cycleSort() tea.Cmd {
	order := []model.SortField{model.SortName}
	for _, f := range score.Fields {
		if f.Sortable {
			order = append(order, model.ScoreSort(f.ID))
		}
	}
	order = append(order, model.SortSize, model.SortTime)
	f, desc := m.list.Sort()
	next := order[0]
	for i, o := range order {
		if o == f {
			next = order[(i+1)%len(order)]
		}
	}
	if next.ByScore() {
		desc = false // worst first: what a culler looks at
	}
	key := m.cursorKey()
	m.list.SetSort(next, desc)
	m.follow(key)
	return m.setStatus(false, "sorted by %s", model.FormatSort(next, desc))
}

func (m *Model) openPrompt(md mode, text string) tea.Cmd {
	m.mode = md
	m.prevFilter = m.list.Filter()
	m.input.SetValue(text)
	m.input.CursorEnd()
	return m.input.Focus()
}

// onPromptKey edits a filter; the name filter applies as you type.
func (m *Model) onPromptKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	key := m.cursorKey()
	switch msg.String() {
	case "esc":
		m.filterErr = ""
		if m.mode != modeTag {
			m.list.SetFilter(m.prevFilter)
		}
		m.mode = modeNormal
		m.input.Blur()
		m.follow(key)
		return m, nil
	case "enter":
		m.input.Blur()
		if m.mode == modeTag {
			m.mode = modeNormal
			m.input.ShowSuggestions = false
			return m, m.submitTag(m.input.Value())
		}
		if m.mode == modeQuality {
			f, err := model.ParseQualityFilter(m.input.Value())
			if err != nil {
				// Keep the prompt and what was typed: the operator fixes it, not retypes it.
				m.filterErr = err.Error()
				return m, m.input.Focus()
			}
			m.filterErr = ""
			f.Name = m.prevFilter.Name
			m.list.SetFilter(f)
		}
		m.mode = modeNormal
		m.follow(key)
		return m, tea.Batch(m.pump(), m.detailSoon())
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.mode == modeFilter {
		f := m.list.Filter()
		f.Name = strings.TrimSpace(m.input.Value())
		m.list.SetFilter(f)
		m.follow(key)
	}
	return m, cmd
}

func displayPrefix(p string) string {
	if p == "" {
		return "/"
	}
	return p
}
