package ui

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"lightbox/config"
	"lightbox/curation"
	"lightbox/internal/cosrules"
	"lightbox/keymap"
	"lightbox/model"
)

// FlagTag is the tag key that P, X and U set and clear: pick and reject live on the objects
// themselves, so other reviewers and other tools see them.
const FlagTag = model.FlagTag

// job is the one batch running in the background; the list stays usable meanwhile.
type job struct {
	id          int
	kind        string // tag, delete, promote, undo
	label       string
	keys        []string
	set         []cosrules.Tag
	remove      []string
	done, total int
	cancel      context.CancelFunc
	progress    chan [2]int
	then        func() tea.Cmd // the batch that follows this one's success (compare's rejects)
}

type jobProgressMsg struct{ id, done, total int }

type jobDoneMsg struct {
	id  int
	rep curation.Report
	err error
}

func itoa(n int) string { return strconv.Itoa(n) }

// noQuickTag says why a digit did nothing.
func noQuickTag(slot string) string {
	return "no quick tag on " + slot + ": set one in [quick_tags] of the config, such as " + slot + " = \"review=keep\""
}

// targets are the marked images, or the image under the cursor when nothing is marked.
func (m *Model) targets() []string {
	// The loupe decides about the image it shows, as Lightroom's and Photo Mechanic's do;
	// marks made there are for the list.
	if keys := m.list.MarkedKeys(); len(keys) > 0 && !m.lp.open {
		return keys
	}
	if it := m.list.At(m.cursor); it != nil && !it.IsPrefix {
		return []string{it.Key}
	}
	return nil
}

// changes reports whether a lets the operator change the bucket.
func changes(a keymap.Action) bool {
	if _, ok := a.QuickTagSlot(); ok {
		return true
	}
	switch a {
	case keymap.ActionPick, keymap.ActionReject, keymap.ActionUnflag, keymap.ActionTag,
		keymap.ActionPromote, keymap.ActionDelete, keymap.ActionUndo:
		return true
	}
	return false
}

// readOnly says, for a key that would change a read-only target, why it cannot.
func (m *Model) readOnly() tea.Cmd {
	return m.setStatus(true, "read-only: %s; pick, reject, tags, promote, delete and undo are unavailable", m.opt.ReadOnly)
}

// act handles the curation keys.
func (m *Model) act(a keymap.Action) tea.Cmd {
	if m.opt.ReadOnly != "" && changes(a) {
		return m.readOnly()
	}
	if slot, ok := a.QuickTagSlot(); ok {
		t, ok := m.opt.QuickTags[itoa(slot)]
		if !ok {
			return m.setStatus(false, "%s", noQuickTag(itoa(slot)))
		}
		return m.tagTargets([]cosrules.Tag{{Key: t.Key, Value: t.Value}}, nil)
	}
	switch a {
	case keymap.ActionPick:
		return m.tagTargets([]cosrules.Tag{{Key: FlagTag, Value: "pick"}}, nil)
	case keymap.ActionReject:
		return m.tagTargets([]cosrules.Tag{{Key: FlagTag, Value: "reject"}}, nil)
	case keymap.ActionUnflag:
		return m.tagTargets(nil, []string{FlagTag})
	case keymap.ActionTag:
		if len(m.targets()) == 0 {
			return m.setStatus(false, "nothing to tag here")
		}
		m.mode = modeTag
		m.input.SetValue("")
		m.input.ShowSuggestions = true
		m.input.SetSuggestions(m.knownTags())
		return m.input.Focus()
	case keymap.ActionPromote:
		return m.askPromote()
	case keymap.ActionDelete:
		return m.askDelete()
	case keymap.ActionUndo:
		return m.askUndo()
	case keymap.ActionJournal:
		return m.openJournal()
	case keymap.ActionTrash:
		return m.openTrash()
	case keymap.ActionExternal:
		return m.openExternal()
	}
	return nil
}

// tagTargets tags (or untags) the targets: at once for the image under the cursor (undo
// reverses it), after a confirmation for a marked set.
func (m *Model) tagTargets(set []cosrules.Tag, remove []string) tea.Cmd {
	keys := m.targets()
	if len(keys) == 0 {
		return m.setStatus(false, "nothing to tag here")
	}
	what := describeTags(set, remove)
	run := func() tea.Cmd { return m.tagJob(keys, set, remove, nil) }
	if len(keys) == 1 {
		return run()
	}
	m.dialog = &dialog{
		title:   fmt.Sprintf("%s on %d images?", what, len(keys)),
		lines:   append([]string{"These images:"}, append(examples(keys, 5), "", "u undoes it; the journal (J) records it.")...),
		confirm: run,
	}
	return nil
}

// tagJob is the tag batch on keys; then, if set, starts when it has succeeded.
func (m *Model) tagJob(keys []string, set []cosrules.Tag, remove []string, then func() tea.Cmd) tea.Cmd {
	return m.startJob(&job{kind: "tag", label: describeTags(set, remove), keys: keys, set: set, remove: remove, then: then},
		func(ctx context.Context) (curation.Report, error) {
			return m.opt.Backend.SetTags(ctx, keys, set, remove)
		})
}

func describeTags(set []cosrules.Tag, remove []string) string {
	var parts []string
	for _, t := range set {
		parts = append(parts, "tag "+t.Key+"="+t.Value)
	}
	for _, k := range remove {
		parts = append(parts, "remove tag "+k)
	}
	return strings.Join(parts, ", ")
}

// knownTags completes the tag prompt: tags already seen in this session, quick tags and
// the pick/reject flags.
func (m *Model) knownTags() []string {
	seen := map[string]bool{FlagTag + "=pick": true, FlagTag + "=reject": true}
	for _, t := range m.opt.QuickTags {
		seen[t.Key+"="+t.Value] = true
	}
	for i := range m.list.Total() {
		if it := m.list.At(i); it != nil {
			for _, t := range it.Tags {
				seen[t.Key+"="+t.Value] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// submitTag reads "key=value" (add or replace) or "-key" (remove) from the prompt.
func (m *Model) submitTag(text string) tea.Cmd {
	text = strings.TrimSpace(text)
	if k, ok := strings.CutPrefix(text, "-"); ok && k != "" && !strings.Contains(k, "=") {
		return m.tagTargets(nil, []string{k})
	}
	k, v, ok := strings.Cut(text, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return m.setStatus(true, "a tag is key=value (or -key to remove one), not %q", text)
	}
	return m.tagTargets([]cosrules.Tag{{Key: strings.TrimSpace(k), Value: strings.TrimSpace(v)}}, nil)
}

func (m *Model) askPromote() tea.Cmd {
	keys := m.targets()
	if len(keys) == 0 {
		return m.setStatus(false, "nothing to promote here")
	}
	cur := m.opt.Curation
	if cur.PromoteTo == "" {
		return m.setStatus(true, "promote needs a destination: set promote_to in [curation] of the config")
	}
	bucket, prefix, err := config.ParsePromoteTo(cur.PromoteTo)
	if err != nil {
		return m.setStatus(true, "promote_to: %v", err)
	}
	where := prefix
	if bucket != "" {
		where = "cos://" + bucket + "/" + prefix
	}
	verb, after := "Copy", "The originals stay where they are."
	if cur.PromoteMode == "move" {
		verb, after = "Move", "Each original is deleted only after its copy is verified (size and ETag)."
	}
	m.dialog = &dialog{
		title: fmt.Sprintf("%s %d image(s) to %s?", verb, len(keys), where),
		lines: append(examples(keys, 5), "", "Each goes to "+where+"<key>. "+after, "u undoes it; the journal (J) records it."),
		confirm: func() tea.Cmd {
			return m.startJob(&job{kind: "promote", label: "promote", keys: keys}, m.runner(keys, "promote"))
		},
	}
	return nil
}

func (m *Model) askDelete() tea.Cmd {
	keys := m.targets()
	if len(keys) == 0 {
		return m.setStatus(false, "nothing to delete here")
	}
	cur := m.opt.Curation
	d := &dialog{confirm: func() tea.Cmd {
		return m.startJob(&job{kind: "delete", label: "delete", keys: keys}, m.runner(keys, "delete"))
	}}
	if cur.HardDelete {
		d.danger = true
		d.title = fmt.Sprintf("PERMANENTLY delete %d image(s)?", len(keys))
		d.lines = append(examples(keys, 5), "", "hard_delete is on in [curation]: this cannot be undone.")
	} else {
		d.title = fmt.Sprintf("Delete %d image(s)? They move to %s", len(keys), cur.TrashPrefix)
		d.lines = append(examples(keys, 5), "", "Soft delete: each image moves to "+cur.TrashPrefix+"<key>, verified before the original goes.", "u brings them back; the journal (J) records it.")
	}
	m.dialog = d
	return nil
}

func (m *Model) askUndo() tea.Cmd {
	m.dialog = &dialog{
		title:   "Undo the last change to this bucket?",
		lines:   []string{"The last tag, promote or delete batch (see J) is reversed, unless the objects changed since."},
		confirm: func() tea.Cmd { return m.startJob(&job{kind: "undo", label: "undo"}, m.opt.Backend.UndoLast) },
	}
	return nil
}

func (m *Model) runner(keys []string, kind string) func(context.Context) (curation.Report, error) {
	return func(ctx context.Context) (curation.Report, error) {
		if kind == "promote" {
			return m.opt.Backend.Promote(ctx, keys)
		}
		return m.opt.Backend.Delete(ctx, keys)
	}
}

// startJob runs one batch in the background, reporting progress as it goes.
func (m *Model) startJob(j *job, run func(context.Context) (curation.Report, error)) tea.Cmd {
	if m.job != nil {
		return m.setStatus(true, "%s is still running: wait for it to finish", m.job.label)
	}
	m.jobSeq++
	j.id = m.jobSeq
	if j.total == 0 {
		j.total = len(j.keys)
	}
	ctx, cancel := context.WithCancel(m.ctx)
	j.cancel = cancel
	m.job = j
	progress := make(chan [2]int, 1)
	j.progress = progress
	ctx = curation.WithProgress(ctx, func(done, total int) {
		select {
		case <-progress: // keep only the newest
		default:
		}
		progress <- [2]int{done, total}
	})
	id := j.id
	work := func() tea.Msg {
		rep, err := run(ctx)
		close(progress)
		cancel()
		return jobDoneMsg{id: id, rep: rep, err: err}
	}
	return tea.Batch(work, waitProgress(id, progress))
}

func waitProgress(id int, ch chan [2]int) tea.Cmd {
	return func() tea.Msg {
		v, ok := <-ch
		if !ok {
			return nil
		}
		return jobProgressMsg{id: id, done: v[0], total: v[1]}
	}
}

// onJobDone applies a finished batch to the list and reports it.
func (m *Model) onJobDone(msg jobDoneMsg) tea.Cmd {
	j := m.job
	if j == nil || j.id != msg.id {
		return nil
	}
	m.job = nil
	m.lastReport = &msg.rep
	done := make([]string, 0, len(msg.rep.Done))
	for _, r := range msg.rep.Done {
		done = append(done, r.Key)
	}
	key := m.cursorKey()
	var cmds []tea.Cmd
	switch j.kind {
	case "tag":
		// Every row the batch touched shows its new tags (and verdict) at once.
		for _, k := range done {
			it := m.list.Item(k)
			if it == nil {
				continue
			}
			known := it.Tags
			if known == nil {
				known = m.tagCache[tagID(k, it.ETag)]
			}
			if known != nil {
				tags := mergeLocal(known, j.set, j.remove)
				m.list.SetTags(k, tags)
				m.rememberTags(k, it.ETag, tags)
				m.tagGen[tagID(k, it.ETag)]++ // a read in flight answers for before
			} else {
				m.forgetTags(m.list, k) // unknown before: read them now, screen first
			}
		}
		cmds = append(cmds, m.tagPump())
		if filtersByTags(m.list) {
			cmds = append(cmds, m.resortSoon(m.list))
		}
	case "delete":
		m.list.Remove(key, done...)
		m.list.ClearMarks()
	case "promote":
		if m.opt.Curation.PromoteMode == "move" {
			m.list.Remove(key, done...)
		}
		m.list.ClearMarks()
	case "undo", "restore":
		// An undo of tags leaves ETags as they were: forget those keys' cached tags.
		m.forgetTags(m.list, done...)
		m.list = m.sess.Reload()
		clear(m.rows)
	}
	m.follow(key)
	if j.kind == "undo" || j.kind == "restore" {
		cmds = append(cmds, m.startListing(m.list))
	}
	switch m.mode {
	case modeTrash:
		cmds = append(cmds, readTrash(m.ctx, m.opt.Backend))
	case modeJournal:
		cmds = append(cmds, readJournal(m.opt.Backend, true))
	default:
		cmds = append(cmds, readJournal(m.opt.Backend, false)) // keep J current; says if one is left interrupted
	}
	summary := msg.rep.Summary()
	switch {
	case msg.err != nil:
		cmds = append(cmds, m.setStatus(true, "%s: %s", summary, reason(msg.err)))
	case len(msg.rep.Failed) > 0:
		cmds = append(cmds, m.setStatus(true, "%s; first failure: %s (J shows the journal)", summary, reason(msg.rep.Failed[0].Err)))
	default:
		cmds = append(cmds, m.setStatus(false, "%s", summary))
	}
	if j.then != nil && msg.err == nil && len(msg.rep.Failed) == 0 {
		cmds = append(cmds, j.then())
	}
	if m.quitAfterJob == j.id {
		m.quitAfterJob = 0
		cmds = append(cmds, m.exit())
	}
	return tea.Batch(cmds...)
}

// mergeLocal applies a tag change to the tags the list knows, as the bucket did.
func mergeLocal(tags []cosrules.Tag, set []cosrules.Tag, remove []string) []cosrules.Tag {
	out := slices.Clone(tags)
	for _, s := range set {
		if i := slices.IndexFunc(out, func(t cosrules.Tag) bool { return t.Key == s.Key }); i >= 0 {
			out[i].Value = s.Value
		} else {
			out = append(out, cosrules.Tag{Key: s.Key, Value: s.Value})
		}
	}
	return slices.DeleteFunc(out, func(t cosrules.Tag) bool { return slices.Contains(remove, t.Key) })
}

// quit leaves at once, or asks first while a batch is running: its steps so far are in the
// journal either way, and resume finishes it.
func (m *Model) quit() tea.Cmd {
	if m.job == nil {
		return m.exit()
	}
	j := m.job
	m.dialog = &dialog{
		title: fmt.Sprintf("%s is running (%d/%d). Stop it and quit?", j.label, j.done, j.total),
		lines: []string{"The batch is cancelled; every step done or not done is written to the journal before lightbox exits, so nothing is left half-applied without a record. J resumes or rolls it back later."},
		confirm: func() tea.Cmd {
			if m.job != j {
				// It ended while the question was open: nothing left to stop.
				return m.exit()
			}
			m.quitAfterJob = j.id
			j.cancel()
			// A batch that ignores the cancel must not keep the program open: its intents are
			// journaled, so what it did not answer shows as pending and can be resumed.
			id := j.id
			return tea.Batch(m.setStatus(false, "stopping %s…", j.label),
				m.after(quitGrace, func(time.Time) tea.Msg { return quitDeadlineMsg{job: id} }))
		},
	}
	return nil
}

// quitGrace is how long a cancelled batch gets to journal its outcome before quitting
// anyway.
const quitGrace = 10 * time.Second

// quitDeadlineMsg ends the program if the batch it waited for is still running.
type quitDeadlineMsg struct{ job int }

func (m *Model) onQuitDeadline(msg quitDeadlineMsg) tea.Cmd {
	if m.quitAfterJob == 0 || m.quitAfterJob != msg.job || m.job == nil || m.job.id != msg.job {
		return nil // the batch ended (and quit) or the quit was for another batch
	}
	return m.exit()
}

// exit removes what the reviewer left on disk (the external viewer's files) and quits.
func (m *Model) exit() tea.Cmd {
	files := m.tempFiles
	m.tempFiles = nil
	return tea.Sequence(func() tea.Msg {
		for _, f := range files {
			_ = os.Remove(f) // a leftover temp file is harmless
		}
		return nil
	}, tea.Quit)
}

// Cleanup removes the external viewer's files; the program calls it after Run, for exits
// that bypass quit (a signal).
func (m *Model) Cleanup() {
	for _, f := range m.tempFiles {
		_ = os.Remove(f)
	}
	m.tempFiles = nil
}

// waitProgressAgain keeps listening to the running job's progress. The channel lives in
// the Cmd that started the job; a fresh wait is issued from the job itself.
func waitProgressAgain(m *Model) tea.Cmd {
	if m.job == nil || m.job.progress == nil {
		return nil
	}
	return waitProgress(m.job.id, m.job.progress)
}
