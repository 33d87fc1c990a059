package curation

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"lightbox/cosapi"
	"lightbox/curation/journal"
)

// Resume finishes an interrupted batch: steps journaled without an outcome (the process
// died) and steps that failed only because the call was cancelled. Each key's actual state
// is checked first (is the copy there with the right ETag? is the original gone? are the
// tags already the new ones?), so resuming twice, or resuming a step that had in fact
// completed, does nothing more. Steps that failed for other reasons stay failed.
func (e *Engine) Resume(ctx context.Context, batchID string) (Report, error) {
	const op = "resume"
	if err := e.needJournal(op); err != nil {
		return Report{Batch: batchID}, err
	}
	info, recs, err := e.batchInfo(op, batchID)
	if err != nil {
		return Report{Batch: batchID}, err
	}
	if info.UndoneBy != "" && info.Action != journal.ActionUndo {
		// Finishing it now would redo what the undo took back.
		return Report{Batch: batchID, Action: info.Action}, &cosapi.Error{Kind: cosapi.KindInvalid, Op: op,
			Message: fmt.Sprintf("batch %s was rolled back by undo batch %s; it is not resumed", batchID, info.UndoneBy)}
	}
	pending, err := e.j.Pending(batchID)
	if err != nil {
		return Report{Batch: batchID, Action: info.Action}, journalError(op, err)
	}
	unanswered := make(map[int64]bool, len(pending))
	for _, r := range pending {
		unanswered[r.Seq] = true
	}
	todo := slices.Concat(pending, canceledSteps(recs))
	slices.SortFunc(todo, func(a, b journal.Record) int { return cmp.Compare(a.Seq, b.Seq) })
	b := &batch{e: e, id: batchID, action: info.Action, resumed: true, refs: map[string]*cosapi.BucketRef{e.c.Bucket(): e.c.Home()}}
	for _, r := range todo {
		if !unanswered[r.Seq] {
			// Answered "canceled": a new intent for the new attempt, pointing at the old one.
			r.Note = withNoteField(r.Note, "resumes", strconv.FormatInt(r.Seq, 10))
			r.Seq, r.Time = 0, time.Time{}
		}
		b.add(r, nil).check = true
	}
	return e.runBatch(ctx, b)
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

// batchInfo is a batch's history and records, refused unless it was made on this bucket.
func (e *Engine) batchInfo(op, id string) (BatchInfo, []journal.Record, error) {
	all, recs, err := e.history()
	if err != nil {
		return BatchInfo{}, nil, journalError(op, err)
	}
	i := slices.IndexFunc(all, func(b BatchInfo) bool { return b.ID == id })
	if i < 0 {
		return BatchInfo{}, nil, &cosapi.Error{Kind: cosapi.KindNotFound, Op: op, Message: fmt.Sprintf("no batch %q in the journal %s", id, e.j.Path())}
	}
	info := all[i]
	if !info.Mine {
		return info, nil, &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Message: fmt.Sprintf("batch %s was made on bucket %s at %s; open that target to %s it", id, info.Bucket, info.Endpoint, op)}
	}
	var mine []journal.Record
	for _, r := range recs {
		if r.Batch == id {
			mine = append(mine, r)
		}
	}
	return info, mine, nil
}
