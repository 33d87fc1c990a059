package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

	"lightbox/model"
)

// Styles are every look the reviewer uses, built once from the theme. Components never
// pick colours themselves.
type Styles struct {
	Header, Crumb, CrumbSep, CrumbCurrent lipgloss.Style
	Row, RowCursor, RowMarked, Prefix     lipgloss.Style
	Dim, Faint, Mark                      lipgloss.Style
	ScoreLow, ScoreMid, ScoreHigh         lipgloss.Style
	BarEmpty                              lipgloss.Style
	Badge                                 lipgloss.Style
	Failed, Waiting, Scoring              lipgloss.Style
	Detail, DetailTitle, Label, Value     lipgloss.Style
	Status, StatusKey, Hint, HintKey      lipgloss.Style
	Prompt                                lipgloss.Style
	Overlay, OverlayTitle, HelpGroup      lipgloss.Style
	Error                                 lipgloss.Style
	Mono                                  bool // no colour at all: marks and cursor use reverse video and symbols
}

// Theme names accepted by [review] theme.
const (
	ThemeAuto  = "auto"
	ThemeDark  = "dark"
	ThemeLight = "light"
	ThemeMono  = "mono"
)

var themes = []string{ThemeAuto, ThemeDark, ThemeLight, ThemeMono}

// ParseTheme reads a theme as the config and the --theme flag write it, ignoring case and
// surrounding blanks, and returns its canonical name.
func ParseTheme(s string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if slices.Contains(themes, t) {
		return t, nil
	}
	return "", fmt.Errorf("unknown theme %q: want %s", s, strings.Join(themes, ", "))
}

// NewStyles builds the styles for a theme; dark says whether the terminal background is
// dark (from tea.BackgroundColorMsg) when the theme is auto.
func NewStyles(theme string, dark bool) Styles {
	if theme == ThemeMono {
		return monoStyles()
	}
	if theme == ThemeLight {
		dark = false
	} else if theme == ThemeDark {
		dark = true
	}
	pick := lipgloss.LightDark(dark)
	var (
		fg     = pick(lipgloss.Color("#1f2328"), lipgloss.Color("#e6edf3"))
		dim    = pick(lipgloss.Color("#57606a"), lipgloss.Color("#8b949e"))
		faint  = pick(lipgloss.Color("#8c959f"), lipgloss.Color("#484f58"))
		accent = pick(lipgloss.Color("#0969da"), lipgloss.Color("#58a6ff"))
		cursor = pick(lipgloss.Color("#ddf4ff"), lipgloss.Color("#1f3a5f"))
		marked = pick(lipgloss.Color("#fff8c5"), lipgloss.Color("#3b2e00"))
		low    = pick(lipgloss.Color("#cf222e"), lipgloss.Color("#ff7b72"))
		mid    = pick(lipgloss.Color("#9a6700"), lipgloss.Color("#d29922"))
		high   = pick(lipgloss.Color("#1a7f37"), lipgloss.Color("#3fb950"))
		badge  = pick(lipgloss.Color("#8250df"), lipgloss.Color("#d2a8ff"))
		barBg  = pick(lipgloss.Color("#d0d7de"), lipgloss.Color("#30363d"))
	)
	base := lipgloss.NewStyle().Foreground(fg)
	return Styles{
		Header:       base.Bold(true),
		Crumb:        lipgloss.NewStyle().Foreground(dim),
		CrumbSep:     lipgloss.NewStyle().Foreground(faint),
		CrumbCurrent: lipgloss.NewStyle().Foreground(accent).Bold(true),
		Row:          base,
		RowCursor:    lipgloss.NewStyle().Background(cursor),
		RowMarked:    lipgloss.NewStyle().Background(marked),
		Prefix:       lipgloss.NewStyle().Foreground(accent).Bold(true),
		Dim:          lipgloss.NewStyle().Foreground(dim),
		Faint:        lipgloss.NewStyle().Foreground(faint),
		Mark:         lipgloss.NewStyle().Foreground(mid).Bold(true),
		ScoreLow:     lipgloss.NewStyle().Foreground(low),
		ScoreMid:     lipgloss.NewStyle().Foreground(mid),
		ScoreHigh:    lipgloss.NewStyle().Foreground(high),
		BarEmpty:     lipgloss.NewStyle().Foreground(barBg),
		Badge:        lipgloss.NewStyle().Foreground(badge).Bold(true),
		Failed:       lipgloss.NewStyle().Foreground(low),
		Waiting:      lipgloss.NewStyle().Foreground(faint),
		Scoring:      lipgloss.NewStyle().Foreground(accent),
		Detail:       lipgloss.NewStyle().BorderStyle(lipgloss.NormalBorder()).BorderLeft(true).BorderForeground(faint).PaddingLeft(1),
		DetailTitle:  base.Bold(true),
		Label:        lipgloss.NewStyle().Foreground(dim),
		Value:        base,
		Status:       lipgloss.NewStyle().Foreground(dim),
		StatusKey:    lipgloss.NewStyle().Foreground(accent),
		Hint:         lipgloss.NewStyle().Foreground(faint),
		HintKey:      lipgloss.NewStyle().Foreground(dim).Bold(true),
		Prompt:       lipgloss.NewStyle().Foreground(accent).Bold(true),
		Overlay:      lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		OverlayTitle: base.Bold(true),
		HelpGroup:    lipgloss.NewStyle().Foreground(accent).Bold(true),
		Error:        lipgloss.NewStyle().Foreground(low).Bold(true),
	}
}

// monoStyles work with NO_COLOR or a theme of "mono": attributes only.
func monoStyles() Styles {
	p := lipgloss.NewStyle()
	return Styles{
		Header: p.Bold(true), Crumb: p, CrumbSep: p, CrumbCurrent: p.Bold(true),
		Row: p, RowCursor: p.Reverse(true), RowMarked: p.Underline(true), Prefix: p.Bold(true),
		Dim: p, Faint: p, Mark: p.Bold(true),
		ScoreLow: p.Bold(true), ScoreMid: p, ScoreHigh: p, BarEmpty: p, Badge: p.Bold(true),
		Failed: p.Bold(true), Waiting: p, Scoring: p,
		Detail: p.BorderStyle(lipgloss.NormalBorder()).BorderLeft(true).PaddingLeft(1), DetailTitle: p.Bold(true),
		Label: p, Value: p, Status: p, StatusKey: p.Bold(true), Hint: p, HintKey: p.Bold(true), Prompt: p.Bold(true),
		Overlay: p.Border(lipgloss.NormalBorder()).Padding(0, 1), OverlayTitle: p.Bold(true), HelpGroup: p.Bold(true),
		Error: p.Bold(true), Mono: true,
	}
}

// scoreStyle colours a score by the operator's threshold (model.Band): at or above it is
// good, just under it is borderline, the rest is low.
func (s Styles) scoreStyle(score, threshold int) lipgloss.Style {
	switch model.Band(score, threshold) {
	case model.BandHigh:
		return s.ScoreHigh
	case model.BandMid:
		return s.ScoreMid
	}
	return s.ScoreLow
}
