package cosapi

import (
	"cmp"
	"context"
	"slices"
	"strings"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/curation/journal"
	"lightbox/internal/cosrules"
)

// Tags returns an object's tags, in the order COS keeps them (nil when it has none).
func (c *Client) Tags(ctx context.Context, key string) ([]cosrules.Tag, error) {
	if err := checkKey("tags", key); err != nil {
		return nil, err // an empty key would read the bucket's tags
	}
	var tags []cosrules.Tag
	err := c.retry(ctx, "tags", key, func(ctx context.Context) error {
		res, _, err := c.sdk.Object.GetTagging(ctx, key)
		if err != nil {
			return err
		}
		tags = nil
		for _, t := range res.TagSet {
			tags = append(tags, cosrules.Tag{Key: t.Key, Value: t.Value})
		}
		return nil
	})
	return tags, err
}

// SetTags changes the tags of each key: the tags in set are added (or take the new value
// when the object has that key), then the keys in remove are dropped; other tags stay.
// A key whose tags would break COS's limits (10 tags; keys of 1-127 and values of at most
// 255 characters: letters, digits, spaces and + - = . _ : / @) is refused with KindInvalid
// before anything is written; the others go ahead. Each change is journaled with the tags
// before and after, which is what Undo restores.
func (c *Client) SetTags(ctx context.Context, keys []string, set []cosrules.Tag, remove []string) (Report, error) {
	const op = journal.ActionTag
	keys = distinct(keys)
	if err := c.needJournal(op); err != nil {
		return refuseAll(op, keys, err), err
	}
	if len(set) == 0 && len(remove) == 0 {
		err := &Error{Kind: KindInvalid, Op: op, Message: "no tag to set or remove"}
		return refuseAll(op, keys, err), err
	}
	type plan struct {
		before, after []cosrules.Tag
		err           error
	}
	plans := make([]plan, len(keys))
	c.pool(ctx, len(keys), func(ctx context.Context, i int) {
		k, p := keys[i], &plans[i]
		if p.err = checkKey(op, k); p.err != nil {
			return
		}
		if p.before, p.err = c.Tags(ctx, k); p.err != nil {
			return
		}
		p.after = mergeTags(p.before, set, remove)
		if err := cosrules.CheckTags(p.after); err != nil {
			p.err = &Error{Kind: KindInvalid, Op: op, Key: k, Message: err.Error() + "; not changed"}
		}
	})
	if ctx.Err() != nil {
		err := &Error{Kind: KindCanceled, Op: op, Message: "canceled before anything was changed", Err: ctx.Err()}
		return refuseAll(op, keys, err), err
	}
	b := c.newBatch(op)
	for i, k := range keys {
		r := c.intent(op, k)
		r.TagsBefore, r.TagsAfter = (plans[i].before), (plans[i].after)
		b.add(r, plans[i].err)
	}
	return c.runBatch(ctx, b)
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

// writeTags replaces key's tags; an empty set is DeleteTagging, as COS has no sure way to
// put an empty set.
func (c *Client) writeTags(ctx context.Context, key string, tags []cosrules.Tag) error {
	return c.retry(ctx, "tag", key, func(ctx context.Context) error {
		if len(tags) == 0 {
			_, err := c.sdk.Object.DeleteTagging(ctx, key)
			return err
		}
		opt := &cos.ObjectPutTaggingOptions{TagSet: make([]cos.ObjectTaggingTag, len(tags))}
		for i, t := range tags {
			opt.TagSet[i] = cos.ObjectTaggingTag{Key: t.Key, Value: t.Value}
		}
		_, err := c.sdk.Object.PutTagging(ctx, key, opt)
		return err
	})
}

// tagStep writes a step's TagsAfter. Resuming, it first reads the tags: already the new
// ones is done; still the old ones is written; anything else was changed by someone else
// and is left alone.
func (c *Client) tagStep(ctx context.Context, s *step) {
	op, key := s.rec.Action, s.rec.Key
	before, after := (s.rec.TagsBefore), (s.rec.TagsAfter)
	if s.check {
		cur, err := c.Tags(ctx, key)
		switch {
		case err != nil:
			s.err = explain(op, key, err, "could not read the tags")
			return
		case sameTags(cur, after):
			s.note = "found done"
			return
		case !sameTags(cur, before):
			s.err = &Error{Kind: KindInvalid, Op: op, Key: key, Message: "the tags changed since; not done"}
			return
		}
	} else if slices.Equal(before, after) {
		s.note = "unchanged"
		return
	}
	if err := c.writeTags(ctx, key, after); err != nil {
		s.err = explain(op, key, err, "tags not written")
	}
}
