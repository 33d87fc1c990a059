// Package keymap is lightbox's keyboard map: one action per key, the default
// keys, the help texts and groups shown by the reviewer, and the user's
// overrides from the config file's [keys] and [quick_tags] tables.
//
// Everything is generated from one table (defaults below), so the help
// overlay, the one-line hint and the matcher cannot drift apart. The Map is
// global: which actions mean something in which mode (list, visual, a prompt)
// is the UI's business, so no key is bound to two actions.
//
// Key choices, and how the conventions were reconciled (vim and the
// terminal tools first, Lightroom's culling keys where they fit):
//
//   - u is undo (vim, and lightbox journals every change). Lightroom's U
//     (unflag) therefore lives on shift-u only, and "clear marks" takes
//     ctrl+x instead of u or U.
//   - Case matters, as in vim: p pauses scoring while P picks; s/S sort
//     field/direction; o/O open inside/outside; j/J down/journal. Lightroom
//     users typing lower-case x or d hit nothing: those stay unbound on
//     purpose rather than doing something else.
//   - Delete is D (and the Delete key), not d: it is the one action that can
//     be permanent (hard_delete), so it takes a shifted key as well as the
//     UI's y-to-confirm. Lower-case d stays free.
//   - Promote is c ("copy to the promote prefix"), not m: m is what a new user
//     guesses for "mark", and a wrong guess should not copy objects.
//   - Mark all is ctrl+a and *: ctrl+a is the screen/tmux prefix for many
//     people working over SSH, and * still works there.
//   - i inverts the marks; yazi's ctrl+r is left free for a future redo.
//   - g is "first" on its own: a gg chord would need pending-key state, and
//     the Map stays stateless.
//   - Digits 0-9 are quick tags ([quick_tags]), not vim counts; a Lightroom
//     star rating is just the quick tag "rating=5".
//   - esc clears the filter. Prompts and visual mode are modal, so the UI
//     may give esc its "cancel" meaning there without a second binding.
package keymap

// Action is something the reviewer does on a key press. Its value is the
// stable name used in the config file's [keys] table.
type Action string

// Navigate.
const (
	ActionUp       Action = "up"
	ActionDown     Action = "down"
	ActionPageUp   Action = "pageup"
	ActionPageDown Action = "pagedown"
	ActionTop      Action = "top"
	ActionBottom   Action = "bottom"
	ActionEnter    Action = "enter"
	ActionBack     Action = "back"
)

// View.
const (
	ActionSort          Action = "sort"
	ActionReverse       Action = "reverse"
	ActionFilter        Action = "filter"
	ActionQualityFilter Action = "qualityfilter"
	ActionClearFilter   Action = "clearfilter"
	ActionOpen          Action = "open"
	ActionExternal      Action = "external"
	ActionDetail        Action = "detail"
	ActionGrid          Action = "grid"
	ActionCompare       Action = "compare"
	ActionJournal       Action = "journal"
	ActionTrash         Action = "trash"
	ActionRefresh       Action = "refresh"
	ActionHelp          Action = "help"
	ActionQuit          Action = "quit"
)

// Score.
const (
	ActionPause    Action = "pause"
	ActionRescore  Action = "rescore"
	ActionScoreAll Action = "scoreall"
)

// Mark.
const (
	ActionMark       Action = "mark"
	ActionVisual     Action = "visual"
	ActionMarkAll    Action = "markall"
	ActionInvert     Action = "invert"
	ActionClearMarks Action = "clearmarks"
)

// Groups of near-duplicates and bursts.
const (
	ActionGroup      Action = "group"
	ActionFold       Action = "fold"
	ActionFoldAll    Action = "foldall"
	ActionRejectRest Action = "rejectrest"
)

// Act.
const (
	ActionTag       Action = "tag"
	ActionPick      Action = "pick"
	ActionReject    Action = "reject"
	ActionUnflag    Action = "unflag"
	ActionPromote   Action = "promote"
	ActionDelete    Action = "delete"
	ActionUndo      Action = "undo"
	ActionQuickTag0 Action = "quicktag0"
	ActionQuickTag1 Action = "quicktag1"
	ActionQuickTag2 Action = "quicktag2"
	ActionQuickTag3 Action = "quicktag3"
	ActionQuickTag4 Action = "quicktag4"
	ActionQuickTag5 Action = "quicktag5"
	ActionQuickTag6 Action = "quicktag6"
	ActionQuickTag7 Action = "quicktag7"
	ActionQuickTag8 Action = "quicktag8"
	ActionQuickTag9 Action = "quicktag9"
)

// Help groups, in the order the help overlay shows them.
const (
	GroupNavigate = "Navigate"
	GroupView     = "View"
	GroupScore    = "Score"
	GroupMark     = "Mark"
	GroupAct      = "Act"
	GroupGroups   = "Groups" // near-duplicates and bursts
)

var groupOrder = []string{GroupNavigate, GroupGroups, GroupView, GroupScore, GroupMark, GroupAct}

// spec is one row of the defaults. hint > 0 puts the action in the one-line
// hint (ShortHelp), ordered by hint.
type spec struct {
	action Action
	group  string
	keys   []string
	help   string
	hint   int
}

// defaults is the single source of actions, keys, help and grouping. Its
// order is the help order. It is an array so that Map can hold a fixed-size
// array of bindings and stay a plain value.
var defaults = [...]spec{
	{ActionUp, GroupNavigate, []string{"k", "up"}, "up", 0},
	{ActionDown, GroupNavigate, []string{"j", "down"}, "down", 0},
	{ActionPageUp, GroupNavigate, []string{"pgup", "ctrl+b", "ctrl+u"}, "page up", 0},
	{ActionPageDown, GroupNavigate, []string{"pgdown", "ctrl+f", "ctrl+d"}, "page down", 0},
	{ActionTop, GroupNavigate, []string{"g", "home"}, "first", 0},
	{ActionBottom, GroupNavigate, []string{"G", "end"}, "last", 0},
	{ActionEnter, GroupNavigate, []string{"enter", "l", "right"}, "enter folder", 0},
	{ActionBack, GroupNavigate, []string{"backspace", "h", "left"}, "parent folder", 0},
	{ActionRefresh, GroupNavigate, []string{"ctrl+r"}, "re-list", 0},
	{ActionGrid, GroupNavigate, []string{"ctrl+g"}, "contact sheet", 0},

	{ActionSort, GroupView, []string{"s"}, "sort field", 0},
	{ActionReverse, GroupView, []string{"S"}, "reverse sort", 0},
	{ActionFilter, GroupView, []string{"/"}, "filter names", 6},
	{ActionQualityFilter, GroupView, []string{"f"}, "score filter", 0},
	{ActionClearFilter, GroupView, []string{"esc"}, "clear filter", 0},
	{ActionOpen, GroupView, []string{"o"}, "loupe", 0},
	{ActionExternal, GroupView, []string{"O"}, "open outside", 0},
	{ActionDetail, GroupView, []string{"tab"}, "detail pane", 0},

	{ActionHelp, GroupView, []string{"?"}, "help", 7},
	{ActionQuit, GroupView, []string{"q", "ctrl+c"}, "quit", 8},

	{ActionPause, GroupScore, []string{"p"}, "pause scoring", 0},
	{ActionRescore, GroupScore, []string{"r"}, "re-score", 0},
	{ActionScoreAll, GroupScore, []string{"R"}, "score all", 0},

	{ActionMark, GroupMark, []string{"space"}, "mark & next", 1},
	{ActionVisual, GroupMark, []string{"v"}, "visual range", 0},
	{ActionMarkAll, GroupMark, []string{"ctrl+a", "*"}, "mark all", 0},
	{ActionInvert, GroupMark, []string{"i"}, "invert marks", 0},
	{ActionClearMarks, GroupMark, []string{"ctrl+x"}, "clear marks", 0},
	{ActionCompare, GroupMark, []string{"C"}, "compare 2-4", 0},

	{ActionTag, GroupAct, []string{"t"}, "tag…", 4},
	{ActionPick, GroupAct, []string{"P"}, "pick", 2},
	{ActionReject, GroupAct, []string{"X"}, "reject", 3},
	{ActionUnflag, GroupAct, []string{"U"}, "unflag", 0},
	{ActionPromote, GroupAct, []string{"c"}, "promote", 0},
	{ActionDelete, GroupAct, []string{"D", "delete"}, "delete", 0},
	{ActionUndo, GroupAct, []string{"u"}, "undo", 5},
	{ActionJournal, GroupAct, []string{"J"}, "journal", 0},
	{ActionTrash, GroupAct, []string{"T"}, "trash", 0},

	{ActionGroup, GroupGroups, []string{"="}, "find groups", 0},
	{ActionFold, GroupGroups, []string{"e"}, "expand group", 0},
	{ActionFoldAll, GroupGroups, []string{"E"}, "expand all", 0},
	{ActionRejectRest, GroupGroups, []string{"ctrl+k"}, "reject rest", 0},
	{ActionQuickTag1, GroupAct, []string{"1"}, "quick tag 1", 0},
	{ActionQuickTag2, GroupAct, []string{"2"}, "quick tag 2", 0},
	{ActionQuickTag3, GroupAct, []string{"3"}, "quick tag 3", 0},
	{ActionQuickTag4, GroupAct, []string{"4"}, "quick tag 4", 0},
	{ActionQuickTag5, GroupAct, []string{"5"}, "quick tag 5", 0},
	{ActionQuickTag6, GroupAct, []string{"6"}, "quick tag 6", 0},
	{ActionQuickTag7, GroupAct, []string{"7"}, "quick tag 7", 0},
	{ActionQuickTag8, GroupAct, []string{"8"}, "quick tag 8", 0},
	{ActionQuickTag9, GroupAct, []string{"9"}, "quick tag 9", 0},
	{ActionQuickTag0, GroupAct, []string{"0"}, "quick tag 0", 0},
}

// numActions sizes Map's array; len of an array variable is a constant.
const numActions = len(defaults)

// actionIndex finds an action's row in defaults.
var actionIndex = func() map[Action]int {
	m := make(map[Action]int, numActions)
	for i, s := range defaults {
		m[s.action] = i
	}
	return m
}()

// Actions returns every action, in help order.
func Actions() []Action {
	out := make([]Action, numActions)
	for i, s := range defaults {
		out[i] = s.action
	}
	return out
}

// ParseAction returns the action with the given config name.
func ParseAction(name string) (Action, bool) {
	_, ok := actionIndex[Action(name)]
	return Action(name), ok
}

// String is the action's config name.
func (a Action) String() string { return string(a) }

// Group is the help group of the action, "" for an unknown action.
func (a Action) Group() string {
	if i, ok := actionIndex[a]; ok {
		return defaults[i].group
	}
	return ""
}

// Help is the default help text of the action, "" for an unknown action.
func (a Action) Help() string {
	if i, ok := actionIndex[a]; ok {
		return defaults[i].help
	}
	return ""
}

// QuickTagAction is the action of quick tag slot d (0..9).
func QuickTagAction(d int) (Action, bool) {
	if d < 0 || d > 9 {
		return "", false
	}
	return Action("quicktag" + string(rune('0'+d))), true
}

// QuickTagSlot says which quick tag slot (0..9) the action is, if it is one.
func (a Action) QuickTagSlot() (int, bool) {
	const p = "quicktag"
	if len(a) != len(p)+1 || string(a[:len(p)]) != p || a[len(p)] < '0' || a[len(p)] > '9' {
		return 0, false
	}
	return int(a[len(p)] - '0'), true
}
