package keymap

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"lightbox/config"
)

// Map holds one key.Binding per action. It is a plain value: the With*
// methods return a changed copy and leave the receiver alone, so a Map can
// be shared between goroutines. The zero Map matches nothing; start from
// Default.
type Map struct {
	b [numActions]key.Binding
}

// Default is the built-in key map.
func Default() Map {
	var m Map
	for i, s := range defaults {
		m.b[i] = key.NewBinding(key.WithKeys(s.keys...), key.WithHelp(helpKeys(s.keys), s.help))
	}
	return m
}

// Binding is the action's binding; a zero (disabled) Binding for an unknown
// action.
func (m Map) Binding(a Action) key.Binding {
	if i, ok := actionIndex[a]; ok {
		return m.b[i]
	}
	return key.Binding{}
}

// Match is the action bound to the key pressed.
func (m Map) Match(msg tea.KeyPressMsg) (Action, bool) {
	s := msg.String()
	if a, ok := m.MatchKey(s); ok {
		return a, true
	}
	// On a non-Latin layout the kitty protocol also reports the key's place on
	// a US layout (BaseCode); Keystroke spells that, so j/k still work.
	if msg.BaseCode == 0 || msg.BaseCode == msg.Code {
		return "", false
	}
	ks := msg.Keystroke()
	if ks == s {
		return "", false
	}
	if letter, ok := strings.CutPrefix(ks, "shift+"); ok {
		if k, err := ParseKey("shift+" + letter); err == nil {
			ks = k // "shift+g" is written "G" in bindings
		}
	}
	return m.MatchKey(ks)
}

// MatchKey is Match for a key name as KeyPressMsg.String() gives it.
func (m Map) MatchKey(s string) (Action, bool) {
	for i, b := range m.b {
		for _, k := range b.Keys() {
			if k == s && b.Enabled() {
				return defaults[i].action, true
			}
		}
	}
	return "", false
}

// ShortHelp is the one-line hint: the few actions new users need most. It
// implements help.KeyMap.
func (m Map) ShortHelp() []key.Binding {
	type ranked struct {
		hint int
		b    key.Binding
	}
	var rs []ranked
	for i, s := range defaults {
		if s.hint > 0 && m.b[i].Enabled() {
			rs = append(rs, ranked{s.hint, m.b[i]})
		}
	}
	slices.SortFunc(rs, func(x, y ranked) int { return x.hint - y.hint })
	out := make([]key.Binding, len(rs))
	for i, r := range rs {
		out[i] = r.b
	}
	return out
}

// FullHelp is every bound action, one column per group. It implements
// help.KeyMap.
func (m Map) FullHelp() [][]key.Binding {
	gs := m.Groups()
	out := make([][]key.Binding, len(gs))
	for i, g := range gs {
		out[i] = g.Bindings
	}
	return out
}

// Group is one section of the help overlay.
type Group struct {
	Name     string
	Bindings []key.Binding
}

// Groups lists the bound (enabled) actions by group, in help order; groups
// left empty by the user's overrides are omitted.
func (m Map) Groups() []Group {
	var out []Group
	for _, name := range groupOrder {
		g := Group{Name: name}
		for i, s := range defaults {
			if s.group == name && m.b[i].Enabled() {
				g.Bindings = append(g.Bindings, m.b[i])
			}
		}
		if len(g.Bindings) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// UnknownActionError is a [keys] entry naming no action.
type UnknownActionError struct {
	Name    string
	Suggest Action // closest action name, "" when none is close
}

func (e *UnknownActionError) Error() string {
	msg := fmt.Sprintf("keys.%s: unknown action %q", e.Name, e.Name)
	if e.Suggest != "" {
		msg += fmt.Sprintf("; did you mean %q?", e.Suggest)
	}
	return msg
}

// KeyError is a key name in a [keys] entry that Bubble Tea never reports.
type KeyError struct {
	Action Action
	Key    string
	Err    error
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("keys.%s: bad key %q: %v", e.Action, e.Key, e.Err)
}

func (e *KeyError) Unwrap() error { return e.Err }

// ConflictError is a key that the overrides leave on two actions. Kept got
// it (an overridden action); Dropped lost it and is left with Remaining keys.
type ConflictError struct {
	Key       string
	Kept      Action
	Dropped   Action
	Remaining []string
}

func (e *ConflictError) Error() string {
	msg := fmt.Sprintf("keys.%s: key %q is also bound to %s; it stays on %s", e.Kept, e.Key, e.Dropped, e.Kept)
	if len(e.Remaining) == 0 {
		msg += fmt.Sprintf(", and %s has no key left", e.Dropped)
	}
	return msg
}

// WithOverrides applies the config file's [keys] table (action name -> key
// names) and returns the new map with every problem found. Problems are not
// fatal; whatever is valid still applies:
//   - an unknown action name is skipped;
//   - a bad key name is skipped, and the action keeps its other keys (or its
//     defaults, when none of the keys given is valid, so that a typo cannot
//     leave quit without a key);
//   - an empty list unbinds the action;
//   - a key left on two actions stays on the overridden one and is taken off
//     the other (between two overridden actions, the first in help order
//     keeps it).
func (m Map) WithOverrides(over map[string][]string) (Map, []error) {
	var errs []error
	set := map[int][]string{} // action index -> new keys
	for _, name := range slices.Sorted(maps.Keys(over)) {
		a, ok := ParseAction(name)
		if !ok {
			errs = append(errs, &UnknownActionError{Name: name, Suggest: suggestAction(name)})
			continue
		}
		var keys []string
		bad := 0
		for _, k := range over[name] {
			ck, err := ParseKey(k)
			if err != nil {
				errs = append(errs, &KeyError{Action: a, Key: k, Err: err})
				bad++
				continue
			}
			if !slices.Contains(keys, ck) {
				keys = append(keys, ck) // " " and "space" are one key
			}
		}
		if len(keys) == 0 && bad > 0 {
			continue
		}
		set[actionIndex[a]] = keys
	}

	// Overridden actions claim their keys first, in help order; the others
	// then give up any key an override claimed.
	var conflicts []*ConflictError
	owner := map[string]int{}
	for _, i := range slices.Sorted(maps.Keys(set)) {
		var kept []string
		for _, k := range set[i] {
			if j, taken := owner[k]; taken {
				conflicts = append(conflicts, &ConflictError{Key: k, Kept: defaults[j].action, Dropped: defaults[i].action})
				continue
			}
			owner[k] = i
			kept = append(kept, k)
		}
		set[i] = kept
	}
	for i := range m.b {
		if _, overridden := set[i]; overridden {
			continue
		}
		keys := m.b[i].Keys()
		var kept []string
		for _, k := range keys {
			if j, taken := owner[k]; taken {
				conflicts = append(conflicts, &ConflictError{Key: k, Kept: defaults[j].action, Dropped: defaults[i].action})
				continue
			}
			kept = append(kept, k)
		}
		if len(kept) < len(keys) {
			set[i] = kept
		}
	}
	for _, c := range conflicts {
		c.Remaining = set[actionIndex[c.Dropped]]
		errs = append(errs, c)
	}

	for i, keys := range set {
		m.b[i] = rebind(m.b[i], keys, defaults[i].help)
	}
	return m, errs
}

// rebind gives b new keys, keeping its help text (def if an earlier unbind
// cleared it) and enabled state; no keys unbinds it, which also hides it
// from help.
func rebind(b key.Binding, keys []string, def string) key.Binding {
	if len(keys) == 0 {
		b.Unbind()
		return b
	}
	desc := b.Help().Desc
	if desc == "" {
		desc = def
	}
	b.SetKeys(keys...)
	b.SetHelp(helpKeys(keys), desc)
	return b
}

// suggestAction is the action name closest to a misspelt one, if any is
// close: same letters ignoring case, '_' and '-', or at most two edits away.
func suggestAction(name string) Action {
	norm := strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(name))
	best, bestD := Action(""), 3
	for _, s := range defaults {
		if d := config.EditDistance(norm, string(s.action)); d < bestD {
			best, bestD = s.action, d
		}
	}
	return best
}
