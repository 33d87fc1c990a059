package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"lightbox/internal/names"
	"lightbox/model"
	"lightbox/ui/preview"
)

// The contact sheet's thumbnails: drawn in Cmds (a few at a time, the cursor's cell
// first), each answer stamped with the object, its ETag, the cell size and the drawing
// mode, so an answer for an overwritten object, an old cell size or a mode detection
// switched away from is dropped instead of shown.

const (
	thumbSide     = 256      // thumbnail side asked of COS (imageMogr2): cells are small
	thumbInflight = 4        // drawings at once: the UI loop and the scorer keep their cores
	thumbBytes    = 16 << 20 // cache budget: some thousand half-block cells
	thumbMax      = 2000     // and at most this many entries, whatever their size
)

type thumbMsg struct {
	key, etag  string
	cols, rows int
	mode       preview.Mode
	text       string
	transmit   string
	id         int
	err        error
	th         *thumbs // the sheet that asked: one closed and opened again is another
}

// thumbs is the contact sheet's drawing state, kept apart from the detail pane's previews
// so a screenful of cells cannot evict the picture the operator is looking at.
type thumbs struct {
	cache    *preview.Cache
	pending  map[preview.Key]bool
	inflight int
	errs     map[string]string
}

func newThumbs() *thumbs {
	return &thumbs{cache: preview.NewCacheN(thumbBytes, thumbMax), pending: map[preview.Key]bool{}, errs: map[string]string{}}
}

// thumbID names the thumbnail's kitty image apart from the object's full preview, which
// may be on the terminal at another size under its own id.
func thumbID(key string) string { return key + "\x00thumb" }

func (m *Model) thumbKey(it *model.Item, cols, rows int) preview.Key {
	return preview.Key{Object: it.Key, ETag: it.ETag, Cols: cols, Rows: rows, Mode: m.img.use}
}

// wantThumbs starts drawing the visible cells that are not cached, up to the in-flight
// bound; it is called after every message while the sheet is up, so the queue drains.
func (m *Model) wantThumbs() tea.Cmd {
	g := m.grid
	if g == nil || m.mode == modeCompare || m.mode == modeImage || m.img.use == preview.ModeNone {
		return nil
	}
	lay := m.gridLayout(m.width, m.listRows()+1)
	if lay.thumbCols < 4 || lay.thumbRows < 2 {
		return nil
	}
	first, last := m.gridVisible(lay)
	// The cursor's cell, the screen, then a row either side: a step off the screen's
	// edge finds its cells drawn.
	order := []int{m.cursor}
	for i := first; i < last; i++ {
		order = append(order, i)
	}
	for d := range lay.cols {
		order = append(order, last+d, first-1-d)
	}
	var cmds []tea.Cmd
	for _, i := range order {
		if g.th.inflight >= thumbInflight {
			break
		}
		if i < 0 || i >= m.list.Len() {
			continue
		}
		it := m.list.At(i)
		if it == nil || it.IsPrefix || !names.IsImageName(it.Key) || g.th.errs[it.Key] != "" {
			continue
		}
		k := m.thumbKey(it, lay.thumbCols, lay.thumbRows)
		if _, ok := g.th.cache.Get(k); ok || g.th.pending[k] {
			continue
		}
		cmds = append(cmds, m.drawThumb(it, k))
	}
	return tea.Batch(cmds...)
}

func (m *Model) drawThumb(it *model.Item, k preview.Key) tea.Cmd {
	th := m.grid.th
	th.pending[k] = true
	th.inflight++
	mode, b, ctx, tmux := m.img.use, m.opt.Backend, m.ctx, m.img.tmux
	id, evicted := 0, 0
	if mode == preview.ModeKitty {
		id, _, evicted = m.img.ids.Acquire(thumbID(it.Key), it.ETag)
	}
	return func() tea.Msg {
		out := thumbMsg{key: k.Object, etag: k.ETag, cols: k.Cols, rows: k.Rows, mode: mode, id: id, th: th}
		data, err := b.Preview(ctx, k.Object, thumbSide, previewMaxBytes)
		if err != nil {
			out.err = err
			return out
		}
		out.text, out.transmit, out.err = drawPicture(data, mode, id, evicted, k.Cols, k.Rows, tmux)
		return out
	}
}

// onThumb keeps a drawing if it still answers for what the sheet shows.
func (m *Model) onThumb(msg thumbMsg) tea.Cmd {
	g := m.grid
	if g == nil || msg.th != g.th {
		if msg.id != 0 {
			m.img.ids.Release(thumbID(msg.key), msg.etag)
		}
		return nil // the sheet that asked was closed: nothing is waiting for it
	}
	k := preview.Key{Object: msg.key, ETag: msg.etag, Cols: msg.cols, Rows: msg.rows, Mode: msg.mode}
	delete(g.th.pending, k)
	g.th.inflight = max(0, g.th.inflight-1)
	if msg.err != nil {
		g.th.errs[msg.key] = reason(msg.err)
		return nil
	}
	lay := m.gridLayout(m.width, m.listRows()+1)
	it := m.list.Item(msg.key)
	if msg.mode != m.img.use || it == nil || it.ETag != msg.etag || msg.cols != lay.thumbCols || msg.rows != lay.thumbRows {
		if msg.id != 0 {
			m.img.ids.Release(thumbID(msg.key), msg.etag)
		}
		return nil // stale: the object, the cell size or the mode changed meanwhile
	}
	g.th.cache.Put(k, msg.text)
	if msg.transmit != "" {
		return tea.Raw(msg.transmit)
	}
	return nil
}

// thumbText is the cell's picture, or a line saying why there is none yet.
func (m *Model) thumbText(it *model.Item, cols, rows int) string {
	if m.img.use != preview.ModeNone && !it.IsPrefix {
		if s, ok := m.grid.th.cache.Get(m.thumbKey(it, cols, rows)); ok {
			return s
		}
	}
	msg := "…"
	switch {
	case it.IsPrefix:
		msg = "▸ folder"
	case m.img.use == preview.ModeNone:
		msg = ""
	case !names.IsImageName(it.Key):
		msg = "not PNG/JPEG"
	case m.grid.th.errs[it.Key] != "":
		msg = "no preview"
	}
	lines := make([]string, rows)
	for i := range lines {
		lines[i] = strings.Repeat(" ", cols)
	}
	lines[rows/2] = m.st.Dim.Render(fit(" "+msg, cols))
	return strings.Join(lines, "\n")
}
