package keymap

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"lightbox/internal/cosrules"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	uv "github.com/charmbracelet/ultraviolet"
)

// The UI hands a Map to bubbles' help model.
var _ help.KeyMap = Map{}

// allActions lists every constant by hand, so that one added without a row
// in the defaults table (or a row without a constant) fails.
var allActions = []Action{
	ActionUp, ActionDown, ActionPageUp, ActionPageDown, ActionTop, ActionBottom, ActionEnter, ActionBack,
	ActionSort, ActionReverse, ActionFilter, ActionQualityFilter, ActionClearFilter, ActionOpen,
	ActionExternal, ActionDetail, ActionGrid, ActionCompare, ActionJournal, ActionTrash, ActionRefresh, ActionHelp, ActionQuit,
	ActionPause, ActionRescore, ActionScoreAll,
	ActionMark, ActionVisual, ActionMarkAll, ActionInvert, ActionClearMarks,
	ActionGroup, ActionFold, ActionFoldAll, ActionRejectRest,
	ActionTag, ActionPick, ActionReject, ActionUnflag, ActionPromote, ActionDelete, ActionUndo,
	ActionQuickTag0, ActionQuickTag1, ActionQuickTag2, ActionQuickTag3, ActionQuickTag4,
	ActionQuickTag5, ActionQuickTag6, ActionQuickTag7, ActionQuickTag8, ActionQuickTag9,
}

func TestActionsTable(t *testing.T) {
	got := Actions()
	if len(got) != len(allActions) {
		t.Fatalf("table has %d actions, constants %d", len(got), len(allActions))
	}
	for _, a := range allActions {
		if !slices.Contains(got, a) {
			t.Errorf("action %q has no row in the defaults table", a)
		}
		if b, ok := ParseAction(string(a)); !ok || b != a {
			t.Errorf("ParseAction(%q) = %q, %v", a, b, ok)
		}
		for _, r := range string(a) {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') {
				t.Errorf("config name %q: want lower-case letters and digits only", a)
				break
			}
		}
		if a.Help() == "" {
			t.Errorf("%s: no help text", a)
		}
		if !slices.Contains(groupOrder, a.Group()) {
			t.Errorf("%s: group %q is not a help group", a, a.Group())
		}
		h := Default().Binding(a).Help()
		if h.Key == "" || h.Desc != a.Help() {
			t.Errorf("%s: binding help = %+v", a, h)
		}
	}
	if _, ok := ParseAction("nope"); ok {
		t.Error(`ParseAction("nope") succeeded`)
	}
	if b := Default().Binding("nope"); b.Enabled() {
		t.Error("unknown action has an enabled binding")
	}
}

func TestQuickTagActions(t *testing.T) {
	for d := range 10 {
		a, ok := QuickTagAction(d)
		if !ok || !slices.Contains(allActions, a) {
			t.Fatalf("QuickTagAction(%d) = %q, %v", d, a, ok)
		}
		if got, ok := a.QuickTagSlot(); !ok || got != d {
			t.Errorf("%s.QuickTagSlot() = %d, %v", a, got, ok)
		}
		if k := Default().Binding(a).Keys(); !slices.Equal(k, []string{string(rune('0' + d))}) {
			t.Errorf("%s keys = %q", a, k)
		}
	}
	if _, ok := QuickTagAction(10); ok {
		t.Error("QuickTagAction(10) succeeded")
	}
	if _, ok := ActionQuit.QuickTagSlot(); ok {
		t.Error("quit is a quick tag slot")
	}
}

// checkOneActionPerKey fails when any key is bound to two actions.
func checkOneActionPerKey(t *testing.T, m Map) {
	t.Helper()
	seen := map[string]Action{}
	for _, a := range Actions() {
		for _, k := range m.Binding(a).Keys() {
			if b, dup := seen[k]; dup {
				t.Errorf("key %q is bound to both %s and %s", k, b, a)
			}
			seen[k] = a
		}
	}
}

func TestDefaultsOneActionPerKey(t *testing.T) {
	m := Default()
	checkOneActionPerKey(t, m)
	for _, a := range Actions() {
		keys := m.Binding(a).Keys()
		if len(keys) == 0 {
			t.Errorf("%s has no default key", a)
		}
		for _, k := range keys {
			// Bindings match String() exactly, so a default must be canonical.
			if c, err := ParseKey(k); err != nil || c != k {
				t.Errorf("%s: default key %q parses as %q, %v", a, k, c, err)
			}
			if got, ok := m.MatchKey(k); !ok || got != a {
				t.Errorf("MatchKey(%q) = %q, %v; want %s", k, got, ok, a)
			}
		}
	}
}

// TestKeyPressMsgStrings pins what Bubble Tea's String() gives for the keys
// lightbox binds, and that Match finds them in real messages.
func TestKeyPressMsgStrings(t *testing.T) {
	tests := []struct {
		msg    tea.KeyPressMsg
		str    string
		action Action
	}{
		{tea.KeyPressMsg{Code: 'j', Text: "j"}, "j", ActionDown},
		{tea.KeyPressMsg{Code: 'k', Text: "k"}, "k", ActionUp},
		{tea.KeyPressMsg{Code: 'g', ShiftedCode: 'G', Mod: tea.ModShift, Text: "G"}, "G", ActionBottom},
		{tea.KeyPressMsg{Code: 'p', ShiftedCode: 'P', Mod: tea.ModShift, Text: "P"}, "P", ActionPick},
		{tea.KeyPressMsg{Code: 'p', Text: "p"}, "p", ActionPause},
		{tea.KeyPressMsg{Code: 'x', ShiftedCode: 'X', Mod: tea.ModShift, Text: "X"}, "X", ActionReject},
		{tea.KeyPressMsg{Code: 'u', ShiftedCode: 'U', Mod: tea.ModShift, Text: "U"}, "U", ActionUnflag},
		{tea.KeyPressMsg{Code: 'u', Text: "u"}, "u", ActionUndo},
		{tea.KeyPressMsg{Code: tea.KeySpace}, "space", ActionMark},
		{tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}, "space", ActionMark},
		{tea.KeyPressMsg{Code: 'a', Mod: tea.ModCtrl}, "ctrl+a", ActionMarkAll},
		{tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}, "ctrl+c", ActionQuit},
		{tea.KeyPressMsg{Code: 'x', Mod: tea.ModCtrl}, "ctrl+x", ActionClearMarks},
		{tea.KeyPressMsg{Code: 'd', Mod: tea.ModCtrl}, "ctrl+d", ActionPageDown},
		{tea.KeyPressMsg{Code: '*', Text: "*"}, "*", ActionMarkAll},
		{tea.KeyPressMsg{Code: '?', Text: "?"}, "?", ActionHelp},
		{tea.KeyPressMsg{Code: '/', Text: "/"}, "/", ActionFilter},
		{tea.KeyPressMsg{Code: '3', Text: "3"}, "3", ActionQuickTag3},
		{tea.KeyPressMsg{Code: tea.KeyEnter}, "enter", ActionEnter},
		{tea.KeyPressMsg{Code: tea.KeyEscape}, "esc", ActionClearFilter},
		{tea.KeyPressMsg{Code: tea.KeyBackspace}, "backspace", ActionBack},
		{tea.KeyPressMsg{Code: tea.KeyTab}, "tab", ActionDetail},
		{tea.KeyPressMsg{Code: tea.KeyPgUp}, "pgup", ActionPageUp},
		{tea.KeyPressMsg{Code: tea.KeyPgDown}, "pgdown", ActionPageDown},
		{tea.KeyPressMsg{Code: tea.KeyHome}, "home", ActionTop},
		{tea.KeyPressMsg{Code: tea.KeyEnd}, "end", ActionBottom},
		{tea.KeyPressMsg{Code: tea.KeyUp}, "up", ActionUp},
		{tea.KeyPressMsg{Code: tea.KeyDown}, "down", ActionDown},
		{tea.KeyPressMsg{Code: tea.KeyLeft}, "left", ActionBack},
		{tea.KeyPressMsg{Code: tea.KeyRight}, "right", ActionEnter},
		{tea.KeyPressMsg{Code: tea.KeyDelete}, "delete", ActionDelete},
		// Bound by nobody, but valid names an override may use.
		{tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}, "shift+tab", ""},
		{tea.KeyPressMsg{Code: tea.KeyF1}, "f1", ""},
		{tea.KeyPressMsg{Code: '图', Text: "图"}, "图", ""},
		{tea.KeyPressMsg{Code: 'a', Mod: tea.ModCtrl | tea.ModShift}, "ctrl+shift+a", ""},
		{tea.KeyPressMsg{Code: 'x', Text: "x"}, "x", ""},
		{tea.KeyPressMsg{Code: 'd', Text: "d"}, "d", ""},
	}
	m := Default()
	for _, tt := range tests {
		if got := tt.msg.String(); got != tt.str {
			t.Errorf("%#v.String() = %q, want %q", tt.msg, got, tt.str)
		}
		// Whatever String() gives must be a name ParseKey accepts as is.
		if c, err := ParseKey(tt.str); err != nil || c != tt.str {
			t.Errorf("ParseKey(%q) = %q, %v", tt.str, c, err)
		}
		got, ok := m.Match(tt.msg)
		if ok != (tt.action != "") || got != tt.action {
			t.Errorf("Match(%q) = %q, %v; want %q", tt.str, got, ok, tt.action)
		}
	}
}

// TestMatchDecodedInput feeds the bytes terminals send through Bubble Tea's
// own input decoder, so the messages are the ones the UI will see.
func TestMatchDecodedInput(t *testing.T) {
	tests := []struct {
		in   string
		want Action
	}{
		{"j", ActionDown},
		{"G", ActionBottom},
		{"J", ActionJournal},
		{" ", ActionMark},
		{"\x01", ActionMarkAll},       // ctrl+a
		{"\x03", ActionQuit},          // ctrl+c
		{"\x18", ActionClearMarks},    // ctrl+x
		{"\x02", ActionPageUp},        // ctrl+b
		{"\x1b[5~", ActionPageUp},     // PgUp
		{"\x1b[6~", ActionPageDown},   // PgDn
		{"\x1b[H", ActionTop},         // Home
		{"\x1b[F", ActionBottom},      // End
		{"\x1b[A", ActionUp},          // up arrow
		{"\x1bOB", ActionDown},        // down arrow, application cursor mode
		{"\r", ActionEnter},           // Enter
		{"\x7f", ActionBack},          // Backspace
		{"\t", ActionDetail},          // Tab
		{"\x1b", ActionClearFilter},   // Esc
		{"\x1b[3~", ActionDelete},     // Delete
		{"\x1b[97;5u", ActionMarkAll}, // ctrl+a, kitty protocol
		{"?", ActionHelp},
		{"*", ActionMarkAll},
		{"0", ActionQuickTag0},
	}
	m := Default()
	for _, tt := range tests {
		var d uv.EventDecoder
		n, ev := d.Decode([]byte(tt.in))
		if n != len(tt.in) {
			t.Errorf("%q: decoder took %d of %d bytes", tt.in, n, len(tt.in))
			continue
		}
		k, ok := ev.(uv.KeyPressEvent)
		if !ok {
			t.Errorf("%q: decoded %T, not a key press", tt.in, ev)
			continue
		}
		msg := tea.KeyPressMsg(k) // what Bubble Tea does with it
		if got, ok := m.Match(msg); !ok || got != tt.want {
			t.Errorf("%q (%q): Match = %q, %v; want %s", tt.in, msg.String(), got, ok, tt.want)
		}
	}
	// Shift+Tab is valid but unbound by default.
	var d uv.EventDecoder
	if _, ev := d.Decode([]byte("\x1b[Z")); ev.(uv.KeyPressEvent).String() != "shift+tab" {
		t.Errorf("shift+tab decodes as %q", ev.(uv.KeyPressEvent).String())
	}
}

func TestMatchBaseCode(t *testing.T) {
	m := Default()
	// Russian layout, the key where j is: kitty sends the US key as BaseCode.
	if a, ok := m.Match(tea.KeyPressMsg{Code: 'о', BaseCode: 'j', Text: "о"}); !ok || a != ActionDown {
		t.Errorf("о on the j key: %q, %v", a, ok)
	}
	// Shifted: "shift+g" is bound as "G".
	if a, ok := m.Match(tea.KeyPressMsg{Code: 'п', ShiftedCode: 'П', BaseCode: 'g', Mod: tea.ModShift, Text: "П"}); !ok || a != ActionBottom {
		t.Errorf("П on the G key: %q, %v", a, ok)
	}
	// Without a base code a foreign letter matches nothing.
	if a, ok := m.Match(tea.KeyPressMsg{Code: 'о', Text: "о"}); ok {
		t.Errorf("о without a base code matched %s", a)
	}
	// A key bound by its own character wins over the base code.
	m2, errs := m.WithOverrides(map[string][]string{"pick": {"о"}})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if a, _ := m2.Match(tea.KeyPressMsg{Code: 'о', BaseCode: 'j', Text: "о"}); a != ActionPick {
		t.Errorf("bound о matched %q, want pick", a)
	}
}

func TestParseKey(t *testing.T) {
	good := map[string]string{
		"j":             "j",
		"G":             "G",
		"?":             "?",
		"+":             "+",
		"图":             "图",
		" ":             "space",
		"space":         "space",
		"Space":         "space",
		"enter":         "enter",
		"Enter":         "enter",
		"return":        "enter",
		"escape":        "esc",
		"pageup":        "pgup",
		"PgDown":        "pgdown",
		"F1":            "f1",
		"f12":           "f12",
		"ctrl+a":        "ctrl+a",
		"Ctrl+a":        "ctrl+a",
		"ctrl+A":        "ctrl+shift+a",
		"alt+A":         "alt+shift+a",
		"shift+ctrl+a":  "ctrl+shift+a",
		"alt+ctrl+x":    "ctrl+alt+x",
		"shift+a":       "A",
		"shift+A":       "A",
		"shift+tab":     "shift+tab",
		"ctrl+space":    "ctrl+space",
		"ctrl++":        "ctrl++",
		"alt+1":         "alt+1",
		"ctrl+shift+up": "ctrl+shift+up",
		" q ":           "q",
	}
	for in, want := range good {
		if got, err := ParseKey(in); err != nil || got != want {
			t.Errorf("ParseKey(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "  ", "jj", "foo", "ctrl+", "hyperdrive+a", "a+b", "shift+1", "shift+?", "\x01", "\t", "ctrl+foo", "leftshift", "🏳️‍🌈"} {
		if got, err := ParseKey(in); err == nil {
			t.Errorf("ParseKey(%q) = %q, want an error", in, got)
		}
	}
}

func TestWithOverridesRebindAndUnbind(t *testing.T) {
	def := Default()
	m, errs := def.WithOverrides(map[string][]string{
		"quit":    {"ctrl+q", "Q"},
		"journal": {},
		"mark":    {" ", "space", "x"}, // " " and "space" are one key
	})
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if a, ok := m.MatchKey("q"); ok {
		t.Errorf("q still matches %s", a)
	}
	for _, k := range []string{"ctrl+q", "Q"} {
		if a, _ := m.MatchKey(k); a != ActionQuit {
			t.Errorf("%s matches %q, want quit", k, a)
		}
	}
	if h := m.Binding(ActionQuit).Help(); h.Key != "ctrl+q/Q" || h.Desc != "quit" {
		t.Errorf("quit help = %+v", h)
	}
	if a, ok := m.MatchKey("J"); ok || m.Binding(ActionJournal).Enabled() {
		t.Errorf("unbound journal: J matches %q, %v", a, ok)
	}
	if k := m.Binding(ActionMark).Keys(); !slices.Equal(k, []string{"space", "x"}) {
		t.Errorf("mark keys = %q", k)
	}
	// The receiver is a value and stays as it was.
	if a, _ := def.MatchKey("q"); a != ActionQuit {
		t.Errorf("Default changed: q matches %q", a)
	}
	if !slices.Equal(def.Binding(ActionMark).Keys(), []string{"space"}) {
		t.Error("Default's mark keys changed")
	}
	// Binding again after unbinding restores the help text.
	m2, _ := m.WithOverrides(map[string][]string{"journal": {"ctrl+j"}})
	if h := m2.Binding(ActionJournal).Help(); h.Desc != "journal" || h.Key != "ctrl+j" {
		t.Errorf("rebound journal help = %+v", h)
	}
	checkOneActionPerKey(t, m)
}

func TestWithOverridesUnknownAction(t *testing.T) {
	m, errs := Default().WithOverrides(map[string][]string{
		"page_up": {"K"},
		"qiut":    {"ctrl+q"},
		"zzzzzzz": {"z"},
		"down":    {"n"},
	})
	if len(errs) != 3 {
		t.Fatalf("errors = %v, want 3", errs)
	}
	wants := map[string]Action{"page_up": ActionPageUp, "qiut": ActionQuit, "zzzzzzz": ""}
	for _, err := range errs {
		var ue *UnknownActionError
		if !errors.As(err, &ue) {
			t.Fatalf("%v is not an UnknownActionError", err)
		}
		if want, ok := wants[ue.Name]; !ok || ue.Suggest != want {
			t.Errorf("%q: suggest %q, want %q", ue.Name, ue.Suggest, want)
		}
		if !strings.Contains(err.Error(), ue.Name) {
			t.Errorf("message %q does not name %q", err, ue.Name)
		}
	}
	// The valid entry still applies; the unknown ones change nothing.
	if a, _ := m.MatchKey("n"); a != ActionDown {
		t.Errorf("n matches %q, want down", a)
	}
	for _, k := range []string{"K", "ctrl+q", "z"} {
		if a, ok := m.MatchKey(k); ok {
			t.Errorf("%s matches %s", k, a)
		}
	}
	if a, _ := m.MatchKey("pgup"); a != ActionPageUp {
		t.Error("pageup lost its default keys")
	}
}

func TestWithOverridesBadKeys(t *testing.T) {
	m, errs := Default().WithOverrides(map[string][]string{
		"quit": {"ctrl+foo"},               // all bad: defaults kept
		"pick": {"shift+1", "K", "jj"},     // K applies
		"sort": {"hyperdrive+s", "ctrl+s"}, // ctrl+s applies
	})
	var bad []string
	for _, err := range errs {
		var ke *KeyError
		if !errors.As(err, &ke) {
			t.Fatalf("%v is not a KeyError", err)
		}
		if ke.Err == nil || !strings.Contains(err.Error(), "keys."+string(ke.Action)) {
			t.Errorf("message %q", err)
		}
		bad = append(bad, string(ke.Action)+":"+ke.Key)
	}
	want := []string{"pick:shift+1", "pick:jj", "quit:ctrl+foo", "sort:hyperdrive+s"}
	if !slices.Equal(bad, want) {
		t.Errorf("bad keys = %q, want %q", bad, want)
	}
	if k := m.Binding(ActionQuit).Keys(); !slices.Equal(k, []string{"q", "ctrl+c"}) {
		t.Errorf("quit keys = %q, want the defaults", k)
	}
	if k := m.Binding(ActionPick).Keys(); !slices.Equal(k, []string{"K"}) {
		t.Errorf("pick keys = %q", k)
	}
	if k := m.Binding(ActionSort).Keys(); !slices.Equal(k, []string{"ctrl+s"}) {
		t.Errorf("sort keys = %q", k)
	}
}

func TestWithOverridesConflicts(t *testing.T) {
	m, errs := Default().WithOverrides(map[string][]string{
		"pick":    {"p", "k"}, // takes p from pause (its only key) and k from up
		"reject":  {"z"},      // two overrides want z:
		"promote": {"z", "c"}, // reject comes first in help order and keeps it
		"undo":    {"ctrl+z"}, // frees u, which nobody takes
	})
	checkOneActionPerKey(t, m)

	type conflict struct {
		key           string
		kept, dropped Action
		remaining     string
	}
	var got []conflict
	for _, err := range errs {
		var ce *ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("%v is not a ConflictError", err)
		}
		for _, a := range []Action{ce.Kept, ce.Dropped} {
			if !strings.Contains(err.Error(), string(a)) {
				t.Errorf("message %q does not name %s", err, a)
			}
		}
		got = append(got, conflict{ce.Key, ce.Kept, ce.Dropped, strings.Join(ce.Remaining, ",")})
	}
	want := []conflict{
		{"z", ActionReject, ActionPromote, "c"},
		{"k", ActionPick, ActionUp, "up"},
		{"p", ActionPick, ActionPause, ""},
	}
	if !slices.Equal(got, want) {
		t.Errorf("conflicts = %+v\nwant %+v", got, want)
	}
	for _, err := range errs {
		if ce := err.(*ConflictError); ce.Dropped == ActionPause && !strings.Contains(err.Error(), "no key left") {
			t.Errorf("message %q does not say pause has no key left", err)
		}
	}

	for k, a := range map[string]Action{"p": ActionPick, "k": ActionPick, "z": ActionReject, "c": ActionPromote, "up": ActionUp, "ctrl+z": ActionUndo} {
		if got, _ := m.MatchKey(k); got != a {
			t.Errorf("%s matches %q, want %s", k, got, a)
		}
	}
	if m.Binding(ActionPause).Enabled() {
		t.Error("pause lost its only key but is still enabled")
	}
	if h := m.Binding(ActionUp).Help(); h.Key != "↑" || h.Desc != "up" {
		t.Errorf("up help = %+v", h)
	}
	if a, ok := m.MatchKey("u"); ok {
		t.Errorf("u matches %s", a)
	}
}

func TestQuickTags(t *testing.T) {
	tags, errs := QuickTags(map[string]string{
		"1":  "review=keep",
		"2":  " rating = 5 ",
		"3":  "url=a=b",   // the value may hold '='
		"4":  "flag=",     // an empty value is a tag too
		"5":  "keep",      // no '='
		"6":  "=x",        // no key
		"10": "review=no", // not a digit
		"a":  "review=no",
	})
	want := map[string]cosrules.Tag{
		"1": {Key: "review", Value: "keep"},
		"2": {Key: "rating", Value: "5"},
		"3": {Key: "url", Value: "a=b"},
		"4": {Key: "flag", Value: ""},
	}
	if len(tags) != len(want) {
		t.Errorf("tags = %v, want %v", tags, want)
	}
	for k, w := range want {
		if tags[k] != w {
			t.Errorf("slot %s = %+v, want %+v", k, tags[k], w)
		}
	}
	var slots []string
	for _, err := range errs {
		s, _, _ := strings.Cut(strings.TrimPrefix(err.Error(), "quick_tags."), ":")
		slots = append(slots, s)
	}
	if !slices.Equal(slots, []string{"10", "5", "6", "a"}) {
		t.Errorf("errors for slots %q: %v", slots, errs)
	}
	if tags, errs := QuickTags(nil); len(tags) != 0 || len(errs) != 0 {
		t.Errorf("QuickTags(nil) = %v, %v", tags, errs)
	}
}

func TestWithQuickTags(t *testing.T) {
	m := Default().WithQuickTags(map[string]cosrules.Tag{
		"1": {Key: "review", Value: "keep"},
		"0": {Key: "description", Value: "a very long value indeed, longer than help wants"},
	})
	if h := m.Binding(ActionQuickTag1).Help(); h.Desc != "tag review=keep" || h.Key != "1" {
		t.Errorf("quick tag 1 help = %+v", h)
	}
	if d := []rune(m.Binding(ActionQuickTag0).Help().Desc); len(d) != maxTagHelp || d[len(d)-1] != '…' {
		t.Errorf("long tag help = %q", string(d))
	}
	if a, ok := m.MatchKey("1"); !ok || a != ActionQuickTag1 {
		t.Errorf("1 matches %q, %v", a, ok)
	}
	if a, ok := m.MatchKey("2"); ok {
		t.Errorf("2 has no tag but matches %s", a)
	}
	// A slot given a tag later is enabled again.
	m = m.WithQuickTags(map[string]cosrules.Tag{"2": {Key: "a", Value: "b"}})
	if a, _ := m.MatchKey("2"); a != ActionQuickTag2 {
		t.Errorf("2 matches %q after getting a tag", a)
	}
	if _, ok := m.MatchKey("1"); ok {
		t.Error("1 still matches after losing its tag")
	}
}

// helpActions maps help bindings back to actions through their first key
// (keys are unique), failing on duplicates.
func helpActions(t *testing.T, m Map, bs []key.Binding, seen map[Action]int) {
	t.Helper()
	for _, b := range bs {
		if !b.Enabled() {
			t.Errorf("help lists a disabled binding %+v", b.Help())
			continue
		}
		a, ok := m.MatchKey(b.Keys()[0])
		if !ok {
			t.Errorf("help binding %+v matches no action", b.Help())
			continue
		}
		seen[a]++
	}
}

func checkHelpCoverage(t *testing.T, m Map) {
	t.Helper()
	var bound []Action
	for _, a := range Actions() {
		if m.Binding(a).Enabled() {
			bound = append(bound, a)
		}
	}

	fromGroups := map[Action]int{}
	for _, g := range m.Groups() {
		if len(g.Bindings) == 0 {
			t.Errorf("group %s is empty", g.Name)
		}
		for _, b := range g.Bindings {
			if a, _ := m.MatchKey(b.Keys()[0]); a.Group() != g.Name {
				t.Errorf("%s is in group %s, want %s", a, g.Name, a.Group())
			}
		}
		helpActions(t, m, g.Bindings, fromGroups)
	}
	fromFull := map[Action]int{}
	for _, col := range m.FullHelp() {
		helpActions(t, m, col, fromFull)
	}
	for name, seen := range map[string]map[Action]int{"Groups": fromGroups, "FullHelp": fromFull} {
		if len(seen) != len(bound) {
			t.Errorf("%s covers %d actions, %d are bound", name, len(seen), len(bound))
		}
		for _, a := range bound {
			if seen[a] != 1 {
				t.Errorf("%s lists %s %d times", name, a, seen[a])
			}
		}
	}

	short := m.ShortHelp()
	if len(short) > 8 {
		t.Errorf("ShortHelp has %d bindings", len(short))
	}
	for _, b := range short {
		if !b.Enabled() {
			t.Errorf("ShortHelp lists disabled %+v", b.Help())
		}
	}
}

func TestHelpCoverage(t *testing.T) {
	def := Default()
	checkHelpCoverage(t, def)

	var names []string
	for _, g := range def.Groups() {
		names = append(names, g.Name)
	}
	if !slices.Equal(names, groupOrder) {
		t.Errorf("groups = %q", names)
	}
	var short []string
	for _, b := range def.ShortHelp() {
		short = append(short, b.Help().Desc)
	}
	if want := []string{"mark & next", "pick", "reject", "tag…", "undo", "filter names", "help", "quit"}; !slices.Equal(short, want) {
		t.Errorf("ShortHelp = %q, want %q", short, want)
	}

	// After unbinding a whole group, a hint action and most quick tags.
	m, errs := def.WithOverrides(map[string][]string{"pause": {}, "rescore": {}, "scoreall": {}, "undo": {}, "pick": {"p"}})
	if len(errs) != 0 { // p is free: pause was unbound in the same table
		t.Errorf("errors: %v", errs)
	}
	m = m.WithQuickTags(map[string]cosrules.Tag{"7": {Key: "a", Value: "b"}})
	checkHelpCoverage(t, m)
	for _, g := range m.Groups() {
		if g.Name == GroupScore {
			t.Error("the empty Score group is still shown")
		}
	}
	if len(m.ShortHelp()) != 7 {
		t.Errorf("ShortHelp after unbinding undo has %d bindings", len(m.ShortHelp()))
	}

	// bubbles' help renders it.
	h := help.New()
	h.SetWidth(200)
	if out := h.FullHelpView(def.FullHelp()); !strings.Contains(out, "mark & next") || !strings.Contains(out, "quit") {
		t.Errorf("FullHelpView:\n%s", out)
	}
	if out := h.ShortHelpView(def.ShortHelp()); !strings.Contains(out, "space") {
		t.Errorf("ShortHelpView: %s", out)
	}
}

func TestZeroMapMatchesNothing(t *testing.T) {
	var m Map
	if a, ok := m.MatchKey("q"); ok {
		t.Errorf("zero Map matched %s", a)
	}
	if len(m.Groups()) != 0 || len(m.ShortHelp()) != 0 {
		t.Error("zero Map has help")
	}
}
