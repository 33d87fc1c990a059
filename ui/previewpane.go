package ui

import (
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"lightbox/internal/names"
	"lightbox/model"
	"lightbox/ui/preview"
)

// Seeing the image. Half-blocks always work (SSH, tmux, any colour terminal); kitty and
// Ghostty, found by asking the terminal, get pixels through kitty graphics with Unicode
// placeholders. Rendering happens in Cmds and is cached; the view only pastes text.

// Bounds of what a preview downloads and decodes.
const (
	previewMaxBytes  = 32 << 20
	previewMaxPixels = 60_000_000
	previewSide      = 1024 // thumbnail side asked of COS (imageMogr2)
	detectTimeout    = time.Second
	prefetchAhead    = 2
)

type previewMsg struct {
	key, etag  string
	cols, rows int
	mode       preview.Mode
	text       string // what the view draws: half-blocks, or kitty placeholders
	transmit   string // kitty: the picture, sent once with tea.Raw
	id         int
	err        error
}

type detectTimeoutMsg struct{}

// imaging is the reviewer's preview state.
type imaging struct {
	mode     preview.Mode // what the operator asked for (auto, kitty, blocks, none)
	use      preview.Mode // what is used now: kitty once detected, else blocks or none
	detector *preview.Detector
	tmux     bool
	cache    *preview.Cache
	ids      preview.IDs
	pending  map[preview.Key]bool
	errs     map[string]string // why an object has no preview
}

func newImaging(mode preview.Mode) *imaging {
	im := &imaging{mode: mode, tmux: os.Getenv("TMUX") != "", cache: preview.NewCache(32 << 20),
		pending: map[preview.Key]bool{}, errs: map[string]string{}}
	switch mode {
	case preview.ModeNone:
		im.use = preview.ModeNone
	case preview.ModeKitty:
		im.use = preview.ModeKitty
	default:
		im.use = preview.ModeBlocks
	}
	if mode == preview.ModeAuto {
		im.detector = preview.NewDetector(im.tmux)
	}
	return im
}

// detectCmd asks the terminal what it can draw; the answers arrive as messages.
func (m *Model) detectCmd() tea.Cmd {
	if m.img.detector == nil {
		return nil
	}
	return tea.Batch(tea.Raw(m.img.detector.Query()), m.after(detectTimeout, func(time.Time) tea.Msg { return detectTimeoutMsg{} }))
}

// observeTerminal feeds replies to the detector until it has decided.
func (m *Model) observeTerminal(msg tea.Msg) {
	d := m.img.detector
	if d == nil {
		return
	}
	if _, timeout := msg.(detectTimeoutMsg); timeout || d.Observe(msg) {
		// Placeholders carry the image id in a 256-colour code: 16 colours would mangle it.
		if m.img.mode.Resolve(d.Kitty()) == preview.ModeKitty && m.profile >= colorprofile.ANSI256 {
			m.img.use = preview.ModeKitty
			clear(m.rows)
		}
		m.img.detector = nil
	}
}

// previewRows is how many rows of the detail pane the picture gets.
func previewRows(paneRows, cols int) int {
	const fields = 23 // title, scores, flags, size, time, ETag, type, class and a few tags
	if paneRows-fields < 6 {
		return 0 // the scores and fields come first
	}
	return min(paneRows-fields, max(4, cols/2))
}

// wantPreview asks for the pictures of the image under the cursor (and the next ones)
// at the given size.
func (m *Model) wantPreview(cols, rows int) tea.Cmd {
	if m.img.use == preview.ModeNone || cols < 4 || rows < 2 {
		return nil
	}
	var cmds []tea.Cmd
	// The cursor's image, then the next ones and the previous one: moving either way is instant.
	order := []int{m.cursor}
	for d := 1; d <= prefetchAhead; d++ {
		order = append(order, m.cursor+d)
	}
	order = append(order, m.cursor-1)
	for _, i := range order {
		if i < 0 || i >= m.list.Len() {
			continue
		}
		it := m.list.At(i)
		if it == nil || it.IsPrefix || !names.IsImageName(it.Key) {
			continue
		}
		cmds = append(cmds, m.renderPreview(it, cols, rows, i == m.cursor))
	}
	return tea.Batch(cmds...)
}

func (m *Model) previewKey(it *model.Item, cols, rows int) preview.Key {
	return preview.Key{Object: it.Key, ETag: it.ETag, Cols: cols, Rows: rows, Mode: m.img.use}
}

func (m *Model) renderPreview(it *model.Item, cols, rows int, visible bool) tea.Cmd {
	k := m.previewKey(it, cols, rows)
	if _, ok := m.img.cache.Get(k); ok || m.img.pending[k] {
		return nil
	}
	m.img.pending[k] = true
	mode, b, ctx, tmux := m.img.use, m.opt.Backend, m.ctx, m.img.tmux
	id, evicted := 0, 0
	if mode == preview.ModeKitty {
		id, _, evicted = m.img.ids.Acquire(it.Key, it.ETag)
	}
	key, etag := it.Key, it.ETag
	return func() tea.Msg {
		out := previewMsg{key: key, etag: etag, cols: cols, rows: rows, mode: mode, id: id}
		data, err := b.Preview(ctx, key, previewSide, previewMaxBytes)
		if err != nil {
			out.err = err
			return out
		}
		out.text, out.transmit, out.err = drawPicture(data, mode, id, evicted, cols, rows, tmux)
		return out
	}
}

// drawPicture turns downloaded image bytes into what the view pastes at cols x rows:
// half-blocks, or kitty placeholders plus the transmission that goes first.
func drawPicture(data []byte, mode preview.Mode, id, evicted, cols, rows int, tmux bool) (text, transmit string, err error) {
	if mode == preview.ModeKitty {
		img, err := preview.DecodeFit(data, previewMaxPixels, cols*preview.DefaultCellW, rows*preview.DefaultCellH)
		if err != nil {
			return "", "", err
		}
		if evicted != 0 {
			transmit = preview.Delete(evicted, tmux) // free the terminal's copy first
		}
		transmit += preview.Transmit(img, id, cols, rows, 0, 0, tmux)
		return preview.Placeholders(id, cols, rows), transmit, nil
	}
	img, err := preview.DecodeFit(data, previewMaxPixels, cols, rows*2)
	if err != nil {
		return "", "", err
	}
	return preview.Blocks(img, cols, rows), "", nil
}

func (m *Model) onPreview(msg previewMsg) tea.Cmd {
	k := preview.Key{Object: msg.key, ETag: msg.etag, Cols: msg.cols, Rows: msg.rows, Mode: msg.mode}
	delete(m.img.pending, k)
	if msg.err != nil {
		m.img.errs[msg.key] = reason(msg.err)
		return nil
	}
	if msg.mode != m.img.use {
		if msg.id != 0 {
			m.img.ids.Release(msg.key, msg.etag)
		}
		return nil // detection switched modes meanwhile: this one is stale
	}
	m.img.cache.Put(k, msg.text)
	if msg.transmit != "" {
		return tea.Raw(msg.transmit)
	}
	return nil
}

// previewText is the picture for it at cols x rows, or a placeholder line saying why not.
func (m *Model) previewText(it *model.Item, cols, rows int) string {
	if m.img.use == preview.ModeNone || rows <= 0 {
		return ""
	}
	if s, ok := m.img.cache.Get(m.previewKey(it, cols, rows)); ok {
		return s
	}
	msg := "loading preview…"
	switch {
	case !names.IsImageName(it.Key):
		msg = "no preview: not a PNG or JPEG"
	case m.img.errs[it.Key] != "":
		msg = "no preview: " + m.img.errs[it.Key]
	}
	lines := make([]string, rows)
	lines[rows/2] = m.st.Dim.Render(fit(msg, cols))
	for i := range lines {
		if lines[i] == "" {
			lines[i] = strings.Repeat(" ", cols)
		}
	}
	return strings.Join(lines, "\n")
}
