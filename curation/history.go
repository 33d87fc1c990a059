package curation

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"lightbox/cosapi"
	"lightbox/curation/journal"
	"lightbox/internal/cosrules"
)

// BatchInfo is a journal batch as the journal view and `lightbox journal` show it.
//
// Its counts are of each step's latest attempt: a step cancelled and then resumed counts
// once, as the resumed attempt ended (the journal's own summary counts both).
type BatchInfo struct {
	journal.BatchSummary
	Endpoint, Bucket string // where it was made (its first record's)
	Prefix           string // the longest common folder of its keys ("" = the bucket's root)
	Canceled         int    // steps stopped by a cancel and not resumed since (counted in Failed too)
	Pending          int    // intents with no outcome: the process died during the batch
	// Interrupted is Canceled+Pending > 0 and no undo has rolled the batch back: it can be
	// resumed, or rolled back with Undo.
	Interrupted bool
	Mine        bool  // made on the engine's endpoint and bucket
	Undoable    error // nil when Undo can reverse it (roll it back, if interrupted); else why not
	// (An engine without a client, as `lightbox journal` makes, judges Undoable by the
	// journal alone: undoing still needs an engine on the batch's bucket.)
}

// State is one word for the batch: "undone", "interrupted", "failed" (some steps failed
// for good) or "complete".
func (b BatchInfo) State() string {
	switch {
	case b.Undone:
		return "undone"
	case b.Interrupted:
		return "interrupted"
	case b.Failed > b.Canceled:
		return "failed"
	}
	return "complete"
}

// History lists every batch the journal holds, oldest first, with what the journal view
// needs to filter, show and act on it. Without a journal it is empty.
func (e *Engine) History() ([]BatchInfo, error) {
	if e.j == nil {
		return nil, nil
	}
	all, _, err := e.history()
	return all, err
}

// history is History and the journal's records it was made from.
func (e *Engine) history() ([]BatchInfo, []journal.Record, error) {
	sums, err := e.j.Batches()
	if err != nil {
		return nil, nil, err
	}
	recs, err := e.j.Records()
	if err != nil {
		return nil, nil, err
	}
	steps, err := e.j.Steps("")
	if err != nil {
		return nil, nil, err
	}
	type facts struct {
		first             journal.Record
		seen              bool
		canceled, pending int
		superseded        int // attempts answered "canceled" that a resume took up again
	}
	by := map[string]*facts{}
	get := func(batch string) *facts {
		f, ok := by[batch]
		if !ok {
			f = &facts{}
			by[batch] = f
		}
		return f
	}
	for _, r := range recs {
		f := get(r.Batch)
		if !f.seen {
			f.first, f.seen = r, true
		}
	}
	for _, s := range steps {
		f := get(s.Intent.Batch)
		if s.Outcome == nil {
			f.pending++
		}
	}
	for _, s := range steps {
		if n, err := strconv.ParseInt(noteField(s.Intent.Note, "resumes"), 10, 64); err == nil && n > 0 {
			get(s.Intent.Batch).superseded++
		}
	}
	for _, in := range canceledSteps(recs) {
		get(in.Batch).canceled++
	}
	keys := map[string][]string{}
	for _, s := range steps {
		keys[s.Intent.Batch] = append(keys[s.Intent.Batch], s.Intent.Key)
	}
	out := make([]BatchInfo, len(sums))
	for i, s := range sums {
		f := get(s.ID)
		s.Intents -= f.superseded
		s.Failed -= f.superseded
		b := BatchInfo{BatchSummary: s, Endpoint: f.first.Endpoint, Bucket: f.first.Bucket,
			Prefix: commonFolder(keys[s.ID]), Canceled: f.canceled, Pending: f.pending}
		b.Interrupted = b.Canceled+b.Pending > 0 && !b.Undone
		b.Mine = e.c != nil && b.Endpoint == e.c.Endpoint() && b.Bucket == e.c.Bucket()
		b.Undoable = undoable(b)
		if b.Undoable == nil && !b.Mine && e.c != nil {
			b.Undoable = &cosapi.Error{Kind: cosapi.KindInvalid, Op: journal.ActionUndo, Message: fmt.Sprintf("batch %s was made on bucket %s at %s; open that target to undo it", b.ID, b.Bucket, b.Endpoint)}
		}
		out[i] = b
	}
	return out, recs, nil
}

// commonFolder is the longest folder ("a/b/") every key is in.
func commonFolder(keys []string) string {
	if len(keys) == 0 {
		return ""
	}
	p := keys[0]
	for _, k := range keys[1:] {
		n := 0
		for n < len(p) && n < len(k) && p[n] == k[n] {
			n++
		}
		p = p[:n]
	}
	return p[:strings.LastIndex(p, "/")+1]
}

// StepInfo is one key's step of a batch, for the journal's detail view.
type StepInfo struct {
	Key        string
	Dest       string // the trash or promote key ("cos://BUCKET/KEY" in another bucket); "" for tags
	Phase      string // "done", "failed", "canceled" or "pending"
	Err        string // why it failed
	TagsBefore []cosrules.Tag
	TagsAfter  []cosrules.Tag
}

// Steps lists a batch's steps in the order they were journaled. A step that was cancelled
// and then resumed is listed once, as its latest attempt.
func (e *Engine) Steps(batch string) ([]StepInfo, error) {
	const op = "journal"
	if err := e.needJournal(op); err != nil {
		return nil, err
	}
	steps, err := e.j.Steps(batch)
	if err != nil {
		return nil, journalError(op, err)
	}
	if len(steps) == 0 {
		return nil, &cosapi.Error{Kind: cosapi.KindNotFound, Op: op, Message: fmt.Sprintf("no batch %q in the journal %s", batch, e.j.Path())}
	}
	resumed := map[int64]bool{}
	for _, s := range steps {
		if n, err := strconv.ParseInt(noteField(s.Intent.Note, "resumes"), 10, 64); err == nil {
			resumed[n] = true
		}
	}
	var out []StepInfo
	for _, s := range steps {
		in := s.Intent
		if resumed[in.Seq] {
			continue
		}
		si := StepInfo{Key: in.Key, TagsBefore: in.TagsBefore, TagsAfter: in.TagsAfter, Phase: "pending"}
		if in.DestKey != "" {
			si.Dest = in.DestKey
			if in.DestBucket != "" && in.DestBucket != in.Bucket {
				si.Dest = "cos://" + in.DestBucket + "/" + in.DestKey
			}
		}
		if o := s.Outcome; o != nil {
			si.Phase, si.Err = o.Phase, o.Err
			if o.Phase == journal.PhaseFailed && o.Note == noteCanceled {
				si.Phase = "canceled"
			}
		}
		out = append(out, si)
	}
	return out, nil
}

// TrashEntry is one object in the soft-delete trash.
type TrashEntry struct {
	Key      string // its key in the trash (trash_prefix + Original)
	Original string // where it was, and where Restore puts it back
	Size     int64
	Batch    string    // the trash batch that put it there ("" when the journal does not say)
	Trashed  time.Time // when ("" time when the journal does not say)
}

// Trash lists the trash (every object under [curation] trash_prefix), newest first; the
// journal's trash steps on this bucket say which batch put each there, and when.
func (e *Engine) Trash(ctx context.Context) ([]TrashEntry, error) {
	const op = "trash"
	prefix := e.cfg.TrashPrefix
	if prefix == "" {
		return nil, &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Message: "there is no trash: [curation] hard_delete is on and trash_prefix is empty"}
	}
	type origin struct {
		batch string
		when  time.Time
	}
	from := map[string]origin{}
	if e.j != nil {
		steps, err := e.j.Steps("")
		if err != nil {
			return nil, journalError(op, err)
		}
		for _, s := range steps {
			in := s.Intent
			if in.Action != journal.ActionTrash || s.Outcome == nil || s.Outcome.Phase != journal.PhaseDone ||
				in.Endpoint != e.c.Endpoint() || in.Bucket != e.c.Bucket() || cmp.Or(in.DestBucket, in.Bucket) != e.c.Bucket() {
				continue
			}
			from[in.DestKey] = origin{in.Batch, s.Outcome.Time} // the latest wins
		}
	}
	var out []TrashEntry
	err := e.c.List(ctx, prefix, true, func(p cosapi.Page) error {
		for _, o := range p.Objects {
			if o.Key == prefix || strings.HasSuffix(o.Key, "/") {
				continue // a folder marker, not a trashed object
			}
			t := TrashEntry{Key: o.Key, Original: strings.TrimPrefix(o.Key, prefix), Size: o.Size}
			if f, ok := from[o.Key]; ok {
				t.Batch, t.Trashed = f.batch, f.when
			}
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b TrashEntry) int {
		return cmp.Or(b.Trashed.Compare(a.Trashed), strings.Compare(a.Key, b.Key))
	})
	return out, nil
}

// Restore moves trash keys back to their original keys, never onto an object that is there
// now; a journaled batch that Undo can reverse (by moving them back into the trash).
func (e *Engine) Restore(ctx context.Context, trashKeys []string) (Report, error) {
	const op = journal.ActionRestore
	keys := distinct(trashKeys)
	if err := e.needJournal(op); err != nil {
		return refuseAll(op, keys, err), err
	}
	prefix := e.cfg.TrashPrefix
	heads, err := e.headAll(ctx, op, keys, func(k string) error {
		if prefix == "" || !strings.HasPrefix(k, prefix) || k == prefix {
			return &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: k, Message: fmt.Sprintf("not in the trash (%q)", prefix)}
		}
		return nil
	})
	if err != nil {
		return refuseAll(op, keys, err), err
	}
	b := e.newBatch(op)
	for i, k := range keys {
		// Key is where the object goes back to, DestKey where it is now: as an undo's unmove.
		r := e.intent(op, strings.TrimPrefix(k, prefix))
		r.DestBucket, r.DestKey, r.Moved = e.c.Bucket(), k, true
		r.Note = objectNote(heads[i].obj)
		b.add(r, heads[i].err)
	}
	rep, err := e.runBatch(ctx, b)
	return rep, err
}

// EmptyTrash deletes trash keys for good (a journaled hard delete: it cannot be undone).
func (e *Engine) EmptyTrash(ctx context.Context, trashKeys []string) (Report, error) {
	const op = journal.ActionDelete
	keys := distinct(trashKeys)
	if err := e.needJournal(op); err != nil {
		return refuseAll(op, keys, err), err
	}
	prefix := e.cfg.TrashPrefix
	b := e.newBatch(op)
	for _, k := range keys {
		refused := cosapi.CheckKey(op, k)
		if refused == nil && (prefix == "" || !strings.HasPrefix(k, prefix)) {
			refused = &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: k, Message: fmt.Sprintf("not in the trash (%q); not deleted", prefix)}
		}
		b.add(e.intent(op, k), refused)
	}
	return e.runBatch(ctx, b)
}
