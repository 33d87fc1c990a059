package curation

import "context"

type progressKey struct{}

// WithProgress returns a context under which a batch (SetTags, Delete, Promote, Undo,
// Resume) reports each step's end: done of total steps accounted for. fn must return at
// once (it is called from the batch's workers); the reviewer drives its progress bar
// with it.
func WithProgress(ctx context.Context, fn func(done, total int)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

func progressOf(ctx context.Context) func(done, total int) {
	fn, _ := ctx.Value(progressKey{}).(func(done, total int))
	return fn
}
