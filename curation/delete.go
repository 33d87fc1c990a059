package curation

import (
	"context"
	"strings"

	"lightbox/cosapi"
	"lightbox/curation/journal"
)

// Delete removes keys. By default it moves each object under [curation] trash_prefix in the
// same bucket (copy, verify, then delete the original), which Undo can reverse; with
// hard_delete it deletes them for good with Delete Multiple Objects. Per-key failures are in
// the report; the error is for a call that could not run or was cut short.
func (e *Engine) Delete(ctx context.Context, keys []string) (Report, error) {
	if e.cfg.HardDelete {
		return e.hardDelete(ctx, keys)
	}
	return e.trash(ctx, keys)
}

func (e *Engine) hardDelete(ctx context.Context, keys []string) (Report, error) {
	keys = distinct(keys)
	if err := e.needJournal(journal.ActionDelete); err != nil {
		return refuseAll(journal.ActionDelete, keys, err), err
	}
	b := e.newBatch(journal.ActionDelete)
	for _, k := range keys {
		b.add(e.intent(journal.ActionDelete, k), cosapi.CheckKey(journal.ActionDelete, k))
	}
	return e.runBatch(ctx, b)
}

func (e *Engine) trash(ctx context.Context, keys []string) (Report, error) {
	const op = journal.ActionTrash
	keys = distinct(keys)
	if err := e.needJournal(op); err != nil {
		return refuseAll(op, keys, err), err
	}
	prefix := e.cfg.TrashPrefix
	heads, err := e.headAll(ctx, op, keys, func(k string) error {
		if strings.HasPrefix(k, prefix) {
			return &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: k, Message: "already in the trash; hard delete is needed"}
		}
		return nil
	})
	if err != nil {
		return refuseAll(op, keys, err), err
	}
	b := e.newBatch(op)
	for i, k := range keys {
		r := e.intent(op, k)
		r.DestBucket, r.DestKey, r.Moved = e.c.Bucket(), prefix+k, true
		r.Note = objectNote(heads[i].obj)
		b.add(r, heads[i].err)
	}
	return e.runBatch(ctx, b)
}
