package keymap

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// modOrder is the order Bubble Tea prints modifiers in (Key.Keystroke); a
// key name only matches when written in that order, so ParseKey rewrites it.
var modOrder = []string{"ctrl", "alt", "shift", "meta", "hyper", "super"}

// namedKeys are the names Bubble Tea v2 gives non-printable keys, taken from
// Bubble Tea itself so that they cannot drift from what String() produces.
// Modifier keys on their own (leftshift...) are left out: binding them makes
// no sense and they only arrive with the kitty protocol's all-keys mode.
var namedKeys = func() map[string]bool {
	m := map[string]bool{}
	add := func(c rune) {
		if s := (tea.Key{Code: c}).String(); utf8.RuneCountInString(s) > 1 {
			m[s] = true // keypad digits print as "0".."9": those are plain characters
		}
	}
	for _, c := range []rune{tea.KeyEnter, tea.KeyTab, tea.KeyBackspace, tea.KeyEscape, tea.KeySpace} {
		add(c)
	}
	for c := tea.KeyUp; c <= tea.KeyMute; c++ {
		add(c)
	}
	return m
}()

// keyAliases are names people write in config files for keys Bubble Tea
// names differently.
var keyAliases = map[string]string{
	"escape":    "esc",
	"return":    "enter",
	"pageup":    "pgup",
	"pagedown":  "pgdown",
	"del":       "delete",
	"ins":       "insert",
	"bs":        "backspace",
	"spacebar":  "space",
	"arrowup":   "up",
	"arrowdown": "down",
}

// ParseKey checks a key name against what Bubble Tea v2's
// KeyPressMsg.String() can produce and returns it in that exact form, since
// bindings match by string equality. Accepted: one printable character
// ("j", "G", "?", "图"), a named key ("enter", "space", "pgup", "f1"), either
// behind modifiers ("ctrl+a", "alt+shift+tab"). Rewritten to the canonical
// form: modifier order and case, "shift+a" and "A" (Bubble Tea reports the
// character typed), "ctrl+A" to "ctrl+shift+a", "Enter" and aliases such as
// "escape" or "pageup", and " " to "space".
func ParseKey(s string) (string, error) {
	if s == " " {
		return "space", nil
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("empty key name")
	}

	var mods [6]bool
	rest := s
	for {
		// A '+' at the end is the plus key itself ("ctrl++", "+").
		i := strings.IndexByte(rest, '+')
		if i <= 0 || i == len(rest)-1 {
			break
		}
		m := strings.ToLower(rest[:i])
		j := indexOf(modOrder, m)
		if j < 0 {
			return "", fmt.Errorf("unknown modifier %q in %q (use ctrl, alt, shift, meta, hyper, super)", rest[:i], s)
		}
		mods[j] = true
		rest = rest[i+1:]
	}
	const shift = 2
	onlyShift := mods[shift] && mods == [6]bool{shift: true}

	base := rest
	if utf8.RuneCountInString(base) == 1 {
		r, _ := utf8.DecodeRuneInString(base)
		switch {
		case r == ' ':
			base = "space"
		case r == utf8.RuneError || !unicode.IsGraphic(r) || unicode.IsSpace(r):
			return "", fmt.Errorf("%q is not a printable character", base)
		case onlyShift:
			// Bubble Tea reports shift+letter as the letter typed ("A"),
			// and other shifted keys as whatever the layout types.
			if up := unicode.ToUpper(r); up != unicode.ToLower(r) {
				return string(up), nil
			}
			return "", fmt.Errorf("%q never arrives: Bubble Tea reports the character shift types (such as \"!\" for shift+1); write that character", s)
		case mods == [6]bool{}:
			return base, nil
		case unicode.IsUpper(r):
			// With ctrl or alt there is no text, so Bubble Tea prints the
			// unshifted letter with shift+.
			mods[shift] = true
			base = string(unicode.ToLower(r))
		}
	} else {
		base = strings.ToLower(base)
		if a, ok := keyAliases[base]; ok {
			base = a
		}
		if !namedKeys[base] {
			return "", fmt.Errorf("unknown key %q (a single character or a name such as enter, space, tab, esc, pgup, f1)", rest)
		}
	}

	var b strings.Builder
	for i, on := range mods {
		if on {
			b.WriteString(modOrder[i])
			b.WriteByte('+')
		}
	}
	b.WriteString(base)
	return b.String(), nil
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// keyGlyphs shorten key names in help; arrows read better as arrows.
var keyGlyphs = map[string]string{
	"up":    "↑",
	"down":  "↓",
	"left":  "←",
	"right": "→",
}

// helpKeys is the key column of a binding's help: every key, as typed.
func helpKeys(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		if g, ok := keyGlyphs[k]; ok {
			k = g
		}
		out[i] = k
	}
	return strings.Join(out, "/")
}
