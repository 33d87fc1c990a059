package curation

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"lightbox/config"
	"lightbox/cosapi"
	"lightbox/curation/journal"
)

// Promote copies each object to [curation] promote_to (a prefix in this bucket, or
// cos://BUCKET/prefix/ for another), checks the copy (size and ETag equal the original's),
// and in promote_mode = "move" then deletes the original. The original is deleted only once
// its copy is verified: a failure at any step leaves it where it was.
func (e *Engine) Promote(ctx context.Context, keys []string) (Report, error) {
	const op = journal.ActionPromote
	keys = distinct(keys)
	if err := e.needJournal(op); err != nil {
		return refuseAll(op, keys, err), err
	}
	bucket, prefix, move, err := e.promoteConfig()
	if err != nil {
		return refuseAll(op, keys, err), err
	}
	dest := e.c.Home()
	if bucket != e.c.Bucket() {
		dest = e.c.Other(bucket)
		// A typo in promote_to is one clear error, not a failure per key.
		if err := dest.Check(ctx); err != nil {
			if cosapi.KindOf(err) == cosapi.KindNotFound {
				err = &cosapi.Error{Kind: cosapi.KindNotFound, Op: op, Code: "NoSuchBucket", Err: err,
					Message: fmt.Sprintf("the destination bucket %s does not exist at %s; nothing was changed", dest.Name(), e.c.Host())}
			}
			return refuseAll(op, keys, err), err
		}
	}
	heads, err := e.headAll(ctx, op, keys, func(k string) error {
		if dest.Name() == e.c.Bucket() && strings.HasPrefix(k, prefix) {
			return &cosapi.Error{Kind: cosapi.KindInvalid, Op: op, Key: k, Message: "already under the promote destination " + prefix}
		}
		return nil
	})
	if err != nil {
		return refuseAll(op, keys, err), err
	}
	b := e.newBatch(op)
	b.refs[dest.Name()] = dest
	for i, k := range keys {
		r := e.intent(op, k)
		r.DestBucket, r.DestKey, r.Moved = dest.Name(), prefix+k, move
		r.Note = objectNote(heads[i].obj)
		b.add(r, heads[i].err)
	}
	return e.runBatch(ctx, b)
}

// promoteConfig reads [curation] promote_to and promote_mode.
func (e *Engine) promoteConfig() (bucket, prefix string, move bool, err error) {
	bad := func(msg string) (string, string, bool, error) {
		return "", "", false, &cosapi.Error{Kind: cosapi.KindInvalid, Op: journal.ActionPromote, Message: msg}
	}
	to := e.cfg.PromoteTo
	if to == "" {
		return bad(`promotion is not configured: set [curation] promote_to to a prefix such as "best/" or to "cos://BUCKET-APPID/prefix/"`)
	}
	bucket, prefix, err = config.ParsePromoteTo(to)
	if err != nil {
		return bad("[curation] promote_to: " + err.Error())
	}
	if bucket == "" {
		bucket = e.c.Bucket()
	}
	if bucket == e.c.Bucket() && prefix == "" {
		return bad("[curation] promote_to names this bucket without a prefix: objects would be copied onto themselves")
	}
	switch strings.ToLower(e.cfg.PromoteMode) {
	case "", "copy":
	case "move":
		move = true
	default:
		return bad(fmt.Sprintf("[curation] promote_mode is %q: want copy or move", e.cfg.PromoteMode))
	}
	return bucket, prefix, move, nil
}

// A step that copies records the original's ETag and size in its intent's Note
// ("etag=\"…\" size=123"): what the copy is verified against, and what Resume and Undo
// compare with to tell whether the object is still the one this batch handled.
func objectNote(o cosapi.Object) string {
	if o.ETag == "" {
		return ""
	}
	return "etag=" + o.ETag + " size=" + strconv.FormatInt(o.Size, 10)
}

func objectFromNote(note string) (etag string, size int64, ok bool) {
	etag = noteField(note, "etag")
	size, err := strconv.ParseInt(noteField(note, "size"), 10, 64)
	return etag, size, etag != "" && err == nil
}

// noteField reads name=value from a note of space-separated fields (values hold no spaces).
func noteField(note, name string) string {
	for _, f := range strings.Fields(note) {
		if k, v, ok := strings.Cut(f, "="); ok && k == name {
			return v
		}
	}
	return ""
}

// withNoteField sets name=value in a note, replacing an earlier value.
func withNoteField(note, name, value string) string {
	var out []string
	for _, f := range strings.Fields(note) {
		if k, _, _ := strings.Cut(f, "="); k != name {
			out = append(out, f)
		}
	}
	return strings.Join(append(out, name+"="+value), " ")
}
