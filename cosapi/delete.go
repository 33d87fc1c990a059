package cosapi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	cos "github.com/tencentyun/cos-go-sdk-v5"

	"lightbox/curation/journal"
)

// KeyResult is what happened to one key of a curation call.
type KeyResult struct {
	Key  string
	Dest string // the other object of the step: trash or promote key ("cos://BUCKET/KEY" in another bucket)
	Err  error  // nil in Report.Done
}

// Report accounts for every distinct key of one curation call: each is in Done or in Failed,
// exactly once, in the order given.
type Report struct {
	Batch  string // the journal batch; "" when nothing was journaled
	Action string // the journal action: tag, trash, delete, promote, undo
	Done   []KeyResult
	Failed []KeyResult
}

// Summary says it in one line, e.g. "deleted 118, failed 2 (1 not found, 1 network)".
func (r Report) Summary() string {
	verb := map[string]string{
		journal.ActionTag: "tagged", journal.ActionTrash: "trashed", journal.ActionDelete: "deleted",
		journal.ActionPromote: "promoted", journal.ActionUndo: "undone",
	}[r.Action]
	if verb == "" {
		verb = "done"
	}
	s := fmt.Sprintf("%s %d", verb, len(r.Done))
	if len(r.Failed) == 0 {
		return s
	}
	counts := map[string]int{}
	for _, f := range r.Failed {
		counts[KindOf(f.Err).String()]++
	}
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	slices.SortFunc(kinds, func(a, b string) int { return cmp.Or(counts[b]-counts[a], strings.Compare(a, b)) })
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return fmt.Sprintf("%s, failed %d (%s)", s, len(r.Failed), strings.Join(parts, ", "))
}

// Delete removes keys. By default it moves each object under [curation] trash_prefix in the
// same bucket (copy, verify, then delete the original), which Undo can reverse; with
// hard_delete it deletes them for good with Delete Multiple Objects. Per-key failures are in
// the report; the error is for a call that could not run or was cut short.
func (c *Client) Delete(ctx context.Context, keys []string) (Report, error) {
	if c.opt.Curation.HardDelete {
		return c.hardDelete(ctx, keys)
	}
	return c.trash(ctx, keys)
}

func (c *Client) hardDelete(ctx context.Context, keys []string) (Report, error) {
	keys = distinct(keys)
	if err := c.needJournal(journal.ActionDelete); err != nil {
		return refuseAll(journal.ActionDelete, keys, err), err
	}
	b := c.newBatch(journal.ActionDelete)
	for _, k := range keys {
		b.add(c.intent(journal.ActionDelete, k), checkKey(journal.ActionDelete, k))
	}
	return c.runBatch(ctx, b)
}

func (c *Client) trash(ctx context.Context, keys []string) (Report, error) {
	const op = journal.ActionTrash
	keys = distinct(keys)
	if err := c.needJournal(op); err != nil {
		return refuseAll(op, keys, err), err
	}
	prefix := c.opt.Curation.TrashPrefix
	heads, err := c.headAll(ctx, op, keys, func(k string) error {
		if strings.HasPrefix(k, prefix) {
			return &Error{Kind: KindInvalid, Op: op, Key: k, Message: "already in the trash; hard delete is needed"}
		}
		return nil
	})
	if err != nil {
		return refuseAll(op, keys, err), err
	}
	b := c.newBatch(op)
	for i, k := range keys {
		r := c.intent(op, k)
		r.DestBucket, r.DestKey, r.Moved = c.bucket, prefix+k, true
		r.Note = objectNote(heads[i].obj)
		b.add(r, heads[i].err)
	}
	return c.runBatch(ctx, b)
}

// needJournal refuses a change that could not be journaled.
func (c *Client) needJournal(op string) error {
	if c.opt.Journal == nil {
		return &Error{Kind: KindInvalid, Op: op, Message: "no journal: lightbox makes no change it cannot record (set [curation] journal); nothing was changed"}
	}
	return nil
}

func refuseAll(action string, keys []string, err error) Report {
	r := Report{Action: action}
	for _, k := range keys {
		r.Failed = append(r.Failed, KeyResult{Key: k, Err: err})
	}
	return r
}

// distinct drops repeated keys, keeping the first of each.
func distinct(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// checkKey turns away what cannot be an object key (and could not be journaled: the
// journal keeps keys as UTF-8) before it can reach a bucket-level request.
func checkKey(op, key string) error {
	if key == "" || strings.HasPrefix(key, "/") || !utf8.ValidString(key) {
		return &Error{Kind: KindInvalid, Op: op, Key: key, Message: "not an object key"}
	}
	return nil
}

// intent is the journal record of one step on key in this client's bucket.
func (c *Client) intent(action, key string) journal.Record {
	return journal.Record{Action: action, Phase: journal.PhaseIntent, Endpoint: c.endpoint, Bucket: c.bucket, Key: key}
}

// headResult is a source object read before the batch starts, or why it cannot take part.
type headResult struct {
	obj Object
	err error
}

// headAll reads every key's size and ETag (what a copy is verified against) before anything
// is journaled or changed; refuse may turn a key away first. A cancelled ctx stops the whole
// call: nothing has changed yet, so nothing is half done.
func (c *Client) headAll(ctx context.Context, op string, keys []string, refuse func(string) error) ([]headResult, error) {
	out := make([]headResult, len(keys))
	home := c.home()
	c.pool(ctx, len(keys), func(ctx context.Context, i int) {
		k := keys[i]
		if err := cmp.Or(checkKey(op, k), refuse(k)); err != nil {
			out[i].err = err
			return
		}
		out[i].obj, out[i].err = c.stat(ctx, home, k)
	})
	if ctx.Err() != nil {
		return nil, &Error{Kind: KindCanceled, Op: op, Message: "canceled before anything was changed", Err: ctx.Err()}
	}
	return out, nil
}

// pool runs fn for 0..n-1 on at most Scoring.Concurrency goroutines. fn sees ctx and must
// give up when it ends; indexes not reached once ctx ends are skipped.
func (c *Client) pool(ctx context.Context, n int, fn func(ctx context.Context, i int)) {
	workers(ctx, c.opt.Scoring.Concurrency, n, fn)
}

func workers(ctx context.Context, width, n int, fn func(ctx context.Context, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(max(width, 1), n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				fn(ctx, i)
			}
		})
	}
	wg.Wait()
}

// Delete Multiple Objects: COS takes at most 1000 keys a request; a few requests at once
// keep a 10,000-key delete quick without hammering the bucket.
const (
	deleteChunk    = 1000
	deleteParallel = 4
)

// deleteKeys deletes keys in ref with Delete Multiple Objects and says, per key, nil
// (deleted, or already absent) or why not.
func (c *Client) deleteKeys(ctx context.Context, ref *bucketRef, op string, keys []string) []error {
	out := make([]error, len(keys))
	chunks := (len(keys) + deleteChunk - 1) / deleteChunk
	workers(context.WithoutCancel(ctx), deleteParallel, chunks, func(_ context.Context, n int) {
		lo, hi := n*deleteChunk, min((n+1)*deleteChunk, len(keys))
		copy(out[lo:hi], c.deleteChunk(ctx, ref, op, keys[lo:hi]))
	})
	return out
}

// deleteChunk sends one Delete Multiple request (retried: deleting is idempotent) and
// retries the keys that failed inside it for a reason worth retrying.
func (c *Client) deleteChunk(ctx context.Context, ref *bucketRef, op string, keys []string) []error {
	out := make([]error, len(keys))
	todo := make([]int, len(keys))
	for i := range todo {
		todo[i] = i
	}
	for round := 0; ; round++ {
		if ctx.Err() != nil {
			break
		}
		if round > 0 {
			if err := c.opt.Sleep(ctx, backoff(round, false)); err != nil {
				break
			}
		}
		batch := make([]string, len(todo))
		for j, i := range todo {
			batch[j] = keys[i]
		}
		perKey, err := c.deleteMultiOnce(ctx, ref, op, batch)
		if err != nil {
			for j, i := range todo {
				out[i] = err
				if perKey != nil {
					out[i] = perKey[j] // confirmed one by one after an unclear failure
				}
			}
			return out
		}
		var again []int
		for j, i := range todo {
			out[i] = perKey[j]
			var e *Error
			if errors.As(perKey[j], &e) && e.retryable() && round < c.opt.Scoring.Retries {
				again = append(again, i)
			}
		}
		if len(again) == 0 {
			return out
		}
		todo = again
	}
	for _, i := range todo {
		out[i] = &Error{Kind: KindCanceled, Op: op, Key: keys[i], Message: "not deleted: canceled", Err: ctx.Err()}
	}
	return out
}

// deleteMultiOnce is one Delete Multiple request with our retries. On success it returns a
// per-key error (nil = deleted). When the request failed for good after an attempt whose
// answer was lost (the server may have done the work), it checks each key with HEAD, so that
// a key reported failed is really still there.
func (c *Client) deleteMultiOnce(ctx context.Context, ref *bucketRef, op string, keys []string) ([]error, error) {
	opt := &cos.ObjectDeleteMultiOptions{Quiet: true, Objects: make([]cos.Object, len(keys))}
	for i, k := range keys {
		opt.Objects[i] = cos.Object{Key: k}
	}
	var res *cos.ObjectDeleteMultiResult
	var unclear atomic.Bool
	label := fmt.Sprintf("(%d keys)", len(keys))
	err := c.retry(ctx, op, label, func(ctx context.Context) error {
		r, _, err := ref.sdk.Object.DeleteMulti(ctx, opt)
		if err != nil && KindOf(wrap(op, label, err)) == KindNetwork {
			unclear.Store(true)
		}
		res = r
		return err
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			err = &Error{Kind: e.Kind, Op: op, Status: e.Status, Code: e.Code, RequestID: e.RequestID,
				Message: "the batch delete request failed: " + cmp.Or(e.Message, e.Kind.String()), Err: e.Err}
		}
		if !unclear.Load() || ctx.Err() != nil {
			return nil, err
		}
		perKey := make([]error, len(keys))
		for i, k := range keys {
			perKey[i] = keyErr(err, k) // unless a HEAD shows it gone
		}
		c.pool(ctx, len(keys), func(ctx context.Context, i int) {
			if _, herr := c.stat(ctx, ref, keys[i]); KindOf(herr) == KindNotFound {
				perKey[i] = nil
			}
		})
		return perKey, err
	}
	failed := map[string]error{}
	for _, e := range res.Errors {
		key := e.Key
		if !slices.Contains(keys, key) {
			if d, derr := cos.DecodeURIComponent(key); derr == nil {
				key = d
			}
		}
		if e.Code == "NoSuchKey" { // gone is what we wanted
			continue
		}
		failed[key] = &Error{Kind: codeKind(e.Code), Op: op, Key: key, Code: e.Code, Message: e.Message}
	}
	perKey := make([]error, len(keys))
	for i, k := range keys {
		perKey[i] = failed[k]
	}
	return perKey, nil
}

// keyErr is a batch-wide failure told for one key.
func keyErr(err error, key string) error {
	var e *Error
	if errors.As(err, &e) {
		k := *e
		k.Key = key
		return &k
	}
	return err
}

// codeKind classifies a COS error code that came without an HTTP status (inside a Delete
// Multiple answer or a copy's 200).
func codeKind(code string) Kind {
	status := map[string]int{
		"AccessDenied": http.StatusForbidden, "InvalidAccessKeyId": http.StatusForbidden,
		"SignatureDoesNotMatch": http.StatusForbidden, "NoSuchKey": http.StatusNotFound,
		"NoSuchBucket": http.StatusNotFound, "InternalError": http.StatusInternalServerError,
		"ServiceUnavailable": http.StatusServiceUnavailable, "SlowDown": http.StatusServiceUnavailable,
	}[code]
	if status == 0 {
		status = http.StatusBadRequest
	}
	return classify(status, code)
}
