package curation

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"lightbox/cosapi"
	"lightbox/curation/journal"
	"lightbox/internal/cosrules"
)

// SetTags changes the tags of each key: the tags in set are added (or take the new value
// when the object has that key), then the keys in remove are dropped; other tags stay.
// A key whose tags would break COS's limits (10 tags; keys of 1-127 and values of at most
// 255 characters: letters, digits, spaces and + - = . _ : / @) is refused with cosapi.KindInvalid
// before anything is written; the others go ahead. Each change is journaled with the tags
// before and after, which is what Undo restores.
func (e *Engine) SetTags(ctx context.Context, keys []string, set []cosrules.Tag, remove []string) (Report, error) {
	const op = journal.ActionTag
	keys = distinct(keys)
	if err := e.needJournal(op); err != nil {
		return refuseAll(op, keys, err), err
	}
	if len(set) == 0 && len(remove) == 0 {
		err := &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Message: "no tag to set or remove"}
		return refuseAll(op, keys, err), err
	}
	type plan struct {
		before, after []cosrules.Tag
		err           error
	}
	plans := make([]plan, len(keys))
	e.pool(ctx, len(keys), func(ctx context.Context, i int) {
		k, p := keys[i], &plans[i]
		if p.err = cosapi.CheckKey(op, k); p.err != nil {
			return
		}
		if p.before, p.err = e.c.Tags(ctx, k); p.err != nil {
			return
		}
		p.after = mergeTags(p.before, set, remove)
		if err := cosrules.CheckTags(p.after); err != nil {
			p.err = &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: k, Message: err.Error() + "; not changed"}
		}
	})
	if ctx.Err() != nil {
		err := &cosapi.Error{Kind: cosapi.KindCanceled, Op: op, Message: "canceled before anything was changed", Err: ctx.Err()}
		return refuseAll(op, keys, err), err
	}
	b := e.newBatch(op)
	for i, k := range keys {
		r := e.intent(op, k)
		r.TagsBefore, r.TagsAfter = (plans[i].before), (plans[i].after)
		b.add(r, plans[i].err)
	}
	return e.runBatch(ctx, b)
}

// mergeTags applies set, then remove, to before, keeping the order of the tags that stay.
func mergeTags(before, set []cosrules.Tag, remove []string) []cosrules.Tag {
	out := slices.Clone(before)
	for _, t := range set {
		if i := slices.IndexFunc(out, func(o cosrules.Tag) bool { return o.Key == t.Key }); i >= 0 {
			out[i].Value = t.Value
		} else {
			out = append(out, t)
		}
	}
	return slices.DeleteFunc(out, func(t cosrules.Tag) bool { return slices.Contains(remove, t.Key) })
}

// sameTags compares tag sets, whatever their order.
func sameTags(a, b []cosrules.Tag) bool {
	byKey := func(x, y cosrules.Tag) int {
		return cmp.Or(strings.Compare(x.Key, y.Key), strings.Compare(x.Value, y.Value))
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.SortFunc(a, byKey)
	slices.SortFunc(b, byKey)
	return slices.Equal(a, b)
}

// tagStep writes a step's TagsAfter. Resuming, it first reads the tags: already the new
// ones is done; still the old ones is written; anything else was changed by someone else
// and is left alone.
func (e *Engine) tagStep(ctx context.Context, s *step) {
	op, key := s.rec.Action, s.rec.Key
	before, after := (s.rec.TagsBefore), (s.rec.TagsAfter)
	if s.check {
		cur, err := e.c.Tags(ctx, key)
		switch {
		case err != nil:
			s.err = explain(op, key, err, "could not read the tags")
			return
		case sameTags(cur, after):
			s.note = "found done"
			return
		case !sameTags(cur, before):
			s.err = &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: key, Message: "the tags changed since; not done"}
			return
		}
	} else if slices.Equal(before, after) {
		s.note = "unchanged"
		return
	}
	if err := e.c.PutTags(ctx, key, after); err != nil {
		s.err = explain(op, key, err, "tags not written")
	}
}
