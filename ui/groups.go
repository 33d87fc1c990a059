package ui

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"lightbox/cosapi"
	"lightbox/curation"
	"lightbox/internal/cosrules"
	"lightbox/model"
	"lightbox/similar"
)

// Groups of near-duplicates and bursts (issue 18) in the reviewer: = fingerprints the
// prefix's images in the background through the Backend (cosapi.GroupItems: cached, else a
// thumbnail), similar.Find groups them with the scores the list has, and the list collapses
// each group under its best member (model/groups.go).

// groupChunk is how many images one background step fingerprints: small enough for the
// status line to move, large enough that a cached prefix is not a message per image.
const groupChunk = 32

// groupRun is the grouping in progress for one list.
type groupRun struct {
	list   *model.List
	objs   []cosapi.Object
	items  []similar.Item
	failed int
	done   int
	ctx    context.Context
	cancel context.CancelFunc
}

// groupChunkMsg is one step's fingerprints, for run (identity: a run that was stopped or
// replaced drops it), items[from:from+len(items)].
type groupChunkMsg struct {
	run    *groupRun
	list   *model.List
	from   int
	items  []similar.Item
	failed int
}

func groupChunkCmd(b Backend, run *groupRun, from int) tea.Cmd {
	objs := run.objs[from:min(from+groupChunk, len(run.objs))]
	ctx, l := run.ctx, run.list
	return func() tea.Msg {
		items, failed, _ := b.GroupItems(ctx, objs, cosapi.GroupItemsOptions{})
		return groupChunkMsg{run: run, list: l, from: from, items: items, failed: len(failed)}
	}
}

// toggleGrouping starts grouping the prefix, or stops it, or ungroups a grouped list.
func (m *Model) toggleGrouping() tea.Cmd {
	if g := m.grouping; g != nil {
		g.cancel()
		m.grouping = nil
		return m.setStatus(false, "grouping stopped")
	}
	key := m.cursorKey()
	if m.list.Grouped() {
		m.list.SetGroups(nil)
		m.follow(key)
		return m.setStatus(false, "ungrouped")
	}
	if !m.list.Complete() {
		return m.setStatus(false, "the listing is still arriving: group once it is complete")
	}
	var objs []cosapi.Object
	for _, it := range m.list.Images() {
		objs = append(objs, cosapi.Object{Key: it.Key, Size: it.Size, ETag: it.ETag, LastModified: it.Modified, StorageClass: it.StorageClass})
	}
	if len(objs) < 2 {
		return m.setStatus(false, "nothing to group here: fewer than two images")
	}
	ctx, cancel := context.WithCancel(m.ctx)
	run := &groupRun{list: m.list, objs: objs, items: make([]similar.Item, len(objs)), ctx: ctx, cancel: cancel}
	m.grouping = run
	return groupChunkCmd(m.opt.Backend, run, 0)
}

// onGroupChunk takes one step's fingerprints and asks for the next, or groups at the end.
func (m *Model) onGroupChunk(msg groupChunkMsg) tea.Cmd {
	run := m.grouping
	if run == nil || msg.run != run {
		return nil // stopped, or another run's
	}
	if msg.list != m.list || run.list != m.list {
		// The operator left the prefix: its grouping is not what the screen shows.
		run.cancel()
		m.grouping = nil
		return nil
	}
	copy(run.items[msg.from:], msg.items)
	run.failed += msg.failed
	run.done = msg.from + len(msg.items)
	if run.done < len(run.objs) && run.ctx.Err() == nil {
		return groupChunkCmd(m.opt.Backend, run, run.done)
	}
	run.cancel()
	m.grouping = nil
	// The best of a group is by the scores the list has now (unscored members rank last).
	unscored := 0
	for i := range run.items {
		if it := run.list.Item(run.items[i].Key); it != nil && it.State == model.Scored {
			run.items[i].Scored = true
			run.items[i].Clarity, run.items[i].Aesthetic = it.Scores.ClarityScore, it.Scores.AestheticScore
		} else {
			unscored++
		}
	}
	opt := m.opt.Groups
	if opt == (similar.Options{}) {
		opt = similar.DefaultOptions
	}
	found := similar.Find(run.items, opt)
	groups := make([]model.Group, 0, len(found))
	grouped := 0
	for _, g := range found {
		in := model.Group{Kind: g.Kind.String(), Why: g.Why}
		for _, i := range g.Members {
			in.Keys = append(in.Keys, run.items[i].Key)
		}
		grouped += len(in.Keys)
		groups = append(groups, in)
	}
	key := m.cursorKey()
	m.list.SetGroups(groups)
	m.follow(key)
	failed := ""
	if run.failed > 0 {
		failed = fmt.Sprintf("; %d could not be read", run.failed)
	}
	if unscored > 0 && len(groups) > 0 {
		failed += fmt.Sprintf("; %d not scored yet ranked last (= twice regroups)", unscored)
	}
	if len(groups) == 0 {
		return m.setStatus(run.failed > 0, "no near-duplicates or bursts among %d images%s", len(run.objs), failed)
	}
	noun := "groups"
	if len(groups) == 1 {
		noun = "group"
	}
	return m.setStatus(run.failed > 0, "%d %s of %d images, collapsed under their best (e expands, ctrl+k rejects the rest)%s",
		len(groups), noun, grouped, failed)
}

// groupProgress is the status line's part while grouping runs, "" otherwise.
func (m *Model) groupProgress() string {
	g := m.grouping
	if g == nil || g.list != m.list {
		return ""
	}
	filled, empty := bar(g.done*100/max(len(g.objs), 1), 8)
	return m.st.StatusKey.Render(fmt.Sprintf("grouping %d/%d ", g.done, len(g.objs))) + m.st.ScoreHigh.Render(filled) + m.st.BarEmpty.Render(empty)
}

// groupMembers are the items of the group the visible row is in, best first; nil when the
// row is in no group. Compare opens a group with these.
func (m *Model) groupMembers(row int) []*model.Item {
	it := m.list.At(row)
	if it == nil {
		return nil
	}
	return m.list.GroupMembers(it.Key)
}

// toggleFold expands or collapses the group under the cursor.
func (m *Model) toggleFold() tea.Cmd {
	key := m.cursorKey()
	if m.list.GroupMembers(key) == nil {
		return m.setStatus(false, "not in a group (= groups near-duplicates and bursts)")
	}
	if row := m.list.ToggleGroup(key); row >= 0 {
		m.cursor = row
	}
	m.clampCursor()
	return nil
}

// toggleFoldAll expands every group, or collapses them all when all are expanded.
func (m *Model) toggleFoldAll() tea.Cmd {
	if !m.list.Grouped() {
		return m.setStatus(false, "no groups here (= groups near-duplicates and bursts)")
	}
	key := m.cursorKey()
	if m.list.AllExpanded() {
		m.list.SetAllGroups(false)
		// The cursor goes to its group's best when its own row folds away.
		if ms := m.list.GroupMembers(key); ms != nil && m.list.IndexOfKey(key) < 0 {
			key = ms[0].Key
		}
	} else {
		m.list.SetAllGroups(true)
	}
	m.follow(key)
	return nil
}

// rejectRest marks every member but the best of the group under the cursor (or of every
// group with a marked member) for rejection: one tag batch, asked first, journaled and
// undone like any other.
func (m *Model) rejectRest() tea.Cmd {
	if m.opt.ReadOnly != "" {
		return m.readOnly()
	}
	var heads []string
	seen := map[string]bool{}
	var keys []string
	from := m.list.MarkedKeys()
	if len(from) == 0 {
		from = []string{m.cursorKey()}
	}
	for _, k := range from {
		ms := m.list.GroupMembers(k)
		if ms == nil || seen[ms[0].Key] {
			continue
		}
		seen[ms[0].Key] = true
		heads = append(heads, ms[0].Key)
		for _, it := range ms[1:] {
			keys = append(keys, it.Key)
		}
	}
	if len(keys) == 0 {
		return m.setStatus(false, "not in a group (= groups near-duplicates and bursts)")
	}
	set := []cosrules.Tag{{Key: FlagTag, Value: "reject"}}
	what := describeTags(set, nil)
	m.dialog = &dialog{
		title: fmt.Sprintf("Reject %d image(s), keeping the best of %d group(s)?", len(keys), len(heads)),
		lines: append(append(append([]string{"Kept (the best of each):"}, examples(heads, 3)...), "Rejected ("+what+"):"),
			append(examples(keys, 5), "", "u undoes it; the journal (J) records it.")...),
		confirm: func() tea.Cmd {
			return m.startJob(&job{kind: "tag", label: "reject the rest", keys: keys, set: set},
				func(ctx context.Context) (curation.Report, error) {
					return m.opt.Backend.SetTags(ctx, keys, set, nil)
				})
		},
	}
	return nil
}

// groupLabel goes before a grouped row's name: the best shows the group's size and kind
// (▸ collapsed, ▾ expanded), a member is indented under it.
func (m *Model) groupLabel(it *model.Item) string {
	info, ok := m.list.GroupOf(it.Key)
	if !ok {
		return ""
	}
	if !info.Best {
		return "  └ "
	}
	arrow := "▸"
	if info.Expanded {
		arrow = "▾"
	}
	kind := info.Kind
	if kind == "duplicate" {
		kind = "dup"
	}
	return fmt.Sprintf("%s%d %s ", arrow, info.Size, kind)
}

// groupDetail adds the detail pane's lines on the image's group: its kind and size, whether
// this is the best, and why the best was chosen (wrapped to the pane).
func (m *Model) groupDetail(it *model.Item, width int, field func(label, value string)) {
	info, ok := m.list.GroupOf(it.Key)
	if !ok {
		return
	}
	role := "this is the best"
	if ms := m.list.GroupMembers(it.Key); !info.Best && ms != nil {
		role = "best: " + ms[0].Name
	}
	field("", "")
	field("Group", fmt.Sprintf("%s, %d images; %s", info.Kind, info.Size, role))
	for i, l := range wrap(info.Why, max(width, 10)) {
		label := ""
		if i == 0 {
			label = "Why best"
		}
		field(label, l)
	}
}
