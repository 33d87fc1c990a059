package ui

import (
	"strings"

	"lightbox/internal/names"

	tea "charm.land/bubbletea/v2"
)

// dialog asks before a destructive or bulk action. Only y confirms: Enter, Esc and every
// other key cancel, so a reflex Enter can never delete anything.
type dialog struct {
	title   string
	lines   []string
	danger  bool // permanent: said in the error colour
	confirm func() tea.Cmd
}

func (d *dialog) view(st Styles, width int) string {
	inner := max(20, min(width-6, 72))
	title := st.OverlayTitle
	if d.danger {
		title = st.Error
	}
	out := []string{title.Render(fit(d.title, inner)), ""}
	for _, l := range d.lines {
		for _, w := range wrap(l, inner) {
			out = append(out, st.Value.Render(w))
		}
	}
	out = append(out, "", st.HintKey.Render("y")+st.Hint.Render(" yes   ")+st.HintKey.Render("any other key")+st.Hint.Render(" cancel"))
	return st.Overlay.MaxWidth(width).Render(strings.Join(out, "\n"))
}

// examples names a few of the keys, and how many more there are.
func examples(keys []string, n int) []string {
	var out []string
	for i, k := range keys {
		if i == n {
			out = append(out, "… and "+itoa(len(keys)-n)+" more")
			break
		}
		out = append(out, "  "+names.Printable(k))
	}
	return out
}
