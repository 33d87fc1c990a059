package cosapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"lightbox/curation/journal"
)

// Every curation call is a batch of steps, one per key, run by the same machinery: each
// step's intent is journaled (and fsync'd) before any step starts, then the steps run on a
// bounded pool, the originals that moves leave behind are deleted in Delete Multiple
// batches, and each step's outcome is journaled. A step can also be run in "check" mode,
// which first looks at the objects to see how far an interrupted run got: that is Resume.

// Resume finishes an interrupted batch: steps journaled without an outcome (the process
// died) and steps that failed only because the call was cancelled. Each key's actual state
// is checked first (is the copy there with the right ETag? is the original gone? are the
// tags already the new ones?), so resuming twice, or resuming a step that had in fact
// completed, does nothing more. Steps that failed for other reasons stay failed.
func (c *Client) Resume(ctx context.Context, batchID string) (Report, error) {
	const op = "resume"
	if err := c.needJournal(op); err != nil {
		return Report{Batch: batchID}, err
	}
	info, recs, err := c.batchInfo(op, batchID)
	if err != nil {
		return Report{Batch: batchID}, err
	}
	pending, err := c.opt.Journal.Pending(batchID)
	if err != nil {
		return Report{Batch: batchID, Action: info.Action}, journalError(op, err)
	}
	unanswered := make(map[int64]bool, len(pending))
	for _, r := range pending {
		unanswered[r.Seq] = true
	}
	todo := slices.Concat(pending, canceledSteps(recs))
	slices.SortFunc(todo, func(a, b journal.Record) int { return cmp.Compare(a.Seq, b.Seq) })
	b := &batch{c: c, id: batchID, action: info.Action, resumed: true, refs: map[string]*bucketRef{c.bucket: c.home()}}
	for _, r := range todo {
		if !unanswered[r.Seq] {
			// Answered "canceled": a new intent for the new attempt, pointing at the old one.
			r.Note = withNoteField(r.Note, "resumes", strconv.FormatInt(r.Seq, 10))
			r.Seq, r.Time = 0, time.Time{}
		}
		b.add(r, nil).check = true
	}
	return c.runBatch(ctx, b)
}

// noteCanceled marks the outcome of a step that failed only because the call was cancelled
// (or the step was never reached), which Resume will try again.
const noteCanceled = "canceled"

// canceledSteps are the intents of recs (one batch) answered "canceled" and not resumed since.
func canceledSteps(recs []journal.Record) []journal.Record {
	intents := map[int64]journal.Record{}
	resumed := map[int64]bool{}
	for _, r := range recs {
		if r.Phase == journal.PhaseIntent {
			intents[r.Seq] = r
			if n, err := strconv.ParseInt(noteField(r.Note, "resumes"), 10, 64); err == nil {
				resumed[n] = true
			}
		}
	}
	var out []journal.Record
	for _, r := range recs {
		if in, ok := intents[r.Intent]; ok && r.Phase == journal.PhaseFailed && r.Note == noteCanceled && !resumed[in.Seq] {
			out = append(out, in)
		}
	}
	return out
}

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
	from, to       *bucketRef
	fromKey, toKey string
	etag           string // the object's ETag and size when the batch began
	size           int64
	move           bool
	noClobber      bool // the destination must be free (moving an object back)

	ran    bool
	err    error
	note   string     // said with the outcome
	del    *bucketRef // set when only deleting del/delKey is left
	delKey string
}

type batch struct {
	c       *Client
	id      string
	action  string
	resumed bool // an existing batch, being resumed
	steps   []*step
	refs    map[string]*bucketRef // by bucket name; filled while adding, read while running
}

func (c *Client) newBatch(action string) *batch {
	return &batch{c: c, id: journal.NewBatchID(), action: action, refs: map[string]*bucketRef{c.bucket: c.home()}}
}

func (b *batch) ref(name string) *bucketRef {
	if name == "" {
		name = b.c.bucket
	}
	r, ok := b.refs[name]
	if !ok {
		r = b.c.otherBucket(name)
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
		default:
			s.refused = cmp.Or(s.refused, error(&Error{Kind: KindInvalid, Op: rec.Action, Key: rec.Key, Message: "the journal does not say which undo step this is"}))
		}
	default:
		s.refused = cmp.Or(s.refused, error(&Error{Kind: KindInvalid, Op: rec.Action, Key: rec.Key, Message: "unknown action " + strconv.Quote(rec.Action)}))
	}
	if s.kind == stepTransfer || s.kind == stepRemoveCopy {
		var ok bool
		if s.etag, s.size, ok = objectFromNote(rec.Note); !ok && s.refused == nil {
			s.refused = &Error{Kind: KindInvalid, Op: rec.Action, Key: rec.Key, Message: "the journal does not say which version of the object this step is about; not done"}
		}
	}
	b.steps = append(b.steps, s)
	return s
}

var errJournalStopped = errors.New("the journal could not be written")

// runBatch journals the intents, runs the steps, deletes what moves leave behind, journals
// the outcomes and reports every step. The error is for a batch that could not start, was
// cancelled, or whose outcomes could not all be journaled (Resume then finishes it).
func (c *Client) runBatch(ctx context.Context, b *batch) (Report, error) {
	j := c.opt.Journal
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
				rep.Failed = append(rep.Failed, KeyResult{Key: s.rec.Key, Dest: c.where(s.rec.DestBucket, s.rec.DestKey), Err: err})
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
	c.pool(runCtx, len(live), func(ctx context.Context, i int) {
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
		ref   *bucketRef
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
		for i, err := range c.deleteKeys(runCtx, t.ref, b.action, keys) {
			s := t.steps[i]
			if err != nil && s.kind == stepTransfer {
				err = explain(b.action, s.rec.Key, err, fmt.Sprintf("copied to %s and verified, but the original could not be deleted", c.where(s.to.name, s.toKey)))
			}
			s.err = err
			out.add(outcome(s))
		}
	}

	rep := Report{Batch: b.id, Action: b.action}
	for _, s := range b.steps {
		kr := KeyResult{Key: s.rec.Key, Dest: c.where(s.rec.DestBucket, s.rec.DestKey), Err: s.err}
		if s.err == nil {
			rep.Done = append(rep.Done, kr)
		} else {
			rep.Failed = append(rep.Failed, kr)
		}
	}
	if err := out.flush(); err != nil {
		return rep, &Error{Kind: KindOther, Op: b.action, Err: err,
			Message: fmt.Sprintf("the journal could not record how batch %s ended (%v); once it can be written again, resume the batch", b.id, err)}
	}
	if ctx.Err() != nil {
		return rep, &Error{Kind: KindCanceled, Op: b.action, Err: ctx.Err(),
			Message: fmt.Sprintf("canceled; resume batch %s to finish it", b.id)}
	}
	return rep, nil
}

// run does one step. It leaves s.err, or s.del when only a delete is left.
func (b *batch) run(ctx context.Context, s *step) {
	c := b.c
	switch s.kind {
	case stepTags:
		c.tagStep(ctx, s)
	case stepDelete:
		s.del, s.delKey = b.refs[c.bucket], s.rec.Key
	case stepTransfer:
		if s.check {
			c.finishTransfer(ctx, s)
		} else {
			c.transfer(ctx, s)
		}
	case stepRemoveCopy:
		c.removeCopy(ctx, s)
	}
}

// transfer copies, verifies the copy against the original's size and ETag, and for a move
// leaves the original to be deleted. Until the copy is verified the original is not touched.
func (c *Client) transfer(ctx context.Context, s *step) {
	op, key := s.rec.Action, s.rec.Key
	dest := c.where(s.to.name, s.toKey)
	if err := c.copyObject(ctx, s.to, s.toKey, s.from, s.fromKey, s.etag); err != nil {
		s.err = explain(op, key, err, "not copied to "+dest+"; the original is untouched")
		return
	}
	got, err := c.stat(ctx, s.to, s.toKey)
	if err != nil {
		s.err = explain(op, key, err, "copied to "+dest+" but the copy could not be checked; the original is kept")
		return
	}
	if got.Size != s.size || got.ETag != s.etag {
		s.err = &Error{Kind: KindOther, Op: op, Key: key, Message: fmt.Sprintf(
			"the copy at %s does not match the original (size %d, ETag %s; want %d, %s); the original is kept",
			dest, got.Size, got.ETag, s.size, s.etag)}
		return
	}
	if s.move {
		s.del, s.delKey = s.from, s.fromKey
	}
}

// finishTransfer looks at both ends of an interrupted copy or move and does what is left.
func (c *Client) finishTransfer(ctx context.Context, s *step) {
	op, key := s.rec.Action, s.rec.Key
	dest := c.where(s.to.name, s.toKey)
	to, toErr := c.stat(ctx, s.to, s.toKey)
	from, fromErr := c.stat(ctx, s.from, s.fromKey)
	for _, err := range []error{toErr, fromErr} {
		if err != nil && KindOf(err) != KindNotFound {
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
		s.err = &Error{Kind: KindInvalid, Op: op, Key: key, Message: "copied to " + dest + ", but the original changed since; both are left in place"}
	case s.noClobber && toErr == nil:
		s.err = &Error{Kind: KindInvalid, Op: op, Key: key, Message: "another object is at " + dest + " now; changed since; not done"}
	case fromSame:
		c.transfer(ctx, s)
	case fromGone:
		s.err = &Error{Kind: KindNotFound, Op: op, Key: key, Message: "the object is gone and no verified copy is at " + dest}
	default:
		s.err = &Error{Kind: KindInvalid, Op: op, Key: key, Message: "changed since; not done"}
	}
}

// removeCopy deletes a copy, unless someone has changed it since: then it is theirs.
func (c *Client) removeCopy(ctx context.Context, s *step) {
	op, key := s.rec.Action, s.rec.Key
	got, err := c.stat(ctx, s.to, s.toKey)
	switch {
	case KindOf(err) == KindNotFound:
		s.note = "already gone"
	case err != nil:
		s.err = explain(op, key, err, "could not check the copy at "+c.where(s.to.name, s.toKey))
	case got.ETag != s.etag || got.Size != s.size:
		s.err = &Error{Kind: KindInvalid, Op: op, Key: key, Message: "the copy at " + c.where(s.to.name, s.toKey) + " changed since; not undone"}
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
	if KindOf(s.err) == KindCanceled {
		r.Note = noteCanceled
	}
	return r
}

func notAttempted(ctx context.Context, op, key string) error {
	if errors.Is(context.Cause(ctx), errJournalStopped) {
		return &Error{Kind: KindOther, Op: op, Key: key, Message: "not attempted: the journal could not be written"}
	}
	return &Error{Kind: KindCanceled, Op: op, Key: key, Message: "not attempted: canceled", Err: ctx.Err()}
}

// explain puts what a failure meant for the step in front of why it failed, keeping its Kind.
func explain(op, key string, err error, what string) error {
	var e *Error
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
	return &Error{Kind: KindOf(err), Op: op, Key: key, Message: what + ": " + why, Err: err}
}

func journalError(op string, err error) error {
	return &Error{Kind: KindOther, Op: op, Message: "the journal could not be written; nothing was changed: " + err.Error(), Err: err}
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

// batchInfo is a batch's summary and records, refused unless it was made on this bucket.
func (c *Client) batchInfo(op, id string) (batchSummary, []journal.Record, error) {
	all, recs, err := c.batches()
	if err != nil {
		return batchSummary{}, nil, journalError(op, err)
	}
	i := slices.IndexFunc(all, func(b batchSummary) bool { return b.ID == id })
	if i < 0 {
		return batchSummary{}, nil, &Error{Kind: KindNotFound, Op: op, Message: fmt.Sprintf("no batch %q in the journal %s", id, c.opt.Journal.Path())}
	}
	info := all[i]
	if info.endpoint != c.endpoint || info.bucket != c.bucket {
		return info, nil, &Error{Kind: KindInvalid, Op: op, Message: fmt.Sprintf("batch %s was made on bucket %s at %s; open that target to %s it", id, info.bucket, info.endpoint, op)}
	}
	var mine []journal.Record
	for _, r := range recs {
		if r.Batch == id {
			mine = append(mine, r)
		}
	}
	return info, mine, nil
}

// batchSummary is a journal batch and where it was made.
type batchSummary struct {
	journal.BatchSummary
	endpoint, bucket string
}

func (c *Client) batches() ([]batchSummary, []journal.Record, error) {
	sums, err := c.opt.Journal.Batches()
	if err != nil {
		return nil, nil, err
	}
	recs, err := c.opt.Journal.Records()
	if err != nil {
		return nil, nil, err
	}
	first := map[string]journal.Record{}
	for _, r := range recs {
		if _, ok := first[r.Batch]; !ok {
			first[r.Batch] = r
		}
	}
	out := make([]batchSummary, len(sums))
	for i, s := range sums {
		out[i] = batchSummary{BatchSummary: s, endpoint: first[s.ID].Endpoint, bucket: first[s.ID].Bucket}
	}
	return out, recs, nil
}
