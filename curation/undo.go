package curation

import (
	"context"
	"fmt"
	"slices"

	"lightbox/cosapi"
	"lightbox/curation/journal"
)

// The steps of an undo, journaled as action "undo" with Note "step=…".
const (
	undoTags = "untag"  // put the tags back (TagsBefore → TagsAfter of the undo's record)
	undoCopy = "uncopy" // delete a promoted copy
	undoMove = "unmove" // move an object back from the trash or its promote destination
)

// Undo reverses the steps of a finished tag, promote or trash batch that succeeded, and
// only where nobody has changed the objects since: tags are restored only if they are still
// the ones the batch set, a promoted copy is deleted only if it still has the original's
// ETag, and an object is moved back (copy, verify, delete) only if its old key is free. A
// key changed since fails with "changed since; not undone". A hard delete cannot be undone.
func (e *Engine) Undo(ctx context.Context, batchID string) (Report, error) {
	const op = journal.ActionUndo
	if err := e.needJournal(op); err != nil {
		return Report{Action: op}, err
	}
	info, _, err := e.batchInfo(op, batchID)
	if err != nil {
		return Report{Action: op}, err
	}
	if err := undoable(info); err != nil {
		return Report{Action: op}, err
	}
	steps, err := e.j.Succeeded(batchID)
	if err != nil {
		return Report{Action: op}, journalError(op, err)
	}
	// Steps an earlier, partial undo already reversed are not reversed twice.
	done, err := e.undoneSteps(batchID)
	if err != nil {
		return Report{Action: op}, journalError(op, err)
	}
	steps = slices.DeleteFunc(steps, func(r journal.Record) bool { return done[stepID(r)] })

	type plan struct {
		rec journal.Record
		err error
	}
	plans := make([]plan, len(steps))
	home := e.c.Home()
	e.pool(ctx, len(steps), func(ctx context.Context, i int) {
		r := steps[i]
		u := journal.Record{Action: op, Phase: journal.PhaseIntent, Endpoint: r.Endpoint, Bucket: r.Bucket,
			Key: r.Key, DestBucket: r.DestBucket, DestKey: r.DestKey, Moved: r.Moved, Undoes: batchID}
		p := &plans[i]
		switch r.Action {
		case journal.ActionTag:
			u.Note = "step=" + undoTags
			cur, err := e.c.Tags(ctx, r.Key)
			switch {
			case err != nil:
				p.err = explain(op, r.Key, err, "could not read the tags; not undone")
			case !sameTags(cur, (r.TagsAfter)):
				p.err = &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: r.Key, Message: "the tags changed since; not undone"}
			}
			u.TagsBefore, u.TagsAfter = (cur), r.TagsBefore
		case journal.ActionPromote, journal.ActionTrash:
			etag, size, _ := objectFromNote(r.Note) // none: the step is refused when added
			what := objectNote(cosapi.Object{ETag: etag, Size: size})
			u.Note = "step=" + undoCopy + " " + what
			if r.Moved || r.Action == journal.ActionTrash {
				u.Note = "step=" + undoMove + " " + what
				// Never move an object back onto someone else's newer one.
				_, err := home.Stat(ctx, r.Key)
				switch {
				case cosapi.KindOf(err) == cosapi.KindNotFound:
				case err == nil:
					p.err = &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: r.Key, Message: "another object is at " + r.Key + " now; changed since; not undone"}
				default:
					p.err = explain(op, r.Key, err, "could not check the original key; not undone")
				}
			}
		}
		p.rec = u
	})
	if ctx.Err() != nil {
		err := &cosapi.Error{Kind: cosapi.KindCanceled, Op: op, Message: "canceled before anything was changed", Err: ctx.Err()}
		rep := Report{Action: op}
		for _, r := range steps {
			rep.Failed = append(rep.Failed, KeyResult{Key: r.Key, Dest: e.where(r.DestBucket, r.DestKey), Err: err})
		}
		return rep, err
	}
	b := e.newBatch(op)
	for _, p := range plans {
		b.add(p.rec, p.err)
	}
	return e.runBatch(ctx, b)
}

// UndoLast undoes the most recent batch made on this bucket that no undo has yet set out to
// reverse, provided it can be: a hard delete cannot, and an interrupted batch must be resumed
// first. Rather than quietly reaching past such a batch to an older one, it says so
// (Undo names an older batch explicitly). Batches that changed nothing are passed over.
func (e *Engine) UndoLast(ctx context.Context) (Report, error) {
	const op = journal.ActionUndo
	if err := e.needJournal(op); err != nil {
		return Report{Action: op}, err
	}
	all, _, err := e.batches()
	if err != nil {
		return Report{Action: op}, journalError(op, err)
	}
	for _, b := range slices.Backward(all) {
		if b.endpoint != e.c.Endpoint() || b.bucket != e.c.Bucket() {
			continue
		}
		if b.Action == journal.ActionUndo && !b.Complete {
			return Report{Action: op}, &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Message: fmt.Sprintf("undo batch %s was interrupted; resume it first", b.ID)}
		}
		if b.Action == journal.ActionUndo || b.UndoneBy != "" || (b.Complete && b.Done == 0) {
			continue
		}
		if err := undoable(b); err != nil {
			return Report{Action: op}, err
		}
		return e.Undo(ctx, b.ID)
	}
	return Report{Action: op}, &cosapi.Error{Kind: cosapi.KindNotFound, Op: op, Message: "nothing to undo on this bucket"}
}

// undoable says why a batch cannot be undone, if it cannot.
func undoable(b batchSummary) error {
	refuse := func(format string, args ...any) error {
		return &cosapi.Error{Kind: cosapi.KindInvalid, Op: journal.ActionUndo, Message: fmt.Sprintf(format, args...)}
	}
	switch b.Action {
	case journal.ActionTag, journal.ActionPromote, journal.ActionTrash:
	case journal.ActionDelete:
		return refuse("batch %s was a hard delete, which cannot be undone: the objects are gone", b.ID)
	case journal.ActionUndo:
		return refuse("batch %s is itself an undo; it cannot be undone", b.ID)
	default:
		return refuse("batch %s (%s) cannot be undone", b.ID, b.Action)
	}
	switch {
	case !b.Complete:
		return refuse("batch %s was interrupted (%d of %d steps unanswered); resume it first", b.ID, b.Intents-b.Done-b.Failed, b.Intents)
	case b.Undone:
		return refuse("batch %s was already undone (by %s)", b.ID, b.UndoneBy)
	}
	return nil
}

// stepID identifies a step of a batch across the batch and its undos.
type stepKey struct{ key, destBucket, destKey string }

func stepID(r journal.Record) stepKey { return stepKey{r.Key, r.DestBucket, r.DestKey} }

// undoneSteps are the steps of batch that an undo has already reversed.
func (e *Engine) undoneSteps(batchID string) (map[stepKey]bool, error) {
	all, err := e.j.Batches()
	if err != nil {
		return nil, err
	}
	out := map[stepKey]bool{}
	for _, b := range all {
		if b.Undoes != batchID {
			continue
		}
		done, err := e.j.Succeeded(b.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range done {
			out[stepID(r)] = true
		}
	}
	return out, nil
}
