// Package ui is lightbox's terminal reviewer: one root model that owns layout, focus and
// routing; the list, detail pane, status line and overlays are rendered by small functions
// sized by it. All I/O runs in tea.Cmds through a Backend and comes back as typed messages.
package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"lightbox/config"
	"lightbox/curation"
	"lightbox/internal/cosrules"
	"lightbox/keymap"
	"lightbox/model"
	"lightbox/similar"
	"lightbox/ui/preview"
)

// Options configure the reviewer.
type Options struct {
	Backend     Backend
	Target      string // shown in the header: cos://bucket/ or a folder
	Root        string // the prefix the review starts in
	Keys        keymap.Map
	QuickTags   map[string]cosrules.Tag
	Theme       string          // auto, dark, light, mono
	Threshold   int             // score cut-off for colouring
	Sort        string          // initial sort, e.g. "-clarity"
	Columns     []string        // [review] columns; empty = all
	Concurrency int             // scoring requests in flight
	Curation    config.Curation // where promote and delete send objects, for the dialogs
	Image       string          // auto, kitty, blocks or none: how the image is drawn
	AutoAdvance bool            // [review] auto_advance: the loupe moves on after a verdict
	// Cost is set for a real COS target scored by AssessQuality, where every call is billed.
	// (Issue 13: declared for the cost guard.)
	Cost *CostGuard
	// ReadOnly, when not "", is why the target cannot be changed: curation keys say it.
	ReadOnly string
	// Warnings are said in the status line once the reviewer is up (config warnings that
	// would otherwise scroll away under the full-screen UI).
	Warnings []string
	// Groups are the thresholds of the = key's grouping ([groups]); zero = similar.DefaultOptions.
	Groups similar.Options
	// AutoRefresh, when > 0, polls the listing this often and refreshes when it changed:
	// for folder targets, where files change from outside. 0 = ctrl+r only.
	AutoRefresh time.Duration
	Now         func() time.Time
	Context     context.Context
	// After schedules a message (tea.Tick by default); tests make it immediate.
	After func(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd
}

// CostGuard bounds what a session spends on a billed bucket.
type CostGuard struct {
	AskAbove     int     // scoring more images than this at once asks first; 0 = never
	PricePer1000 float64 // for the status line's cost; 0 = unknown
}

type mode int

const (
	modeNormal  mode = iota
	modeVisual       // v: marks follow the cursor from the anchor
	modeFilter       // /: typing narrows by name
	modeQuality      // f: typing a quality filter expression
	modeHelp         // ?: the key overlay
	modeTag          // t: typing key=value
	modeJournal      // J: what was done, this run and before
	modeImage        // o: the image full screen
	modeTrash        // T: the soft-delete trash
	modeCompare      // C: two to four images side by side (compare.go)
)

// Model is the root model.
type Model struct {
	opt  Options
	ctx  context.Context
	st   Styles
	keys keymap.Map
	dark bool

	sess   *model.Session
	list   *model.List // the list on screen: sess.List()
	cursor int
	offset int // first visible row

	width, height int
	mode          mode
	anchor        int // visual mode's start row
	input         textinput.Model
	prevFilter    model.Filter // restored when a prompt is cancelled
	filterErr     string       // why the f prompt's text was refused; the prompt stays open

	inflight int // scoring commands running
	// Tags by object version for the session (tagload.go), and which were asked for.
	tagCache    map[string][]cosrules.Tag
	tagAsked    map[string]bool
	tagGen      map[string]int
	tagInflight int
	scoreAll    map[*model.List]bool          // cost guard: the operator asked to score the whole prefix
	wanted      map[*model.List][]string      // cost guard: keys asked for with r
	refreshing  map[*model.List]*refreshState // lists being listed again (refresh.go)
	prints      map[*model.List]uint64        // each listed list's fingerprint, for the poll
	pollArmed   bool
	polling     bool
	paused      bool
	resortDue   bool
	listing     map[*model.List]bool // lists with a page request in flight
	detailGen   int
	detailErr   string
	status      string
	statusGen   int
	statusBad   bool
	showDetail  bool
	// contentTypes are learnt from HEAD as the cursor rests on images (listings lack them).
	contentTypes map[string]string
	rows         map[*model.Item]rowMemo // rendered rows, see cachedRow
	dialog       *dialog                 // a confirmation on top of everything, see dialog.go
	job          *job                    // the batch running, if any
	jobSeq       int
	lastReport   *curation.Report
	quitAfterJob int                  // the batch whose end quits (its id); 0: none
	tempFiles    []string             // the external viewer's files, removed at exit
	journal      []curation.BatchInfo // the journal view's content, newest first
	journalErr   error
	jv           journalState
	tv           trashState
	img          *imaging
	profile      colorprofile.Profile // the terminal's colours, as Bubble Tea found them
	cols         ColumnSet
	lp           loupeState    // the full-screen loupe (loupe.go)
	helpLegend   bool          // ? shows the legend page (where it does not fit under the keys)
	hist         histMemo      // the histogram's scores (histogram.go)
	grid         *gridState    // the contact sheet, when it replaces the list (grid.go)
	cmp          *compareState // compare's images and focus (compare.go)
	grouping     *groupRun     // the = key's fingerprinting in progress (groups.go)
}

// New builds the reviewer. Run it with tea.NewProgram(m).Run().
func New(opt Options) *Model {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Context == nil {
		opt.Context = context.Background()
	}
	if opt.After == nil {
		opt.After = tea.Tick
	}
	def := config.Default()
	if opt.Threshold <= 0 {
		opt.Threshold = def.Review.Threshold
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = def.Scoring.Concurrency
	}
	if t, err := ParseTheme(opt.Theme); err == nil {
		opt.Theme = t
	}
	// Config and flags were judged by these same parsers: a word still bad here is left
	// out, as before, rather than stopping the reviewer.
	cols, _ := ParseColumns(opt.Columns)
	in := textinput.New()
	in.Prompt = ""
	m := &Model{
		opt: opt, ctx: opt.Context, keys: opt.Keys, dark: true,
		sess:         model.NewSession(opt.Target, opt.Root),
		contentTypes: map[string]string{},
		rows:         map[*model.Item]rowMemo{},
		cols:         cols,
		width:        80,
		height:       24,
		input:        in,
		listing:      map[*model.List]bool{},
		tagCache:     map[string][]cosrules.Tag{},
		tagAsked:     map[string]bool{},
		tagGen:       map[string]int{},
		refreshing:   map[*model.List]*refreshState{},
		scoreAll:     map[*model.List]bool{},
		wanted:       map[*model.List][]string{},
		prints:       map[*model.List]uint64{},
		showDetail:   true,
	}
	m.st = NewStyles(opt.Theme, m.dark)
	m.lp.autoAdvance = opt.AutoAdvance
	mode, err := preview.ParseMode(opt.Image)
	if err != nil || opt.Image == "" {
		mode = preview.ModeAuto
	}
	m.img = newImaging(mode)
	m.list = m.sess.List()
	if opt.Sort != "" {
		if f, desc, err := model.ParseSort(opt.Sort); err == nil {
			m.list.SetSort(f, desc)
		}
	}
	return m
}

// Init starts listing the first prefix and asks for the terminal's background.
func (m *Model) Init() tea.Cmd {
	var warn tea.Cmd
	if len(m.opt.Warnings) > 0 {
		warn = m.setStatusFor(warningsFor, true, "%s", strings.Join(m.opt.Warnings, " · "))
	}
	return tea.Batch(m.startListing(m.list), tea.RequestBackgroundColor, announceInterrupted(m.opt.Backend), m.detectCmd(), warn)
}

// startListing asks for the next page of l unless one is already coming or l is complete.
func (m *Model) startListing(l *model.List) tea.Cmd {
	if l.Complete() || m.listing[l] {
		return nil
	}
	m.listing[l] = true
	return listPageCmd(m.ctx, m.opt.Backend, l)
}

// setStatus shows a message for a few seconds.
func (m *Model) setStatus(bad bool, format string, args ...any) tea.Cmd {
	return m.setStatusFor(statusFor, bad, format, args...)
}

// warningsFor keeps the start-up warnings long enough to be read.
const warningsFor = 20 * time.Second

func (m *Model) setStatusFor(d time.Duration, bad bool, format string, args ...any) tea.Cmd {
	m.status = fmt.Sprintf(format, args...)
	m.statusBad = bad
	m.statusGen++
	gen := m.statusGen
	return m.after(d, func(time.Time) tea.Msg { return statusClearMsg{gen: gen} })
}

func (m *Model) after(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd { return m.opt.After(d, fn) }

// cursorKey is the key under the cursor, "" on an empty view.
func (m *Model) cursorKey() string {
	if it := m.list.At(m.cursor); it != nil {
		return it.Key
	}
	return ""
}

// listRows is how many rows the list gets.
// listRows is how many rows of the list fit: the screen less the header, breadcrumbs,
// column header, status line and key hints.
func (m *Model) listRows() int { return max(1, m.height-5) }

// clampCursor keeps the cursor on a row and the row on screen.
func (m *Model) clampCursor() {
	n := m.list.Len()
	m.cursor = min(max(m.cursor, 0), max(n-1, 0))
	rows := m.listRows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+rows {
		m.offset = m.cursor - rows + 1
	}
	m.offset = min(max(m.offset, 0), max(n-rows, 0))
}

// follow puts the cursor back on key after the rows moved (a sort, a filter).
func (m *Model) follow(key string) {
	if key == "" {
		m.clampCursor()
		return
	}
	if i := m.list.Nearest(key); i >= 0 {
		// Keep the row at the same height on screen, so the operator's eye stays put.
		shift := m.cursor - m.offset
		m.cursor = i
		m.offset = i - shift
	}
	m.clampCursor()
}
