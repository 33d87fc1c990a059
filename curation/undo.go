package curation

import (
	"cmp"
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
	// undoRestore moves a restored object back into the trash.
	undoRestore = "unrestore"
	// undoCopyBack deletes the copy an interrupted restore left at the original key.
	undoCopyBack = "uncopyback"
)

// Undo reverses the steps of a tag, promote, trash or restore batch that succeeded, and
// only where nobody has changed the objects since: tags are restored only if they are still
// the ones the batch set, a promoted copy is deleted only if it still has the original's
// ETag, and an object is moved back (copy, verify, delete) only if its old key is free. A
// key changed since fails with "changed since; not undone". A hard delete cannot be undone.
//
// An interrupted batch (cancelled, or its process died) is rolled back: besides its steps
// that succeeded, what its other steps may have left is taken back too. A copy still
// matching the recorded ETag and size is deleted (or, if the original is gone, moved back),
// and tags that are the batch's new ones are put back. Afterwards the batch is no longer
// interrupted, and Resume refuses it.
func (e *Engine) Undo(ctx context.Context, batchID string) (Report, error) {
	const op = journal.ActionUndo
	if err := e.needJournal(op); err != nil {
		return Report{Action: op}, err
	}
	info, recs, err := e.batchInfo(op, batchID)
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
	pending, err := e.j.Pending(batchID)
	if err != nil {
		return Report{Action: op}, journalError(op, err)
	}
	loose := slices.Concat(pending, canceledSteps(recs))
	// Steps an earlier, partial undo already reversed are not reversed twice.
	done, err := e.undoneSteps(batchID)
	if err != nil {
		return Report{Action: op}, journalError(op, err)
	}
	steps = slices.DeleteFunc(steps, func(r journal.Record) bool { return done[stepID(r)] })
	loose = slices.DeleteFunc(loose, func(r journal.Record) bool { return done[stepID(r)] })

	type plan struct {
		rec  journal.Record
		err  error
		skip bool // nothing of this batch's is left to take back
	}
	all := slices.Concat(steps, loose)
	plans := make([]plan, len(all))
	e.pool(ctx, len(all), func(ctx context.Context, i int) {
		r, p := all[i], &plans[i]
		if i < len(steps) {
			p.rec, p.err = e.planReverse(ctx, batchID, r)
		} else {
			p.rec, p.err, p.skip = e.planRollback(ctx, batchID, r)
		}
	})
	if ctx.Err() != nil {
		err := &cosapi.Error{Kind: cosapi.KindCanceled, Op: op, Message: "canceled before anything was changed", Err: ctx.Err()}
		rep := Report{Action: op}
		for _, r := range all {
			rep.Failed = append(rep.Failed, KeyResult{Key: r.Key, Dest: e.where(r.DestBucket, r.DestKey), Err: err})
		}
		return rep, err
	}
	b := e.newBatch(op)
	for _, p := range plans {
		if !p.skip {
			b.add(p.rec, p.err)
		}
	}
	return e.runBatch(ctx, b)
}

// undoRecord is the intent of the undo step of r.
func undoRecord(batchID string, r journal.Record, step string) journal.Record {
	u := journal.Record{Action: journal.ActionUndo, Phase: journal.PhaseIntent, Endpoint: r.Endpoint, Bucket: r.Bucket,
		Key: r.Key, DestBucket: r.DestBucket, DestKey: r.DestKey, Moved: r.Moved, Undoes: batchID, Note: "step=" + step}
	if etag, size, ok := objectFromNote(r.Note); ok { // none: the step is refused when added
		u.Note += " " + objectNote(cosapi.Object{ETag: etag, Size: size})
	}
	return u
}

// planReverse plans the undo of a step that succeeded.
func (e *Engine) planReverse(ctx context.Context, batchID string, r journal.Record) (journal.Record, error) {
	const op = journal.ActionUndo
	home := e.c.Home()
	// free refuses to move an object back onto someone else's newer one.
	free := func(ref *cosapi.BucketRef, key string) error {
		_, err := ref.Stat(ctx, key)
		switch {
		case cosapi.KindOf(err) == cosapi.KindNotFound:
			return nil
		case err == nil:
			return &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: r.Key, Message: "another object is at " + e.where(ref.Name(), key) + " now; changed since; not undone"}
		default:
			return explain(op, r.Key, err, "could not check "+e.where(ref.Name(), key)+"; not undone")
		}
	}
	switch r.Action {
	case journal.ActionTag:
		u := undoRecord(batchID, r, undoTags)
		cur, err := e.c.Tags(ctx, r.Key)
		switch {
		case err != nil:
			err = explain(op, r.Key, err, "could not read the tags; not undone")
		case !sameTags(cur, r.TagsAfter):
			err = &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: r.Key, Message: "the tags changed since; not undone"}
		}
		u.TagsBefore, u.TagsAfter = cur, r.TagsBefore
		return u, err
	case journal.ActionRestore:
		return undoRecord(batchID, r, undoRestore), free(e.c.Other(cmp.Or(r.DestBucket, e.c.Bucket())), r.DestKey)
	case journal.ActionPromote, journal.ActionTrash:
		if r.Moved || r.Action == journal.ActionTrash {
			return undoRecord(batchID, r, undoMove), free(home, r.Key)
		}
		return undoRecord(batchID, r, undoCopy), nil
	}
	return undoRecord(batchID, r, ""), nil // refused when added
}

// planRollback plans taking back what a step that was cancelled or cut short may have left:
// skip when nothing of the batch's is there.
func (e *Engine) planRollback(ctx context.Context, batchID string, r journal.Record) (journal.Record, error, bool) {
	const op = journal.ActionUndo
	switch r.Action {
	case journal.ActionTag:
		cur, err := e.c.Tags(ctx, r.Key)
		if err != nil {
			return journal.Record{}, explain(op, r.Key, err, "could not read the tags; not undone"), false
		}
		if !sameTags(cur, r.TagsAfter) || sameTags(cur, r.TagsBefore) {
			return journal.Record{}, nil, true // never written, or someone else's since
		}
		u := undoRecord(batchID, r, undoTags)
		u.TagsBefore, u.TagsAfter = cur, r.TagsBefore
		return u, nil, false
	case journal.ActionPromote, journal.ActionTrash, journal.ActionRestore:
	default:
		return journal.Record{}, nil, true
	}
	etag, size, ok := objectFromNote(r.Note)
	if !ok {
		return undoRecord(batchID, r, undoCopy), nil, false // refused when added
	}
	home, dest := e.c.Home(), e.c.Other(cmp.Or(r.DestBucket, e.c.Bucket()))
	// The step copies src → dst; a move then deletes src.
	src, srcKey, dst, dstKey := home, r.Key, dest, r.DestKey
	copyStep, moveStep := undoCopy, undoMove
	if r.Action == journal.ActionRestore {
		src, srcKey, dst, dstKey = dest, r.DestKey, home, r.Key
		copyStep, moveStep = undoCopyBack, undoRestore
	}
	isCopy := func(o cosapi.Object) bool { return o.ETag == etag && o.Size == size }
	got, err := dst.Stat(ctx, dstKey)
	switch {
	case cosapi.KindOf(err) == cosapi.KindNotFound:
		// Never copied (or already taken back): the undo step finds it gone. It is still
		// journaled, so that the batch reads as rolled back.
		return undoRecord(batchID, r, copyStep), nil, false
	case err != nil:
		return undoRecord(batchID, r, copyStep), explain(op, r.Key, err, "could not check "+e.where(dst.Name(), dstKey)+"; not undone"), false
	case !isCopy(got):
		return journal.Record{}, nil, true // not this batch's copy: someone else's object
	}
	if !r.Moved && r.Action != journal.ActionTrash && r.Action != journal.ActionRestore {
		return undoRecord(batchID, r, copyStep), nil, false
	}
	_, err = src.Stat(ctx, srcKey)
	switch {
	case cosapi.KindOf(err) == cosapi.KindNotFound:
		return undoRecord(batchID, r, moveStep), nil, false // the move went through: move it back
	case err != nil:
		return undoRecord(batchID, r, copyStep), explain(op, r.Key, err, "could not check "+e.where(src.Name(), srcKey)+"; not undone"), false
	}
	return undoRecord(batchID, r, copyStep), nil, false
}

// UndoLast undoes the most recent batch made on this bucket that no undo has yet set out to
// reverse, provided it can be: a hard delete cannot. Rather than quietly reaching past such
// a batch to an older one, it says so (Undo names an older batch explicitly). Batches that
// changed nothing are passed over; an interrupted one is rolled back.
func (e *Engine) UndoLast(ctx context.Context) (Report, error) {
	const op = journal.ActionUndo
	if err := e.needJournal(op); err != nil {
		return Report{Action: op}, err
	}
	all, _, err := e.history()
	if err != nil {
		return Report{Action: op}, journalError(op, err)
	}
	for _, b := range slices.Backward(all) {
		if !b.Mine {
			continue
		}
		if b.Action == journal.ActionUndo && b.Interrupted {
			return Report{Action: op}, &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Message: fmt.Sprintf("undo batch %s was interrupted; resume it first", b.ID)}
		}
		if b.Action == journal.ActionUndo || b.UndoneBy != "" || (b.Done == 0 && !b.Interrupted) {
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
func undoable(b BatchInfo) error {
	refuse := func(format string, args ...any) error {
		return &cosapi.Error{Kind: cosapi.KindInvalid, Op: journal.ActionUndo, Message: fmt.Sprintf(format, args...)}
	}
	switch b.Action {
	case journal.ActionTag, journal.ActionPromote, journal.ActionTrash, journal.ActionRestore:
	case journal.ActionDelete:
		return refuse("batch %s was a hard delete, which cannot be undone: the objects are gone", b.ID)
	case journal.ActionUndo:
		return refuse("batch %s is itself an undo; it cannot be undone", b.ID)
	default:
		return refuse("batch %s (%s) cannot be undone", b.ID, b.Action)
	}
	switch {
	case b.Undone:
		return refuse("batch %s was already undone (by %s)", b.ID, b.UndoneBy)
	case b.Done == 0 && !b.Interrupted && b.UndoneBy == "":
		return refuse("batch %s changed nothing: no step of it succeeded", b.ID)
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
