package curation

import (
	"context"
	"errors"
	"time"

	"lightbox/cosapi"
	"lightbox/curation/journal"
	"lightbox/internal/cosrules"
)

// errNotYet marks the parts of the journal and trash API that are declared ahead of their
// implementation (issue 13), so that the reviewer can be built against them.
var errNotYet = errors.New("not implemented yet")

// BatchInfo is a journal batch as the journal view and `lightbox journal` show it.
type BatchInfo struct {
	journal.BatchSummary
	Endpoint, Bucket string // where it was made (its first record's)
	Prefix           string // the longest common folder of its keys ("" = the bucket's root)
	Canceled         int    // steps stopped by a cancel and not resumed since (counted in Failed too)
	Pending          int    // intents with no outcome: the process died during the batch
	Interrupted      bool   // Canceled+Pending > 0: it can be resumed, or rolled back with Undo
	Mine             bool   // made on the engine's endpoint and bucket
	Undoable         error  // nil when Undo can reverse it (roll it back, if interrupted); else why not
}

// History lists every batch the journal holds, oldest first, with what the journal view
// needs to filter, show and act on it.
func (e *Engine) History() ([]BatchInfo, error) { return nil, errNotYet }

// StepInfo is one key's step of a batch, for the journal's detail view.
type StepInfo struct {
	Key        string
	Dest       string // the trash or promote key ("cos://BUCKET/KEY" in another bucket); "" for tags
	Phase      string // "done", "failed", "canceled" or "pending"
	Err        string // why it failed
	TagsBefore []cosrules.Tag
	TagsAfter  []cosrules.Tag
}

// Steps lists a batch's steps in the order they were journaled.
func (e *Engine) Steps(batch string) ([]StepInfo, error) { return nil, errNotYet }

// TrashEntry is one object in the soft-delete trash.
type TrashEntry struct {
	Key      string // its key in the trash (trash_prefix + Original)
	Original string // where it was, and where Restore puts it back
	Size     int64
	Batch    string    // the trash batch that put it there ("" when the journal does not say)
	Trashed  time.Time // when ("" time when the journal does not say)
}

// Trash lists the trash (every object under [curation] trash_prefix), newest first.
func (e *Engine) Trash(ctx context.Context) ([]TrashEntry, error) { return nil, errNotYet }

// Restore moves trash keys back to their original keys, never onto an object that is there
// now; a journaled batch that Undo can reverse.
func (e *Engine) Restore(ctx context.Context, trashKeys []string) (Report, error) {
	return Report{Action: journal.ActionRestore}, &cosapi.Error{Kind: cosapi.KindInvalid, Op: "restore", Err: errNotYet}
}

// EmptyTrash deletes trash keys for good (a journaled hard delete: it cannot be undone).
func (e *Engine) EmptyTrash(ctx context.Context, trashKeys []string) (Report, error) {
	return Report{Action: journal.ActionDelete}, &cosapi.Error{Kind: cosapi.KindInvalid, Op: "empty trash", Err: errNotYet}
}
