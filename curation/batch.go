package curation

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"lightbox/cosapi"
	"lightbox/curation/journal"
)

// Every curation call is a batch of steps, one per key, run by the same machinery: each
// step's intent is journaled (and fsync'd) before any step starts, then the steps run on a
// bounded pool, the originals that moves leave behind are deleted in Delete Multiple
// batches, and each step's outcome is journaled. A step can also be run in "check" mode,
// which first looks at the objects to see how far an interrupted run got: that is Resume.

type stepKind int

const (
	stepTags       stepKind = iota // write TagsAfter
	stepDelete                     // delete Key for good
	stepTransfer                   // copy from → to, verify, and for a move delete from
	stepRemoveCopy                 // delete to, if it still is the copy this batch's target made
)

// step is one key's work in a batch.
type step struct {
	rec     journal.Record // the intent; Seq 0 until journaled
	refused error          // turned away before starting: answered along with the intent
	check   bool           // look at the objects first: the step may be done or half done

	kind           stepKind
	from, to       *cosapi.BucketRef
	fromKey, toKey string
	etag           string // the object's ETag and size when the batch began
	size           int64
	move           bool
	noClobber      bool // the destination must be free (moving an object back)

	ran    bool
	err    error
	note   string            // said with the outcome
	del    *cosapi.BucketRef // set when only deleting del/delKey is left
	delKey string
}

type batch struct {
	e       *Engine
	id      string
	action  string
	resumed bool // an existing batch, being resumed
	steps   []*step
	refs    map[string]*cosapi.BucketRef // by bucket name; filled while adding, read while running
}

func (e *Engine) newBatch(action string) *batch {
	return &batch{e: e, id: journal.NewBatchID(), action: action, refs: map[string]*cosapi.BucketRef{e.c.Bucket(): e.c.Home()}}
}

func (b *batch) ref(name string) *cosapi.BucketRef {
	if name == "" {
		name = b.e.c.Bucket()
	}
	r, ok := b.refs[name]
	if !ok {
		r = b.e.c.Other(name)
		b.refs[name] = r
	}
	return r
}

// add turns an intent into a step; refused, when set, answers it without trying.
func (b *batch) add(rec journal.Record, refused error) *step {
	if rec.Batch == "" {
		rec.Batch = b.id
	}
	s := &step{rec: rec, refused: refused}
	home := b.ref("")
	switch rec.Action {
	case journal.ActionTag:
		s.kind = stepTags
	case journal.ActionDelete:
		s.kind = stepDelete
	case journal.ActionRestore: // Key is where the object goes back to, DestKey the trash
		s.kind, s.move, s.noClobber = stepTransfer, true, true
		s.from, s.fromKey = b.ref(rec.DestBucket), rec.DestKey
		s.to, s.toKey = home, rec.Key
	case journal.ActionTrash, journal.ActionPromote:
		s.kind = stepTransfer
		s.from, s.fromKey = home, rec.Key
		s.to, s.toKey = b.ref(rec.DestBucket), rec.DestKey
		s.move = rec.Moved || rec.Action == journal.ActionTrash
	case journal.ActionUndo:
		switch noteField(rec.Note, "step") {
		case undoTags:
			s.kind = stepTags
		case undoCopy:
			s.kind = stepRemoveCopy
			s.to, s.toKey = b.ref(rec.DestBucket), rec.DestKey
		case undoMove:
			s.kind, s.move, s.noClobber = stepTransfer, true, true
			s.from, s.fromKey = b.ref(rec.DestBucket), rec.DestKey
			s.to, s.toKey = home, rec.Key
		case undoRestore:
			s.kind, s.move, s.noClobber = stepTransfer, true, true
			s.from, s.fromKey = home, rec.Key
			s.to, s.toKey = b.ref(rec.DestBucket), rec.DestKey
		case undoCopyBack:
			s.kind = stepRemoveCopy
			s.to, s.toKey = home, rec.Key
		default:
			s.refused = cmp.Or(s.refused, error(&cosapi.Error{Kind: cosapi.KindInvalid, Op: rec.Action, Key: rec.Key, Message: "the journal does not say which undo step this is"}))
		}
	default:
		s.refused = cmp.Or(s.refused, error(&cosapi.Error{Kind: cosapi.KindInvalid, Op: rec.Action, Key: rec.Key, Message: "unknown action " + strconv.Quote(rec.Action)}))
	}
	if s.kind == stepTransfer || s.kind == stepRemoveCopy {
		var ok bool
		if s.etag, s.size, ok = objectFromNote(rec.Note); !ok && s.refused == nil {
			s.refused = &cosapi.Error{Kind: cosapi.KindInvalid, Op: rec.Action, Key: rec.Key, Message: "the journal does not say which version of the object this step is about; not done"}
		}
	}
	b.steps = append(b.steps, s)
	return s
}

var errJournalStopped = errors.New("the journal could not be written")

// runBatch journals the intents, runs the steps, deletes what moves leave behind, journals
// the outcomes and reports every step. The error is for a batch that could not start, was
// cancelled, or whose outcomes could not all be journaled (Resume then finishes it).
func (e *Engine) runBatch(ctx context.Context, b *batch) (Report, error) {
	j := e.j
	if len(b.steps) == 0 {
		if b.resumed {
			return Report{Batch: b.id, Action: b.action}, nil
		}
		return Report{Action: b.action}, nil // no batch: nothing was asked for
	}
	// Intents of the new steps, and the outcomes of the refused ones, in one durable write:
	// a refused step is never left looking interrupted.
	var first []journal.Record
	var fresh []*step
	for _, s := range b.steps {
		if s.rec.Seq == 0 {
			first = append(first, s.rec)
			fresh = append(fresh, s)
		}
	}
	for _, s := range b.steps {
		if s.refused != nil {
			s.err, s.ran = s.refused, true
			first = append(first, outcome(s)) // names no Seq: the journal pairs it by key
		}
	}
	if len(first) > 0 {
		written, err := j.AppendMany(first)
		if err != nil {
			err = journalError(b.action, err)
			rep := Report{Batch: b.id, Action: b.action}
			for _, s := range b.steps {
				rep.Failed = append(rep.Failed, KeyResult{Key: s.rec.Key, Dest: e.where(s.rec.DestBucket, s.rec.DestKey), Err: err})
			}
			return rep, err
		}
		for i, s := range fresh {
			s.rec = written[i]
		}
	}

	runCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	out := &outcomes{j: j, stop: stop, progress: progressOf(ctx), total: len(b.steps), done: len(b.steps) - len(fresh)}
	if out.progress != nil {
		out.progress(out.done, out.total)
	}
	var live []*step
	for _, s := range b.steps {
		if s.refused == nil {
			live = append(live, s)
		}
	}
	e.pool(runCtx, len(live), func(ctx context.Context, i int) {
		s := live[i]
		s.ran = true
		b.run(ctx, s)
		if s.del == nil {
			out.add(outcome(s))
		}
	})
	for _, s := range live {
		if !s.ran {
			s.err = notAttempted(runCtx, b.action, s.rec.Key)
			out.add(outcome(s))
		}
	}

	// The deletes left: originals of verified moves, hard deletes, copies being undone.
	type target struct {
		ref   *cosapi.BucketRef
		steps []*step
	}
	var targets []*target
	for _, s := range live {
		if s.del == nil {
			continue
		}
		i := slices.IndexFunc(targets, func(t *target) bool { return t.ref == s.del })
		if i < 0 {
			i = len(targets)
			targets = append(targets, &target{ref: s.del})
		}
		targets[i].steps = append(targets[i].steps, s)
	}
	for _, t := range targets {
		keys := make([]string, len(t.steps))
		for i, s := range t.steps {
			keys[i] = s.delKey
		}
		for i, err := range t.ref.DeleteKeys(runCtx, b.action, keys) {
			s := t.steps[i]
			if err != nil && s.kind == stepTransfer {
				err = explain(b.action, s.rec.Key, err, fmt.Sprintf("copied to %s and verified, but the original could not be deleted", e.where(s.to.Name(), s.toKey)))
			}
			s.err = err
			out.add(outcome(s))
		}
	}

	rep := Report{Batch: b.id, Action: b.action}
	for _, s := range b.steps {
		kr := KeyResult{Key: s.rec.Key, Dest: e.where(s.rec.DestBucket, s.rec.DestKey), Err: s.err}
		if s.err == nil {
			rep.Done = append(rep.Done, kr)
		} else {
			rep.Failed = append(rep.Failed, kr)
		}
	}
	if err := out.flush(); err != nil {
		return rep, &cosapi.Error{Kind: cosapi.KindOther, Op: b.action, Err: err,
			Message: fmt.Sprintf("the journal could not record how batch %s ended (%v); once it can be written again, resume the batch", b.id, err)}
	}
	if ctx.Err() != nil {
		return rep, &cosapi.Error{Kind: cosapi.KindCanceled, Op: b.action, Err: ctx.Err(),
			Message: fmt.Sprintf("canceled; batch %s is interrupted: resume it to finish, or undo it to roll back", b.id)}
	}
	return rep, nil
}

// run does one step. It leaves s.err, or s.del when only a delete is left.
func (b *batch) run(ctx context.Context, s *step) {
	e := b.e
	switch s.kind {
	case stepTags:
		e.tagStep(ctx, s)
	case stepDelete:
		s.del, s.delKey = b.refs[e.c.Bucket()], s.rec.Key
	case stepTransfer:
		if s.check {
			e.finishTransfer(ctx, s)
		} else {
			e.transfer(ctx, s)
		}
	case stepRemoveCopy:
		e.removeCopy(ctx, s)
	}
}

// transfer copies, verifies the copy against the original's size and ETag, and for a move
// leaves the original to be deleted. Until the copy is verified the original is not touched.
func (e *Engine) transfer(ctx context.Context, s *step) {
	op, key := s.rec.Action, s.rec.Key
	dest := e.where(s.to.Name(), s.toKey)
	if s.noClobber {
		// COS has no "copy unless the destination exists"; look first, as close to the copy as we can.
		_, err := s.to.Stat(ctx, s.toKey)
		switch {
		case err == nil:
			s.err = &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: key, Message: "another object is at " + dest + " now; changed since; not done"}
			return
		case cosapi.KindOf(err) != cosapi.KindNotFound:
			s.err = explain(op, key, err, "could not check that "+dest+" is free; not done")
			return
		}
	}
	if err := s.to.Copy(ctx, s.toKey, s.from, s.fromKey, s.etag); err != nil {
		s.err = explain(op, key, err, "not copied to "+dest+"; the original is untouched")
		return
	}
	got, err := s.to.Stat(ctx, s.toKey)
	if err != nil {
		s.err = explain(op, key, err, "copied to "+dest+" but the copy could not be checked; the original is kept")
		return
	}
	if got.Size != s.size || got.ETag != s.etag {
		s.err = &cosapi.Error{Kind: cosapi.KindOther, Op: op, Key: key, Message: fmt.Sprintf(
			"the copy at %s does not match the original (size %d, ETag %s; want %d, %s); the original is kept",
			dest, got.Size, got.ETag, s.size, s.etag)}
		return
	}
	if s.move {
		s.del, s.delKey = s.from, s.fromKey
	}
}

// finishTransfer looks at both ends of an interrupted copy or move and does what is left.
func (e *Engine) finishTransfer(ctx context.Context, s *step) {
	op, key := s.rec.Action, s.rec.Key
	dest := e.where(s.to.Name(), s.toKey)
	to, toErr := s.to.Stat(ctx, s.toKey)
	from, fromErr := s.from.Stat(ctx, s.fromKey)
	for _, err := range []error{toErr, fromErr} {
		if err != nil && cosapi.KindOf(err) != cosapi.KindNotFound {
			s.err = explain(op, key, err, "could not check how far this step got")
			return
		}
	}
	toOK := toErr == nil && to.Size == s.size && to.ETag == s.etag
	fromGone := fromErr != nil
	fromSame := !fromGone && from.Size == s.size && from.ETag == s.etag
	switch {
	case toOK && (!s.move || fromGone):
		s.note = "found done"
	case toOK && fromSame:
		s.del, s.delKey, s.note = s.from, s.fromKey, "found copied"
	case toOK:
		s.err = &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: key, Message: "copied to " + dest + ", but the original changed since; both are left in place"}
	case s.noClobber && toErr == nil:
		s.err = &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: key, Message: "another object is at " + dest + " now; changed since; not done"}
	case fromSame:
		e.transfer(ctx, s)
	case fromGone:
		s.err = &cosapi.Error{Kind: cosapi.KindNotFound, Op: op, Key: key, Message: "the object is gone and no verified copy is at " + dest}
	default:
		s.err = &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: key, Message: "changed since; not done"}
	}
}

// removeCopy deletes a copy, unless someone has changed it since: then it is theirs.
func (e *Engine) removeCopy(ctx context.Context, s *step) {
	op, key := s.rec.Action, s.rec.Key
	got, err := s.to.Stat(ctx, s.toKey)
	switch {
	case cosapi.KindOf(err) == cosapi.KindNotFound:
		s.note = "already gone"
	case err != nil:
		s.err = explain(op, key, err, "could not check the copy at "+e.where(s.to.Name(), s.toKey))
	case got.ETag != s.etag || got.Size != s.size:
		s.err = &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: key, Message: "the copy at " + e.where(s.to.Name(), s.toKey) + " changed since; not undone"}
	default:
		s.del, s.delKey = s.to, s.toKey
	}
}

// outcome is the journal record answering s.
func outcome(s *step) journal.Record {
	if s.err == nil {
		r := s.rec.Done()
		r.Note = s.note
		return r
	}
	r := s.rec.Failed(s.err)
	if cosapi.KindOf(s.err) == cosapi.KindCanceled {
		r.Note = noteCanceled
	}
	return r
}

func notAttempted(ctx context.Context, op, key string) error {
	if errors.Is(context.Cause(ctx), errJournalStopped) {
		return &cosapi.Error{Kind: cosapi.KindOther, Op: op, Key: key, Message: "not attempted: the journal could not be written"}
	}
	return &cosapi.Error{Kind: cosapi.KindCanceled, Op: op, Key: key, Message: "not attempted: canceled", Err: ctx.Err()}
}

// explain puts what a failure meant for the step in front of why it failed, keeping its Kind.
func explain(op, key string, err error, what string) error {
	var e *cosapi.Error
	why := err.Error()
	if errors.As(err, &e) {
		switch {
		case e.Code != "":
			why = e.Code
			if e.Message != "" {
				why += ": " + e.Message
			}
		case e.Message != "":
			why = e.Message
		case e.Err != nil:
			why = e.Err.Error()
		default:
			why = e.Kind.String()
		}
	}
	return &cosapi.Error{Kind: cosapi.KindOf(err), Op: op, Key: key, Message: what + ": " + why, Err: err}
}

func journalError(op string, err error) error {
	return &cosapi.Error{Kind: cosapi.KindOther, Op: op, Message: "the journal could not be written; nothing was changed: " + err.Error(), Err: err}
}

// outcomes collects outcome records and writes them a chunk at a time: one fsync per
// chunk rather than per key. Should the journal fail, the batch is stopped, since every
// further change would be one the journal cannot answer.
type outcomes struct {
	j    *journal.Journal
	stop context.CancelCauseFunc

	mu          sync.Mutex
	buf         []journal.Record
	err         error
	progress    func(done, total int)
	done, total int
}

const outcomeChunk = 256

func (o *outcomes) add(r journal.Record) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf = append(o.buf, r)
	if len(o.buf) >= outcomeChunk && o.err == nil {
		o.write()
	}
	o.done++
	if o.progress != nil {
		o.progress(min(o.done, o.total), o.total)
	}
}

func (o *outcomes) flush() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.write()
	return o.err
}

func (o *outcomes) write() {
	if len(o.buf) == 0 {
		return
	}
	if _, err := o.j.AppendMany(o.buf); err != nil {
		if o.err == nil {
			o.stop(errJournalStopped)
		}
		o.err = err
		return
	}
	o.buf, o.err = o.buf[:0], nil
}
