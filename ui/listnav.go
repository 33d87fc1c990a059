package ui

import (
	tea "charm.land/bubbletea/v2"

	"lightbox/keymap"
)

// moveInList applies a list-movement key (j/k, arrows, page keys, g/G, home/end) to the
// position *pos of a list showing rows lines, whose last position is last, and reports
// whether the key was one; the caller clamps. The journal, its steps and the trash use it.
func moveInList(key string, pos *int, rows, last int) bool {
	switch key {
	case "j", "down":
		*pos++
	case "k", "up":
		*pos--
	case "pgdown", "ctrl+f", "ctrl+d":
		*pos += rows
	case "pgup", "ctrl+b", "ctrl+u":
		*pos -= rows
	case "g", "home":
		*pos = 0
	case "G", "end":
		*pos = last
	default:
		return false
	}
	return true
}

// leavesView reports whether a key closes an overlay view: esc, q, or the key that opened
// it (the opener action's binding, so a rebound J or T closes what it opened). Views ask it
// last, so that their own keys win over an opener bound to one of them.
func (m *Model) leavesView(msg tea.KeyPressMsg, opener keymap.Action) bool {
	if k := msg.String(); k == "esc" || k == "q" {
		return true
	}
	return m.opens(msg, opener)
}

// opens reports whether msg is bound to the action a.
func (m *Model) opens(msg tea.KeyPressMsg, a keymap.Action) bool {
	got, ok := m.keys.Match(msg)
	return ok && got == a
}
